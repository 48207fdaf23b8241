"""The canvas PDF's content and layout: what each of the twelve boxes says, read from the one
box registry (`canvas.boxes`), the boxes' facts (`canvas.facts`, which the board shows too) and
the mission's exchange export, and how it is laid out on the A3 page and the pages after it.

Two halves, as for every document: `boxes`, `stakeholder_rows` and `map_rows` build the plain,
JSON-ready data stored with the document (in the request, translated there); `layout` and
`figures` turn that stored data into what the print template shows (in the worker).

A box with structured content (targets, stakeholders, projects, instruments, the theory of
change and indicators) lists it as "facts" before its free text; a box with nothing says
exactly what is missing ("No committed budget recorded"), never just "not filled in".
"""

from __future__ import annotations

import math
import re
from typing import Any

from django.utils.translation import gettext as _

from canvas import facts as box_facts
from canvas.boxes import BOXES, TEXT_LIMIT
from missions.formatting import label
from missions.models import Helix, Mission

# --- Content: the data stored with the document ------------------------------------------------


def boxes(mission: Mission, exported: dict[str, Any]) -> list[dict[str, Any]]:
    """The twelve boxes in canvas order (canvas.boxes.BOXES): number, band and title from the
    registry, the text written in the box, and the facts the mission's records give it."""
    written = (exported.get("canvas") or {}).get("boxes") or {}
    result = []
    for box in BOXES:
        key = str(box.key)
        row = written.get(key) or {}
        text = mission.statement if box.is_statement else (row.get("text") or "")
        result.append(
            {
                "key": key,
                "band": str(box.band),
                "number": str(box.number),
                "title": str(box.title),
                "text": text[:TEXT_LIMIT],
                "facts": [] if box.is_statement else box_facts.for_box(box, mission, exported),
                "empty": str(box.missing),
                "version": row.get("version"),
                "updated_at": row.get("updated_at"),
                "updated_by": row.get("updated_by"),
            }
        )
    return result


def _name(item: dict[str, Any]) -> str:
    return item.get("person_name") or item.get("actor_name") or item["key"]


def stakeholder_rows(exported: dict[str, Any]) -> list[dict[str, Any]]:
    """The stakeholders as the power/interest grid draws them, numbered by name as on the map
    page, with their sector, attitude and group in words for the table beside the drawing."""
    from stakeholders.models import ATTITUDES, EngagementLevel, Quadrant, quadrant_of

    section = exported.get("stakeholders") or {}
    people = sorted(section.get("stakeholders") or [], key=lambda i: _name(i).lower())
    rows = []
    for number, item in enumerate(people, start=1):
        attitude = int(item.get("attitude") or 0)
        quadrant = item.get("quadrant") or quadrant_of(item["power"], item["interest"])
        rows.append(
            {
                "number": number,
                "key": item["key"],
                "name": _name(item),
                "helix": item.get("helix", ""),
                "helix_label": label(Helix, item.get("helix")) or _("Not recorded"),
                "power": item["power"],
                "interest": item["interest"],
                "attitude": attitude,
                "attitude_label": str(ATTITUDES.get(attitude, "")),
                "quadrant": quadrant,
                "quadrant_label": label(Quadrant, quadrant),
                "engagement": label(EngagementLevel, item.get("engagement_now")),
            }
        )
    return rows


def map_rows(tree: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The mission map in words, one row per mission and sector, for the table after the
    drawing: every title in full."""
    rows = []
    for challenge in tree:
        for mission in challenge["missions"]:
            sectors = mission["sectors"] or [{"name": "", "projects": []}]
            for index, sector in enumerate(sectors):
                rows.append(
                    {
                        "challenge": challenge["title"],
                        "mission": mission["title"],
                        "first": index == 0,
                        "span": len(sectors),
                        "sector": sector["name"],
                        "projects": [project["title"] for project in sector["projects"]],
                    }
                )
    return rows


# --- Layout: how the stored data fills the page ---------------------------------------------

# Where each box sits in the paper canvas's 7-column grid (row 1 holds the band titles), and
# how much it holds before the rest continues after the grid: characters per line of its
# text and lines it has room for, measured on the A3 page (Source Sans 3, 8.5 pt text, 8 pt
# facts). Deliberately a little short of the room there is, so a box never outgrows its row.
BOX_AREAS: dict[str, tuple[str, str, int, int]] = {
    "challenge": ("1", "2", 31, 16),
    "mission_statement": ("2", "2", 31, 16),
    "targets": ("3", "2", 31, 16),
    "rationale": ("1 / 3", "3", 66, 16),
    "system_baseline": ("3", "3", 31, 16),
    "stakeholders": ("4", "2", 31, 16),
    "sectors_disciplines": ("4", "3", 31, 16),
    "governance": ("5", "2 / 4", 31, 36),
    "portfolio": ("6", "2 / 4", 31, 36),
    "instruments_resources": ("7", "2", 31, 16),
    "risks_rewards": ("7", "3", 31, 16),
    # The learning band is laid out in three columns.
    "learning": ("1 / 8", "4", 78, 15),
}
LINE_COST = 40
PARAGRAPH_GAP = 0.3  # of a line, between paragraphs or facts


def split_box_text(text: str, budget: int) -> tuple[str, str]:
    """Split `text` where it stops fitting `budget`: at a paragraph or sentence end when one
    is near, else at a space, so the continuation starts on a whole word."""
    cost, index = 0, len(text)
    for position, char in enumerate(text):
        cost += LINE_COST if char == "\n" else 1
        if cost > budget:
            index = position
            break
    if index == len(text):
        return text, ""
    head = text[:index]
    for separator in ("\n\n", "\n", ". ", " "):
        cut = head.rfind(separator)
        if cut > len(head) * 0.6:
            cut += len(separator) if separator == ". " else 0
            return text[:cut].rstrip(), text[cut:].strip()
    return head.rstrip(), text[index:].strip()


def _lines(text: str, per_line: int) -> float:
    return math.ceil(max(len(text), 1) / per_line) + PARAGRAPH_GAP


def layout(boxes: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The boxes with their grid area and what fits in them (facts first, then text), and the
    boxes whose facts or text continue after the grid."""
    laid_out, continued = [], []
    for box in boxes:
        room: float  # lines left in the box: the gaps between facts are fractions of a line
        column, row, per_line, room = BOX_AREAS[box["key"]]
        facts: list[str] = []
        more_facts: list[str] = []
        for fact in box.get("facts") or []:
            cost = _lines(fact, per_line)
            if more_facts or cost > room:
                more_facts.append(fact)
            else:
                facts.append(fact)
                room -= cost
        text = box["text"]
        # Text gets what the facts left, but at least four lines so it never vanishes.
        budget = max(int(room), 4 if text else 0) * per_line
        shown, rest = split_box_text(text, budget) if text else ("", "")
        item = {
            **box,
            "area": f"grid-column: {column}; grid-row: {row}",
            "shown_facts": facts,
            "shown": shown,
            "rest": rest,
            "more_facts": more_facts,
        }
        laid_out.append(item)
        if rest or more_facts:
            continued.append(item)
    return laid_out, continued


# Page 2 onwards: the figures are drawn in the document's font, never smaller than 7 pt.
DOCUMENT_FONT = "Source Sans 3, sans-serif"
MIN_FONT_PT = 7.0
MAP_FONT_UNITS = 12  # the mission map's labels, in its own drawing units
MAP_MAX_SCALE = 0.85  # pt per drawing unit: labels at about 10 pt
MAP_MAX_HEIGHT_PT = 560  # leaves room on the page for the headings and the start of the table
GRID_SCALE = 0.68  # pt per unit: the grid's 11-unit names at 7.5 pt


def _sized(svg: str, scale: float) -> str:
    """Give an SVG an absolute size in points, `scale` points per drawing unit."""
    match = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg)
    if not match:
        return svg
    width, height = (float(v) * scale for v in match.groups())
    svg = re.sub(r'(<svg[^>]*?) width="[\d.]+"', rf'\1 width="{width:.1f}pt"', svg, count=1)
    return re.sub(r'(<svg[^>]*?) height="[\d.]+"', rf'\1 height="{height:.1f}pt"', svg, count=1)


def figures(mission: dict[str, Any]) -> dict[str, Any]:
    """The mission map and the stakeholder grid as the PDF draws them: wrapped labels, the
    document's font, sizes fixed so no text is smaller than 7 pt. A map too tall for that is
    left to its table (said so on the page)."""
    from missions.mission_map import mission_map_svg, svg_size
    from stakeholders.grid import draw_grid

    result: dict[str, Any] = {"map_rows": map_rows(mission.get("map_tree") or [])}
    svg = mission_map_svg(mission.get("map_tree") or [], wrap=True, font_family=DOCUMENT_FONT)
    _width, height = svg_size(svg)
    scale = min(MAP_MAX_SCALE, MAP_MAX_HEIGHT_PT / height if height else MAP_MAX_SCALE)
    if scale * MAP_FONT_UNITS >= MIN_FONT_PT:
        result["map_svg"] = _sized(svg, scale)
    else:
        result["map_svg"] = ""
    if mission.get("stakeholders"):
        drawing = draw_grid(
            mission["stakeholders"], id_prefix="pdf-grid", font_family=DOCUMENT_FONT
        )
        result["grid_svg"] = _sized(drawing.svg, GRID_SCALE)
    return result
