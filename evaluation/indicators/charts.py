"""Server-side SVG charts of an indicator's series: pure functions from plain data to an SVG
string, so the same picture appears on a page and in a PDF. Every text is escaped. The charts
are decorative summaries (`role="img"` with a label); the page shows the same data as a table.

    points: [(date, Decimal)]   the current measurements, oldest first
    trajectory: [(date, Decimal), (date, Decimal)] or None   baseline → target
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import escape

Point = tuple[datetime.date, Decimal]
INK = "#0b0c0c"
LINE = "#1d70b8"
TRAJECTORY = "#505a5f"
GRID = "#b1b4b6"
FONT = 'font-family="Arial, Helvetica, sans-serif"'


def _number(value: Decimal | float) -> str:
    value = Decimal(str(value))
    text = format(value.quantize(Decimal("0.01")) if abs(value) < 1000 else round(value), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _scale(
    points: Sequence[Point], trajectory: Sequence[Point] | None
) -> tuple[float, float, float, float]:
    everything = list(points) + list(trajectory or [])
    days = [p[0].toordinal() for p in everything]
    values = [float(p[1]) for p in everything]
    x0, x1 = min(days), max(days)
    y0, y1 = min(values), max(values)
    if x0 == x1:
        x0, x1 = x0 - 1, x1 + 1
    if y0 == y1:
        y0, y1 = y0 - 1, y1 + 1
    pad = (y1 - y0) * 0.08
    return x0, x1, y0 - pad, y1 + pad


def _project(
    point: Point, box: tuple[float, float, float, float], area: tuple[float, float, float, float]
) -> tuple[float, float]:
    x0, x1, y0, y1 = box
    left, top, width, height = area
    x = left + (point[0].toordinal() - x0) / (x1 - x0) * width
    y = top + height - (float(point[1]) - y0) / (y1 - y0) * height
    return x, y


# How many points the full chart draws at most (see `thin`).
CHART_POINTS = 600


def thin(points: Sequence[Point], limit: int = CHART_POINTS) -> list[Point]:
    """At most about `limit` points with the same shape: long series are cut into buckets and
    each keeps its lowest and highest value (in time order), so peaks stay visible."""
    if len(points) <= limit:
        return list(points)
    size = -(-len(points) // (limit // 2))
    kept: list[Point] = []
    for start in range(0, len(points), size):
        bucket = points[start : start + size]
        low = min(bucket, key=lambda p: p[1])
        high = max(bucket, key=lambda p: p[1])
        kept.extend(sorted({low, high}, key=lambda p: p[0]))
    if kept[-1] != points[-1]:
        kept.append(points[-1])
    return kept


def _path(points: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(points))


def _lines(
    points: Sequence[Point],
    trajectory: Sequence[Point] | None,
    box: tuple[float, float, float, float],
    area: tuple[float, float, float, float],
    *,
    width: str,
    trajectory_width: str,
    dashes: str,
) -> tuple[list[str], list[tuple[float, float]]]:
    """The dashed trajectory, then the series' line over it; and where the series' points
    fall on the drawing (for their markers)."""
    parts = []
    if trajectory:
        line = [_project(p, box, area) for p in trajectory]
        parts.append(
            f'<path d="{_path(line)}" fill="none" stroke="{TRAJECTORY}" '
            f'stroke-width="{trajectory_width}" stroke-dasharray="{dashes}"/>'
        )
    line = [_project(p, box, area) for p in points]
    if line:
        parts.append(
            f'<path d="{_path(line)}" fill="none" stroke="{LINE}" stroke-width="{width}"/>'
        )
    return parts, line


def sparkline_svg(
    points: Sequence[Point],
    trajectory: Sequence[Point] | None = None,
    *,
    label: str,
    width: int = 200,
    height: int = 48,
) -> str:
    """A small line of the series (and the dashed trajectory), with the last point marked."""
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="lodestar-sparkline" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-label="{escape(label)}"><title>{escape(label)}</title>'
    )
    if not points and not trajectory:
        return head + "</svg>"
    points = thin(points, 200)
    box = _scale(points, trajectory)
    area = (3.0, 3.0, width - 6.0, height - 6.0)
    lines, line = _lines(
        points, trajectory, box, area, width="2", trajectory_width="1", dashes="3 2"
    )
    parts = [head, *lines]
    if line:
        x, y = line[-1]
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{LINE}"/>')
    parts.append("</svg>")
    return "".join(parts)


def chart_svg(
    points: Sequence[Point],
    trajectory: Sequence[Point] | None = None,
    *,
    title: str,
    unit: str = "",
    series_label: str = "",
    trajectory_label: str = "",
    width: int = 640,
    height: int = 300,
    thinned: bool = False,
) -> str:
    """A full line chart with axes, labelled ticks, the series with its points, the dashed
    trajectory and a legend. `thinned`: the points are already `thin(...)`'s (the database
    thinned a long series, so the page does not read every value)."""
    left, top, right, bottom = 64.0, 36.0, 16.0, 48.0
    area = (left, top, width - left - right, height - top - bottom)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="lodestar-chart" role="img" '
        f'width="100%" viewBox="0 0 {width} {height}" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>"
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>'
    ]
    if not points and not trajectory:
        parts.append("</svg>")
        return "".join(parts)
    if not thinned:
        points = thin(points)
    box = _scale(points, trajectory)
    x0, x1, y0, y1 = box
    # Horizontal grid lines with value labels.
    for i in range(5):
        value = y0 + (y1 - y0) * i / 4
        _x, y = _project((datetime.date.fromordinal(int(x0)), Decimal(str(value))), box, area)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="0.5"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="{INK}" {FONT}>{escape(_number(value))}</text>'
        )
    # Year ticks on the time axis (at most about eight), at the end of each year: a value for
    # the year Y is one for the period ending 31 December Y.
    first, last = datetime.date.fromordinal(int(x0)).year, datetime.date.fromordinal(int(x1)).year
    step = max(1, (last - first + 1) // 8)
    for year in range(first - 1, last + 1, step):
        day = datetime.date(year, 12, 31)
        if not x0 <= day.toordinal() <= x1:
            continue
        x, _y = _project((day, Decimal(str(y0))), box, area)
        parts.append(
            f'<line x1="{x:.1f}" y1="{top + area[3]:.1f}" x2="{x:.1f}" y2="{top + area[3] + 4:.1f}" '
            f'stroke="{INK}"/><text x="{x:.1f}" y="{top + area[3] + 18:.1f}" font-size="11" '
            f'text-anchor="middle" fill="{INK}" {FONT}>{year}</text>'
        )
    parts.append(
        f'<line x1="{left}" y1="{top + area[3]:.1f}" x2="{width - right}" y2="{top + area[3]:.1f}" '
        f'stroke="{INK}"/><line x1="{left}" y1="{top}" x2="{left}" y2="{top + area[3]:.1f}" '
        f'stroke="{INK}"/>'
    )
    if unit:
        parts.append(
            f'<text x="{left}" y="{top - 12}" font-size="11" fill="{INK}" {FONT}>'
            f"{escape(unit)}</text>"
        )
    lines, line = _lines(
        points, trajectory, box, area, width="2.5", trajectory_width="1.5", dashes="6 4"
    )
    parts.extend(lines)
    if len(line) <= 200:
        parts.extend(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{LINE}"/>' for x, y in line)
    # Legend.
    legend_y = height - 12
    parts.append(
        f'<line x1="{left}" y1="{legend_y - 4}" x2="{left + 24}" y2="{legend_y - 4}" '
        f'stroke="{LINE}" stroke-width="2.5"/><text x="{left + 30}" y="{legend_y}" '
        f'font-size="12" fill="{INK}" {FONT}>{escape(series_label)}</text>'
    )
    if trajectory:
        parts.append(
            f'<line x1="{left + 260}" y1="{legend_y - 4}" x2="{left + 284}" y2="{legend_y - 4}" '
            f'stroke="{TRAJECTORY}" stroke-width="1.5" stroke-dasharray="6 4"/>'
            f'<text x="{left + 290}" y="{legend_y}" font-size="12" fill="{INK}" {FONT}>'
            f"{escape(trajectory_label)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
