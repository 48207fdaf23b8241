"""The mission map as a server-side SVG: grand challenge → missions → sectors → projects.

Drawn from `selectors.mission_map` data so the same picture appears on the page and in PDFs.
Every text is escaped; long titles are shortened on the drawing and given in full in a
<title> tooltip and in the table that accompanies the drawing.
"""

from __future__ import annotations

from typing import Any

from django.utils.html import escape
from django.utils.translation import gettext as _

COLUMN_X = (0, 240, 480, 720)
BOX_WIDTH = 210
ROW_HEIGHT = 30
BOX_HEIGHT = 24
HEADER_HEIGHT = 34
WIDTH = COLUMN_X[-1] + BOX_WIDTH
FILLS = ("#1d3557", "#e8eef7", "#f3f2f1", "#ffffff")
TEXT_FILLS = ("#ffffff", "#0b0c0c", "#0b0c0c", "#0b0c0c")
MAX_CHARS = 32


def _short(text: str, limit: int = MAX_CHARS) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _box(column: int, y: float, label: str, full: str) -> str:
    x = COLUMN_X[column]
    return (
        f'<g class="mission-map__node"><title>{escape(full)}</title>'
        f'<rect x="{x}" y="{y - BOX_HEIGHT / 2:.1f}" width="{BOX_WIDTH}" height="{BOX_HEIGHT}" '
        f'rx="3" fill="{FILLS[column]}" stroke="#505a5f" stroke-width="1"/>'
        f'<text x="{x + 8}" y="{y + 4:.1f}" font-size="12" fill="{TEXT_FILLS[column]}" '
        f'font-family="Arial, Helvetica, sans-serif">{escape(_short(label))}</text></g>'
    )


def _link(column: int, y_from: float, y_to: float) -> str:
    x1 = COLUMN_X[column] + BOX_WIDTH
    x2 = COLUMN_X[column + 1]
    mid = (x1 + x2) / 2
    return (
        f'<path d="M{x1},{y_from:.1f} C{mid},{y_from:.1f} {mid},{y_to:.1f} {x2},{y_to:.1f}" '
        f'fill="none" stroke="#6f777b" stroke-width="1.2"/>'
    )


def mission_map_svg(tree: list[dict[str, Any]]) -> str:
    """An SVG string for the tree. Rows are laid out from the leaves up: each project takes a
    row, and every parent sits at the middle of its children, so nothing overlaps however many
    projects there are."""
    parts: list[str] = []
    row = 0

    def next_y() -> float:
        nonlocal row
        y = HEADER_HEIGHT + row * ROW_HEIGHT + ROW_HEIGHT / 2
        row += 1
        return y

    for challenge in tree:
        mission_ys = []
        for mission in challenge["missions"]:
            sector_ys = []
            for sector in mission["sectors"] or [{"name": _("No projects yet"), "projects": []}]:
                project_ys = [next_y() for _project in sector["projects"]] or [next_y()]
                sector_y = sum(project_ys) / len(project_ys)
                for project, y in zip(sector["projects"], project_ys, strict=False):
                    parts.append(_link(2, sector_y, y))
                    parts.append(_box(3, y, project["title"], project["title"]))
                parts.append(_box(2, sector_y, sector["name"], sector["name"]))
                sector_ys.append(sector_y)
            mission_y = sum(sector_ys) / len(sector_ys)
            for y in sector_ys:
                parts.append(_link(1, mission_y, y))
            parts.append(_box(1, mission_y, mission["title"], mission["title"]))
            mission_ys.append(mission_y)
        if not mission_ys:
            mission_ys = [next_y()]
        challenge_y = sum(mission_ys) / len(mission_ys)
        for y in mission_ys if challenge["missions"] else []:
            parts.append(_link(0, challenge_y, y))
        parts.append(_box(0, challenge_y, challenge["title"], challenge["title"]))
        row += 1  # a blank row between challenges

    height = HEADER_HEIGHT + max(row, 1) * ROW_HEIGHT
    headers = "".join(
        f'<text x="{x}" y="18" font-size="13" font-weight="bold" fill="#0b0c0c" '
        f'font-family="Arial, Helvetica, sans-serif">{escape(label)}</text>'
        for x, label in zip(
            COLUMN_X,
            (_("Grand challenge"), _("Mission"), _("Sectors"), _("Projects")),
            strict=True,
        )
    )
    # Links first so boxes are drawn on top of them.
    links = [p for p in parts if p.startswith("<path")]
    boxes = [p for p in parts if not p.startswith("<path")]
    title = escape(_("Mission map"))
    desc = escape(
        _(
            "Grand challenge, missions, the sectors they work in and their projects. "
            "The table below gives the same information."
        )
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="mission-map" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'aria-labelledby="mission-map-title mission-map-desc">'
        f'<title id="mission-map-title">{title}</title><desc id="mission-map-desc">{desc}</desc>'
        f"{headers}{''.join(links)}{''.join(boxes)}</svg>"
    )
