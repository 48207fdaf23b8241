"""Reads for the indicator pages and the target sparklines, in a constant number of queries
however many measurements there are."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple, TypedDict

from django.db.models import Count, Prefetch, Q
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from evaluation.indicators import charts, progress
from evaluation.indicators.models import Indicator, IndicatorVersion, Measurement
from evaluation.indicators.progress import Progress, Trajectory
from missions.models import Mission, Target
from missions.selectors import part_of

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


def indicator_list(mission: Mission) -> list[Indicator]:
    return list(
        Indicator.objects.filter(mission=mission)
        .select_related("target", "owner")
        .annotate(measurement_count=Count("measurements", filter=Q(measurements__is_current=True)))
        .order_by("name", "key")
    )


def indicator_get(mission: Mission, key: str) -> Indicator:
    indicators = Indicator.objects.select_related("target", "owner", "mission")
    return part_of(indicators, mission, _("No such indicator."), key=key)


def _trajectory_points(target: Target | None) -> tuple[Trajectory | None, list]:
    trajectory = Trajectory.of(target) if target is not None else None
    if trajectory is None:
        return None, []
    return trajectory, [
        (datetime.date(trajectory.baseline_year, 12, 31), trajectory.baseline_value),
        (datetime.date(trajectory.target_year, 12, 31), trajectory.target_value),
    ]


class Value(NamedTuple):
    """One current value of a series (lighter than a model instance for long series)."""

    period_end: datetime.date
    value: Decimal


# A value a series holds: a stored measurement, or a `Value` (read the same way).
CurrentValue = Measurement | Value


@dataclass
class Series:
    """An indicator's current values, its rating and charts (plain data for templates)."""

    indicator: Indicator
    current: Sequence[CurrentValue]
    progress: Progress | None
    trajectory: Trajectory | None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def latest(self) -> CurrentValue | None:
        return self.current[-1] if self.current else None


def series_for(indicator: Indicator, current: Sequence[CurrentValue]) -> Series:
    trajectory, _points = _trajectory_points(indicator.target)
    latest = current[-1] if current else None
    rated = progress.rate(
        trajectory,
        latest.period_end if latest else None,
        latest.value if latest else None,
    )
    return Series(indicator, current, rated, trajectory)


def _chart(indicator: Indicator, current: Sequence[CurrentValue], *, small: bool) -> SafeString:
    _trajectory, trajectory_points = _trajectory_points(indicator.target)
    points: list = [(m.period_end, m.value) for m in current]
    if small:
        trajectory, _points = _trajectory_points(indicator.target)
        if trajectory is not None and points:
            # Only the stretch of the trajectory the values cover, so the line stays readable.
            first, last = points[0][0], points[-1][0]
            trajectory_points = [
                (day, trajectory.expected(progress.year_fraction(day))) for day in (first, last)
            ]
        svg = charts.sparkline_svg(
            points,
            trajectory_points or None,
            label=_("%(name)s: trend of the recorded values") % {"name": indicator.name},
        )
    else:
        svg = charts.chart_svg(
            points,
            trajectory_points or None,
            title=_("%(name)s over time") % {"name": indicator.name},
            unit=indicator.unit,
            series_label=_("Recorded values"),
            trajectory_label=_("Trajectory to the target"),
        )
    return mark_safe(svg)  # noqa: S308 - charts escape every text they draw


# Long series: the page lists the latest values; the CSV download has them all.
TABLE_LIMIT = 120
HISTORY_LIMIT = 100


@dataclass
class IndicatorPage:
    indicator: Indicator
    versions: list[IndicatorVersion]
    history: list[Measurement]  # the latest records, newest period first, corrections after
    history_total: int
    series: Series
    chart: SafeString

    @property
    def table(self) -> Sequence[CurrentValue]:
        """The current values listed beside the chart (the latest TABLE_LIMIT, oldest first)."""
        return self.series.current[-TABLE_LIMIT:]

    @property
    def table_is_partial(self) -> bool:
        return len(self.series.current) > TABLE_LIMIT


def indicator_page(indicator: Indicator) -> IndicatorPage:
    versions = list(
        IndicatorVersion.objects.filter(indicator=indicator)
        .select_related("created_by")
        .order_by("-number")
    )
    by_pk = {v.pk: v for v in versions}
    records = Measurement.objects.filter(indicator=indicator)
    # The series for the chart: current values only, and only the columns it draws.
    current = [
        Value(period_end, value)
        for period_end, value in records.filter(is_current=True)
        .order_by("period_end")
        .values_list("period_end", "value")
    ]
    series = series_for(indicator, current)
    # The history table: the latest records (corrections included), newest period first.
    history = list(
        records.select_related("entered_by", "entered_via").order_by(
            "-period_end", "-entered_at", "-pk"
        )[:HISTORY_LIMIT]
    )
    for record in history:
        record.version = by_pk[record.version_id]  # no query per row
    history_total = records.count()
    return IndicatorPage(
        indicator,
        versions,
        history,
        history_total,
        series,
        _chart(indicator, current, small=False),
    )


class _CurrentMeasurements(TypedDict):
    current_measurements: list[Measurement]  # the prefetch's `to_attr`


def _mission_indicators(
    mission: Mission,
) -> dict[int, WithAnnotations[Indicator, _CurrentMeasurements]]:
    """The mission's target-linked indicators with their current values, by target id: read
    once per mission object (two queries), however many target cards the page shows."""
    # Kept in the mission object's own attributes: missions knows nothing of indicators.
    cached = vars(mission).get("_target_indicators")
    if cached is None:
        indicators = (
            Indicator.objects.filter(mission=mission, target__isnull=False)
            .select_related("target")
            .prefetch_related(
                Prefetch(
                    "measurements",
                    queryset=Measurement.objects.filter(is_current=True).order_by("period_end"),
                    to_attr="current_measurements",
                )
            )
        )
        cached = {
            indicator.target_id: indicator
            for indicator in indicators
            if indicator.target_id is not None  # always, by the filter
        }
        vars(mission)["_target_indicators"] = cached
    return cached


def target_panel(target: Target) -> dict[str, Any]:
    """The sparkline and rating of a target's indicator, for the targets page."""
    indicator = _mission_indicators(target.mission).get(target.pk)
    if indicator is None:
        return {"target": target, "indicator": None}
    current = indicator.current_measurements
    series = series_for(indicator, current)
    return {
        "target": target,
        "indicator": indicator,
        "series": series,
        "recent": list(reversed(current[-5:])),
        "sparkline": _chart(indicator, current, small=True),
    }


def fmt(value: Decimal | None) -> str:
    if value is None:
        return "—"
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def overdue_header(mission: Mission) -> dict[str, Any]:
    """The mission's overdue indicators, for the panel at the top of its pages (one query); the
    panel shows each person only the ones they own."""
    return {
        "overdue_indicators": list(
            Indicator.objects.filter(mission=mission, overdue_since__isnull=False)
            .only("pk", "key", "name", "owner_id", "overdue_since", "mission_id")
            .order_by("overdue_since", "name")
        )
    }
