"""The mission map as a server-side SVG: grand challenge → missions → sectors → projects.

Drawn from `selectors.mission_map` data so the same picture appears on the page and in PDFs.
Every text is escaped. On the page long titles are shortened on the drawing and given in full
in a <title> tooltip and in the table that accompanies the drawing; the PDF asks for them
wrapped (`wrap=True`), every title in full on as many lines as it needs.
"""

from __future__ import annotations

import re
import textwrap
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
FONT = "Arial, Helvetica, sans-serif"
# Wrapped labels: characters per line (a generous average glyph width), line height, padding.
WRAP_CHARS = 31
LINE_HEIGHT = 14
BOX_PADDING = 10
ROW_GAP = 6


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


def mission_map_svg(
    tree: list[dict[str, Any]], *, wrap: bool = False, font_family: str = FONT
) -> str:
    """An SVG string for the tree. Rows are laid out from the leaves up: each project takes a
    row, and every parent sits at the middle of its children, so nothing overlaps however many
    projects there are. `wrap` writes every title in full over as many lines as it needs."""
    if wrap:
        return _finish(*_wrapped(tree, font_family), font_family)
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
    return _finish(parts, height, FONT)


def _finish(parts: list[str], height: float, font_family: str) -> str:
    family = escape(font_family)
    headers = "".join(
        f'<text x="{x}" y="18" font-size="13" font-weight="bold" fill="#0b0c0c" '
        f'font-family="{family}">{escape(label)}</text>'
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
        f'viewBox="0 0 {WIDTH} {height:g}" width="{WIDTH}" height="{height:g}" '
        f'aria-labelledby="mission-map-title mission-map-desc">'
        f'<title id="mission-map-title">{title}</title><desc id="mission-map-desc">{desc}</desc>'
        f"{headers}{''.join(links)}{''.join(boxes)}</svg>"
    )


def svg_size(svg: str) -> tuple[float, float]:
    """(width, height) of a drawing made here, in its own units."""
    match = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg)
    return (float(match.group(1)), float(match.group(2))) if match else (0.0, 0.0)


def _lines(text: str) -> list[str]:
    text = " ".join(str(text).split())
    return textwrap.wrap(text, WRAP_CHARS, break_long_words=True) or [""]


def _wrapped_box(column: int, y: float, lines: list[str], full: str, family: str) -> str:
    """A node whose title is written in full over `lines`, centred on `y`."""
    x = COLUMN_X[column]
    height = len(lines) * LINE_HEIGHT + BOX_PADDING
    top = y - height / 2
    spans = "".join(
        f'<tspan x="{x + 8}" y="{top + BOX_PADDING / 2 + LINE_HEIGHT * (n + 0.78):.1f}">'
        f"{escape(line)}</tspan>"
        for n, line in enumerate(lines)
    )
    return (
        f'<g class="mission-map__node"><title>{escape(full)}</title>'
        f'<rect x="{x}" y="{top:.1f}" width="{BOX_WIDTH}" height="{height}" '
        f'rx="3" fill="{FILLS[column]}" stroke="#505a5f" stroke-width="1"/>'
        f'<text font-size="12" fill="{TEXT_FILLS[column]}" font-family="{escape(family)}">'
        f"{spans}</text></g>"
    )


def _wrapped(tree: list[dict[str, Any]], family: str) -> tuple[list[str], float]:
    """The tree with wrapped titles: every node gets the height its lines need, a parent
    the height of its children or its own, whichever is more, and sits at their middle."""
    parts: list[str] = []

    def own(title: str) -> float:
        return len(_lines(title)) * LINE_HEIGHT + BOX_PADDING + ROW_GAP

    # Each node: (column, title, children); heights computed bottom-up.
    def node(column: int, title: str, children: list[Any]) -> dict[str, Any]:
        kids = [node(column + 1, *child) for child in children]
        need = sum(kid["height"] for kid in kids)
        return {"column": column, "title": title, "kids": kids, "height": max(own(title), need)}

    def place(item: dict[str, Any], top: float) -> float:
        centre = top + item["height"] / 2
        y = top + (item["height"] - sum(kid["height"] for kid in item["kids"])) / 2
        for kid in item["kids"]:
            kid_centre = place(kid, y)
            parts.append(_link(item["column"], centre, kid_centre))
            y += kid["height"]
        parts.append(
            _wrapped_box(item["column"], centre, _lines(item["title"]), item["title"], family)
        )
        return centre

    top = float(HEADER_HEIGHT)
    for challenge in tree:
        missions: list[tuple[str, list[Any]]] = [
            (
                mission["title"],
                [
                    (sector["name"], [(p["title"], []) for p in sector["projects"]])
                    for sector in mission["sectors"]
                ]
                or [(_("No projects yet"), [])],
            )
            for mission in challenge["missions"]
        ]
        item = node(0, challenge["title"], missions)
        place(item, top)
        top += item["height"] + ROW_HEIGHT / 2
    return parts, max(top, HEADER_HEIGHT + ROW_HEIGHT)
