"""Server-side SVG charts: the geometry is computed here (positions, sizes and the words of
each mark, as ready strings) and drawn by the templates portfolios/_criteria_chart.html and
portfolios/_facet_scatter.html. Each chart is drawn with presentation attributes only (our CSP
allows no inline styles), has a title and description for screen readers, writes its numbers on
the chart (colour is never the only signal), and every page shows the same data as a table."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# GOV.UK tag colours, darkened where text sits on them.
FILL = {
    "green": "#cce2d8",
    "amber": "#fff7bf",
    "red": "#f4cdc6",
    "awaiting_review": "#e5e6e7",
    # The automatic result before a reviewer rates: paler tints of the same hues.
    "auto_meets": "#e8f3ee",
    "auto_partly": "#fffbe0",
    "auto_fails": "#fae8e4",
}
INK = {
    "green": "#005a30",
    "amber": "#594d00",
    "red": "#942514",
    "awaiting_review": "#383f43",
    "auto_meets": "#005a30",
    "auto_partly": "#594d00",
    "auto_fails": "#942514",
}


@dataclass
class Chart:
    """An SVG chart: its size, its accessible name and description, and its marks (ready
    strings, or lists of dicts of them, that the chart's template puts in place)."""

    ident: str
    width: int
    height: int
    title: str
    desc: str
    marks: dict[str, Any] = field(default_factory=dict)


def criteria_chart(heatmap_rows: list[dict[str, Any]], total: int) -> Chart:
    """One stacked bar per criterion: how many missions meet it, partly meet it, do not meet
    it, or await review."""
    # Each criterion is named in full above its bar: a bare "C2" means nothing to a reader.
    width, left, bar_h, gap, top, label_h = 720, 0, 30, 14, 10, 22
    plot = width - left - 10
    bars: list[dict[str, Any]] = []
    y = top
    for row in heatmap_rows:
        name = f"{row['code'].upper()} {row['name']}"
        bar: dict[str, Any] = {"label": name, "label_y": str(y + 15), "parts": []}
        y += label_h
        bar["y"], bar["count_y"] = str(y), str(y + 20)
        x = float(left)
        for key, label, _status, count in row["cells"]:
            if not count or not total:
                continue
            w = plot * count / total
            bar["parts"].append(
                {
                    "x": f"{x:.1f}",
                    "width": f"{w:.1f}",
                    "fill": FILL[key],
                    "ink": INK[key],
                    "title": f"{name} — {label}: {count}",
                    "count": str(count),
                    "count_x": f"{x + w / 2:.1f}" if w > 26 else "",  # room for the number
                }
            )
            x += w
        bars.append(bar)
        y += bar_h + gap
    # Legend, in words.
    legend = []
    lx = left
    for key, label, _status, _count in heatmap_rows[0]["cells"] if heatmap_rows else []:
        legend.append(
            {
                "x": str(lx),
                "text_x": str(lx + 20),
                "fill": FILL[key],
                "ink": INK[key],
                "label": label,
            }
        )
        lx += 30 + 8 * len(str(label))
    return Chart(
        ident="criteria-chart",
        width=width,
        height=y + 26,
        title=ngettext(
            "The five criteria across %(n)s mission",
            "The five criteria across %(n)s missions",
            total,
        )
        % {"n": total},
        desc=_(
            "For each criterion, how many missions meet it, partly meet it, do not meet it or "
            "await review. The table below gives the same numbers."
        ),
        marks={
            "bars": bars,
            "legend": legend,
            "legend_box_y": str(y + 2),
            "legend_text_y": str(y + 14),
        },
    )


def facet_scatter(cells: dict[tuple[int, int], tuple[int, Decimal]]) -> Chart:
    """Initiatives on the two facet axes: certainty across (−2 deeply uncertain … +2 well
    understood), directionality up (−2 responding … +2 fixed goal). Answers are whole numbers,
    so initiatives with the same answers share a circle whose area shows how many there are.
    The facet names sit outside the plot, on the side of the diamond each one occupies."""
    width, height = 600, 540
    x0, y0, step = 130, 80, 85  # plot from (x0, y0) to (x0 + 4 step, y0 + 4 step)

    def px(c: int) -> int:
        return x0 + (c + 2) * step

    def py(d: int) -> int:
        return y0 + (2 - d) * step

    def line(x1: int, y1: int, x2: int, y2: int) -> dict[str, str]:
        return {"x1": str(x1), "y1": str(y1), "x2": str(x2), "y2": str(y2)}

    biggest = max((n for n, _b in cells.values()), default=1) or 1
    return Chart(
        ident="facet-scatter",
        width=width,
        height=height,
        title=_("Initiatives on the two facet questions"),
        desc=_(
            "Each circle is a pair of answers; its number says how many initiatives gave them. "
            "The table below lists the same numbers."
        ),
        marks={
            # The diamond's boundaries: |d| = |c| separates the facets.
            "diagonals": [line(px(-2), py(-2), px(2), py(2)), line(px(-2), py(2), px(2), py(-2))],
            "axes": [line(px(-2), py(0), px(2), py(0)), line(px(0), py(-2), px(0), py(2))],
            "ticks": [
                {
                    "value": f"{value:+d}",
                    "across_x": str(px(value)),
                    "across_y": str(py(-2) + 50),
                    "up_x": str(px(-2) - 40),
                    "up_y": str(py(value) + 5),
                }
                for value in range(-2, 3)
            ],
            "facets": [
                {"x": str(x), "y": str(y), "anchor": anchor, "text": text}
                for x, y, anchor, text in [
                    (px(0), y0 - 40, "middle", _("Mission-oriented")),
                    (px(0), py(-2) + 80, "middle", _("Adaptive")),
                    (8, py(0) - 26, "start", _("Anticipatory")),
                    (width - 8, py(0) - 8, "end", _("Enhancement-")),
                    (width - 8, py(0) + 10, "end", _("oriented")),
                ]
            ],
            "up": _("Up: how directed, from responding (−2) to a fixed goal (+2)"),
            "across": _("Across: how certain, from deeply uncertain (−2) to well understood (+2)"),
            "across_x": str(px(0)),
            "across_y": str(height - 8),
            "circles": [
                {
                    "x": str(px(c)),
                    "y": str(py(d)),
                    "r": f"{6 + 24 * math.sqrt(count / biggest):.1f}",
                    "count": str(count),
                    "count_y": str(py(d) + 5),
                    "title": _("Directed %(d)+d, certain %(c)+d: %(n)s")
                    % {"d": d, "c": c, "n": count},
                }
                for (d, c), (count, _budget) in sorted(cells.items())
            ],
        },
    )
