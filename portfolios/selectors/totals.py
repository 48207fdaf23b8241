"""The totals above the dashboard (counts by status, budgets, the criteria heatmap, warnings),
over every mission matching the filters, and the order of the columns computed from other
tables (criteria, warnings, headline targets, budget share, last decision), which pages are cut
from (pages.py).

Both come from one query over every matching mission (`_facts`), computed once per change of
the organisation's data (`PortfolioStamp`) and filter state and cached for at most
TOTALS_SECONDS. An order is used only while the matching missions' count, newest id and last
change are unchanged (`_fingerprint`, one cheap query); like the totals, it can trail
assessment runs that finish in the background by up to a minute (a row then sits where its
previous value put it, but always shows its current value)."""

from __future__ import annotations

from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import (
    CharField,
    Count,
    DateTimeField,
    DecimalField,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Cast
from django.utils import timezone

from accounts.models import Organisation, User
from evaluation.criteria import thresholds as threshold_settings
from evaluation.criteria.engine import portfolio_status
from evaluation.criteria.rules import CRITERIA, SEVERITY_LABELS, Severity
from evaluation.models import (
    AssessmentState,
    CriterionResult,
    CriterionVerdict,
    Finding,
    FindingStatus,
)
from missions.models import Mission, MissionStatus, Target
from portfolios.models import PortfolioStamp, ReviewDecision
from portfolios.selectors.columns import EPOCH, matching_missions
from portfolios.selectors.filters import (
    COMPUTED_SORTS,
    CRITERION_CODES,
    DISPLAY,
    SEVERITIES,
    SHORT_STATUS,
    STATUS_KEYS,
    STATUS_RANK,
    TOTALS_SECONDS,
    WORKFLOW_ORDER,
    Filters,
)


@dataclass
class Totals:
    missions: int = 0
    by_status: list[tuple[str, str, int]] = field(default_factory=list)
    committed: list[tuple[str, Decimal]] = field(default_factory=list)  # (currency, sum)
    need: list[tuple[str, Decimal]] = field(default_factory=list)
    # criterion code → {status key: count}
    heatmap: dict[str, dict[str, int]] = field(default_factory=dict)
    with_warnings: dict[str, int] = field(default_factory=dict)  # severity → missions
    computed_at: datetime | None = None

    @property
    def heatmap_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "code": code,
                "name": CRITERIA[code].name,
                "cells": [
                    (key, SHORT_STATUS[key], DISPLAY[key], self.heatmap.get(code, {}).get(key, 0))
                    for key in STATUS_KEYS
                ],
            }
            for code in CRITERION_CODES
        ]

    @property
    def warning_rows(self) -> list[tuple[str, Any, int]]:
        return [(s, SEVERITY_LABELS[Severity(s)], self.with_warnings.get(s, 0)) for s in SEVERITIES]


def stamp(organisation: Organisation) -> int:
    """The organisation's data version: it changes with every mission change and decision."""
    return (
        PortfolioStamp.objects.filter(organisation=organisation)
        .values_list("version", flat=True)
        .first()
        or 0
    )


def totals(
    *, user: User, organisation: Organisation, filters: Filters, version: int | None = None
) -> Totals:
    """Counts and sums over every mission matching the filters (not just the page): by status,
    budget, the criteria heatmap and warnings. Cached per organisation data version and filter
    state, for at most TOTALS_SECONDS (assessments finishing in the background do not bump the
    version, so totals may trail them by up to a minute)."""
    version = stamp(organisation) if version is None else version
    cached = cache.get(_totals_key(organisation, version, filters))
    if cached is not None:
        return cached
    return _refresh(user=user, organisation=organisation, filters=filters, version=version)


def cached_order(
    *, user: User, organisation: Organisation, filters: Filters, version: int | None
) -> list[int] | None:
    """The ids of every matching mission, ascending by (sort value, id), for the sorts in
    COMPUTED_SORTS (None for the others, which page in SQL)."""
    if filters.sort_field not in COMPUTED_SORTS:
        return None
    version = stamp(organisation) if version is None else version
    fingerprint = _fingerprint(user=user, organisation=organisation, filters=filters)
    key = _order_key(organisation, version, filters, filters.sort_field)
    cached = cache.get(key)
    if cached is None or cached[0] != fingerprint:
        # Computing the totals stores every computed column's order too.
        _refresh(
            user=user,
            organisation=organisation,
            filters=filters,
            version=version,
            fingerprint=fingerprint,
        )
        cached = cache.get(key)
    if cached is None:  # a cache that keeps nothing
        return None
    return array("q", cached[1]).tolist()


def _totals_key(organisation: Organisation, version: int, filters: Filters) -> str:
    return f"portfolios:totals:{organisation.pk}:{version}:{filters.cache_key()}"


def _order_key(organisation: Organisation, version: int, filters: Filters, name: str) -> str:
    return f"portfolios:order:{organisation.pk}:{version}:{filters.cache_key()}:{name}"


def _fingerprint(*, user: User, organisation: Organisation, filters: Filters) -> str:
    """How many missions match, the newest id and the last change among them (one query on the
    missions table): a cached order is used only while this is unchanged, so missions added,
    removed or edited without a data-version bump still show up at once."""
    found = (
        matching_missions(user=user, organisation=organisation, filters=filters)
        .order_by()
        .aggregate(n=Count("pk"), top=Max("pk"), changed=Max("updated_at"))
    )
    return f"{found['n']}:{found['top']}:{found['changed']}"


def _refresh(
    *,
    user: User,
    organisation: Organisation,
    filters: Filters,
    version: int,
    fingerprint: str | None = None,
) -> Totals:
    """Compute the totals and the computed columns' orders, and cache both (the orders with the
    fingerprint of the missions they were computed from)."""
    if fingerprint is None:
        fingerprint = _fingerprint(user=user, organisation=organisation, filters=filters)
    result, orders = _compute(user=user, organisation=organisation, filters=filters)
    cache.set_many(
        {
            _order_key(organisation, version, filters, name): (
                fingerprint,
                array("q", ids).tobytes(),
            )
            for name, ids in orders.items()
        },
        TOTALS_SECONDS,
    )
    cache.set(_totals_key(organisation, version, filters), result, TOTALS_SECONDS)
    return result


# --- The one query -----------------------------------------------------------------------------

# Every part of `_facts` yields the same columns: (mission id, kind, key, number, when,
# committed, need, currency); what a part does not have is a typed NULL.
_NULL: dict[str, Any] = {
    "key": Cast(Value(None), CharField()),
    "number": Cast(Value(None), IntegerField()),
    "when": Cast(Value(None), DateTimeField()),
    "committed": Cast(Value(None), DecimalField()),
    "need": Cast(Value(None), DecimalField()),
    "currency": Cast(Value(None), CharField()),
}


def _part(queryset: QuerySet, kind: str, mission: str, **columns: str) -> QuerySet:
    values = {**_NULL, **columns}
    return queryset.order_by().values_list(mission, Value(kind), *values.values())


def _facts(scope: QuerySet[Mission]) -> QuerySet:
    """Everything the totals and the computed sorts read about every mission in `scope`, as one
    UNION ALL of six parts, each reading its table once (grouped where it counts): the
    definitions of rows.py's `with_row_values`, for thousands of missions at a time. Correlated
    subqueries per mission, as for a page's rows, would cost about twice as long here."""
    ids = scope.order_by().values("pk")
    newer_verdict = CriterionVerdict.objects.filter(
        mission_id=OuterRef("mission_id"), criterion=OuterRef("criterion")
    ).filter(Q(at__gt=OuterRef("at")) | Q(at=OuterRef("at"), pk__gt=OuterRef("pk")))
    parts = [
        _part(
            scope,
            "mission",
            "pk",
            key="status",
            committed="committed_budget",
            need="estimated_need",
            currency="currency",
        ),
        _part(
            CriterionResult.objects.filter(
                run_id__in=AssessmentState.objects.filter(mission_id__in=ids).values("last_run_id")
            ),
            "score",
            "run__mission_id",
            key="criterion",
            number="auto_score",
        ),
        _part(
            CriterionVerdict.objects.filter(mission_id__in=ids).filter(~Exists(newer_verdict)),
            "rating",
            "mission_id",
            key="criterion",
            number="rating",
        ),
        _part(
            Finding.objects.filter(mission_id__in=ids, status=FindingStatus.OPEN)
            .values("mission_id", "severity")
            .annotate(n=Count("pk")),
            "open",
            "mission_id",
            key="severity",
            number="n",
        ),
        _part(
            Target.objects.filter(mission_id__in=ids, is_headline=True)
            .values("mission_id")
            .annotate(n=Count("pk")),
            "headline",
            "mission_id",
            number="n",
        ),
        _part(
            ReviewDecision.objects.filter(mission_id__in=ids)
            .values("mission_id")
            .annotate(last=Max("decided_at")),
            "decision",
            "mission_id",
            when="last",
        ),
    ]
    return parts[0].union(*parts[1:], all=True).order_by()


@dataclass
class _Mission:
    status: str = ""
    committed: Decimal | None = None
    need: Decimal | None = None
    currency: str = ""
    scores: dict[str, int | None] = field(default_factory=dict)
    ratings: dict[str, int] = field(default_factory=dict)
    open: dict[str, int] = field(default_factory=dict)
    headline: int = 0
    decided: datetime | None = None


def _compute(
    *, user: User, organisation: Organisation, filters: Filters
) -> tuple[Totals, dict[str, list[int]]]:
    """The totals, and for each column in COMPUTED_SORTS the matching ids ascending by (sort
    value, id), as columns.py's `sort_expression` orders them: one query."""
    # The criterion filter would cost two correlated subqueries per mission in each of the six
    # parts: the parts read the missions matching every other filter, and the criterion is
    # checked below, on the status computed anyway (portfolio_status, which the SQL mirrors).
    wider = replace(filters, criterion="", criterion_status="")
    scope = matching_missions(user=user, organisation=organisation, filters=wider)
    by_criterion = filters.criterion if filters.criterion_status else ""
    facts: dict[int, _Mission] = defaultdict(_Mission)
    missions = []
    for pk, kind, key, number, when, committed, need, currency in _facts(scope):
        fact = facts[pk]
        if kind == "mission":
            missions.append(pk)
            fact.status, fact.committed, fact.need, fact.currency = key, committed, need, currency
        elif kind == "score":
            fact.scores[key] = number
        elif kind == "rating":
            fact.ratings[key] = number
        elif kind == "open":
            fact.open[key] = number
        elif kind == "headline":
            fact.headline = number
        else:
            fact.decided = when
    t = threshold_settings.current()
    keyed: dict[str, list[tuple[Any, int]]] = {name: [] for name in COMPUTED_SORTS}
    result = Totals(computed_at=timezone.now())
    status_counts: Counter[str] = Counter()
    committed_sums: dict[str, Decimal] = defaultdict(Decimal)
    need_sums: dict[str, Decimal] = defaultdict(Decimal)
    heatmap: dict[str, Counter[str]] = {code: Counter() for code in CRITERION_CODES}
    warned: Counter[str] = Counter()
    for pk in missions:
        fact = facts[pk]
        statuses = {
            code: portfolio_status(fact.scores.get(code), fact.ratings.get(code), t).key
            for code in CRITERION_CODES
        }
        if by_criterion and statuses[by_criterion] != filters.criterion_status:
            continue
        result.missions += 1
        status_counts[fact.status] += 1
        if fact.committed is not None:
            committed_sums[fact.currency] += fact.committed
        if fact.need is not None:
            need_sums[fact.currency] += fact.need
        high, warn, info = (fact.open.get(s, 0) for s in SEVERITIES)
        for severity, count in zip(SEVERITIES, (high, warn, info), strict=True):
            if count:
                warned[severity] += 1
        for code, key in statuses.items():
            heatmap[code][key] += 1
            keyed[code].append((STATUS_RANK[key], pk))
        keyed["warnings"].append((high * 1_000_000 + warn * 1_000 + info, pk))
        keyed["progress"].append((fact.headline, pk))
        keyed["budget"].append((_share(fact.committed, fact.need), pk))
        keyed["decision"].append((fact.decided or EPOCH, pk))
    labels = dict(MissionStatus.choices)
    result.by_status = [
        (s, str(labels[s]), status_counts[s]) for s in WORKFLOW_ORDER if status_counts[s]
    ]
    result.committed = sorted(committed_sums.items())
    result.need = sorted(need_sums.items())
    result.heatmap = {code: dict(counts) for code, counts in heatmap.items()}
    result.with_warnings = dict(warned)
    orders = {name: [pk for _value, pk in sorted(pairs)] for name, pairs in keyed.items()}
    return result, orders


def _share(committed: Decimal | None, need: Decimal | None) -> Decimal:
    """Committed budget over estimated need, -1 when either is missing (the budget sort)."""
    if committed is None or not need:
        return Decimal(-1)
    return committed / need
