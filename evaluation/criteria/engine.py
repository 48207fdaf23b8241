"""Run every rule over one assessment input, score the criteria, and combine the automatic
score with a reviewer's rating into the status a page shows (docs/domain.md §7.4)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from evaluation.criteria import thresholds as threshold_settings
from evaluation.criteria.rules import (
    CRITERIA,
    SEVERITY_ORDER,
    Context,
    Outcome,
    Status,
    signals_for,
    warning_rules,
)

ENGINE_VERSION = 1  # bump when a rule changes meaning, so every mission is assessed again


@dataclass(frozen=True)
class CriterionOutcome:
    criterion: str
    signals: list[Outcome]
    auto_score: int | None

    def signals_json(self) -> list[dict[str, Any]]:
        return [s.as_json() for s in self.signals]


@dataclass(frozen=True)
class Evaluation:
    criteria: list[CriterionOutcome]
    checks: list[Outcome]  # every warning rule, fired or not

    @property
    def warnings(self) -> list[Outcome]:
        """The warnings that fire, most severe first."""
        fired = [c for c in self.checks if c.fires]
        return sorted(fired, key=lambda o: (SEVERITY_ORDER[o.severity], o.code))

    def criterion(self, code: str) -> CriterionOutcome:
        return next(c for c in self.criteria if c.criterion == code)

    def warning(self, code: str) -> Outcome | None:
        return next((w for w in self.warnings if w.code == code), None)


def auto_score(signals: list[dict[str, Any]] | list[Outcome]) -> int | None:
    """Weighted share (0–100) of passed signals among those assessed; None if none was."""
    passed = assessed = 0.0
    for item in signals:
        status = item.status if isinstance(item, Outcome) else item["status"]
        weight = item.weight if isinstance(item, Outcome) else item.get("weight", 1)
        if status in (Status.PASSED, Status.NOT_PASSED):
            assessed += weight
            if status == Status.PASSED:
                passed += weight
    if assessed <= 0:
        return None
    return round(100 * passed / assessed)


def evaluate(data: dict[str, Any], thresholds: dict[str, Any] | None = None) -> Evaluation:
    """Apply every rule to the input. Pure: the same input and thresholds give the same result."""
    t = thresholds or threshold_settings.current()
    ctx = Context(data, t)
    criteria = []
    for code in CRITERIA:
        outcomes = [
            Outcome(rule, rule.check(ctx), weight=t["weights"].get(rule.code, 1))
            for rule in signals_for(code)
        ]
        criteria.append(CriterionOutcome(code, outcomes, auto_score(outcomes)))
    checks = [Outcome(rule, rule.check(ctx)) for rule in warning_rules()]
    return Evaluation(criteria, checks)


# --- What a page shows ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DisplayStatus:
    """A criterion's status in words (and a tag colour that is never the only signal)."""

    key: str  # green | amber | red | awaiting_review
    label: Promise
    tag_class: str


GREEN = DisplayStatus("green", _("Meets the criterion"), "govuk-tag--green")
AMBER = DisplayStatus("amber", _("Partly meets the criterion"), "govuk-tag--yellow")
RED = DisplayStatus("red", _("Does not meet the criterion"), "govuk-tag--red")
AWAITING_REVIEW = DisplayStatus("awaiting_review", _("Awaiting review"), "govuk-tag--grey")

AUTO_LABELS = {
    "meets": _("Automatic checks met"),
    "partly": _("Some automatic checks not met"),
    "fails": _("Most automatic checks not met"),
    "unknown": _("Not enough data for automatic checks"),
}


def auto_band(score: int | None, t: dict[str, Any] | None = None) -> str:
    """The automatic result alone, in words: never shown as a verdict (docs/domain.md §7.4)."""
    t = t or threshold_settings.current()
    if score is None:
        return "unknown"
    if score >= t["score_meets"]:
        return "meets"
    if score < t["score_fails"]:
        return "fails"
    return "partly"


def displayed_status(
    score: int | None, rating: int | None, t: dict[str, Any] | None = None
) -> DisplayStatus:
    """Combine the automatic score and the reviewer's rating (1–5):

    - no rating yet: "awaiting review" (the page shows the automatic findings beside it);
    - red: automatic score below 40, or rating 2 or lower;
    - green: automatic score 75 or more, and rating 4 or more;
    - amber: anything else (including a good rating with too little data to score).
    """
    t = t or threshold_settings.current()
    if rating is None:
        return AWAITING_REVIEW
    if (score is not None and score < t["score_fails"]) or rating <= t["rating_red_max"]:
        return RED
    if score is not None and score >= t["score_meets"] and rating >= t["rating_green_min"]:
        return GREEN
    return AMBER
