"""The rule registry: the five criteria, the shape of a rule and of its result.

A rule is a small pure function `check(ctx) -> Result` over the assessment input (wrapped in a
`Context` that computes shared facts once). Two kinds:

- **signals** feed a criterion's automatic score (each has a weight, see thresholds.py);
- **warnings** name a failure mode (docs/domain.md §5.4) and carry a severity when they fire.

Every result has a status — passed, not passed, not applicable, not assessed — and evidence:
the objects and numbers that decided it, as plain JSON. "Not assessed" is for data Lodestar
does not record yet; such a rule never passes silently. The words a person reads (names,
explanations, fix hints) live on the rule, marked for translation, and are looked up when a page
is shown, so stored results are language-neutral.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import cached_property
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from evaluation.criteria import statement as statement_analysis


class Status(StrEnum):
    PASSED = "passed"
    PARTLY = "partly"
    NOT_PASSED = "not_passed"
    NOT_APPLICABLE = "not_applicable"
    NOT_ASSESSED = "not_assessed"


STATUS_LABELS = {
    Status.PASSED: _("Met"),
    Status.PARTLY: _("Partly met"),
    Status.NOT_PASSED: _("Not met"),
    Status.NOT_APPLICABLE: _("Does not apply"),
    Status.NOT_ASSESSED: _("Cannot be judged yet"),
}

# Statuses that judge the mission on recorded data (the others: does not apply, or the data
# the check needs is missing).
JUDGED = (Status.PASSED, Status.PARTLY, Status.NOT_PASSED)


class Severity(StrEnum):
    INFO = "info"
    WARN = "warn"
    HIGH = "high"


SEVERITY_ORDER = {Severity.HIGH: 0, Severity.WARN: 1, Severity.INFO: 2}
SEVERITY_LABELS = {
    Severity.HIGH: _("High"),
    Severity.WARN: _("Warning"),
    Severity.INFO: _("For information"),
}


@dataclass(frozen=True)
class Criterion:
    code: str
    name: Promise
    explanation: Promise  # one sentence a minister's adviser understands
    human_question: Promise  # what only a person can judge
    short_name: Promise | str = ""  # two or three words, for the compact summary on every page


CRITERIA: dict[str, Criterion] = {
    c.code: c
    for c in [
        Criterion(
            "c1",
            _("Bold, inspiring and relevant to society"),
            _(
                "People outside government should understand the mission at once and see why "
                "it matters to their daily lives."
            ),
            _("Is it inspiring and clear to citizens, and genuinely more than business as usual?"),
            short_name=_("Bold and relevant"),
        ),
        Criterion(
            "c2",
            _("Clear direction: targeted, measurable and time-bound"),
            _(
                "By the deadline, anyone should be able to answer “did we achieve it?” with yes "
                "or no."
            ),
            _("Is the indicator a fair measure of the goal, and is the data timely and reliable?"),
            short_name=_("Clear and targeted"),
        ),
        Criterion(
            "c3",
            _("Ambitious but realistic research and innovation"),
            _(
                "The goal should need new research and innovation, and have the projects and "
                "money to get there."
            ),
            _("Can these projects and this budget plausibly reach the target?"),
            short_name=_("Ambitious but realistic"),
        ),
        Criterion(
            "c4",
            _("Across disciplines, sectors and actors"),
            _(
                "Missions succeed when several sectors, disciplines and kinds of organisation "
                "work on them together."
            ),
            _("Do these organisations really work together, or are they only listed?"),
            short_name=_("Across sectors"),
        ),
        Criterion(
            "c5",
            _("Many solutions, open to bottom-up ideas"),
            _(
                "A mission should back a portfolio of competing approaches, some of which will "
                "fail, not one chosen path."
            ),
            _("Is the portfolio genuinely open to competing solutions, with room to learn?"),
            short_name=_("Open to many solutions"),
        ),
    ]
}


@dataclass(frozen=True)
class Result:
    """What one check found. `severity` is set by warnings that fire with a non-default level."""

    status: Status
    evidence: dict[str, Any] = field(default_factory=dict)
    severity: Severity | None = None


def passed(**evidence: Any) -> Result:
    return Result(Status.PASSED, evidence)


def not_passed(*, severity: Severity | None = None, **evidence: Any) -> Result:
    return Result(Status.NOT_PASSED, evidence, severity)


def not_applicable(**evidence: Any) -> Result:
    return Result(Status.NOT_APPLICABLE, evidence)


def partly(**evidence: Any) -> Result:
    """Met for part of what the check looks at (it counts half in the criterion's score)."""
    return Result(Status.PARTLY, evidence)


def not_assessed(needs: str, **evidence: Any) -> Result:
    """Cannot be judged yet: the data this check needs (`needs`: a key of
    evaluation.selectors.NEEDS, such as "projects", "budget" or "stakeholders") is not recorded.
    Missing data never fails a check: such a result is left out of the criterion's score."""
    return Result(Status.NOT_ASSESSED, {"needs": needs, **evidence})


def check_when(condition: bool, **evidence: Any) -> Result:
    return passed(**evidence) if condition else not_passed(**evidence)


@dataclass(frozen=True)
class Rule:
    code: str
    kind: str  # "signal" or "warning"
    label: Promise  # short name of the check
    explanation: Promise  # one sentence: what it checks and why it matters
    hint: Promise  # how to fix it, in plain words
    fix_field: str  # the mission section or field that fixes it
    check: Callable[[Context], Result]
    criterion: str = ""  # signals only
    severity: Severity = Severity.WARN  # warnings only: the level when it fires


@dataclass(frozen=True)
class Outcome:
    """A rule applied to one mission: the result plus what a page needs to explain it."""

    rule: Rule
    result: Result
    weight: float = 0

    @property
    def code(self) -> str:
        return self.rule.code

    @property
    def status(self) -> Status:
        return self.result.status

    @property
    def evidence(self) -> dict[str, Any]:
        return self.result.evidence

    @property
    def hint(self) -> Promise:
        return self.rule.hint

    @property
    def fix_field(self) -> str:
        return self.rule.fix_field

    @property
    def fires(self) -> bool:
        return self.rule.kind == "warning" and self.result.status == Status.NOT_PASSED

    @property
    def severity(self) -> Severity:
        return self.result.severity or self.rule.severity

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "code": self.code,
            "status": str(self.status),
            "evidence": self.evidence,
            "fix_field": self.fix_field,
        }
        if self.rule.kind == "signal":
            data["weight"] = self.weight
        elif self.fires:
            data["severity"] = str(self.severity)
        return data


_registry: dict[str, Rule] = {}


def register(rule: Rule) -> Rule:
    if rule.code in _registry and _registry[rule.code] is not rule:
        raise ValueError(f"Two rules share the code {rule.code}.")
    _registry[rule.code] = rule
    return rule


def signal(
    code: str, *, criterion: str, label: Promise, explanation: Promise, hint: Promise, fix: str
) -> Callable[[Callable[[Context], Result]], Callable[[Context], Result]]:
    """Decorator: register `check` as a signal of `criterion`."""

    def decorate(check: Callable[[Context], Result]) -> Callable[[Context], Result]:
        register(Rule(code, "signal", label, explanation, hint, fix, check, criterion=criterion))
        return check

    return decorate


def warning(
    code: str,
    *,
    severity: Severity,
    label: Promise,
    explanation: Promise,
    hint: Promise,
    fix: str,
) -> Callable[[Callable[[Context], Result]], Callable[[Context], Result]]:
    """Decorator: register `check` as a warning; it fires when the check is not passed."""

    def decorate(check: Callable[[Context], Result]) -> Callable[[Context], Result]:
        register(Rule(code, "warning", label, explanation, hint, fix, check, severity=severity))
        return check

    return decorate


def all_rules() -> list[Rule]:
    _load()
    return list(_registry.values())


def signals_for(criterion: str) -> list[Rule]:
    return [r for r in all_rules() if r.kind == "signal" and r.criterion == criterion]


def warning_rules() -> list[Rule]:
    return [r for r in all_rules() if r.kind == "warning"]


def get_rule(code: str) -> Rule | None:
    _load()
    return _registry.get(code)


def _load() -> None:
    # The rule modules register themselves on import.
    from evaluation.criteria import signals, warnings  # noqa: F401


# --- Context: shared facts about the input, computed once -------------------------------------


def number(value: Any) -> Decimal | None:
    """A decimal from the exchange format's number text, or None."""
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def plain_number(value: Decimal | float | None) -> float | int | None:
    """A number for evidence JSON: whole numbers as int, others rounded to 4 places."""
    if value is None:
        return None
    value = Decimal(value)
    if value == value.to_integral_value():
        return int(value)
    return round(float(value), 4)


LIVE_PROJECT_STATUSES = {"planned", "active"}
OPEN_ORIGINS = {"open_call", "bottom_up"}
RI_STAGES = {"research", "development", "demonstration"}
UPTAKE_STAGES = {"deployment", "diffusion"}
UPTAKE_INSTRUMENTS = {"regulation", "procurement"}
ENGAGEMENT_LEVELS = ["inform", "consult", "involve", "collaborate", "empower"]
QUADRUPLE_HELIX = ["government", "industry", "academia", "civil_society"]


def engaged_at_least(level: str | None, minimum: str) -> bool:
    """Whether an engagement level is `minimum` or more (inform < consult < … < empower)."""
    if level not in ENGAGEMENT_LEVELS:
        return False
    return ENGAGEMENT_LEVELS.index(level) >= ENGAGEMENT_LEVELS.index(minimum)


class Context:
    """The assessment input plus derived facts the rules share. Pure: reads only `data`."""

    def __init__(self, data: dict[str, Any], thresholds: dict[str, Any]):
        self.data = data
        self.t = thresholds

    @property
    def mission(self) -> dict[str, Any]:
        return self.data["mission"]

    @property
    def actors(self) -> dict[str, dict[str, Any]]:
        return self.data.get("actors") or {}

    @cached_property
    def statement(self) -> statement_analysis.StatementAnalysis:
        return statement_analysis.analyse(
            self.mission.get("statement") or "",
            glossary=self.t["acronym_glossary"],
            language=self.mission.get("language") or "",
            start_year=statement_analysis.start_year_of(self.mission),
        )

    @cached_property
    def targets(self) -> list[dict[str, Any]]:
        return list(self.mission.get("targets") or [])

    @cached_property
    def headline_targets(self) -> list[dict[str, Any]]:
        return [t for t in self.targets if t.get("is_headline")]

    @cached_property
    def projects(self) -> list[dict[str, Any]]:
        return list(self.mission.get("projects") or [])

    @cached_property
    def live_projects(self) -> list[dict[str, Any]]:
        """Projects planned or under way (not paused, stopped or completed)."""
        return [p for p in self.projects if p.get("status") in LIVE_PROJECT_STATUSES]

    def budget(self, project: dict[str, Any]) -> Decimal:
        return number(project.get("budget")) or Decimal(0)

    @cached_property
    def project_budget_total(self) -> Decimal:
        return sum((self.budget(p) for p in self.projects), Decimal(0))

    def is_pre_existing(self, project: dict[str, Any]) -> bool:
        """Existed before the mission: origin says so, or it started before approval."""
        if project.get("origin") == "pre_existing":
            return True
        start, approved = project.get("start_date"), self.mission.get("approved_on")
        return bool(start and approved and start < approved)

    def actor(self, key: str | None) -> dict[str, Any] | None:
        return self.actors.get(key) if key else None

    def actor_name(self, key: str | None) -> str | None:
        actor = self.actor(key)
        if actor:
            return actor["name"]
        found = next((s for s in self.stakeholders if s.get("actor") == key), None)
        return (found.get("actor_name") or key) if found else key

    @cached_property
    def theory_of_change(self) -> dict[str, Any] | None:
        """The "theory_of_change" section: {"steps", "links"} (None: not recorded)."""
        data = self.data.get("theory_of_change")
        return data if isinstance(data, dict) else None

    @cached_property
    def stakeholder_map(self) -> dict[str, Any] | None:
        """The "stakeholders" section (None: the stakeholder data does not exist)."""
        data = self.data.get("stakeholders")
        return data if isinstance(data, dict) else None

    @cached_property
    def stakeholders(self) -> list[dict[str, Any]]:
        return list((self.stakeholder_map or {}).get("stakeholders") or [])

    @cached_property
    def activities(self) -> list[dict[str, Any]]:
        return list((self.stakeholder_map or {}).get("engagement") or [])

    @cached_property
    def core_team_keys(self) -> list[str]:
        """Owner and coordinator, plus the actors the stakeholder map puts in the core team
        (owners, coordinators, mission board members and others marked so)."""
        keys = [self.mission.get("owner"), self.mission.get("coordinator")]
        keys += [s.get("actor") for s in self.stakeholders if s.get("core_team")]
        return sorted({k for k in keys if k})

    def actor_helix(self, key: str | None) -> str | None:
        actor = self.actor(key)
        if actor:
            return actor.get("helix")
        found = next((s for s in self.stakeholders if s.get("actor") == key), None)
        return found.get("helix") if found else None

    @cached_property
    def involved_actor_keys(self) -> list[str]:
        keys = set(self.core_team_keys)
        for project in self.projects:
            if project.get("lead"):
                keys.add(project["lead"])
            keys.update(project.get("partners") or [])
        return sorted(keys)

    @cached_property
    def budget_by_lead(self) -> dict[str, Decimal]:
        """Project budget per lead organisation, for projects with both a lead and a budget."""
        shares: dict[str, Decimal] = {}
        for project in self.projects:
            amount = self.budget(project)
            if project.get("lead") and amount > 0:
                shares[project["lead"]] = shares.get(project["lead"], Decimal(0)) + amount
        return shares


def hhi(amounts: list[Decimal]) -> float | None:
    """Herfindahl–Hirschman index of shares (0 = spread thin, 1 = all in one)."""
    total = sum(amounts, Decimal(0))
    if total <= 0:
        return None
    return round(float(sum((a / total) ** 2 for a in amounts)), 4)


def share(part: Decimal | int, whole: Decimal | int) -> float | None:
    if not whole:
        return None
    return round(float(Decimal(part) / Decimal(whole)), 4)
