"""The power/interest grid as SVG, drawn on the server from plain data, so the same picture
appears on the page (interactive: focusable, draggable markers) and in PDFs (static).

`draw_grid(items, arrows=..., interactive=...) -> Drawing` is a pure function of its input:

    items:  [{"number", "key", "name", "helix", "power", "interest", "attitude",
              "quadrant"?, "description"?, "version"?, "move_url"?}]
    arrows: [{"key", "points": [(power, interest), ...]}]  # earlier positions, oldest first

Layout: a 5×5 grid (interest left→right, power bottom→top), quadrants shaded and named. The
markers of one cell are stacked in a small grid inside the cell ("slots": the marker and its
number), shrinking when a cell is crowded, so markers and numbers never overlap. Names are then
placed greedily beside their marker where they collide with nothing; those that do not fit are
left to the numbered table beside the chart. Sector (helix) is the marker's shape; attitude
is its colour *and* the sign inside it (++ + 0 − −−), so nothing relies on colour alone.
Every text is escaped.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import json
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext as _

from config.wording import in_sentence
from missions.models import Helix
from stakeholders.models import ATTITUDES, Quadrant, quadrant_of

LEFT, TOP, CELL = 72, 12, 136
PLOT = 5 * CELL
WIDTH = LEFT + PLOT + 14
BAND = 20  # top strip of each cell, kept free for the quadrant names
PAD = 6
FONT = "Arial, Helvetica, sans-serif"
CHAR_WIDTH = 0.6  # a generous average glyph width, in ems, for Arial
NAME_FONT = 11
NAME_MAX_CHARS = 22

QUADRANT_FILLS: dict[str, str] = {
    Quadrant.KEY_PLAYER: "#f9dcc4",
    Quadrant.KEEP_SATISFIED: "#e3e9f5",
    Quadrant.KEEP_INFORMED: "#e2f0e2",
    Quadrant.MONITOR: "#f3f2f1",
}
# (power, interest) of the top-left cell of each quadrant, where its name goes.
QUADRANT_CORNERS: dict[str, tuple[int, int]] = {
    Quadrant.KEEP_SATISFIED: (5, 1),
    Quadrant.KEY_PLAYER: (5, 3),
    Quadrant.MONITOR: (2, 1),
    Quadrant.KEEP_INFORMED: (2, 3),
}
# A diverging blue–red scale that stays distinguishable with common colour-vision deficiencies.
ATTITUDE_FILLS = {-2: "#b2182b", -1: "#ef8a62", 0: "#f7f7f7", 1: "#67a9cf", 2: "#2166ac"}
ATTITUDE_INK = {-2: "#ffffff", -1: "#0b0c0c", 0: "#0b0c0c", 1: "#0b0c0c", 2: "#ffffff"}
HELIX_SHAPES: dict[str, str] = {
    Helix.GOVERNMENT: "circle",
    Helix.INDUSTRY: "square",
    Helix.ACADEMIA: "triangle",
    Helix.CIVIL_SOCIETY: "diamond",
    Helix.ENVIRONMENT: "hexagon",
}


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float
    kind: str = ""
    key: str = ""

    def overlaps(self, other: Box) -> bool:
        return (
            self.x < other.x + other.w
            and other.x < self.x + self.w
            and self.y < other.y + other.h
            and other.y < self.y + self.h
        )

    def inside(self, x0: float, y0: float, x1: float, y1: float) -> bool:
        return self.x >= x0 and self.y >= y0 and self.x + self.w <= x1 and self.y + self.h <= y1


@dataclass
class Drawing:
    svg: str
    labels: list[Box] = field(default_factory=list)  # every text placed on the plot
    markers: list[Box] = field(default_factory=list)
    named: list[str] = field(default_factory=list)  # keys whose name is written on the chart
    centres: dict[str, tuple[float, float]] = field(default_factory=dict)


def text_width(text: str, size: float) -> float:
    return len(text) * size * CHAR_WIDTH + 2


def short(text: str, limit: int = NAME_MAX_CHARS) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def cell_origin(power: int, interest: int) -> tuple[float, float]:
    return LEFT + (interest - 1) * CELL, TOP + (5 - power) * CELL


def cell_centre(power: int, interest: int) -> tuple[float, float]:
    x, y = cell_origin(power, interest)
    return x + CELL / 2, y + BAND + (CELL - BAND) / 2


def _cells_touched(box: Box) -> list[tuple[int, int]]:
    """The (power, interest) cells whose square `box` overlaps (none outside the grid)."""
    columns = range(
        max(0, int((box.x - LEFT) // CELL)), min(4, int((box.x + box.w - LEFT) // CELL)) + 1
    )
    rows = range(max(0, int((box.y - TOP) // CELL)), min(4, int((box.y + box.h - TOP) // CELL)) + 1)
    return [
        (5 - row, column + 1)
        for row in rows
        for column in columns
        if box.overlaps(Box(LEFT + column * CELL, TOP + row * CELL, CELL, CELL))
    ]


def _clamp(value: Any) -> int:
    try:
        return min(5, max(1, int(value)))
    except (TypeError, ValueError):
        return 1


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def shape(kind: str, cx: float, cy: float, size: float, fill: str, extra: str = "") -> str:
    r = size / 2
    common = f'fill="{fill}" stroke="#0b0c0c" stroke-width="1.2"{extra}'
    if kind == "circle":
        return f'<circle cx="{_fmt(cx)}" cy="{_fmt(cy)}" r="{_fmt(r)}" {common}/>'
    if kind == "square":
        s = size * 0.86
        return (
            f'<rect x="{_fmt(cx - s / 2)}" y="{_fmt(cy - s / 2)}" width="{_fmt(s)}" '
            f'height="{_fmt(s)}" {common}/>'
        )
    if kind == "triangle":
        points = [(cx, cy - r * 1.05), (cx + r * 1.1, cy + r * 0.85), (cx - r * 1.1, cy + r * 0.85)]
    elif kind == "diamond":
        points = [(cx, cy - r * 1.1), (cx + r * 1.1, cy), (cx, cy + r * 1.1), (cx - r * 1.1, cy)]
    else:  # hexagon
        points = [
            (cx + r * math.cos(math.radians(a)), cy + r * math.sin(math.radians(a)))
            for a in range(0, 360, 60)
        ]
    text = " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in points)
    return f'<polygon points="{text}" {common}/>'


def _text(
    x: float, y: float, text: str, size: float, *, anchor: str = "start", **attrs: str
) -> str:
    extra = "".join(
        f' {name.rstrip("_").replace("_", "-")}="{value}"' for name, value in attrs.items()
    )
    return (
        f'<text x="{_fmt(x)}" y="{_fmt(y)}" font-size="{_fmt(size)}" font-family="{FONT}" '
        f'text-anchor="{anchor}"{extra}>{escape(text)}</text>'
    )


def _attitude_sign(cx: float, cy: float, size: float, attitude: int) -> str:
    """The attitude's sign (−−, −, 0, +, ++) drawn as strokes centred on (cx, cy), `size` tall
    as a glyph would be. Drawn, not written: a marker's visible text must be exactly what its
    accessible name begins with (its number and name), and the name already says the attitude."""
    half = size * 0.4
    width = _fmt(max(1.6, size * 0.16))
    ink = ATTITUDE_INK[attitude]

    def bars(x: float, w: float, plus: bool) -> str:
        path = f"M{_fmt(x - w)} {_fmt(cy)}H{_fmt(x + w)}"
        if plus:
            path += f"M{_fmt(x)} {_fmt(cy - w)}V{_fmt(cy + w)}"
        return path

    if attitude == 0:
        return (
            f'<circle cx="{_fmt(cx)}" cy="{_fmt(cy)}" r="{_fmt(half * 0.8)}" fill="none" '
            f'stroke="{ink}" stroke-width="{width}"/>'
        )
    if abs(attitude) == 1:
        path = bars(cx, half, attitude > 0)
    else:
        small = half * 0.62
        path = bars(cx - small * 1.2, small, attitude > 0) + bars(
            cx + small * 1.2, small, attitude > 0
        )
    return f'<path d="{path}" stroke="{ink}" stroke-width="{width}" fill="none"/>'


def escape(text: Any) -> str:
    """As `django.utils.html.escape` writes it, without its check for lazy text on every call
    (a map of 200 stakeholders escapes a few thousand attributes)."""
    return html.escape(str(text))


@dataclass(frozen=True)
class _Words:
    """What `describe` says, translated once per drawing rather than once per marker."""

    sentence: str
    quadrants: dict[str, str]
    attitudes: dict[int, str]
    helices: dict[str, str]

    @classmethod
    def now(cls) -> _Words:
        return cls(
            _(
                "%(number)s. %(name)s: power %(power)s, interest %(interest)s (%(quadrant)s); "
                "%(attitude)s; %(helix)s"
            ),
            {value: str(label) for value, label in Quadrant.choices},
            {value: in_sentence(label) for value, label in ATTITUDES.items()},
            {value: str(label) for value, label in Helix.choices},
        )


def describe(item: Mapping[str, Any], words: _Words | None = None) -> str:
    """The marker's accessible name and tooltip, in words."""
    words = words or _Words.now()
    quadrant = item.get("quadrant") or quadrant_of(item["power"], item["interest"])
    helix_value = item.get("helix") or ""
    return words.sentence % {
        "number": item.get("number", ""),
        "name": item["name"],
        "power": item["power"],
        "interest": item["interest"],
        "quadrant": words.quadrants[quadrant],
        "attitude": words.attitudes.get(item.get("attitude", 0), ""),
        "helix": words.helices.get(helix_value, helix_value),
    }


@dataclass
class _Slot:
    item: Mapping[str, Any]
    cx: float
    cy: float
    size: float
    number_box: Box
    number_font: float


def _layout_cell(
    power: int, interest: int, items: list[Mapping[str, Any]], digits: int
) -> list[_Slot]:
    x0, y0 = cell_origin(power, interest)
    ax, ay = x0 + PAD, y0 + BAND
    aw, ah = CELL - 2 * PAD, CELL - BAND - PAD
    n = len(items)
    scale = 1.0
    while True:
        size = 20 * scale
        font = 11 * scale
        gap = 3 * scale
        slot_w = size + gap + digits * font * CHAR_WIDTH + 4 * scale
        slot_h = 24 * scale
        cols = max(1, int(aw // slot_w))
        rows = math.ceil(n / cols)
        if rows * slot_h <= ah or scale <= 0.4:
            break
        scale -= 0.05
    slots = []
    for index, item in enumerate(items):
        row, col = divmod(index, cols)
        cx = ax + col * slot_w + size / 2 + 1
        cy = ay + row * slot_h + slot_h / 2
        label = str(item.get("number", ""))
        nbox = Box(
            cx + size / 2 + gap, cy - font * 0.55, text_width(label, font), font * 1.1, "number"
        )
        slots.append(_Slot(item, cx, cy, size, nbox, font))
    return slots


def _name_candidates(slot: _Slot, h: float) -> Iterable[tuple[float, float, str]]:
    """Where a name may go, as (x, y, side): right of the number, then below or above the
    marker; always left-aligned so it reads as belonging to the marker before it."""
    r = slot.size / 2
    nb = slot.number_box
    yield nb.x + nb.w + 2, slot.cy - h / 2, "right"
    yield slot.cx - r, slot.cy + r + 1, "below"
    yield slot.cx - r, slot.cy - r - 1 - h, "above"


def draw_grid(
    items: Sequence[Mapping[str, Any]],
    *,
    arrows: Sequence[Mapping[str, Any]] = (),
    interactive: bool = False,
    title: str = "",
    id_prefix: str = "grid",
    arrows_label: str = "",
    font_family: str = FONT,
) -> Drawing:
    """The grid with `items` on it (see the module docstring). `interactive` adds what the
    page's script needs (focusable markers with accessible names and data attributes);
    `font_family` writes every text in another font (the PDF's own)."""
    drawing = Drawing(svg="")
    parts: list[str] = []
    legend_top = TOP + PLOT + 52
    title = title or _("Power and interest grid")

    # Quadrants, cells and axes
    quadrant_rects: dict[str, tuple[float, float, float, float]] = {
        Quadrant.KEEP_SATISFIED: (LEFT, TOP, 2 * CELL, 3 * CELL),
        Quadrant.KEY_PLAYER: (LEFT + 2 * CELL, TOP, 3 * CELL, 3 * CELL),
        Quadrant.MONITOR: (LEFT, TOP + 3 * CELL, 2 * CELL, 2 * CELL),
        Quadrant.KEEP_INFORMED: (LEFT + 2 * CELL, TOP + 3 * CELL, 3 * CELL, 2 * CELL),
    }
    for quadrant, (x, y, w, h) in quadrant_rects.items():
        parts.append(
            f'<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{QUADRANT_FILLS[quadrant]}"/>'
        )
    for n in range(6):
        parts.append(
            f'<line x1="{LEFT + n * CELL}" y1="{TOP}" x2="{LEFT + n * CELL}" y2="{TOP + PLOT}" '
            f'stroke="#b1b4b6" stroke-width="1"/>'
            f'<line x1="{LEFT}" y1="{TOP + n * CELL}" x2="{LEFT + PLOT}" y2="{TOP + n * CELL}" '
            f'stroke="#b1b4b6" stroke-width="1"/>'
        )
    parts.append(
        f'<line x1="{LEFT + 2 * CELL}" y1="{TOP}" x2="{LEFT + 2 * CELL}" y2="{TOP + PLOT}" '
        f'stroke="#0b0c0c" stroke-width="2"/>'
        f'<line x1="{LEFT}" y1="{TOP + 3 * CELL}" x2="{LEFT + PLOT}" y2="{TOP + 3 * CELL}" '
        f'stroke="#0b0c0c" stroke-width="2"/>'
        f'<rect x="{LEFT}" y="{TOP}" width="{PLOT}" height="{PLOT}" fill="none" '
        f'stroke="#0b0c0c" stroke-width="1.5"/>'
    )
    for quadrant, (power, interest) in QUADRANT_CORNERS.items():
        x, y = cell_origin(power, interest)
        label = str(Quadrant(quadrant).label)
        parts.append(_text(x + PAD, y + 15, label, 13, font_weight="bold", fill="#0b0c0c"))
        drawing.labels.append(Box(x + PAD, y + 3, text_width(label, 13), 15, "quadrant"))
    for n in range(1, 6):
        parts.append(
            _text(LEFT - 10, TOP + (5 - n) * CELL + CELL / 2 + 4, str(n), 12, anchor="end")
        )
        parts.append(
            _text(LEFT + (n - 1) * CELL + CELL / 2, TOP + PLOT + 18, str(n), 12, anchor="middle")
        )
    parts.append(
        f'<text x="22" y="{TOP + PLOT / 2}" font-size="13" font-family="{FONT}" '
        f'font-weight="bold" text-anchor="middle" transform="rotate(-90 22 {TOP + PLOT / 2})">'
        f"{escape(_('Power (1 low – 5 high)'))}</text>"
    )
    parts.append(
        _text(
            LEFT + PLOT / 2,
            TOP + PLOT + 38,
            _("Interest (1 low – 5 high)"),
            13,
            anchor="middle",
            font_weight="bold",
        )
    )

    # Markers: slots per cell
    by_cell: dict[tuple[int, int], list[Mapping[str, Any]]] = defaultdict(list)
    for item in items:
        by_cell[(_clamp(item["power"]), _clamp(item["interest"]))].append(item)
    digits = max((len(str(item.get("number", ""))) for item in items), default=1)
    slots: list[_Slot] = []
    for (power, interest), cell_items in sorted(by_cell.items()):
        slots += _layout_cell(power, interest, cell_items, digits)
    for slot in slots:
        r = slot.size / 2
        key = str(slot.item["key"])
        drawing.markers.append(Box(slot.cx - r, slot.cy - r, slot.size, slot.size, "marker", key))
        drawing.labels.append(
            Box(
                slot.number_box.x,
                slot.number_box.y,
                slot.number_box.w,
                slot.number_box.h,
                "number",
                key,
            )
        )
        drawing.centres[key] = (slot.cx, slot.cy)

    # Names where they fit
    # A name stays inside its cell, so only what overlaps that cell can be in its way: the
    # obstacles are kept by cell, and a name is checked against its own cell's only.
    obstacles: dict[tuple[int, int], list[Box]] = defaultdict(list)
    for placed in [*drawing.markers, *drawing.labels]:
        for cell in _cells_touched(placed):
            obstacles[cell].append(placed)
    names: dict[str, tuple[float, float, str]] = {}
    h = NAME_FONT * 1.2
    for slot in slots:
        # Names stay inside their marker's own cell, so none reads as another cell's.
        cell = (_clamp(slot.item["power"]), _clamp(slot.item["interest"]))
        x0, y0 = cell_origin(*cell)
        for x, y, _side in _name_candidates(slot, h):
            room = int((x0 + CELL - 2 - x - 2) // (NAME_FONT * CHAR_WIDTH))
            if room < 6:
                continue
            text = short(slot.item["name"], min(room, NAME_MAX_CHARS))
            box = Box(x, y, text_width(text, NAME_FONT), h, "name", str(slot.item["key"]))
            if not box.inside(x0 + 1, y0 + 1, x0 + CELL - 1, y0 + CELL - 1):
                continue
            if any(box.overlaps(other) for other in obstacles[cell]):
                continue
            obstacles[cell].append(box)
            drawing.labels.append(box)
            drawing.named.append(box.key)
            names[box.key] = (x, y + h * 0.8, text)
            break

    # Movement arrows, under the markers
    if arrows:
        parts.append('<g class="stakeholder-grid__arrows">')
        for arrow in arrows:
            key = str(arrow["key"])
            if key not in drawing.centres:
                continue
            points = [cell_centre(_clamp(p), _clamp(i)) for p, i in arrow.get("points") or []]
            points.append(drawing.centres[key])
            for (x1, y1), (x2, y2) in itertools.pairwise(points):
                length = math.hypot(x2 - x1, y2 - y1)
                if length < 14:
                    continue
                # stop at the marker's edge
                x2e = x2 - (x2 - x1) * 12 / length
                y2e = y2 - (y2 - y1) * 12 / length
                parts.append(
                    f'<circle cx="{_fmt(x1)}" cy="{_fmt(y1)}" r="3" fill="#ffffff" '
                    f'stroke="#505a5f" stroke-width="1.5"/>'
                    f'<line x1="{_fmt(x1)}" y1="{_fmt(y1)}" x2="{_fmt(x2e)}" y2="{_fmt(y2e)}" '
                    f'stroke="#505a5f" stroke-width="1.8" stroke-dasharray="5 3" '
                    f'marker-end="url(#{id_prefix}-arrowhead)"/>'
                )
        parts.append("</g>")

    # Markers
    parts.append('<g class="stakeholder-grid__markers">')
    words = _Words.now()
    for slot in slots:
        item = slot.item
        key = str(item["key"])
        attitude = int(item.get("attitude") or 0)
        attitude = min(2, max(-2, attitude))
        description = item.get("description") or describe(item, words)
        r = slot.size / 2
        if interactive:
            data = {
                "key": key,
                "power": _clamp(item["power"]),
                "interest": _clamp(item["interest"]),
                "version": item.get("version", ""),
                "name": item["name"],
                "move-url": item.get("move_url", ""),
                "cx": _fmt(slot.cx),
                "cy": _fmt(slot.cy),
            }
            attributes = "".join(f' data-{k}="{escape(str(v))}"' for k, v in data.items())
            parts.append(
                f'<g class="stakeholder-marker" id="{id_prefix}-marker-{escape(key)}" '
                f'tabindex="0" role="button" aria-label="{escape(description)}" '
                f'aria-describedby="{id_prefix}-help"{attributes}>'
            )
            nb = slot.number_box
            parts.append(
                f'<rect class="stakeholder-marker__focus" x="{_fmt(slot.cx - r - 3)}" '
                f'y="{_fmt(slot.cy - r - 3)}" width="{_fmt(nb.x + nb.w - slot.cx + r + 5)}" '
                f'height="{_fmt(slot.size + 6)}" rx="3" fill="none"/>'
            )
        else:
            parts.append(f'<g class="stakeholder-marker" data-key="{escape(key)}">')
        parts.append(f"<title>{escape(description)}</title>")
        parts.append(
            shape(
                HELIX_SHAPES.get(item.get("helix") or "", "circle"),
                slot.cx,
                slot.cy,
                slot.size,
                ATTITUDE_FILLS[attitude],
                ' class="stakeholder-marker__shape"',
            )
        )
        sign_y = slot.cy + slot.size * (0.28 if item.get("helix") == Helix.ACADEMIA else 0.18)
        font = slot.size * 0.5
        parts.append(_attitude_sign(slot.cx, sign_y - font * 0.35, font, attitude))
        # Number and name in one <text>, a space between: read as one phrase ("4 Eurocities"),
        # the words the accessible name starts with, as WCAG's "label in name" asks.
        nb = slot.number_box
        label = (
            f'<tspan x="{_fmt(nb.x + 1)}" y="{_fmt(slot.cy + slot.number_font * 0.36)}" '
            f'font-size="{_fmt(slot.number_font)}" font-weight="bold">'
            f"{escape(str(item.get('number', '')))}</tspan>"
        )
        if key in names:
            x, y, text = names[key]
            label += (
                f' <tspan class="stakeholder-marker__name" x="{_fmt(x + 1)}" y="{_fmt(y)}" '
                f'font-size="{_fmt(NAME_FONT)}">{escape(text)}</tspan>'
            )
        parts.append(f'<text font-family="{FONT}" fill="#0b0c0c">{label}</text>')
        parts.append("</g>")
    parts.append("</g>")

    # Legend (shapes for sectors, colours and signs for attitude), wrapping when too wide
    y = legend_top

    def legend_row(heading: str, entries: list[tuple[str, str]], indent: float) -> None:
        nonlocal y
        parts.append(_text(LEFT, y, heading, 12, font_weight="bold"))
        x = LEFT + indent
        for symbol, label in entries:
            width = 18 + text_width(label, 12) + 10
            if x + width > WIDTH - 4 and x > LEFT + indent:
                y += 22
                x = LEFT + indent
            parts.append(symbol.format(x=_fmt(x), y=_fmt(y)))
            parts.append(_text(x + 11, y, label, 12))
            x += width
        y += 26

    legend_row(
        _("Sector (shape)"),
        [
            (
                shape(HELIX_SHAPES[helix], 0, 0, 14, "#ffffff").join(
                    ['<g transform="translate({x} {y}) translate(0 -4)">', "</g>"]
                ),
                str(label),
            )
            for helix, label in Helix.choices
        ],
        110,
    )
    legend_row(
        _("Attitude (colour and sign)"),
        [
            (
                '<g transform="translate({x} {y}) translate(0 -4)">'
                + shape("circle", 0, 0, 16, ATTITUDE_FILLS[value])
                + _attitude_sign(0, 0, 8, value)
                + "</g>",
                str(ATTITUDES[value]),
            )
            for value in (2, 1, 0, -1, -2)
        ],
        170,
    )
    parts.append(
        _text(
            LEFT,
            y,
            _("Numbers match the table of stakeholders. Names are shown where they fit."),
            12,
        )
    )
    if arrows:
        y += 24
        parts.append(
            f'<line x1="{LEFT}" y1="{y - 4}" x2="{LEFT + 36}" y2="{y - 4}" stroke="#505a5f" '
            f'stroke-width="1.8" stroke-dasharray="5 3" marker-end="url(#{id_prefix}-arrowhead)"/>'
        )
        parts.append(_text(LEFT + 46, y, arrows_label or _("Moved from an earlier position"), 12))
    height = y + 14
    parts.insert(
        0,
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {_fmt(height)}" '
        f'width="{WIDTH}" height="{_fmt(height)}" class="stakeholder-grid" role="group" '
        f'aria-labelledby="{id_prefix}-title" data-cell="{CELL}" data-left="{LEFT}" '
        f'data-top="{TOP}">'
        f'<title id="{id_prefix}-title">{escape(title)}</title>'
        f'<defs><marker id="{id_prefix}-arrowhead" viewBox="0 0 10 10" refX="9" refY="5" '
        f'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="#505a5f"/></marker></defs>',
    )
    parts.append("</svg>")
    drawing.svg = "".join(parts)
    if font_family != FONT:
        drawing.svg = drawing.svg.replace(
            f'font-family="{FONT}"', f'font-family="{escape(font_family)}"'
        )
    return drawing


# How long a process keeps a drawn grid it is not asked for again.
GRID_SECONDS = 600


def grid_svg(items: Sequence[Mapping[str, Any]], **options: Any) -> str:
    """`draw_grid(items, **options).svg`, kept in the cache under everything the drawing is made
    from (the items, the options and the language its words are in): placing 200 names so
    that none overlaps is a third of the map page's work, and the same map is drawn again on
    every view until a stakeholder moves."""
    made_from = json.dumps(
        [items, options, translation.get_language()], sort_keys=True, default=str
    )
    key = "stakeholders:grid:" + hashlib.sha256(made_from.encode()).hexdigest()
    return str(cache.get_or_set(key, lambda: draw_grid(items, **options).svg, GRID_SECONDS))
