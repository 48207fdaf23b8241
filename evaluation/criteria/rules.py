"""The rule registry: the five criteria, the shape of a rule and of its result.

A rule is a small pure function `check(ctx) -> Result` over the assessment input (wrapped in a
`Context` that computes shared facts once, facts.py). Two kinds:

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
from enum import StrEnum
from functools import partial
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from evaluation.criteria.facts import Context


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


def graded(met: bool, partly_met: bool, **evidence: Any) -> Result:
    """Passed when `met`, else partly met when `partly_met`, else not passed."""
    if met:
        return passed(**evidence)
    return partly(**evidence) if partly_met else not_passed(**evidence)


# A rule's check: a pure function of the input and its shared facts.
Check = Callable[[Context], Result]


def not_recorded_yet(needs: str) -> Check:
    """The check of a rule whose data Lodestar does not record yet (docs/domain.md §5.4): it
    always answers "not assessed", naming that data, so the rule is shown as not checked yet
    and never fires."""

    def check(ctx: Context) -> Result:
        return not_assessed(needs)

    return check


@dataclass(frozen=True)
class Rule:
    code: str
    kind: str  # "signal" or "warning"
    label: Promise  # short name of the check
    explanation: Promise  # one sentence: what it checks and why it matters
    hint: Promise  # how to fix it, in plain words
    fix_field: str  # the mission section or field that fixes it
    check: Check
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


def _registering(make_rule: Callable[[Check], Rule]) -> Callable[[Check], Check]:
    """A decorator that registers the rule `make_rule` builds around a check, and returns the
    check unchanged (so it stays a plain function, callable on its own)."""

    def decorate(check: Check) -> Check:
        register(make_rule(check))
        return check

    return decorate


def signal(
    code: str, *, criterion: str, label: Promise, explanation: Promise, hint: Promise, fix: str
) -> Callable[[Check], Check]:
    """Decorator: register `check` as a signal of `criterion`."""
    return _registering(
        partial(Rule, code, "signal", label, explanation, hint, fix, criterion=criterion)
    )


def warning(
    code: str,
    *,
    severity: Severity,
    label: Promise,
    explanation: Promise,
    hint: Promise,
    fix: str,
) -> Callable[[Check], Check]:
    """Decorator: register `check` as a warning; it fires when the check is not passed."""
    return _registering(
        partial(Rule, code, "warning", label, explanation, hint, fix, severity=severity)
    )


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
