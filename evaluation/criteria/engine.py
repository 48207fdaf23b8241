"""Run every rule over one assessment input, score the criteria, and combine the automatic
score with a reviewer's rating into the status a page shows (docs/domain.md §7.4)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from evaluation.criteria import thresholds as threshold_settings
from evaluation.criteria.facts import Context
from evaluation.criteria.rules import (
    CRITERIA,
    JUDGED,
    SEVERITY_ORDER,
    Outcome,
    Status,
    signals_for,
    warning_rules,
)

ENGINE_VERSION = 2  # bump when a rule changes meaning, so every mission is assessed again


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
    """Weighted share (0–100) of met signals among those judged (partly met counts half);
    None if none could be judged. Checks that cannot be judged yet (missing data) or do not
    apply are left out: missing data never lowers the score."""
    passed = assessed = 0.0
    for item in signals:
        status = item.status if isinstance(item, Outcome) else item["status"]
        weight = item.weight if isinstance(item, Outcome) else item.get("weight", 1)
        if status in JUDGED:
            assessed += weight
            if status == Status.PASSED:
                passed += weight
            elif status == Status.PARTLY:
                passed += weight / 2
    if assessed <= 0:
        return None
    return round(100 * passed / assessed)


def completeness(signals: list[dict[str, Any]] | list[Outcome]) -> tuple[int, int]:
    """(checks that can be judged, checks that apply): "3 of 5 checks can be judged"."""
    statuses = [item.status if isinstance(item, Outcome) else item["status"] for item in signals]
    relevant = [s for s in statuses if s != Status.NOT_APPLICABLE]
    return sum(1 for s in relevant if s in JUDGED), len(relevant)


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

# The reviewer's rating, in the words of the rating scale (evaluation/forms.py RATING_CHOICES):
# the colour key stays one of green / amber / red.
RATED = {
    5: GREEN,
    4: DisplayStatus("green", _("Largely meets the criterion"), "govuk-tag--green"),
    3: AMBER,
    2: DisplayStatus("red", _("Barely meets the criterion"), "govuk-tag--red"),
    1: RED,
}

# The automatic result alone, marked as automatic: what the portfolio shows until a reviewer
# has rated (never a verdict).
AUTO_MEETS = DisplayStatus("auto_meets", _("Automatic: checks met"), "govuk-tag--turquoise")
AUTO_PARTLY = DisplayStatus("auto_partly", _("Automatic: some checks not met"), "govuk-tag--blue")
AUTO_FAILS = DisplayStatus("auto_fails", _("Automatic: most checks not met"), "govuk-tag--purple")
AUTO_STATUSES = {"meets": AUTO_MEETS, "partly": AUTO_PARTLY, "fails": AUTO_FAILS}

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
    """The criterion's status: the reviewer's rating decides; the automatic checks inform it.

    - no rating yet: "awaiting review" (the page shows the automatic result beside it);
    - rating 4 or more (rating_green_min): green, in the reviewer's words ("largely meets");
    - rating 2 or less (rating_red_max): red;
    - otherwise amber.

    The automatic score never overrides the reviewer: when they disagree the page says so
    (status_reason). `score` is accepted so callers need not know that.
    """
    t = t or threshold_settings.current()
    if rating is None:
        return AWAITING_REVIEW
    if rating >= t["rating_green_min"]:
        return RATED.get(rating, GREEN)
    if rating <= t["rating_red_max"]:
        return RATED.get(rating, RED)
    return RATED.get(rating, AMBER)


def portfolio_status(
    score: int | None, rating: int | None, t: dict[str, Any] | None = None
) -> DisplayStatus:
    """What a portfolio view shows: the reviewer's status once rated, before that the automatic
    result marked as automatic ("awaiting review" only when nothing could be judged)."""
    t = t or threshold_settings.current()
    if rating is not None:
        return displayed_status(score, rating, t)
    return AUTO_STATUSES.get(auto_band(score, t), AWAITING_REVIEW)


def status_reason(score: int | None, rating: int | None, t: dict[str, Any] | None = None) -> str:
    """One sentence: how the automatic result and the reviewer's rating make the status."""
    t = t or threshold_settings.current()
    band = auto_band(score, t)
    if rating is None:
        if band == "unknown":
            return str(
                _(
                    "No reviewer has rated this criterion yet, and too little is recorded for "
                    "the automatic checks to judge it."
                )
            )
        return str(
            _(
                "No reviewer has rated this criterion yet: the automatic result is shown for "
                "information and is not a verdict."
            )
        )
    reason = str(_("The reviewer’s rating decides the status; the automatic checks inform it."))
    if rating >= t["rating_green_min"] and band == "fails":
        reason += " " + str(
            _("The automatic checks disagree: most of those that could be judged are not met.")
        )
    elif rating <= t["rating_red_max"] and band == "meets":
        reason += " " + str(_("The automatic checks disagree: those that could be judged are met."))
    return reason
