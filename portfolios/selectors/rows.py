"""The dashboard's rows: what each one shows, read for a page of missions (or all of them, for
the exports) in one query, and turned into words once per page for the template.

Each row's values from other tables come from five correlated subqueries, each aggregated to
JSON (the criteria results of the last run, the reviewer's verdicts, open warnings by severity,
headline targets, the last decision): five rather than seventeen, because for the 50 rows of a
page building and compiling the subqueries costs more than running them."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypedDict

from django.contrib.postgres.aggregates import JSONBAgg
from django.db.models import (
    Count,
    IntegerField,
    JSONField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, JSONArray, JSONObject
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext

from accounts.models import Organisation
from evaluation.criteria.engine import DisplayStatus, portfolio_status
from evaluation.criteria.rules import CRITERIA
from evaluation.models import CriterionResult, CriterionVerdict, Finding, FindingStatus
from missions.models import Mission, MissionStatus, Target
from missions.templatetags.missions_tags import STATUS_COLOURS, money
from participation.models import Answer, Idea
from portfolios.models import DECISION_PAST, Decision, ReviewDecision
from portfolios.selectors.filters import CRITERION_CODES, SEVERITIES, SHORT_STATUS

# What a dashboard row shows of the mission itself.
PAGE_FIELDS = [
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


@dataclass
class Row:
    """One dashboard row in words."""

    mission: Mission
    criteria: list[tuple[str, Promise, DisplayStatus]]
    warnings: dict[str, int]  # open warnings by severity
    headline_targets: int = 0
    ideas: int = 0  # sent in by the public, shown
    ideas_answered: int = 0
    decision_kind: str = ""
    decision_at: datetime | None = None
    reviewed_at: datetime | None = None  # the reviewer's last verdict on a criterion

    @property
    def budget_share(self) -> int | None:
        committed, need = self.mission.committed_budget, self.mission.estimated_need
        if committed is None or not need:
            return None
        return round(committed / need * 100)

    @property
    def decision_label(self) -> str:
        return str(DECISION_PAST[Decision(self.decision_kind)]) if self.decision_kind else ""


def with_row_values(missions: QuerySet[Mission]) -> QuerySet[Mission]:
    """`missions` with what their rows show from other tables, read by `row_from`."""
    return missions.select_related("challenge", "owner").annotate(
        _row_scores=Subquery(
            CriterionResult.objects.filter(run_id=OuterRef("assessment_state__last_run_id"))
            .order_by()
            .values("run_id")
            .annotate(j=JSONBAgg(JSONArray("criterion", "auto_score")))
            .values("j"),
            output_field=JSONField(),
        ),
        # Newest first: the first verdict on each criterion is the one that counts.
        _row_ratings=Subquery(
            CriterionVerdict.objects.filter(mission_id=OuterRef("pk"))
            .order_by()
            .values("mission_id")
            .annotate(j=JSONBAgg(JSONArray("criterion", "rating", "at"), order_by=("-at", "-pk")))
            .values("j"),
            output_field=JSONField(),
        ),
        _row_open=Subquery(
            Finding.objects.filter(mission_id=OuterRef("pk"), status=FindingStatus.OPEN)
            .order_by()
            .values("mission_id")
            .annotate(j=JSONObject(**{s: Count("pk", filter=Q(severity=s)) for s in SEVERITIES}))
            .values("j"),
            output_field=JSONField(),
        ),
        _row_headline=Coalesce(
            Subquery(
                Target.objects.filter(mission_id=OuterRef("pk"), is_headline=True)
                .order_by()
                .values("mission_id")
                .annotate(n=Count("pk"))
                .values("n"),
                output_field=IntegerField(),
            ),
            0,
        ),
        # Ideas the public sent in (shown ones) and how many have a published answer.
        _row_ideas=Subquery(
            Idea.objects.filter(mission_id=OuterRef("pk"), hidden_at=None)
            .order_by()
            .values("mission_id")
            .annotate(j=JSONArray(Count("pk"), Count("pk", filter=~Q(answer=Answer.PENDING))))
            .values("j"),
            output_field=JSONField(),
        ),
        _row_decision=Subquery(
            ReviewDecision.objects.filter(mission_id=OuterRef("pk"))
            .order_by("-decided_at", "-pk")
            .values(j=JSONArray("decision", "decided_at"))[:1],
            output_field=JSONField(),
        ),
    )


@functools.cache
def _page_query() -> QuerySet[Mission]:
    """Built once per process and only ever cloned (`page_missions` filters it): building the
    five subqueries took as long as running them for a page."""
    return with_row_values(Mission.objects.only(*PAGE_FIELDS).order_by())


def page_missions(ids: list[int]) -> QuerySet[Mission]:
    """The missions of a page (in no particular order) with their rows' values."""
    return _page_query().filter(pk__in=ids)


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def row_from(mission: Mission, t: dict[str, Any]) -> Row:
    """The row of a mission read through `with_row_values`, with the criteria thresholds `t`."""
    values = vars(mission)  # the annotations of `with_row_values`, as the query set them
    scores = dict(values["_row_scores"] or [])
    verdicts = values["_row_ratings"] or []  # newest first
    ratings: dict[str, int] = {}
    for code, rating, _at in verdicts:
        ratings.setdefault(code, rating)
    criteria = [
        (code, CRITERIA[code].name, portfolio_status(scores.get(code), ratings.get(code), t))
        for code in CRITERION_CODES
    ]
    open_counts = values["_row_open"] or {}
    decision = values["_row_decision"] or [None, None]
    ideas, answered = values["_row_ideas"] or [0, 0]
    return Row(
        mission=mission,
        criteria=criteria,
        warnings={s: open_counts.get(s, 0) for s in SEVERITIES},
        headline_targets=values["_row_headline"],
        ideas=ideas,
        ideas_answered=answered,
        decision_kind=decision[0] or "",
        decision_at=_when(decision[1]),
        reviewed_at=_when(verdicts[0][2]) if verdicts else None,
    )


# --- In words, for the template -------------------------------------------------------------


class RowView(TypedDict):
    """A row's cells as ready-made text, already escaped for HTML, so the 50-row table renders
    quickly: the template only puts them in place (a dict, which the template engine looks up
    fastest; escaped texts, which it does not escape again)."""

    key: str
    pk: str
    title: str
    challenge: str
    owner: str
    url: str
    decide_url: str
    status_label: str
    status_class: str
    cells: list[tuple[str, str, str]]  # each criterion as (code and name, status key, words)
    warning_tags: list[tuple[str, str]]  # (css class, words)
    headline_text: str
    ideas_text: str  # the public's ideas and how many are answered; empty without any
    budget_text: str
    share_text: str
    decision_text: str
    decision_date: str
    reviewed_text: str


@dataclass
class _Words:
    """Words and formats a page repeats, translated once per page (not once per row or cell)."""

    statuses: dict[str, str] = field(
        default_factory=lambda: {value: str(label) for value, label in MissionStatus.choices}
    )
    short: dict[str, str] = field(
        default_factory=lambda: {key: str(words) for key, words in SHORT_STATUS.items()}
    )
    need: str = field(default_factory=lambda: gettext("need not estimated"))
    share: str = field(default_factory=lambda: gettext("%(share)s%% of %(need)s"))
    reviewed: str = field(default_factory=lambda: gettext("Criteria reviewed %(when)s"))
    ideas: str = field(default_factory=lambda: gettext("%(ideas)s, %(answered)s answered"))
    days: dict[Any, str] = field(default_factory=dict)
    counted: dict[tuple[str, int], str] = field(default_factory=dict)
    escaped: dict[str, SafeString] = field(default_factory=dict)

    def safe(self, text: str) -> SafeString:
        """`text` escaped as the template would (django.utils.html.escape), once per page for
        the words most rows repeat (statuses, results, counts, dates)."""
        found = self.escaped.get(text)
        if found is None:
            found = self.escaped[text] = escape(text)
        return found

    def day(self, value: datetime | None) -> str:
        if not value:
            return ""
        date = timezone.localtime(value).date()
        if date not in self.days:  # most rows share a few dates; formatting one costs translations
            self.days[date] = formats.date_format(date, "DATE_FORMAT")
        return self.days[date]

    def count(self, singular: str, plural: str, n: int) -> str:
        if (singular, n) not in self.counted:
            self.counted[singular, n] = ngettext(singular, plural, n) % {"n": n}
        return self.counted[singular, n]


SEVERITY_TAGS = (
    ("high", "govuk-tag--red", "%(n)s high", "%(n)s high"),
    ("warn", "govuk-tag--orange", "%(n)s warning", "%(n)s warnings"),
    ("info", "govuk-tag--blue", "%(n)s note", "%(n)s notes"),
)


def row_views(rows: list[Row], organisation: Organisation) -> list[RowView]:
    base = reverse("missions:overview", args=[organisation.slug, "KEY"])
    decide = reverse("portfolios:decide", args=[organisation.slug, "KEY"])
    words = _Words()
    safe = words.safe
    views = []
    for row in rows:
        m = row.mission
        share = row.budget_share
        views.append(
            RowView(
                key=safe(m.key),
                pk=safe(str(m.pk)),
                title=safe(m.title),
                challenge=safe(m.challenge.title if m.challenge_id else ""),
                owner=safe((m.owner.name if m.owner is not None else "") or "—"),
                url=safe(base.replace("KEY", m.key)),
                decide_url=safe(decide.replace("KEY", m.key)),
                status_label=safe(words.statuses.get(m.status, m.status)),
                status_class=safe(STATUS_COLOURS.get(m.status, "govuk-tag--grey")),
                cells=[
                    (
                        safe(f"{code.upper()} {name}"),
                        safe(status.key),
                        safe(words.short[status.key]),
                    )
                    for code, name, status in row.criteria
                ],
                warning_tags=[
                    (safe(css), safe(words.count(singular, plural, row.warnings[severity])))
                    for severity, css, singular, plural in SEVERITY_TAGS
                    if row.warnings[severity]
                ],
                headline_text=safe(
                    words.count(
                        "%(n)s headline target", "%(n)s headline targets", row.headline_targets
                    )
                ),
                ideas_text=safe(
                    words.ideas
                    % {
                        "ideas": words.count(
                            "%(n)s idea from the public", "%(n)s ideas from the public", row.ideas
                        ),
                        "answered": row.ideas_answered,
                    }
                    if row.ideas
                    else ""
                ),
                budget_text=safe(money(m.committed_budget, m.currency)),
                share_text=safe(
                    words.share % {"share": share, "need": money(m.estimated_need, m.currency)}
                    if share is not None
                    else words.need
                ),
                decision_text=safe(row.decision_label),
                decision_date=safe(words.day(row.decision_at)),
                reviewed_text=safe(
                    words.reviewed % {"when": words.day(row.reviewed_at)} if row.reviewed_at else ""
                ),
            )
        )
    return views
