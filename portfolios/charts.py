"""Server-side SVG charts. Each is drawn with presentation attributes only (our CSP allows no
inline styles), has a title and description for screen readers, writes its numbers on the
chart (colour is never the only signal), and every page shows the same data as a table."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
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


def _svg(width: int, height: int, title: str, desc: str, body: list[str], ident: str) -> SafeString:
    return mark_safe(  # noqa: S308 - every text below is escaped
        f'<svg class="lodestar-chart" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-labelledby="{ident}-title {ident}-desc" focusable="false" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="Arial, sans-serif">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(desc)}</desc>' + "".join(body) + "</svg>"
    )


def criteria_chart(heatmap_rows: list[dict[str, Any]], total: int) -> SafeString:
    """One stacked bar per criterion: how many missions meet it, partly meet it, do not meet
    it, or await review."""
    # Each criterion is named in full above its bar: a bare "C2" means nothing to a reader.
    width, left, bar_h, gap, top, label_h = 720, 0, 30, 14, 10, 22
    plot = width - left - 10
    body: list[str] = []
    y = top
    for row in heatmap_rows:
        body.append(
            f'<text x="0" y="{y + 15}" font-size="15" font-weight="bold" fill="#0b0c0c">'
            f"{escape(row['code'].upper())} {escape(str(row['name']))}</text>"
        )
        y += label_h
        x = float(left)
        for key, label, _status, count in row["cells"]:
            if not count or not total:
                continue
            w = plot * count / total
            body.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{FILL[key]}" '
                f'stroke="#ffffff" stroke-width="1"><title>{escape(row["code"].upper())} '
                f"{escape(str(row['name']))} — {escape(str(label))}: {count}</title></rect>"
            )
            if w > 26:
                body.append(
                    f'<text x="{x + w / 2:.1f}" y="{y + 20}" font-size="14" text-anchor="middle" '
                    f'fill="{INK[key]}">{count}</text>'
                )
            x += w
        y += bar_h + gap
    # Legend, in words.
    lx = left
    for key, label, _status, _count in heatmap_rows[0]["cells"] if heatmap_rows else []:
        body.append(
            f'<rect x="{lx}" y="{y + 2}" width="14" height="14" fill="{FILL[key]}" '
            f'stroke="{INK[key]}" stroke-width="1"/>'
            f'<text x="{lx + 20}" y="{y + 14}" font-size="14" fill="#0b0c0c">{escape(str(label))}</text>'
        )
        lx += 30 + 8 * len(str(label))
    height = y + 26
    return _svg(
        width,
        height,
        ngettext(
            "The five criteria across %(n)s mission",
            "The five criteria across %(n)s missions",
            total,
        )
        % {"n": total},
        _(
            "For each criterion, how many missions meet it, partly meet it, do not meet it or "
            "await review. The table below gives the same numbers."
        ),
        body,
        "criteria-chart",
    )


def facet_scatter(cells: dict[tuple[int, int], tuple[int, Decimal]]) -> SafeString:
    """Initiatives on the two facet axes: certainty across (−2 deeply uncertain … +2 well
    understood), directionality up (−2 responding … +2 fixed goal). Answers are whole numbers,
    so initiatives with the same answers share a circle whose area shows how many there are.
    The facet names sit outside the plot, on the side of the diamond each one occupies."""
    width, height = 600, 540
    x0, y0, step = 130, 80, 85  # plot from (x0, y0) to (x0 + 4 step, y0 + 4 step)

    def px(c: int) -> float:
        return x0 + (c + 2) * step

    def py(d: int) -> float:
        return y0 + (2 - d) * step

    body: list[str] = [
        # The diamond's boundaries: |d| = |c| separates the facets.
        f'<line x1="{px(-2)}" y1="{py(-2)}" x2="{px(2)}" y2="{py(2)}" stroke="#b1b4b6" '
        f'stroke-dasharray="4 4"/>',
        f'<line x1="{px(-2)}" y1="{py(2)}" x2="{px(2)}" y2="{py(-2)}" stroke="#b1b4b6" '
        f'stroke-dasharray="4 4"/>',
        f'<line x1="{px(-2)}" y1="{py(0)}" x2="{px(2)}" y2="{py(0)}" stroke="#505a5f"/>',
        f'<line x1="{px(0)}" y1="{py(-2)}" x2="{px(0)}" y2="{py(2)}" stroke="#505a5f"/>',
    ]
    for value in range(-2, 3):
        body.append(
            f'<text x="{px(value)}" y="{py(-2) + 50}" font-size="14" text-anchor="middle" '
            f'fill="#0b0c0c">{value:+d}</text>'
            f'<text x="{px(-2) - 40}" y="{py(value) + 5}" font-size="14" text-anchor="end" '
            f'fill="#0b0c0c">{value:+d}</text>'
        )
    labels = [
        (px(0), y0 - 40, "middle", _("Mission-oriented")),
        (px(0), py(-2) + 80, "middle", _("Adaptive")),
        (8, py(0) - 26, "start", _("Anticipatory")),
        (width - 8, py(0) - 8, "end", _("Enhancement-")),
        (width - 8, py(0) + 10, "end", _("oriented")),
    ]
    for x, y, anchor, text in labels:
        body.append(
            f'<text x="{x}" y="{y}" font-size="15" font-weight="bold" text-anchor="{anchor}" '
            f'fill="#0b0c0c">{escape(text)}</text>'
        )
    body.append(
        f'<text x="8" y="18" font-size="13" fill="#0b0c0c">'
        f"{escape(_('Up: how directed, from responding (−2) to a fixed goal (+2)'))}</text>"
        f'<text x="{px(0)}" y="{height - 8}" font-size="13" text-anchor="middle" fill="#0b0c0c">'
        f"{escape(_('Across: how certain, from deeply uncertain (−2) to well understood (+2)'))}"
        f"</text>"
    )
    biggest = max((n for n, _b in cells.values()), default=1) or 1
    for (d, c), (count, _budget) in sorted(cells.items()):
        r = 6 + 24 * math.sqrt(count / biggest)
        body.append(
            f'<circle cx="{px(c)}" cy="{py(d)}" r="{r:.1f}" fill="#1d70b8" fill-opacity="0.3" '
            f'stroke="#1d70b8"><title>'
            f"{escape(_('Directed %(d)+d, certain %(c)+d: %(n)s') % {'d': d, 'c': c, 'n': count})}"
            f"</title></circle>"
            f'<text x="{px(c)}" y="{py(d) + 5}" font-size="14" text-anchor="middle" '
            f'fill="#0b0c0c">{count}</text>'
        )
    return _svg(
        width,
        height,
        _("Initiatives on the two facet questions"),
        _(
            "Each circle is a pair of answers; its number says how many initiatives gave them. "
            "The table below lists the same numbers."
        ),
        body,
        "facet-scatter",
    )
