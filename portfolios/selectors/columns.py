"""The dashboard's filters and sort values as SQL expressions, for any number of missions at
once: the missions matching the filters, and the value each column sorts (and keyset-pages) by.
What the rows show is read by rows.py, and the totals and computed orders by totals.py, with
the same definitions (a criterion's result, open warnings, headline targets, last decision)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, NullIf

from accounts.models import Organisation, User
from evaluation.criteria import thresholds as threshold_settings
from evaluation.models import CriterionResult, CriterionVerdict, Finding, FindingStatus
from missions.models import Mission, MissionStatus, Target
from portfolios.models import Initiative, ReviewDecision
from portfolios.selectors.filters import (
    CRITERION_CODES,
    SEVERITIES,
    STATUS_RANK,
    WORKFLOW_ORDER,
    Filters,
)
from portfolios.selectors.scope import missions_in_scope

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # sorts missions never decided on first


def _score(code: str) -> Subquery:
    return Subquery(
        CriterionResult.objects.filter(
            run_id=OuterRef("assessment_state__last_run_id"), criterion=code
        ).values("auto_score")[:1],
        output_field=IntegerField(),
    )


def _rating(code: str) -> Subquery:
    return Subquery(
        CriterionVerdict.objects.filter(mission_id=OuterRef("pk"), criterion=code)
        .order_by("-at", "-pk")
        .values("rating")[:1],
        output_field=IntegerField(),
    )


def _status_rank(code: str) -> Case:
    """The portfolio status (evaluation.criteria.engine.portfolio_status) in SQL, as its rank
    in STATUS_KEYS, for filtering and sorting on a criterion."""
    t = threshold_settings.current()
    score, rating = f"{code}_score", f"{code}_rating"
    unrated = Q(**{f"{rating}__isnull": True})
    return Case(
        When(unrated & Q(**{f"{score}__isnull": True}), then=Value(STATUS_RANK["awaiting_review"])),
        When(
            unrated & Q(**{f"{score}__gte": t["score_meets"]}),
            then=Value(STATUS_RANK["auto_meets"]),
        ),
        When(
            unrated & Q(**{f"{score}__lt": t["score_fails"]}),
            then=Value(STATUS_RANK["auto_fails"]),
        ),
        When(unrated, then=Value(STATUS_RANK["auto_partly"])),
        When(Q(**{f"{rating}__lte": t["rating_red_max"]}), then=Value(STATUS_RANK["red"])),
        When(Q(**{f"{rating}__gte": t["rating_green_min"]}), then=Value(STATUS_RANK["green"])),
        default=Value(STATUS_RANK["amber"]),
        output_field=IntegerField(),
    )


def _count(queryset: QuerySet) -> Coalesce:
    return Coalesce(
        Subquery(
            queryset.order_by().values("mission_id").annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def _open_findings(severity: str) -> Coalesce:
    return _count(
        Finding.objects.filter(
            mission_id=OuterRef("pk"), status=FindingStatus.OPEN, severity=severity
        )
    )


def _headline_targets() -> Coalesce:
    return _count(Target.objects.filter(mission_id=OuterRef("pk"), is_headline=True))


def _latest_decision(field_name: str, output: Any) -> Subquery:
    return Subquery(
        ReviewDecision.objects.filter(mission_id=OuterRef("pk"))
        .order_by("-decided_at", "-pk")
        .values(field_name)[:1],
        output_field=output,
    )


def sort_expression(sort_field: str) -> Any:
    """A non-null SQL value to order (and keyset-page) by, for each sortable column."""
    if sort_field == "title":
        return F("title")
    if sort_field == "status":
        return Case(
            *[When(status=s, then=Value(i)) for i, s in enumerate(WORKFLOW_ORDER)],
            default=Value(99),
            output_field=IntegerField(),
        )
    if sort_field == "owner":
        return Coalesce(F("owner__name"), Value(""), output_field=CharField())
    if sort_field in CRITERION_CODES:
        return _status_rank(sort_field)
    if sort_field == "warnings":
        return ExpressionWrapper(
            F("open_high") * 1_000_000 + F("open_warn") * 1_000 + F("open_info"),
            output_field=IntegerField(),
        )
    if sort_field == "progress":
        return F("headline_targets")
    if sort_field == "budget":
        return Coalesce(
            Cast(F("committed_budget"), DecimalField(max_digits=20, decimal_places=6))
            / NullIf(F("estimated_need"), Value(Decimal(0))),
            Value(Decimal(-1)),
            output_field=DecimalField(max_digits=20, decimal_places=6),
        )
    if sort_field == "decision":
        return Coalesce(
            F("decision_at"),
            Value(EPOCH, output_field=DateTimeField()),
            output_field=DateTimeField(),
        )
    raise ValueError(sort_field)


def matching_missions(
    *, user: User, organisation: Organisation, filters: Filters
) -> QuerySet[Mission]:
    """The dashboard's missions after every filter, without the row annotations."""
    missions = missions_in_scope(user=user, organisation=organisation, portfolio=filters.portfolio)
    if filters.status:
        missions = missions.filter(status=filters.status)
    elif not filters.drafts:
        missions = missions.exclude(status=MissionStatus.DRAFT)
    if filters.domain:
        missions = missions.filter(policy_domain=filters.domain)
    if filters.owner:
        missions = missions.filter(owner__key=filters.owner)
    if filters.warning:
        missions = missions.filter(
            Exists(
                Finding.objects.filter(
                    mission_id=OuterRef("pk"), code=filters.warning, status=FindingStatus.OPEN
                )
            )
        )
    if filters.facet:
        missions = missions.filter(
            Exists(
                Initiative.objects.filter(project__mission_id=OuterRef("pk")).filter(
                    Q(facet_override=filters.facet) | Q(facet_override="", facet_auto=filters.facet)
                )
            )
        )
    if filters.q:
        missions = missions.filter(search_document__document__matches=filters.q)
    if filters.criterion and filters.criterion_status:
        code = filters.criterion
        missions = (
            missions.alias(**{f"{code}_score": _score(code), f"{code}_rating": _rating(code)})
            .alias(_crit=_status_rank(code))
            .filter(_crit=STATUS_RANK[filters.criterion_status])
        )
    return missions


def _sort_inputs(missions: QuerySet[Mission], sort_field: str) -> QuerySet[Mission]:
    """Only the annotations the sort value needs (the page's ids are chosen before the rows'
    other annotations are computed, for those rows alone)."""
    if sort_field in CRITERION_CODES:
        return missions.alias(
            **{
                f"{sort_field}_score": _score(sort_field),
                f"{sort_field}_rating": _rating(sort_field),
            }
        )
    if sort_field == "warnings":
        return missions.alias(**{f"open_{s}": _open_findings(s) for s in SEVERITIES})
    if sort_field == "progress":
        return missions.alias(headline_targets=_headline_targets())
    if sort_field == "decision":
        return missions.alias(decision_at=_latest_decision("decided_at", DateTimeField()))
    return missions


def sorted_missions(*, user: User, organisation: Organisation, filters: Filters) -> QuerySet:
    """The filtered missions with `_sort`, the value the dashboard orders and pages by."""
    missions = matching_missions(user=user, organisation=organisation, filters=filters)
    return _sort_inputs(missions, filters.sort_field).annotate(
        _sort=sort_expression(filters.sort_field)
    )
