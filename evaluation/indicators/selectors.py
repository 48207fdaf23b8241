"""Reads for the indicator pages and the target sparklines, in a constant number of queries
however many measurements there are."""

from __future__ import annotations

import datetime
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple, TypedDict, cast

from django.contrib.postgres.expressions import ArraySubquery
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Max, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import JSONObject
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from evaluation.indicators import charts, progress
from evaluation.indicators.models import Indicator, IndicatorVersion, Measurement, Quality
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


def indicator_at(
    user: User, organisation: Organisation, mission_key: str, key: str
) -> Indicator | None:
    """The indicator `key` of the mission `mission_key` in `organisation`, with its target and
    owner, its mission and the challenge the mission's layout shows, in one query; None if
    either is not there or the user may not see the mission."""
    missions = Mission.objects.visible_to(user).filter(
        organisation_id=organisation.pk, key=mission_key
    )
    # The mission as a scalar subquery (at most one: keys are unique in an organisation),
    # planned on its own. Joined in, with the mission's owner, coordinator and parent that the
    # page never shows, the planner weighed ten tables: 6 ms of planning, for 0.3 ms of work.
    return (
        Indicator.objects.filter(mission=Subquery(missions.values("pk")[:1]), key=key)
        # Only what the page shows: every table joined costs planning time.
        .select_related("target", "owner", "mission__challenge")
        .annotate(version_rows=_version_rows())
        .first()
    )


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


def _chart(
    indicator: Indicator,
    current: Sequence[CurrentValue],
    *,
    small: bool,
    thinned: bool = False,
) -> SafeString:
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
            thinned=thinned,
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
    series: Series  # its `current` holds the latest TABLE_LIMIT values only
    chart: SafeString
    current_count: int  # how many current values there are (the chart draws them all)

    @property
    def table(self) -> Sequence[CurrentValue]:
        """The current values listed beside the chart (the latest TABLE_LIMIT, oldest first)."""
        return self.series.current[-TABLE_LIMIT:]

    @property
    def table_cells(self) -> list[tuple[str, str]]:
        """`table` as its cells say it: the period's end (YYYY-MM-DD) and the value."""
        return [(m.period_end.isoformat(), fmt(m.value)) for m in self.table]

    def link_corrections(self, url_for_zero: str) -> None:
        """Give each history row its "Correct" link (`correct_url`): `url_for_zero` is the
        link reversed for the value 0, whose last "/0/" each row's own id replaces."""
        head, tail = url_for_zero.rsplit("/0/", 1)
        for record in self.history:
            record.correct_url = f"{head}/{record.pk}/{tail}"

    @property
    def table_is_partial(self) -> bool:
        return self.current_count > TABLE_LIMIT


# One read of a long series, done by the database: the points `charts.thin` keeps (in each
# bucket of consecutive values, the first lowest and the first highest) and the latest
# TABLE_LIMIT values, with how many values there are. A series of up to CHART_POINTS values
# comes back whole.
_SERIES_SQL = """
WITH numbered AS (
    SELECT period_end, value,
           row_number() OVER (ORDER BY period_end) - 1 AS i, count(*) OVER () AS n
    FROM {table} WHERE indicator_id = %(indicator)s AND is_current
), extremes AS (
    -- Arrays compare element by element: the lowest value and, among equals, the first; the
    -- highest and, among equals, the first again (its negated position is the highest).
    SELECT min(ARRAY[value, i]) AS low, max(ARRAY[value, -i]) AS high
    FROM numbered GROUP BY i / ((n + %(half)s - 1) / %(half)s)
), kept AS (
    SELECT low[2] AS i FROM extremes UNION SELECT -high[2] FROM extremes
)
SELECT period_end, value, i, n, (n <= %(chart)s OR i IN (SELECT i FROM kept)) AS drawn
FROM numbered
WHERE n <= %(chart)s OR i >= n - %(table)s OR i IN (SELECT i FROM kept)
ORDER BY i
"""


def _series_rows(indicator: Indicator) -> tuple[list[Value], list[Value], int]:
    """(the chart's points, already thinned; the table's latest values; how many values)."""
    with connection.cursor() as cursor:
        cursor.execute(
            _SERIES_SQL.format(table=connection.ops.quote_name(Measurement._meta.db_table)),
            {
                "indicator": indicator.pk,
                "half": charts.CHART_POINTS // 2,
                "chart": charts.CHART_POINTS,
                "table": TABLE_LIMIT,
            },
        )
        rows = cursor.fetchall()
    if not rows:
        return [], [], 0
    count = rows[0][3]
    drawn = [Value(period_end, value) for period_end, value, _i, _n, kept in rows if kept]
    latest = Value(rows[-1][0], rows[-1][1])
    if drawn[-1] != latest:  # as `charts.thin`: the line always reaches the latest value
        drawn.append(latest)
    table = [Value(day, value) for day, value, i, _n, _kept in rows if i >= count - TABLE_LIMIT]
    return drawn, table, count


# What the page shows of each version of the definition.
VERSION_FIELDS = ("id", "number", "definition", "unit", "data_source", "created_at")


def _version_rows() -> ArraySubquery:
    """The indicator's versions, newest first, as rows the indicator's own query brings along
    (a page's query fewer): see `_versions`."""
    versions = IndicatorVersion.objects.filter(indicator=OuterRef("pk")).order_by("-number")
    return ArraySubquery(versions.values(row=JSONObject(**{f: f for f in VERSION_FIELDS})))


def _versions(indicator: Indicator) -> list[IndicatorVersion]:
    """The indicator's versions, newest first: from the rows its query brought (`indicator_at`)
    or, found another way, read now."""
    rows = getattr(indicator, "version_rows", None)
    if rows is None:
        return list(IndicatorVersion.objects.filter(indicator=indicator).order_by("-number"))
    versions = []
    for row in rows:
        values = json.loads(row) if isinstance(row, str) else row
        values["created_at"] = parse_datetime(values["created_at"])
        versions.append(IndicatorVersion(indicator=indicator, **values))
    return versions


# How long a process keeps a series' chart points and table rows it is not asked for again.
SERIES_SECONDS = 600


def _kept_series_rows(
    indicator: Indicator, records: tuple[int, int] | None
) -> tuple[list[Value], list[Value], int]:
    """`_series_rows`, kept in the cache under the indicator's records: how many there are and
    the newest one's id. Every change to a series adds a record (a correction too: the old one
    stays, no longer current), and a deletion lowers the count, so the pair moves whenever the
    series does. Thinning 10,000 values is most of the page's time in the database."""
    if records is None:
        return [], [], 0
    key = f"indicators:series:{indicator.pk}:{records[0]}:{records[1]}"
    kept = cache.get_or_set(key, lambda: _series_rows(indicator), SERIES_SECONDS)
    return cast(tuple[list[Value], list[Value], int], kept)


def indicator_page(indicator: Indicator) -> IndicatorPage:
    versions = _versions(indicator)
    by_pk = {v.pk: v for v in versions}
    # The history table: the latest records (corrections included), newest period first, each
    # row carrying how many records there are in all and the newest one's id (each found once,
    # in the same query). The latest are picked first, so that only they are joined to who
    # entered them.
    records = Measurement.objects.filter(indicator=indicator)
    newest_first = ("-period_end", "-entered_at", "-pk")
    latest = records.order_by(*newest_first).values("pk")[:HISTORY_LIMIT]
    total = records.order_by().values("indicator").annotate(n=Count("pk")).values("n")
    rows = list(
        Measurement.objects.filter(pk__in=Subquery(latest))
        .select_related("entered_by", "entered_via")
        .annotate(
            total=Subquery(total),
            newest_id=Subquery(
                records.order_by().values("indicator").annotate(m=Max("pk")).values("m")
            ),
        )
        .order_by(*newest_first)
    )
    # The chart's points and the table's rows, not every value of a long series.
    drawn, table, current_count = _kept_series_rows(
        indicator, (rows[0].total, rows[0].newest_id) if rows else None
    )
    series = series_for(indicator, table)
    # What each row says, worked out here once rather than by template filters per row
    # (`get_quality_display` alone translates every choice on each call).
    qualities = {value: str(label) for value, label in Quality.choices}
    # The row's words with a value in them, translated once for the page (the template's
    # blocktranslate looked each up again on every row: a hundred rows, four times each).
    version_words, value_words = _("v%(n)s"), _("the value for %(date)s")
    token_words = _("pushed with the token “%(name)s”")
    history: list[Measurement] = list(rows)
    for record in history:
        record.version = by_pk[record.version_id]  # no query per row
        record.quality_words = qualities.get(record.quality, record.quality)
        record.period_text = record.period_end.isoformat()  # as |date:"Y-m-d"
        record.entered_text = timezone.localtime(record.entered_at).strftime("%Y-%m-%d %H:%M")
        record.value_text = fmt(record.value)
        record.version_text = version_words % {"n": record.version.number}
        record.correct_text = value_words % {"date": record.period_text}
        record.token_text = (
            token_words % {"name": record.entered_via.name} if record.entered_via else ""
        )
    history_total = rows[0].total if rows else 0
    return IndicatorPage(
        indicator,
        versions,
        history,
        history_total,
        series,
        _chart(indicator, drawn, small=False, thinned=True),
        current_count,
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
