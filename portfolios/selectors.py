"""Reads for portfolio review. Every query starts from `visible_to(user)` and works on sets of
missions at once (subqueries and aggregates), never one selector call per row, so a page costs
the same number of queries for 50 missions or 10,000.

The dashboard pages through missions by keyset (the sort value and id of the row before), so
page 200 costs what page 1 costs; totals and counts above the table are computed once per
change of the organisation's data and cached (see `PortfolioStamp`), for at most a minute.

Performance notes (10,000 missions): sorting by title, status or owner picks the page's ids
on the missions table (index missions_org_title_id_idx for the default order). Sorting on a
column computed from other tables (a criterion, warnings, headline targets, budget share, last
decision) does not compute that value for every mission on every request: the totals query,
which reads every matching mission anyway (one grouped query, `_totals_sql`), also records
each such column's order, cached with the totals, and pages are cut from it. That order is
used only while the matching missions' count, newest id and last change are unchanged (one
cheap query), and the data version bumps on every mission change and decision; like the
totals, it can trail assessment runs that finish in the background by up to a minute (a row
then sits where its previous value put it, but always shows its current value). The 50 rows
of a page are annotated in one query (`_PAGE_SUMMARY`) and rendered to HTML in Python
(`_row_html`).
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    Case,
    CharField,
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
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from config.inputs import whole_number
from evaluation.criteria import thresholds as threshold_settings
from evaluation.criteria.engine import (
    AMBER,
    AUTO_FAILS,
    AUTO_MEETS,
    AUTO_PARTLY,
    AWAITING_REVIEW,
    GREEN,
    RED,
    DisplayStatus,
    portfolio_status,
)
from evaluation.criteria.rules import CRITERIA, SEVERITY_LABELS, Severity, warning_rules
from evaluation.models import CriterionResult, CriterionVerdict, Finding, FindingStatus
from missions.models import Actor, Mission, MissionProject, MissionStatus, PolicyDomain, Target
from missions.workflow import TRANSITIONS, Need
from portfolios.facets import Facet, balance_prompts
from portfolios.models import (
    DECISION_PAST,
    Initiative,
    Portfolio,
    PortfolioStamp,
    ReviewDecision,
)

PAGE_SIZE = 50
TOTALS_SECONDS = 60
CRITERION_CODES = list(CRITERIA)
# Worst first, as sorted. Until a reviewer rates a criterion, the portfolio shows the automatic
# result marked as automatic (engine.portfolio_status); "awaiting review" only when nothing could
# be judged.
STATUS_KEYS = [
    "red",
    "amber",
    "auto_fails",
    "auto_partly",
    "awaiting_review",
    "auto_meets",
    "green",
]
STATUS_RANK = {key: rank for rank, key in enumerate(STATUS_KEYS)}
DISPLAY = {
    "red": RED,
    "amber": AMBER,
    "auto_fails": AUTO_FAILS,
    "auto_partly": AUTO_PARTLY,
    "awaiting_review": AWAITING_REVIEW,
    "auto_meets": AUTO_MEETS,
    "green": GREEN,
}
SHORT_STATUS = {
    "green": _("Meets"),
    "amber": _("Partly"),
    "red": _("Does not meet"),
    "auto_meets": _("Automatic: met"),
    "auto_partly": _("Automatic: partly"),
    "auto_fails": _("Automatic: not met"),
    "awaiting_review": _("Awaiting review"),
}
WORKFLOW_ORDER = [s.value for s in MissionStatus]
SEVERITIES = ["high", "warn", "info"]


# --- Scope -----------------------------------------------------------------------------------


def portfolios_of(*, user: User, organisation: Organisation) -> QuerySet[Portfolio]:
    return Portfolio.objects.visible_to(user).filter(organisation=organisation).order_by("name")


def portfolio_for(*, user: User, organisation: Organisation, slug: str) -> Portfolio:
    return get_object_or_404(portfolios_of(user=user, organisation=organisation), slug=slug)


def missions_in_scope(
    *, user: User, organisation: Organisation, portfolio: Portfolio | None = None
) -> QuerySet[Mission]:
    """The organisation's missions that are not archived, or those of one portfolio."""
    missions = Mission.objects.visible_to(user).filter(
        organisation=organisation, archived_at__isnull=True
    )
    if portfolio is not None:
        missions = missions.filter(portfolios=portfolio)
    return missions


# --- Filters -----------------------------------------------------------------------------------


SORTS = [
    "title",
    "status",
    "owner",
    *CRITERION_CODES,
    "warnings",
    "progress",
    "budget",
    "decision",
]


@dataclass
class Filters:
    """The dashboard's state, all of it in the query string so a view can be bookmarked."""

    portfolio: Portfolio | None = None
    q: str = ""
    status: str = ""
    criterion: str = ""
    criterion_status: str = ""
    warning: str = ""
    domain: str = ""
    facet: str = ""
    owner: str = ""  # actor key
    drafts: bool = False
    sort: str = "title"
    after: int | None = None
    before: int | None = None

    @property
    def sort_field(self) -> str:
        return self.sort.removeprefix("-")

    @property
    def descending(self) -> bool:
        return self.sort.startswith("-")

    @property
    def is_filtered(self) -> bool:
        return bool(
            self.q
            or self.status
            or (self.criterion and self.criterion_status)
            or self.warning
            or self.domain
            or self.facet
            or self.owner
        )

    def query(self, **changes: Any) -> dict[str, str]:
        """The query-string parameters of this state (without the page cursor), with changes."""
        values = {
            "portfolio": self.portfolio.slug if self.portfolio else "",
            "q": self.q,
            "status": self.status,
            "criterion": self.criterion,
            "criterion_status": self.criterion_status,
            "warning": self.warning,
            "domain": self.domain,
            "facet": self.facet,
            "owner": self.owner,
            "drafts": "1" if self.drafts else "",
            "sort": "" if self.sort == "title" else self.sort,
        }
        values.update(changes)
        return {k: v for k, v in values.items() if v}

    def cache_key(self) -> str:
        parts = sorted(self.query(sort="").items())
        return hashlib.sha256(repr(parts).encode()).hexdigest()[:24]


def parse_filters(
    params: Any, *, user: User, organisation: Organisation, portfolio: Portfolio | None = None
) -> Filters:
    """Read the dashboard's query string; anything unknown is ignored, never an error."""

    def pick(name: str, allowed: list[str] | set[str]) -> str:
        value = params.get(name, "")
        return value if value in allowed else ""

    def number(name: str) -> int | None:
        return whole_number(params.get(name))

    if portfolio is None and params.get("portfolio"):
        portfolio = (
            portfolios_of(user=user, organisation=organisation)
            .filter(slug=params["portfolio"])
            .first()
        )
    sort = params.get("sort", "") or "title"
    if sort.removeprefix("-") not in SORTS:
        sort = "title"
    return Filters(
        portfolio=portfolio,
        q=" ".join(params.get("q", "").split())[:200],
        status=pick("status", MissionStatus.values),
        criterion=pick("criterion", CRITERION_CODES),
        criterion_status=pick("criterion_status", STATUS_KEYS),
        warning=pick("warning", {rule.code for rule in warning_rules()}),
        domain=pick("domain", PolicyDomain.values),
        facet=pick("facet", Facet.values),
        owner=params.get("owner", "")[:80],
        drafts=params.get("drafts") == "1",
        sort=sort,
        after=number("after"),
        before=number("before"),
    )


# --- Set-based annotations ---------------------------------------------------------------------


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
    from django.db.models import Count

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


def _latest_decision(field_name: str, output: Any) -> Subquery:
    return Subquery(
        ReviewDecision.objects.filter(mission_id=OuterRef("pk"))
        .order_by("-decided_at", "-pk")
        .values(field_name)[:1],
        output_field=output,
    )


def _annotate_rows(missions: QuerySet[Mission]) -> QuerySet[Mission]:
    """What each dashboard row shows, for any number of missions in one query."""
    annotations: dict[str, Any] = {}
    for code in CRITERION_CODES:
        annotations[f"{code}_score"] = _score(code)
        annotations[f"{code}_rating"] = _rating(code)
    for severity in SEVERITIES:
        annotations[f"open_{severity}"] = _open_findings(severity)
    annotations["headline_targets"] = _count(
        Target.objects.filter(mission_id=OuterRef("pk"), is_headline=True)
    )
    annotations["decision_kind"] = _latest_decision("decision", CharField())
    annotations["decision_at"] = _latest_decision("decided_at", DateTimeField())
    annotations["reviewed_at"] = Subquery(
        CriterionVerdict.objects.filter(mission_id=OuterRef("pk")).order_by("-at").values("at")[:1],
        output_field=DateTimeField(),
    )
    return missions.select_related("challenge", "owner").annotate(**annotations)


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # sorts missions never decided on first


def _sort_expression(sort_field: str) -> Any:
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


def _filtered(*, user: User, organisation: Organisation, filters: Filters) -> QuerySet[Mission]:
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
        return missions.alias(
            headline_targets=_count(
                Target.objects.filter(mission_id=OuterRef("pk"), is_headline=True)
            )
        )
    if sort_field == "decision":
        return missions.alias(decision_at=_latest_decision("decided_at", DateTimeField()))
    return missions


def sorted_missions(*, user: User, organisation: Organisation, filters: Filters) -> QuerySet:
    """The filtered missions with `_sort`, the value the dashboard orders and pages by."""
    missions = _filtered(user=user, organisation=organisation, filters=filters)
    return _sort_inputs(missions, filters.sort_field).annotate(
        _sort=_sort_expression(filters.sort_field)
    )


# --- Rows --------------------------------------------------------------------------------------


@dataclass
class Row:
    """One dashboard row in words."""

    mission: Mission
    criteria: list[tuple[str, Any, DisplayStatus]]
    warnings: dict[str, int]

    @property
    def warning_total(self) -> int:
        return sum(self.warnings.values())

    @property
    def budget_share(self) -> int | None:
        committed, need = self.mission.committed_budget, self.mission.estimated_need
        if committed is None or not need:
            return None
        return round(committed / need * 100)

    @property
    def decision_label(self) -> str:
        kind = getattr(self.mission, "decision_kind", None)
        return str(DECISION_PAST.get(kind, "")) if kind else ""


@dataclass
class RowView:
    """A row's cells as ready-made text, so the 50-row table renders quickly (the template
    engine costs far more per tag than Python does per string)."""

    row: Row
    url: str
    decide_url: str
    status_label: str
    status_class: str
    warning_tags: list[tuple[str, str]]
    headline_text: str
    budget_text: str
    share_text: str
    decision_text: str
    decision_date: str
    reviewed_text: str
    cells: list[tuple[str, str, str]]  # each criterion as (code, status key, short words)
    html: str  # the whole <tr>, escaped (see `_row_html`)


def _row_html(v: RowView, words: dict[str, str]) -> str:
    """A dashboard row as HTML. Built with str.format and html.escape (what Django's `escape`
    does) rather than in the template or with format_html: 50 rows of some 40 values each were
    most of the page's rendering time, and every lazy translation resolved per row costs too."""
    from html import escape

    m = v.row.mission
    title = escape(m.title)
    heat = "".join(
        f'<td class="govuk-table__cell lodestar-heat lodestar-heat--{escape(key)}">'
        f'<span class="govuk-visually-hidden">{escape(code)}: </span>{escape(short)}</td>'
        for code, key, short in v.cells
    )
    warnings = (
        "".join(
            f'<strong class="govuk-tag {escape(css)}">{escape(text)}</strong> '
            for css, text in v.warning_tags
        )
        if v.warning_tags
        else words["none_open"]
    )
    decision = escape(v.decision_text or words["none_yet"])
    if v.decision_date:
        decision += f'<br><span class="govuk-body-s">{escape(v.decision_date)}</span>'
    if v.reviewed_text:
        decision += f'<br><span class="govuk-body-s">{escape(v.reviewed_text)}</span>'
    owner = (m.owner.name if m.owner_id else "") or "—"
    challenge = m.challenge.title if m.challenge_id else ""
    return (
        '\n      <tr class="govuk-table__row">\n'
        '        <td class="govuk-table__cell"><div class="govuk-checkboxes govuk-checkboxes--small">'
        '<div class="govuk-checkboxes__item"><input class="govuk-checkboxes__input"'
        f' type="checkbox" name="mission" value="{escape(m.key)}" id="pick-{m.pk}"'
        f' form="compare-form"><label class="govuk-label govuk-checkboxes__label"'
        f' for="pick-{m.pk}"><span class="govuk-visually-hidden">{words["compare"]} {title}'
        "</span></label></div></div></td>\n"
        f'        <td class="govuk-table__cell"><a class="govuk-link" href="{escape(v.url)}">'
        f'{title}</a><br><span class="govuk-body-s">{escape(challenge)}</span></td>\n'
        f'        <td class="govuk-table__cell"><strong class="govuk-tag'
        f' {escape(v.status_class)}">{escape(v.status_label)}</strong></td>\n'
        f'        <td class="govuk-table__cell">{escape(owner)}</td>\n'
        f"        {heat}\n"
        f'        <td class="govuk-table__cell">{warnings}</td>\n'
        f'        <td class="govuk-table__cell">{words["no_data"]}<br>'
        f'<span class="govuk-body-s">{escape(v.headline_text)}</span></td>\n'
        f'        <td class="govuk-table__cell">{escape(v.budget_text)}<br>'
        f'<span class="govuk-body-s">{escape(v.share_text)}</span></td>\n'
        f'        <td class="govuk-table__cell">{decision}<br><a class="govuk-link govuk-body-s"'
        f' href="{escape(v.decide_url)}">{words["decide"]}'
        f'<span class="govuk-visually-hidden"> {title}</span></a></td>\n'
        "      </tr>\n      "
    )


def row_views(rows: list[Row], organisation: Organisation) -> list[RowView]:
    from html import escape

    from django.urls import reverse
    from django.utils import formats, timezone
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext, ngettext

    from missions.templatetags.missions_tags import STATUS_COLOURS, money

    base = reverse("missions:overview", args=[organisation.slug, "KEY"])
    decide = reverse("portfolios:decide", args=[organisation.slug, "KEY"])
    # Translated once per page, not once per row or cell.
    labels = {value: str(label) for value, label in MissionStatus.choices}
    short = {key: str(words) for key, words in SHORT_STATUS.items()}
    words = {
        name: escape(gettext(text))
        for name, text in (
            ("compare", "Compare"),
            ("none_open", "None open"),
            ("no_data", "No data yet"),
            ("none_yet", "None yet"),
            ("decide", "Decide"),
        )
    }
    words["none_yet"] = gettext("None yet")  # escaped where it is used
    need_words = gettext("need not estimated")
    share_words = gettext("%(share)s%% of %(need)s")
    reviewed_words = gettext("Criteria reviewed %(when)s")
    severities = (
        ("high", "govuk-tag--red", "%(n)s high", "%(n)s high"),
        ("warn", "govuk-tag--orange", "%(n)s warning", "%(n)s warnings"),
        ("info", "govuk-tag--blue", "%(n)s note", "%(n)s notes"),
    )

    days: dict[Any, str] = {}
    counted: dict[tuple[str, int], str] = {}

    def day(value: Any) -> str:
        if not value:
            return ""
        date = timezone.localtime(value).date()
        if date not in days:  # most rows share a few dates; formatting one costs translations
            days[date] = formats.date_format(date, "j F Y")
        return days[date]

    def count(singular: str, plural: str, n: int) -> str:
        if (singular, n) not in counted:
            counted[singular, n] = ngettext(singular, plural, n) % {"n": n}
        return counted[singular, n]

    views = []
    for row in rows:
        m = row.mission
        tags = []
        for severity, css, singular, plural in severities:
            n = row.warnings[severity]
            if n:
                tags.append((css, count(singular, plural, n)))
        share = row.budget_share
        view = RowView(
            row=row,
            url=base.replace("KEY", m.key),
            decide_url=decide.replace("KEY", m.key),
            status_label=labels.get(m.status, m.status),
            status_class=STATUS_COLOURS.get(m.status, "govuk-tag--grey"),
            warning_tags=tags,
            headline_text=count(
                "%(n)s headline target", "%(n)s headline targets", m.headline_targets
            ),
            budget_text=money(m.committed_budget, m.currency),
            share_text=(
                share_words % {"share": share, "need": money(m.estimated_need, m.currency)}
                if share is not None
                else need_words
            ),
            decision_text=row.decision_label,
            decision_date=day(m.decision_at),
            reviewed_text=(reviewed_words % {"when": day(m.reviewed_at)} if m.reviewed_at else ""),
            cells=[
                (f"{code.upper()} {name}", status.key, short[status.key])
                for code, name, status in row.criteria
            ],
            html="",
        )
        view.html = mark_safe(_row_html(view, words))  # noqa: S308 - every value escaped above
        views.append(view)
    return views


def _row(mission: Mission, t: dict[str, Any]) -> Row:
    criteria = []
    for code in CRITERION_CODES:
        status = portfolio_status(
            getattr(mission, f"{code}_score"), getattr(mission, f"{code}_rating"), t
        )
        criteria.append((code, CRITERIA[code].name, status))
    warnings = {s: getattr(mission, f"open_{s}") for s in SEVERITIES}
    return Row(mission, criteria, warnings)


@dataclass
class DashboardPage:
    rows: list[Row]
    has_next: bool
    has_previous: bool

    @property
    def next_cursor(self) -> int | None:
        return self.rows[-1].mission.pk if self.rows and self.has_next else None

    @property
    def previous_cursor(self) -> int | None:
        return self.rows[0].mission.pk if self.rows and self.has_previous else None


# One column per page row with everything `_annotate_rows` computes, as JSON: for the 50 ids of a
# page this is one cheap query (the ORM's seventeen correlated subqueries cost more to compile
# than to run). Same definitions as `_score`, `_rating`, `_open_findings`, `headline_targets`,
# `_latest_decision` and `reviewed_at` above.
_PAGE_SUMMARY = """(SELECT json_build_object(
    'scores', (SELECT json_object_agg(r.criterion, r.auto_score)
        FROM evaluation_assessmentstate s
        JOIN evaluation_criterionresult r ON r.run_id = s.last_run_id
        WHERE s.mission_id = missions_mission.id),
    'ratings', (SELECT json_object_agg(v.criterion, v.rating) FROM (
        SELECT DISTINCT ON (criterion) criterion, rating FROM evaluation_criterionverdict
        WHERE mission_id = missions_mission.id ORDER BY criterion, at DESC, id DESC) v),
    'reviewed_at', (SELECT max(at) FROM evaluation_criterionverdict
        WHERE mission_id = missions_mission.id),
    'open', (SELECT json_object_agg(f.severity, f.n) FROM (
        SELECT severity, count(*) AS n FROM evaluation_finding
        WHERE mission_id = missions_mission.id AND status = %s GROUP BY severity) f),
    'headline', (SELECT count(*) FROM missions_target
        WHERE mission_id = missions_mission.id AND is_headline),
    'decision', (SELECT json_build_array(d.decision, d.decided_at)
        FROM portfolios_reviewdecision d WHERE d.mission_id = missions_mission.id
        ORDER BY d.decided_at DESC, d.id DESC LIMIT 1)
)::text)"""


# What a dashboard row shows of the mission itself (`Row`, `row_views`, `_row_html`).
_PAGE_FIELDS = [
    "organisation_id",
    "key",
    "title",
    "status",
    "committed_budget",
    "estimated_need",
    "currency",
    "challenge__title",
    "owner__name",
]


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _page_missions(ids: list[int]) -> dict[int, Mission]:
    """The page's missions with the same attributes as `_annotate_rows` gives, in one query."""
    import json

    from django.db.models import TextField
    from django.db.models.expressions import RawSQL

    missions = (
        Mission.objects.filter(pk__in=ids)
        .select_related("challenge", "owner")
        .only(*_PAGE_FIELDS)
        .order_by()  # the caller puts them in the page's order
        # Fixed SQL; the one value is a parameter.
        .annotate(_summary=RawSQL(_PAGE_SUMMARY, [FindingStatus.OPEN], output_field=TextField()))  # noqa: S611
    )
    by_id = {}
    for mission in missions:
        summary = json.loads(mission._summary)
        scores, ratings = summary["scores"] or {}, summary["ratings"] or {}
        for code in CRITERION_CODES:
            setattr(mission, f"{code}_score", scores.get(code))
            setattr(mission, f"{code}_rating", ratings.get(code))
        open_counts = summary["open"] or {}
        for severity in SEVERITIES:
            setattr(mission, f"open_{severity}", open_counts.get(severity, 0))
        mission.headline_targets = summary["headline"]
        decision = summary["decision"] or [None, None]
        mission.decision_kind, mission.decision_at = decision[0], _when(decision[1])
        mission.reviewed_at = _when(summary["reviewed_at"])
        by_id[mission.pk] = mission
    return by_id


# Sorting on these columns needs a value computed from other tables for every matching mission.
# Rather than compute it on every request, the totals query (which reads every matching mission
# anyway, once per data version and filter state) also records each such column's order; pages
# are then cut from that order. Like the totals, it may trail assessments that finish in the
# background by up to TOTALS_SECONDS; the rows themselves always show current values.
COMPUTED_SORTS = [*CRITERION_CODES, "warnings", "progress", "budget", "decision"]


def _order_key(organisation: Organisation, version: int, filters: Filters, field: str) -> str:
    return f"portfolios:order:{organisation.pk}:{version}:{filters.cache_key()}:{field}"


def _fingerprint(*, user: User, organisation: Organisation, filters: Filters) -> str:
    """How many missions match, the newest id and the last change among them (one query on the
    missions table): a cached order is used only while this is unchanged, so missions added,
    removed or edited without a data-version bump still show up at once."""
    from django.db.models import Count, Max

    found = (
        _filtered(user=user, organisation=organisation, filters=filters)
        .order_by()
        .aggregate(n=Count("pk"), top=Max("pk"), changed=Max("updated_at"))
    )
    return f"{found['n']}:{found['top']}:{found['changed']}"


def _cached_order(
    *, user: User, organisation: Organisation, filters: Filters, version: int | None
) -> list[int] | None:
    """The ids of every matching mission, ascending by (sort value, id), for the sorts in
    COMPUTED_SORTS (None for the others)."""
    from array import array

    if filters.sort_field not in COMPUTED_SORTS:
        return None
    version = stamp(organisation) if version is None else version
    fingerprint = _fingerprint(user=user, organisation=organisation, filters=filters)
    cached = cache.get(_order_key(organisation, version, filters, filters.sort_field))
    if cached is None or cached[0] != fingerprint:
        # Computing the totals stores every computed column's order too.
        _refresh_totals(
            user=user,
            organisation=organisation,
            filters=filters,
            version=version,
            fingerprint=fingerprint,
        )
        cached = cache.get(_order_key(organisation, version, filters, filters.sort_field))
    if cached is None:  # a cache that keeps nothing
        return None
    return array("q", cached[1]).tolist()


def _page_from_order(
    order: list[int], filters: Filters, per_page: int
) -> tuple[list[int], int | None, bool]:
    """(up to per_page + 1 ids in fetch order, cursor, backwards), as the SQL keyset picks
    them, from a cached ascending order."""
    if filters.descending:
        order = order[::-1]
    cursor = filters.after or filters.before
    backwards = filters.before is not None and filters.after is None
    position = None
    if cursor is not None:
        try:
            position = order.index(cursor)
        except ValueError:
            cursor, backwards = None, False  # the row left the selection: start again
    if position is None:
        ids = order[: per_page + 1]
    elif backwards:
        ids = order[max(0, position - per_page - 1) : position][::-1]
    else:
        ids = order[position + 1 : position + per_page + 2]
    return ids, cursor, backwards


def dashboard_page(
    *,
    user: User,
    organisation: Organisation,
    filters: Filters,
    per_page: int = PAGE_SIZE,
    version: int | None = None,
) -> DashboardPage:
    """One page of rows, by keyset: `after`/`before` is the id of the row next to the page, and
    the page starts right after that row's (sort value, id). The page's ids are chosen on the
    missions table alone (title, status, owner), or cut from the order cached with the totals
    (columns computed from other tables), then only those rows are annotated."""
    order = _cached_order(user=user, organisation=organisation, filters=filters, version=version)
    if order is not None:
        ids, cursor, backwards = _page_from_order(order, filters, per_page)
    else:
        missions = sorted_missions(user=user, organisation=organisation, filters=filters)
        descending = filters.descending
        cursor = filters.after or filters.before
        backwards = filters.before is not None and filters.after is None
        if cursor is not None:
            found = missions.filter(pk=cursor).values_list("_sort", flat=True)[:1]
            if not found:
                cursor, backwards = None, False  # the row left the selection: start again
            else:
                value = found[0]
                if descending == backwards:  # values ascend in the direction we fetch
                    missions = missions.filter(Q(_sort__gt=value) | Q(_sort=value, pk__gt=cursor))
                else:
                    missions = missions.filter(Q(_sort__lt=value) | Q(_sort=value, pk__lt=cursor))
        order_by = ["_sort", "pk"] if descending == backwards else ["-_sort", "-pk"]
        ids = list(missions.order_by(*order_by).values_list("pk", flat=True)[: per_page + 1])
    more = len(ids) > per_page
    ids = ids[:per_page]
    if backwards:
        ids.reverse()
    by_id = _page_missions(ids) if ids else {}
    t = threshold_settings.current()
    rows = [_row(by_id[pk], t) for pk in ids if pk in by_id]
    if backwards:
        return DashboardPage(rows, has_next=True, has_previous=more)
    return DashboardPage(rows, has_next=more, has_previous=cursor is not None)


def dashboard_rows(*, user: User, organisation: Organisation, filters: Filters) -> Iterator[Row]:
    """Every row matching the filters, in the chosen order, for the exports (streamed)."""
    missions = _annotate_rows(_filtered(user=user, organisation=organisation, filters=filters))
    missions = missions.annotate(_sort=_sort_expression(filters.sort_field))
    order = ["-_sort", "-pk"] if filters.descending else ["_sort", "pk"]
    t = threshold_settings.current()
    for mission in missions.order_by(*order).iterator(chunk_size=500):
        yield _row(mission, t)


# --- Totals (cached) ---------------------------------------------------------------------------


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
    key = f"portfolios:totals:{organisation.pk}:{version}:{filters.cache_key()}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    return _refresh_totals(user=user, organisation=organisation, filters=filters, version=version)


def _refresh_totals(
    *,
    user: User,
    organisation: Organisation,
    filters: Filters,
    version: int,
    fingerprint: str | None = None,
) -> Totals:
    """Compute the totals and the computed columns' orders, and cache both (the orders with the
    fingerprint of the missions they were computed from)."""
    from array import array

    if fingerprint is None:
        fingerprint = _fingerprint(user=user, organisation=organisation, filters=filters)
    result, orders = _compute_totals(user=user, organisation=organisation, filters=filters)
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
    cache.set(
        f"portfolios:totals:{organisation.pk}:{version}:{filters.cache_key()}",
        result,
        TOTALS_SECONDS,
    )
    return result


def _totals_sql(scope_sql: str) -> str:
    """Every matching mission with what the totals and the computed sorts read, in one query:
    each related table is read once, grouped by mission, and joined (rather than seventeen
    correlated subqueries per mission, which cost seconds at 10,000 missions). The same
    definitions as `_score`, `_rating`, `_open_findings`, `headline_targets`, `_latest_decision`
    and the budget sort above."""
    pivot_scores = ", ".join(
        f"max(r.auto_score) FILTER (WHERE r.criterion = '{code}') AS {code}"
        for code in CRITERION_CODES
    )
    pivot_ratings = ", ".join(
        f"max(v.rating) FILTER (WHERE v.criterion = '{code}') AS {code}" for code in CRITERION_CODES
    )
    scores = ", ".join(f"sc.{code}" for code in CRITERION_CODES)
    ratings = ", ".join(f"ra.{code}" for code in CRITERION_CODES)
    in_scope = "IN (SELECT id FROM scope)"
    return f"""
WITH scope(id) AS ({scope_sql}),
scores AS (
    SELECT s.mission_id, {pivot_scores}
    FROM evaluation_assessmentstate s
    JOIN evaluation_criterionresult r ON r.run_id = s.last_run_id
    WHERE s.mission_id {in_scope} GROUP BY s.mission_id
), ratings AS (
    SELECT v.mission_id, {pivot_ratings} FROM (
        SELECT DISTINCT ON (mission_id, criterion) mission_id, criterion, rating
        FROM evaluation_criterionverdict WHERE mission_id {in_scope}
        ORDER BY mission_id, criterion, at DESC, id DESC
    ) v GROUP BY v.mission_id
), findings AS (
    SELECT mission_id,
           count(*) FILTER (WHERE severity = 'high') AS high,
           count(*) FILTER (WHERE severity = 'warn') AS warn,
           count(*) FILTER (WHERE severity = 'info') AS info
    FROM evaluation_finding WHERE status = %s AND mission_id {in_scope} GROUP BY mission_id
), targets AS (
    SELECT mission_id, count(*) AS n FROM missions_target
    WHERE is_headline AND mission_id {in_scope} GROUP BY mission_id
), decisions AS (
    SELECT DISTINCT ON (mission_id) mission_id, decided_at FROM portfolios_reviewdecision
    WHERE mission_id {in_scope} ORDER BY mission_id, decided_at DESC, id DESC
)
SELECT m.id, m.status, m.committed_budget, m.estimated_need, m.currency,
       coalesce(f.high, 0), coalesce(f.warn, 0), coalesce(f.info, 0),
       coalesce(t.n, 0),
       coalesce(m.committed_budget::numeric(20, 6) / nullif(m.estimated_need, 0), -1),
       d.decided_at,
       {scores}, {ratings}
FROM missions_mission m
JOIN scope ON scope.id = m.id
LEFT JOIN scores sc ON sc.mission_id = m.id
LEFT JOIN ratings ra ON ra.mission_id = m.id
LEFT JOIN findings f ON f.mission_id = m.id
LEFT JOIN targets t ON t.mission_id = m.id
LEFT JOIN decisions d ON d.mission_id = m.id
"""  # noqa: S608 - the only values put in are the fixed criterion codes and Django's SQL


def _compute_totals(
    *, user: User, organisation: Organisation, filters: Filters
) -> tuple[Totals, dict[str, list[int]]]:
    """The totals, and for each column in COMPUTED_SORTS the matching ids ascending by (sort
    value, id), as `_sort_expression` orders them: one query over every matching mission."""
    from django.utils import timezone

    scope = _filtered(user=user, organisation=organisation, filters=filters)
    scope_sql, scope_params = scope.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(_totals_sql(scope_sql), [*scope_params, FindingStatus.OPEN])
        rows = cursor.fetchall()
    t = threshold_settings.current()
    width = len(CRITERION_CODES)
    keyed: dict[str, list[tuple[Any, int]]] = {name: [] for name in COMPUTED_SORTS}
    result = Totals(computed_at=timezone.now())
    status_counts: Counter[str] = Counter()
    committed: dict[str, Decimal] = defaultdict(Decimal)
    need: dict[str, Decimal] = defaultdict(Decimal)
    heatmap: dict[str, Counter[str]] = {code: Counter() for code in CRITERION_CODES}
    warned: Counter[str] = Counter()
    for row in rows:
        pk, status, budget, estimated, currency, high, warn, info, targets, ratio, decided = row[
            :11
        ]
        scores, ratings = row[11 : 11 + width], row[11 + width :]
        result.missions += 1
        status_counts[status] += 1
        if budget is not None:
            committed[currency] += budget
        if estimated is not None:
            need[currency] += estimated
        for severity, count in zip(SEVERITIES, (high, warn, info), strict=True):
            if count:
                warned[severity] += 1
        for code, score, rating in zip(CRITERION_CODES, scores, ratings, strict=True):
            key = portfolio_status(score, rating, t).key
            heatmap[code][key] += 1
            keyed[code].append((STATUS_RANK[key], pk))
        keyed["warnings"].append((high * 1_000_000 + warn * 1_000 + info, pk))
        keyed["progress"].append((targets, pk))
        keyed["budget"].append((ratio, pk))
        keyed["decision"].append((decided or EPOCH, pk))
    labels = dict(MissionStatus.choices)
    result.by_status = [
        (s, str(labels[s]), status_counts[s]) for s in WORKFLOW_ORDER if status_counts[s]
    ]
    result.committed = sorted(committed.items())
    result.need = sorted(need.items())
    result.heatmap = {code: dict(counts) for code, counts in heatmap.items()}
    result.with_warnings = dict(warned)
    orders = {name: [pk for _value, pk in sorted(pairs)] for name, pairs in keyed.items()}
    return result, orders


def owner_choices(*, user: User, organisation: Organisation) -> list[tuple[str, str]]:
    """Actors that own at least one of the organisation's missions, for the owner filter."""
    owners = (
        Actor.objects.visible_to(user)
        .filter(organisation=organisation)
        .filter(Exists(Mission.objects.filter(owner_id=OuterRef("pk"), archived_at__isnull=True)))
        .order_by("name")
        .values_list("key", "name")
    )
    return list(owners)


def filter_options(*, user: User, organisation: Organisation, version: int) -> dict[str, Any]:
    """The choices of the filter form (cached with the totals' data version)."""
    key = f"portfolios:options:{organisation.pk}:{version}"
    options = cache.get(key)
    if options is None:
        options = {"owners": owner_choices(user=user, organisation=organisation)}
        cache.set(key, options, TOTALS_SECONDS)
    return {
        **options,
        "statuses": MissionStatus.choices,
        "criteria": [(code, c.name) for code, c in CRITERIA.items()],
        "criterion_statuses": [(key, DISPLAY[key].label) for key in STATUS_KEYS],
        "warnings": sorted(((r.code, r.label) for r in warning_rules()), key=lambda w: str(w[1])),
        "domains": PolicyDomain.choices,
        "facets": Facet.choices,
    }


# --- Facets ------------------------------------------------------------------------------------


@dataclass
class FacetMix:
    counts: dict[str, int]
    budgets: dict[str, Decimal]
    unclassified: int
    unclassified_budget: Decimal
    cells: dict[tuple[int, int], tuple[int, Decimal]]  # (d, c) → (count, budget)
    change_types: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def budget_total(self) -> Decimal:
        return sum(self.budgets.values(), Decimal(0))

    @property
    def rows(self) -> list[dict[str, Any]]:
        total, money = self.total, self.budget_total
        return [
            {
                "facet": facet,
                "label": label,
                "count": self.counts.get(facet, 0),
                "count_share": round(self.counts.get(facet, 0) / total * 100) if total else 0,
                "budget": self.budgets.get(facet, Decimal(0)),
                "budget_share": round(self.budgets.get(facet, 0) / money * 100) if money else 0,
            }
            for facet, label in Facet.choices
        ]

    @property
    def prompts(self) -> list[Any]:
        return balance_prompts(self.counts, self.budgets)


def _initiatives_in_scope(
    *, user: User, organisation: Organisation, portfolio: Portfolio | None
) -> QuerySet[Initiative]:
    missions = missions_in_scope(user=user, organisation=organisation, portfolio=portfolio)
    initiatives = Initiative.objects.visible_to(user).filter(organisation=organisation)
    in_missions = Q(project__mission__in=missions.values("pk"))
    if portfolio is None:
        return initiatives.filter(in_missions | Q(project__isnull=True))
    return initiatives.filter(in_missions)


def facet_mix(*, user: User, organisation: Organisation, portfolio: Portfolio | None) -> FacetMix:
    """The portfolio's mix of facets by count and by budget, the (d, c) grid for the scatter,
    and the projects not yet classified. Three queries."""
    from django.db.models import Count, Sum

    initiatives = _initiatives_in_scope(user=user, organisation=organisation, portfolio=portfolio)
    effective = Case(When(facet_override="", then=F("facet_auto")), default=F("facet_override"))
    money = Coalesce(F("project__budget"), F("budget"), Value(Decimal(0)))
    by_facet = (
        initiatives.annotate(f=effective, m=money).values("f").annotate(n=Count("pk"), b=Sum("m"))
    )
    counts = {row["f"]: row["n"] for row in by_facet}
    budgets = {row["f"]: row["b"] or Decimal(0) for row in by_facet}
    cells = {
        (row["directionality"], row["certainty"]): (row["n"], row["b"] or Decimal(0))
        for row in initiatives.annotate(m=money)
        .values("directionality", "certainty")
        .annotate(n=Count("pk"), b=Sum("m"))
    }
    change_types = {
        row["change_type"]: row["n"]
        for row in initiatives.exclude(change_type="").values("change_type").annotate(n=Count("pk"))
    }
    missions = missions_in_scope(user=user, organisation=organisation, portfolio=portfolio)
    pending = MissionProject.objects.filter(
        mission__in=missions.values("pk"), initiative__isnull=True
    ).aggregate(n=Count("pk"), b=Sum("budget"))
    return FacetMix(
        counts=counts,
        budgets=budgets,
        unclassified=pending["n"] or 0,
        unclassified_budget=pending["b"] or Decimal(0),
        cells=cells,
        change_types=change_types,
    )


def initiative_list(
    *, user: User, organisation: Organisation, portfolio: Portfolio | None, page: Any = 1
) -> Page:
    """Mission projects in scope with their facet (if classified), and, for the whole
    organisation, the initiatives outside missions; 50 a page."""
    missions = missions_in_scope(user=user, organisation=organisation, portfolio=portfolio)
    projects = (
        MissionProject.objects.filter(mission__in=missions.values("pk"))
        .select_related("mission", "initiative")
        .only(
            "key",
            "title",
            "budget",
            "mission__key",
            "mission__title",
            "mission__currency",
            "initiative__directionality",
            "initiative__certainty",
            "initiative__facet_auto",
            "initiative__facet_override",
            "initiative__override_reason",
            "initiative__change_type",
        )
        .order_by("mission__title", "title", "pk")
    )
    return Paginator(projects, PAGE_SIZE).get_page(page)


def standalone_initiatives(*, user: User, organisation: Organisation) -> QuerySet[Initiative]:
    return (
        Initiative.objects.visible_to(user)
        .filter(organisation=organisation, project__isnull=True)
        .order_by("title")
    )


def project_for(
    *, user: User, organisation: Organisation, mission_key: str, project_key: str
) -> MissionProject:
    return get_object_or_404(
        MissionProject.objects.visible_to(user).select_related("mission__organisation"),
        mission__organisation=organisation,
        mission__key=mission_key,
        key=project_key,
    )


# --- Compare -----------------------------------------------------------------------------------

MAX_COMPARE = 4


@dataclass
class Compared:
    row: Row
    headline_targets: list[Target]
    project_count: int
    project_budget: Decimal
    warnings: list[tuple[Finding, Any]]
    stakeholders: dict[str, int] | None  # helix → count; None until the stakeholder map exists


def stakeholder_coverage(mission_ids: list[int]) -> dict[int, dict[str, int]] | None:
    """Stakeholders per helix for each mission, if the stakeholders app has its model yet."""
    try:
        model = apps.get_model("stakeholders", "Stakeholder")
    except LookupError:
        return None
    from django.db.models import Count

    coverage: dict[int, dict[str, int]] = defaultdict(dict)
    helix_field = "helix" if any(f.name == "helix" for f in model._meta.fields) else None
    if helix_field is None:
        return None
    for row in (
        model.objects.filter(mission_id__in=mission_ids)
        .values("mission_id", "helix")
        .annotate(n=Count("pk"))
    ):
        coverage[row["mission_id"]][row["helix"]] = row["n"]
    return coverage


def compare(*, user: User, organisation: Organisation, keys: list[str]) -> list[Compared]:
    """Two to four missions side by side, in the order asked; a constant number of queries."""
    from django.db.models import Count, Prefetch, Sum

    keys = list(dict.fromkeys(keys))[:MAX_COMPARE]
    missions = (
        _annotate_rows(missions_in_scope(user=user, organisation=organisation).filter(key__in=keys))
        .annotate(
            project_count=Count("projects", distinct=True), project_budget=Sum("projects__budget")
        )
        .prefetch_related(
            Prefetch(
                "targets",
                queryset=Target.objects.filter(is_headline=True).order_by("position", "key"),
                to_attr="headline_list",
            )
        )
    )
    by_key = {m.key: m for m in missions}
    findings: dict[int, list[tuple[Finding, Any]]] = defaultdict(list)
    rules = {r.code: r for r in warning_rules()}
    order = {"high": 0, "warn": 1, "info": 2}
    for finding in (
        Finding.objects.current()
        .filter(mission_id__in=[m.pk for m in by_key.values()])
        .order_by("code")
    ):
        findings[finding.mission_id].append((finding, rules.get(finding.code)))
    coverage = stakeholder_coverage([m.pk for m in by_key.values()])
    t = threshold_settings.current()
    result = []
    for key in keys:
        mission = by_key.get(key)
        if mission is None:
            continue
        result.append(
            Compared(
                row=_row(mission, t),
                headline_targets=mission.headline_list,
                project_count=mission.project_count,
                project_budget=mission.project_budget or Decimal(0),
                warnings=sorted(
                    findings[mission.pk], key=lambda fw: (order.get(fw[0].severity, 9), fw[0].code)
                ),
                stakeholders=None if coverage is None else coverage.get(mission.pk, {}),
            )
        )
    return result


# --- Overlap -----------------------------------------------------------------------------------

ROLE_LABELS = {
    "owner": _("owner"),
    "coordinator": _("coordinator"),
    "lead": _("project lead"),
    "partner": _("project partner"),
}

_INVOLVEMENT = """
WITH scope AS (
    SELECT m.id, m.owner_id, m.coordinator_id FROM missions_mission m
    WHERE m.organisation_id = %(org)s AND m.archived_at IS NULL {portfolio}
), involvement AS (
    SELECT owner_id AS actor_id, id AS mission_id, 'owner' AS role FROM scope
        WHERE owner_id IS NOT NULL
    UNION ALL SELECT coordinator_id, id, 'coordinator' FROM scope WHERE coordinator_id IS NOT NULL
    UNION ALL SELECT p.lead_id, p.mission_id, 'lead' FROM missions_missionproject p
        JOIN scope ON scope.id = p.mission_id WHERE p.lead_id IS NOT NULL
    UNION ALL SELECT pp.actor_id, p.mission_id, 'partner'
        FROM missions_missionproject_partners pp
        JOIN missions_missionproject p ON p.id = pp.missionproject_id
        JOIN scope ON scope.id = p.mission_id
)
"""


@dataclass
class Overlap:
    actor: Actor
    mission_count: int
    missions: list[tuple[Mission, list[str]]]  # the first few, with the actor's roles in each

    @property
    def more(self) -> int:
        return self.mission_count - len(self.missions)


def overlap(
    *,
    user: User,
    organisation: Organisation,
    portfolio: Portfolio | None,
    limit: int = 50,
    missions_each: int = 12,
) -> list[Overlap]:
    """Actors involved in two or more missions of the portfolio (as owner, coordinator, project
    lead or partner), most involved first, and where. Three queries."""
    organisation = Organisation.objects.visible_to(user).get(pk=organisation.pk)
    params: dict[str, Any] = {"org": organisation.pk, "limit": limit, "each": missions_each}
    portfolio_sql = ""
    if portfolio is not None:
        portfolio_sql = (
            "AND m.id IN (SELECT mission_id FROM portfolios_portfolio_missions "
            "WHERE portfolio_id = %(portfolio)s)"
        )
        params["portfolio"] = portfolio.pk
    head = _INVOLVEMENT.format(portfolio=portfolio_sql)
    with connection.cursor() as cursor:
        cursor.execute(
            head  # noqa: S608 - fixed SQL; every value is a parameter
            + """, ranked AS (
                SELECT actor_id, count(DISTINCT mission_id) AS n FROM involvement
                GROUP BY actor_id HAVING count(DISTINCT mission_id) >= 2
                ORDER BY n DESC, actor_id LIMIT %(limit)s
            ), detail AS (
                SELECT i.actor_id, i.mission_id, array_agg(DISTINCT i.role) AS roles,
                       row_number() OVER (PARTITION BY i.actor_id ORDER BY i.mission_id) AS k
                FROM involvement i JOIN ranked r ON r.actor_id = i.actor_id
                GROUP BY i.actor_id, i.mission_id
            )
            SELECT r.actor_id, r.n, d.mission_id, d.roles FROM ranked r
            JOIN detail d ON d.actor_id = r.actor_id AND d.k <= %(each)s
            ORDER BY r.n DESC, r.actor_id, d.mission_id
            """,
            params,
        )
        rows = cursor.fetchall()
    actors = Actor.objects.in_bulk({row[0] for row in rows})
    missions = Mission.objects.only("key", "title", "status", "organisation_id").in_bulk(
        {row[2] for row in rows}
    )
    result: dict[int, Overlap] = {}
    for actor_id, count, mission_id, roles in rows:
        entry = result.setdefault(actor_id, Overlap(actors[actor_id], count, []))
        ordered = [str(ROLE_LABELS[r]) for r in ROLE_LABELS if r in roles]
        entry.missions.append((missions[mission_id], ordered))
    return list(result.values())


# --- Decisions ---------------------------------------------------------------------------------


def latest_decision(mission: Mission) -> ReviewDecision | None:
    """For the mission page's header: the last portfolio decision (one query)."""
    return (
        ReviewDecision.objects.filter(mission=mission)
        .select_related("decided_by", "snapshot")
        .defer("snapshot__document")
        .order_by("-decided_at", "-pk")
        .first()
    )


def decisions(
    *, user: User, organisation: Organisation, mission: Mission | None = None
) -> QuerySet[ReviewDecision]:
    """The decision log, newest first."""
    log = (
        ReviewDecision.objects.visible_to(user)
        .filter(mission__organisation=organisation)
        .select_related("mission", "decided_by", "snapshot")
        .defer("snapshot__document")
        .order_by("-decided_at", "-pk")
    )
    if mission is not None:
        log = log.filter(mission=mission)
    return log


def approval_needs(*, mission: Mission) -> list[Need]:
    """What `mission` still lacks for a lead's approval to succeed, each with where it is fixed;
    empty when approving would succeed (or takes no workflow step, the mission not being
    proposed). The decision page offers "Approve" only when this is empty, and
    `services.decision_record` refuses an approval with these same sentences."""
    step = TRANSITIONS["approve"]
    return step.needs(mission) if mission.status in step.sources else []


def mission_for_decision(*, user: User, organisation: Organisation, key: str) -> Mission:
    return get_object_or_404(
        Mission.objects.visible_to(user)
        .select_related("organisation", "challenge", "owner")
        .prefetch_related("targets"),
        organisation=organisation,
        key=key,
    )
