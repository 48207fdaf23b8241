"""The theory of change as a server-side SVG: four columns left to right (activities, outputs,
outcomes, impact), each step a box, each link a curve whose line shows the strength of its
evidence (strong: thick solid, moderate: solid, weak: dashed, none yet: dotted).

Drawn from plain data (the shape of the exchange section: steps with key, kind and title;
links with from, to, evidence and assumption), so the page and a PDF draw the same picture.
Everything is inline presentation attributes (no CSS), every text is escaped, long titles are
wrapped and, past four lines, shortened, with the full text in a <title> and in the table the
page shows beside the drawing.

Layout is deterministic and needs no JavaScript: steps start in title order, then a few
barycentre sweeps (left to right, then right to left) move each step towards the average
position of the steps it is linked to, which removes most crossings in graphs of this size.
"""

from __future__ import annotations

import textwrap
from collections import defaultdict
from typing import Any

from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from evaluation.toc.models import RANK, EvidenceStrength, NodeKind

BOX_WIDTH = 180
COLUMN_GAP = 70
COLUMN_X = tuple(i * (BOX_WIDTH + COLUMN_GAP) for i in range(4))
WIDTH = COLUMN_X[-1] + BOX_WIDTH
TOP = 40
LINE_HEIGHT = 15
BOX_PADDING = 8
BOX_GAP = 16
WRAP_CHARS = 24
MAX_LINES = 4
LEGEND_HEIGHT = 44
FONT = "Arial, Helvetica, sans-serif"
FILLS: dict[str, str] = {
    NodeKind.ACTIVITY: "#f3f2f1",
    NodeKind.OUTPUT: "#e8eef7",
    NodeKind.OUTCOME: "#e6f2ea",
    NodeKind.IMPACT: "#fff4d6",
}
STROKES: dict[str, str] = {
    NodeKind.ACTIVITY: "#505a5f",
    NodeKind.OUTPUT: "#1d70b8",
    NodeKind.OUTCOME: "#00703c",
    NodeKind.IMPACT: "#594d00",
}
# (stroke width, dash pattern or "") per strength of evidence.
LINE_STYLES: dict[str, tuple[str, str]] = {
    EvidenceStrength.STRONG: ("3", ""),
    EvidenceStrength.MODERATE: ("1.8", ""),
    EvidenceStrength.WEAK: ("1.8", "7 4"),
    EvidenceStrength.NONE: ("1.8", "2 4"),
}
SWEEPS = 4


def column_titles() -> dict[str, str]:
    return {
        NodeKind.ACTIVITY: _("Activities"),
        NodeKind.OUTPUT: _("Outputs"),
        NodeKind.OUTCOME: _("Outcomes"),
        NodeKind.IMPACT: _("Impact"),
    }


def wrap(text: str) -> list[str]:
    """The title in lines of about WRAP_CHARS characters, at most MAX_LINES (the last one
    shortened with an ellipsis when the text is longer)."""
    lines = textwrap.wrap(" ".join(str(text).split()), WRAP_CHARS, break_long_words=True) or [""]
    if len(lines) > MAX_LINES:
        last = lines[MAX_LINES - 1]
        lines = [*lines[: MAX_LINES - 1], last[: WRAP_CHARS - 1].rstrip() + "…"]
    return lines


def order_columns(nodes: list[dict[str, Any]], links: list[dict[str, Any]]) -> list[list[str]]:
    """Step keys per column, ordered to reduce crossings (barycentre sweeps)."""
    columns: list[list[str]] = [[] for _kind in RANK]
    for node in sorted(nodes, key=lambda n: (str(n["title"]).casefold(), n["key"])):
        columns[RANK[node["kind"]]].append(node["key"])
    column_of = {key: c for c, keys in enumerate(columns) for key in keys}
    neighbours: dict[str, set[str]] = defaultdict(set)
    for link in links:
        if link["from"] in column_of and link["to"] in column_of:
            neighbours[link["from"]].add(link["to"])
            neighbours[link["to"]].add(link["from"])

    def positions() -> dict[str, float]:
        # Position within the column, scaled to 0..1 so columns of different length compare.
        return {
            key: (index + 0.5) / len(keys) for keys in columns for index, key in enumerate(keys)
        }

    def barycentre(key: str, c: int, rightwards: bool, where: dict[str, float]) -> float:
        # The mean position of the step's neighbours in the columns already placed.
        fixed = [
            where[n]
            for n in neighbours[key]
            if (column_of[n] < c if rightwards else column_of[n] > c)
        ]
        return sum(fixed) / len(fixed) if fixed else where[key]

    for sweep in range(SWEEPS):
        rightwards = sweep % 2 == 0
        for c in range(1, 4) if rightwards else range(2, -1, -1):
            where = positions()
            # sorted() is stable: ties keep their current (title) order, so the result is the
            # same every time for the same data.
            columns[c] = sorted(columns[c], key=lambda k: barycentre(k, c, rightwards, where))
    return columns


def _node_svg(node: dict[str, Any], x: float, y: float, lines: list[str], height: float) -> str:
    kind = node["kind"]
    texts = "".join(
        f'<tspan x="{x + BOX_PADDING}" dy="{LINE_HEIGHT if i else 0}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return (
        f'<g class="toc-node toc-node--{escape(kind)}" data-key="{escape(node["key"])}">'
        f"<title>{escape(node['title'])}</title>"
        f'<rect x="{x}" y="{y:.1f}" width="{BOX_WIDTH}" height="{height:.1f}" rx="4" '
        f'fill="{FILLS[kind]}" stroke="{STROKES[kind]}" stroke-width="1.5"/>'
        f'<text x="{x + BOX_PADDING}" y="{y + BOX_PADDING + 11:.1f}" font-size="12.5" '
        f'fill="#0b0c0c" font-family="{FONT}">{texts}</text></g>'
    )


def _link_svg(link: dict[str, Any], start: tuple[float, float], end: tuple[float, float]) -> str:
    (x1, y1), (x2, y2) = start, end
    bend = max((x2 - x1) / 2, 30)
    strength = link.get("evidence") or ""
    width, dash = LINE_STYLES.get(strength, LINE_STYLES[EvidenceStrength.NONE])
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    evidence = dict(EvidenceStrength.choices).get(strength, "")
    label = _("%(from)s leads to %(to)s. Evidence: %(evidence)s.") % {
        "from": link.get("from_title", link["from"]),
        "to": link.get("to_title", link["to"]),
        "evidence": evidence,
    }
    if link.get("assumption"):
        label += " " + _("Assumption: %(text)s") % {"text": link["assumption"]}
    return (
        f'<path class="toc-link toc-link--{escape(link.get("evidence") or "none")}" '
        f'd="M{x1:.1f},{y1:.1f} C{x1 + bend:.1f},{y1:.1f} {x2 - bend:.1f},{y2:.1f} '
        f'{x2 - 6:.1f},{y2:.1f}" fill="none" stroke="#383f43" stroke-width="{width}"'
        f'{dash_attr} marker-end="url(#toc-arrow)"><title>{escape(label)}</title></path>'
    )


def _legend(y: float) -> str:
    parts = [
        f'<text x="0" y="{y + 14:.1f}" font-size="12" font-weight="bold" fill="#0b0c0c" '
        f'font-family="{FONT}">{escape(_("Evidence:"))}</text>'
    ]
    x = 80
    for strength in (
        EvidenceStrength.STRONG,
        EvidenceStrength.MODERATE,
        EvidenceStrength.WEAK,
        EvidenceStrength.NONE,
    ):
        width, dash = LINE_STYLES[strength]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{x}" y1="{y + 10:.1f}" x2="{x + 40}" y2="{y + 10:.1f}" stroke="#383f43" '
            f'stroke-width="{width}"{dash_attr}/>'
            f'<text x="{x + 46}" y="{y + 14:.1f}" font-size="12" fill="#0b0c0c" '
            f'font-family="{FONT}">{escape(strength.label)}</text>'
        )
        x += 150
    return "".join(parts)


def toc_svg(nodes: list[dict[str, Any]], links: list[dict[str, Any]]) -> str:
    """An SVG string for the theory of change. `nodes`: [{key, kind, title}]; `links`:
    [{from, to, evidence, assumption}] with step keys."""
    by_key = {n["key"]: n for n in nodes}
    links = [
        {
            **link,
            "from_title": by_key[link["from"]]["title"],
            "to_title": by_key[link["to"]]["title"],
        }
        for link in links
        if link["from"] in by_key and link["to"] in by_key
    ]
    columns = order_columns(nodes, links)
    wrapped = {key: wrap(by_key[key]["title"]) for key in by_key}
    heights = {key: len(lines) * LINE_HEIGHT + 2 * BOX_PADDING for key, lines in wrapped.items()}
    column_heights = [
        sum(heights[k] for k in keys) + BOX_GAP * max(len(keys) - 1, 0) for keys in columns
    ]
    body_height = max([*column_heights, 40])
    titles = column_titles()
    boxes, anchors = [], {}
    for c, keys in enumerate(columns):
        x = COLUMN_X[c]
        y = TOP + (body_height - column_heights[c]) / 2  # centred in the column
        if not keys:
            boxes.append(
                f'<text x="{x + BOX_PADDING}" y="{TOP + body_height / 2:.1f}" font-size="12" '
                f'fill="#505a5f" font-style="italic" font-family="{FONT}">'
                f"{escape(_('None yet'))}</text>"
            )
        for key in keys:
            boxes.append(_node_svg(by_key[key], x, y, wrapped[key], heights[key]))
            anchors[key] = (x, y + heights[key] / 2)
            y += heights[key] + BOX_GAP
    paths = [
        _link_svg(
            link,
            (anchors[link["from"]][0] + BOX_WIDTH, anchors[link["from"]][1]),
            anchors[link["to"]],
        )
        for link in sorted(links, key=lambda item: (item["from"], item["to"]))
    ]
    headers = "".join(
        f'<text x="{COLUMN_X[RANK[kind]]}" y="20" font-size="14" font-weight="bold" '
        f'fill="#0b0c0c" font-family="{FONT}">{escape(label)}</text>'
        for kind, label in titles.items()
    )
    legend_y = TOP + body_height + 16
    height = legend_y + LEGEND_HEIGHT
    counts = [
        ngettext("%(n)s activity", "%(n)s activities", len(columns[0])) % {"n": len(columns[0])},
        ngettext("%(n)s output", "%(n)s outputs", len(columns[1])) % {"n": len(columns[1])},
        ngettext("%(n)s outcome", "%(n)s outcomes", len(columns[2])) % {"n": len(columns[2])},
        ngettext("%(n)s impact", "%(n)s impacts", len(columns[3])) % {"n": len(columns[3])},
        ngettext("%(n)s link", "%(n)s links", len(links)) % {"n": len(links)},
    ]
    title = escape(_("Theory of change"))
    desc = escape(
        _(
            "From activities on the left through outputs and outcomes to impact on the right: "
            "%(counts)s. Line style shows the strength of evidence for each link. The table "
            "after the diagram gives the same information."
        )
        % {"counts": ", ".join(counts)}
    )
    arrow = (
        '<defs><marker id="toc-arrow" viewBox="0 0 10 10" refX="1" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse" markerUnits="userSpaceOnUse">'
        '<path d="M0,0 L10,5 L0,10 z" fill="#383f43"/></marker></defs>'
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="toc-diagram" role="img" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" width="{WIDTH}" height="{height:.0f}" '
        f'aria-labelledby="toc-title toc-desc">'
        f'<title id="toc-title">{title}</title><desc id="toc-desc">{desc}</desc>'
        f"{arrow}{headers}{''.join(paths)}{''.join(boxes)}{_legend(legend_y)}</svg>"
    )
