"""Reads for the criteria pages and for other pages that show a compact criteria summary.

The mission passed in must already be scoped to the user (missions.selectors.mission_detail).
Texts (criterion names, check labels, fix hints) come from the rule registry at read time, so
they appear in the reader's language whatever language the run was stored in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Exists
from django.template.defaultfilters import floatformat
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from config.wording import in_sentence
from evaluation.criteria import thresholds as threshold_settings
from evaluation.criteria.engine import (
    AUTO_LABELS,
    DisplayStatus,
    auto_band,
    completeness,
    displayed_status,
    status_reason,
)
from evaluation.criteria.rules import (
    CRITERIA,
    JUDGED,
    SEVERITY_LABELS,
    SEVERITY_ORDER,
    STATUS_LABELS,
    Criterion,
    Rule,
    Severity,
    Status,
    get_rule,
    warning_rules,
)
from evaluation.models import (
    AssessmentRun,
    AssessmentState,
    CriterionResult,
    CriterionVerdict,
    Finding,
    FindingStatus,
    GoNoGoReview,
    ReadinessCheck,
    RunStatus,
)
from missions.models import Mission

# Where each fix_field is edited, in words; pages link to the mission page's section anchor.
FIX_SECTIONS: dict[str, Promise] = {
    "statement": _("Mission statement"),
    "targets": _("Targets and milestones"),
    "projects": _("Projects"),
    "mandate": _("Mandate"),
    "budget": _("Budget"),
    "team": _("Mission team"),
    "deadline": _("Start and deadline"),
    "geography": _("Geography"),
    "sdgs": _("Sustainable Development Goals"),
    "challenge": _("Grand challenge"),
    "governance": _("Governance"),
    "stakeholders": _("Stakeholders"),
    "indicators": _("Indicators"),
    "learning": _("Learning and evaluation"),
    "theory_of_change": _("Theory of change"),
    "reviews": _("Reviews"),
    "risks_rewards": _("Risks and rewards"),
    "participation": _("Participation"),
    "affected_population": _("People affected"),
}

# What a check that cannot be judged yet is missing (`needs`), in words, and where it is
# entered (a fix_field of FIX_PLACES, plus a form field to jump to). Keys without a place are
# data Lodestar has no form for yet.
NEEDS: dict[str, tuple[Promise, str, str]] = {
    "statement": (_("the mission statement"), "statement", "id_statement"),
    "affected_population": (
        _("how many people the challenge affects"),
        "statement",
        "id_affected_population",
    ),
    "sdgs": (_("the Sustainable Development Goals it serves"), "sdgs", "id_sdgs"),
    "deadline": (_("the mission's deadline year"), "deadline", "id_deadline_year"),
    "geography": (_("where the mission applies"), "geography", "id_geography"),
    "targets": (_("a headline target"), "targets", ""),
    "targets.baseline": (
        _("each headline target's baseline, target value and unit"),
        "targets",
        "",
    ),
    "targets.milestones": (_("milestones for the headline targets"), "targets", ""),
    "targets.trend_annual_rate": (
        _("two years or more of measurements of a headline target's indicator"),
        "indicators",
        "",
    ),
    "projects": (_("the mission's projects"), "projects", ""),
    "projects.sectors": (_("the sectors of the projects"), "projects", ""),
    "projects.disciplines": (_("the disciplines of the projects"), "projects", ""),
    "projects.solution_approaches": (_("projects' solution approaches"), "", ""),
    "budget": (_("the committed budget"), "budget", "id_committed_budget"),
    "budget.estimated_need": (
        _("the estimated money the mission needs"),
        "budget",
        "id_estimated_need",
    ),
    "team": (_("the mission team's full-time equivalents"), "team", "id_team_fte"),
    "mandate": (_("where the mandate comes from"), "mandate", "id_mandate_source"),
    "mandate.reference": (_("the mandate's reference"), "mandate", "id_mandate_reference"),
    "mandate.date": (_("the date of the mandate"), "mandate", "id_mandate_date"),
    "governance": (_("the mission's owner and coordinator"), "governance", "id_owner"),
    "stakeholders": (_("the stakeholder map"), "stakeholders", ""),
    "stakeholders.engagement": (
        _("consultations and other engagement with stakeholders"),
        "stakeholders",
        "",
    ),
    "indicators": (_("indicators for the headline targets"), "indicators", ""),
    "reviews": (_("a first review of the mission"), "reviews", ""),
    "theory_of_change": (_("the theory of change"), "theory_of_change", ""),
    "canvas": (_("the canvas"), "", ""),
    "new_entrants": (_("which organisations are new to the mission"), "", ""),
    "governance_bodies": (_("governance bodies"), "", ""),
    "governance.co_owners": (_("co-owners"), "", ""),
    "funding_sources": (_("funding sources"), "", ""),
    "rewards.public_money": (
        _("the public funding of the projects whose terms are recorded"),
        "projects",
        "",
    ),
    "participation": (
        _("a public consultation on the mission with ideas sent in"),
        "participation",
        "",
    ),
    "participation.answers": (
        _("a consultation whose decision date has passed, so its ideas can be answered"),
        "participation",
        "",
    ),
    "rewards.terms": (
        _("the public-value terms of the projects (who puts in what, and on what conditions)"),
        "risks_rewards",
        "",
    ),
}
NEEDS_LABELS: dict[str, Promise] = {key: label for key, (label, _place, _f) in NEEDS.items()}


EVIDENCE_LABELS: dict[str, Promise] = {
    "words": _("Words"),
    "limit": _("Limit"),
    "minimum": _("Minimum"),
    "unexplained": _("Unexplained abbreviations"),
    "lix": _("Readability (LIX, lower is easier)"),
    "flesch": _("Flesch reading ease (English, higher is easier)"),
    "language": _("Language (guessed)"),
    "opening_word": _("First word"),
    "verb": _("Activity verb"),
    "sdgs": _("Goals"),
    "targets": _("Targets"),
    "measurable": _("Measurable headline targets"),
    "incomplete": _("Headline targets missing details"),
    "deadline_year": _("Deadline"),
    "start_year": _("Start"),
    "horizon": _("Years from start to deadline"),
    "range": _("Expected range (years)"),
    "found": _("Found in the statement"),
    "milestone_years": _("Milestone years"),
    "geography": _("Geography"),
    "statement_years": _("Years in the statement"),
    "projects": _("Projects"),
    "committed": _("Committed budget"),
    "estimated_need": _("Estimated need"),
    "currency": _("Currency"),
    "share": _("Share"),
    "uncovered": _("Headline targets without a project"),
    "stages": _("Stages"),
    "sectors": _("Sectors"),
    "fields": _("Disciplines"),
    "government": _("Government bodies in charge"),
    "levels": _("Levels of government"),
    "top_lead": _("Largest lead"),
    "top_share": _("Its share of the budget"),
    "live_projects": _("Projects planned or under way"),
    "instruments": _("Instruments"),
    "hhi": _("Concentration index (0 to 1)"),
    "pre_existing": _("Projects that existed before"),
    "share_of_projects": _("Share of projects"),
    "share_of_budget": _("Share of budget"),
    "new_share": _("Share of new money"),
    "unlinked": _("Projects without a target"),
    "missing": _("Missing"),
    "team_fte": _("Team (full-time equivalents)"),
    "owner_active_missions": _("Active missions of this owner"),
    "policy_domain_missions": _("Missions in this policy area"),
    "not_checked": _("Not checked yet"),
    "reason": _("Note"),
    "steps": _("Steps"),
    "indicator_levels": _("Indicator levels"),
    "links": _("Links"),
    "indicators": _("Indicators"),
    "required_rate": _("Change needed per year"),
    "trend_rate": _("Change per year so far"),
    "affected_population": _("People affected"),
    "present": _("Groups taking part"),
    "actors": _("Who"),
    "targets_without_indicator": _("Headline targets without an indicator"),
    "recorded": _("Activities recorded"),
    "source": _("Mandate"),
    "reference": _("Reference"),
    "date": _("Date"),
    "status": _("Mission status"),
    "latest_review": _("Latest review"),
    "recent_review": _("Reviewed in the last year"),
    "public_money": _("Public money at risk"),
    "reward_conditions": _("Reward or access conditions"),
    "helix_government": _("Government"),
    "helix_industry": _("Industry"),
    "helix_academia": _("Research"),
    "helix_civil_society": _("Civil society"),
    "public_consultations": _("Public consultations with ideas"),
    "participants": _("People who took part"),
    "places": _("Places the ideas came from"),
    "organisations": _("Organisations that sent in ideas"),
    "minimum_participants": _("Fewest people expected"),
    "minimum_places": _("Fewest places expected"),
    "answered": _("Ideas answered"),
    "due": _("Ideas due an answer"),
    "taken_up": _("Ideas taken up"),
    "minimum_share": _("Share to answer"),
}
HIDDEN_EVIDENCE = {
    "needs",
    "to_complete",
    "warn_above",
    "high_above",
    "hhi_limit",
    "top3_limit",
    "owner_limit",
    "policy_domain_limit",
    "currency",
}


# Evidence that is a share of one (0.32), shown as a percentage (32%).
PERCENT_EVIDENCE = {
    "share",
    "minimum_share",
    "top_share",
    "new_share",
    "share_of_projects",
    "share_of_budget",
    "relative_change",
}


def _evidence_text(value: Any, key: str = "") -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, list):
        return ", ".join(_evidence_text(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(
            f"{in_sentence(EVIDENCE_LABELS.get(k, k.replace('_', ' ')))}: {_evidence_text(v, k)}"
            for k, v in value.items()
        )
    if isinstance(value, (int, float, Decimal)):
        share = key in PERCENT_EVIDENCE or (
            key in ("minimum", "limit") and not float(value).is_integer() and 0 < value < 1
        )
        if share:
            return _("%(percent)s%%") % {"percent": floatformat(value * 100, -1)}
        return floatformat(value, -2)
    return str(value).replace("_", " ")


def evidence_lines(evidence: dict[str, Any]) -> list[tuple[Promise | str, str]]:
    """Evidence as (label, text) lines a person can read."""
    return [
        (EVIDENCE_LABELS.get(key, key.replace("_", " ").capitalize()), _evidence_text(value, key))
        for key, value in evidence.items()
        if key not in HIDDEN_EVIDENCE
    ]


# Where each kind of fix is made: (URL name, extra URL arguments). Parts that later issues
# add (stakeholders, indicators, reviews) go to the canvas box that covers them, if it exists.
FIX_PLACES: dict[str, tuple[str, dict[str, str]]] = {
    "statement": ("missions:edit_group", {"group": "basics"}),
    "challenge": ("missions:edit_group", {"group": "basics"}),
    "deadline": ("missions:edit_group", {"group": "basics"}),
    "geography": ("missions:edit_group", {"group": "basics"}),
    "sdgs": ("missions:edit_group", {"group": "basics"}),
    "mandate": ("missions:edit_group", {"group": "governance"}),
    "governance": ("missions:edit_group", {"group": "governance"}),
    "budget": ("missions:edit_group", {"group": "resources"}),
    "team": ("missions:edit_group", {"group": "resources"}),
    "targets": ("missions:targets", {}),
    "projects": ("missions:projects", {}),
    "stakeholders": ("stakeholders:map", {}),
    "affected_population": ("missions:edit_group", {"group": "basics"}),
    "indicators": ("evaluation:indicators", {}),
    "learning": ("canvas:canvas", {}),
    "reviews": ("evaluation:reviews", {}),
    "theory_of_change": ("evaluation:toc", {}),
    "risks_rewards": ("rewards:mission", {}),
    "participation": ("participation:mission", {}),
}


def fix_url(mission: Mission, fix_field: str) -> str:
    """A link to the page (or inline form) where `fix_field` is changed; empty if none yet."""
    name, extra = FIX_PLACES.get(fix_field, ("missions:overview", {}))
    try:
        return reverse(
            name,
            kwargs={"org_slug": mission.organisation.slug, "mission_key": mission.key, **extra},
        )
    except NoReverseMatch:
        return ""


def needs_url(mission: Mission, needs: str) -> str:
    """Where the missing data `needs` is entered (with the form field to jump to), or ""."""
    _label, place, field_id = NEEDS.get(needs, ("", "", ""))
    if not place:
        return ""
    url = fix_url(mission, place)
    return f"{url}#{field_id}" if url and field_id else url


@dataclass(frozen=True)
class ToComplete:
    """One item of the mission's "To complete" list: missing data some checks need."""

    needs: str
    label: Promise | str
    url: str
    checks: list[Rule]


def to_complete(mission: Mission, run: AssessmentRun | None, rows: list[CriterionRow]) -> list:
    """What is missing for checks to judge the mission, one item per piece of data, in the
    order of NEEDS, each with the checks waiting for it and a link to where it is entered."""
    waiting: dict[str, list[Rule]] = {}

    def add(needs: str, rule: Rule | None) -> None:
        if not needs:
            return
        rules = waiting.setdefault(needs, [])
        if rule is not None and rule not in rules:
            rules.append(rule)

    for row in rows:
        for signal_row in row.signals:
            if signal_row.status == Status.NOT_ASSESSED:
                add(signal_row.evidence.get("needs", ""), signal_row.rule)
            for needs in signal_row.evidence.get("to_complete") or []:
                add(needs, signal_row.rule)
    if run is not None:
        for code, detail in (run.checks or {}).items():
            status, needs, more = _check_state(detail)
            rule = get_rule(code)
            if status == Status.NOT_ASSESSED:
                add(needs, rule)
            for item in more:
                add(item, rule)
    order = {key: i for i, key in enumerate(NEEDS)}
    items = []
    for needs in sorted(waiting, key=lambda k: (order.get(k, len(order)), k)):
        label, place, _field = NEEDS.get(needs, (needs, "", ""))
        if not place:
            continue  # data Lodestar has no form for yet: listed under "not checked"
        items.append(ToComplete(needs, label, needs_url(mission, needs), waiting[needs]))
    return items


def _check_state(detail: Any) -> tuple[str, str, list[str]]:
    """A run's stored warning check: the status, and what it needs (older runs stored only the
    status text)."""
    if isinstance(detail, dict):
        return detail.get("status", ""), detail.get("needs", ""), detail.get("to_complete", [])
    return str(detail), "", []


@dataclass(frozen=True)
class SignalRow:
    rule: Rule
    status: str
    weight: float
    evidence: dict[str, Any]
    fix_field: str
    fix_url: str
    needs_url: str = ""

    @property
    def status_label(self) -> Promise:
        return STATUS_LABELS[Status(self.status)]

    @property
    def needs(self) -> Promise | str:
        needs = self.evidence.get("needs", "")
        return NEEDS_LABELS.get(needs, needs)

    @property
    def is_judged(self) -> bool:
        return self.status in JUDGED

    @property
    def tag_class(self) -> str:
        return {
            Status.PASSED: "govuk-tag--green",
            Status.PARTLY: "govuk-tag--yellow",
            Status.NOT_PASSED: "govuk-tag--red",
        }.get(Status(self.status), "govuk-tag--grey")

    @property
    def fix_section(self) -> Promise | str:
        return FIX_SECTIONS.get(self.fix_field, self.fix_field)

    @property
    def evidence_lines(self) -> list[tuple[Promise | str, str]]:
        return evidence_lines(self.evidence)


@dataclass(frozen=True)
class CriterionRow:
    criterion: Criterion
    auto_score: int | None
    auto_band: str
    signals: list[SignalRow]
    verdict: CriterionVerdict | None
    status: DisplayStatus

    @property
    def code(self) -> str:
        return self.criterion.code

    @property
    def auto_label(self) -> Promise:
        return AUTO_LABELS[self.auto_band]

    @property
    def unmet(self) -> list[SignalRow]:
        return [s for s in self.signals if s.status == Status.NOT_PASSED]

    @property
    def judged_count(self) -> int:
        return completeness([{"status": s.status} for s in self.signals])[0]

    @property
    def applicable_count(self) -> int:
        return completeness([{"status": s.status} for s in self.signals])[1]

    @property
    def status_reason(self) -> str:
        return status_reason(self.auto_score, self.verdict.rating if self.verdict else None)


@dataclass(frozen=True)
class WarningRow:
    finding: Finding
    rule: Rule | None
    fix_url: str

    @property
    def severity_label(self) -> Promise | str:
        return SEVERITY_LABELS.get(Severity(self.finding.severity), self.finding.severity)

    @property
    def tag_class(self) -> str:
        return {
            "high": "govuk-tag--red",
            "warn": "govuk-tag--orange",
            "info": "govuk-tag--blue",
        }.get(self.finding.severity, "govuk-tag--grey")

    @property
    def evidence_lines(self) -> list[tuple[Promise | str, str]]:
        return evidence_lines(self.finding.evidence)

    @property
    def fix_section(self) -> Promise | str:
        field_name = self.rule.fix_field if self.rule else ""
        return FIX_SECTIONS.get(field_name, field_name)


@dataclass(frozen=True)
class Assessment:
    """Everything the criteria page shows for one mission."""

    mission: Mission
    state: AssessmentState | None
    last_run: AssessmentRun | None
    active_run: AssessmentRun | None  # queued or running
    failed_run: AssessmentRun | None  # the latest run, if it failed and nothing is active
    criteria: list[CriterionRow]
    warnings: list[WarningRow]
    not_checked: list[Rule] = field(default_factory=list)  # warnings waiting for data
    to_complete: list[ToComplete] = field(default_factory=list)  # missing data, with links

    @property
    def is_pending(self) -> bool:
        return bool(self.state and self.state.is_pending)

    @property
    def is_assessing(self) -> bool:
        """A run is queued or running: the page polls until it finishes."""
        return self.active_run is not None

    @property
    def open_warning_count(self) -> int:
        return sum(1 for w in self.warnings if w.finding.status == FindingStatus.OPEN)


def latest_verdicts(mission: Mission) -> dict[str, CriterionVerdict]:
    verdicts: dict[str, CriterionVerdict] = {}
    for verdict in CriterionVerdict.objects.filter(mission=mission).select_related("reviewer"):
        verdicts.setdefault(verdict.criterion, verdict)  # newest first
    return verdicts


def _results(
    state: AssessmentState | None, *, scores_only: bool = False
) -> dict[str, CriterionResult]:
    """The last run's result per criterion; `scores_only` leaves the signals (the checks and
    their evidence, most of a result) unread, for a summary that shows the scores' bands."""
    if state is None or state.last_run_id is None:
        return {}
    results = CriterionResult.objects.filter(run_id=state.last_run_id)
    if scores_only:
        results = results.only("criterion", "auto_score", "run_id")
    return {r.criterion: r for r in results}


def _criterion_rows(
    mission: Mission,
    results: dict[str, CriterionResult],
    verdicts: dict[str, CriterionVerdict],
    *,
    signals: bool = True,
) -> list[CriterionRow]:
    """One row per criterion: its automatic band, the reviewer's verdict and the status shown;
    with `signals`, each check with its evidence and the links to mend it (the criteria page;
    the header summary shows none of them)."""
    t = threshold_settings.current()
    rows = []
    for code, criterion in CRITERIA.items():
        result = results.get(code)
        score = result.auto_score if result else None
        signal_rows = []
        for item in result.signals if result and signals else []:
            rule = get_rule(item["code"])
            if rule is None:  # a rule retired since this run
                continue
            signal_rows.append(
                SignalRow(
                    rule=rule,
                    status=item["status"],
                    weight=item.get("weight", 1),
                    evidence=item.get("evidence", {}),
                    fix_field=item.get("fix_field", ""),
                    fix_url=fix_url(mission, item.get("fix_field", "")),
                    needs_url=needs_url(mission, item.get("evidence", {}).get("needs", "")),
                )
            )
        verdict = verdicts.get(code)
        rows.append(
            CriterionRow(
                criterion=criterion,
                auto_score=score,
                auto_band=auto_band(score, t) if result else "unknown",
                signals=signal_rows,
                verdict=verdict,
                status=displayed_status(score, verdict.rating if verdict else None, t),
            )
        )
    return rows


def _summary_rows(mission: Mission, scores: dict[str, CriterionResult]) -> list[CriterionRow]:
    """`_criterion_rows` for a summary: bands, verdicts and statuses, without the checks (read
    `scores` with `_results(..., scores_only=True)`)."""
    return _criterion_rows(mission, scores, latest_verdicts(mission), signals=False)


def warnings_for(mission: Mission, *, links: bool = True) -> list[WarningRow]:
    """Current warnings (not resolved), most severe first, open before decided; without
    `links`, no link to mend each (a document prints none)."""
    findings = Finding.objects.current().filter(mission=mission).select_related("decided_by")
    rows = []
    for finding in findings:
        rule = get_rule(finding.code)
        url = fix_url(mission, rule.fix_field) if rule and links else ""
        rows.append(WarningRow(finding, rule, url))
    return sorted(
        rows,
        key=lambda r: (
            r.finding.status != FindingStatus.OPEN,
            SEVERITY_ORDER.get(Severity(r.finding.severity), 9),
            r.finding.code,
        ),
    )


def assessment_for(mission: Mission) -> Assessment:
    """The criteria page's data for a mission the user may see."""
    state = AssessmentState.objects.filter(mission=mission).select_related("last_run").first()
    runs = list(AssessmentRun.objects.filter(mission=mission).order_by("-created_at", "-pk")[:5])
    active = next((r for r in runs if r.status in (RunStatus.QUEUED, RunStatus.RUNNING)), None)
    latest = runs[0] if runs else None
    failed = latest if latest and latest.status == RunStatus.FAILED and not active else None
    last_run = state.last_run if state else None
    not_checked = [
        rule
        for rule in warning_rules()
        if last_run and _check_state(last_run.checks.get(rule.code))[0] == Status.NOT_ASSESSED
    ]
    criteria = _criterion_rows(mission, _results(state), latest_verdicts(mission))
    return Assessment(
        mission=mission,
        state=state,
        last_run=last_run,
        active_run=active,
        failed_run=failed,
        criteria=criteria,
        warnings=warnings_for(mission),
        not_checked=not_checked,
        to_complete=to_complete(mission, last_run, criteria),
    )


@dataclass(frozen=True)
class BriefingAssessment:
    """What a briefing prints of a mission's assessment (documents.criteria)."""

    assessed_once: bool
    criteria: list[CriterionRow]
    warnings: list[WarningRow]


def assessment_for_briefing(mission: Mission) -> BriefingAssessment:
    """Each criterion's band, verdict and status, and the current warnings: what a briefing
    prints. Not the checks' evidence, the links to mend them, the runs or what is left to
    complete, which only the criteria page shows (`assessment_for`). Four queries."""
    state = AssessmentState.objects.filter(mission=mission).only("mission", "last_run").first()
    return BriefingAssessment(
        assessed_once=state is not None and state.last_run_id is not None,
        criteria=_summary_rows(mission, _results(state, scores_only=True)),
        warnings=warnings_for(mission, links=False),
    )


def criteria_summary(mission: Mission) -> list[tuple[str, Promise, DisplayStatus]]:
    """A compact summary for the mission page's header: one (code, name, displayed status)
    per criterion. Status is "awaiting review" until a reviewer has rated the criterion;
    the automatic score alone is never turned into a verdict. Three queries."""
    state = AssessmentState.objects.filter(mission=mission).first()
    rows = _summary_rows(mission, _results(state, scores_only=True))
    return [(row.code, row.criterion.name, row.status) for row in rows]


# --- The header panel: compact, live -----------------------------------------------------------

# The automatic side in the header, in words and never as a verdict.
HEADER_AUTO_LABELS: dict[str, Promise] = {
    "meets": _("checks met"),
    "partly": _("some checks not met"),
    "fails": _("most checks not met"),
    "unknown": _("too little data to check"),
    "unchecked": _("not checked yet"),
}


@dataclass(frozen=True)
class SummaryRow:
    code: str
    name: Promise | str
    status: Any  # DisplayStatus
    auto_band: str

    @property
    def auto_label(self) -> Promise:
        return HEADER_AUTO_LABELS[self.auto_band]


def header_summary(mission: Mission) -> dict[str, Any]:
    """The header panel's context: per criterion the displayed status and the automatic band
    in words, and whether an assessment is queued or running (the panel then polls). Four
    queries, whatever the size of the mission (the run under way is asked with the state)."""
    under_way = AssessmentRun.objects.filter(
        mission=mission, status__in=(RunStatus.QUEUED, RunStatus.RUNNING)
    )
    state = (
        AssessmentState.objects.filter(mission=mission)
        .annotate(assessing=Exists(under_way))
        .first()
    )
    results = _results(state, scores_only=True)
    rows = _summary_rows(mission, results)
    # No state: no assessment was ever asked for (a run is queued only once the state exists).
    assessing = bool(state is not None and state.assessing)
    return {
        "summary_rows": [
            SummaryRow(
                row.code,
                row.criterion.short_name or row.criterion.name,
                row.status,
                row.auto_band if row.code in results else "unchecked",
            )
            for row in rows
        ],
        "assessing": assessing,
        "checked_at": state.checked_at if state else None,
    }


# --- Readiness check and go/no-go review ---------------------------------------------------------


def readiness_checks_for(mission: Mission, limit: int = 10) -> list[ReadinessCheck]:
    """The mission's readiness checks, newest first."""
    return list(ReadinessCheck.objects.filter(mission=mission).select_related("taken_by")[:limit])


@dataclass(frozen=True)
class GoNoGoRow:
    item: Any  # GoNoGoItem
    question: Promise
    hint: Any  # gonogo.Hint | None
    answer: Any  # GoNoGoAnswer | None


@dataclass(frozen=True)
class GoNoGoPanel:
    rows: list[GoNoGoRow]
    latest: GoNoGoReview | None
    history: list[GoNoGoReview]

    @property
    def counts(self) -> dict[str, int]:
        counts = {"go": 0, "no_go": 0, "unsure": 0}
        for row in self.rows:
            if row.answer is not None:
                counts[row.answer.decision] += 1
        return counts


def gonogo_for(mission: Mission, last_run: AssessmentRun | None) -> GoNoGoPanel:
    """The six items with their hints and the latest review's answers, plus the history."""
    from evaluation import gonogo
    from evaluation.models import GoNoGoItem

    history = list(
        GoNoGoReview.objects.filter(mission=mission)
        .select_related("reviewer")
        .prefetch_related("answers")[:10]
    )
    latest = history[0] if history else None
    answers = {a.item: a for a in latest.answers.all()} if latest else {}
    hints = gonogo.hints_for(mission, last_run)
    rows = [
        GoNoGoRow(item, gonogo.QUESTIONS[item], hints.get(item), answers.get(item.value))
        for item in GoNoGoItem
    ]
    return GoNoGoPanel(rows=rows, latest=latest, history=history)
