"""The OPSI innovation facets (docs/domain.md §2.3): the two questions, the derived facet and type
of change, and the balance prompts. Pure functions over plain numbers, so the rules are easy to
test at their edges and the same everywhere (pages, exports, the seed command)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from config.wording import in_sentence

SCALE = range(-2, 3)


class Facet(models.TextChoices):
    ENHANCEMENT = "enhancement", _("Enhancement-oriented")
    MISSION = "mission", _("Mission-oriented")
    ADAPTIVE = "adaptive", _("Adaptive")
    ANTICIPATORY = "anticipatory", _("Anticipatory")


FACET_QUESTIONS: dict[str, Promise] = {
    Facet.ENHANCEMENT: _("How can we do this better?"),
    Facet.MISSION: _("How can we achieve this goal?"),
    Facet.ADAPTIVE: _("How does our changed situation change how we do this?"),
    Facet.ANTICIPATORY: _("How might emerging possibilities change what this could or should be?"),
}


class ChangeType(models.TextChoices):
    SUSTAINING = "sustaining", _("Sustaining")
    TRANSFORMATIVE = "transformative", _("Transformative")
    DISRUPTIVE = "disruptive", _("Disruptive")
    OPTIMISING = "optimising", _("Optimising")


DIRECTIONALITY_QUESTION = _("Is there a predefined goal set from above?")
DIRECTIONALITY_CHOICES = [
    (-2, _("−2 No goal: we respond to what emerges")),
    (-1, _("−1 Mostly responding")),
    (0, _("0 Somewhere in between")),
    (1, _("+1 A goal, loosely set")),
    (2, _("+2 A fixed outcome goal, set from above")),
]
CERTAINTY_QUESTION = _("How well do we know what the right solution or purpose is?")
CERTAINTY_CHOICES = [
    (-2, _("−2 Deeply uncertain")),
    (-1, _("−1 Mostly uncertain")),
    (0, _("0 Somewhere in between")),
    (1, _("+1 Fairly well understood")),
    (2, _("+2 Well understood")),
]


def derive_facet(directionality: int, certainty: int) -> str:
    """docs/domain.md §2.3, in its order:

        mission       if  d > |c|
        adaptive      if -d > |c|
        enhancement   if  c >= |d| and c > 0
        anticipatory  if -c >= |d|

    The four cases cover every pair on the −2…+2 grid; (0, 0) falls to anticipatory (deep
    uncertainty about purpose is the honest reading of "no goal, no known solution")."""
    d, c = directionality, certainty
    if d not in SCALE or c not in SCALE:
        raise ValueError("Both answers run from −2 to +2.")
    if d > abs(c):
        return Facet.MISSION
    if -d > abs(c):
        return Facet.ADAPTIVE
    if c >= abs(d) and c > 0:
        return Facet.ENHANCEMENT
    return Facet.ANTICIPATORY


def derive_change_type(directionality: int, certainty: int) -> str:
    """The edge of the diamond an initiative sits near (||d| − |c|| ≤ 1); "" in a corner or on
    an axis, where no edge applies."""
    d, c = directionality, certainty
    if abs(abs(d) - abs(c)) > 1 or d == 0 or c == 0:
        return ""
    if d > 0 and c > 0:
        return ChangeType.SUSTAINING
    if d > 0 and c < 0:
        return ChangeType.TRANSFORMATIVE
    if d < 0 and c < 0:
        return ChangeType.DISRUPTIVE
    return ChangeType.OPTIMISING


# --- Balance prompts (HEURISTIC; OPSI prescribes no target shares) ----------------------------

BLIND_SPOT_MIN_INITIATIVES = 8
CONCENTRATION_BUDGET_SHARE = Decimal("0.6")
EXPLORATION_MIN_BUDGET_SHARE = Decimal("0.1")


@dataclass(frozen=True)
class Prompt:
    code: str
    question: str  # a question for reflection, never a score or a verdict


def balance_prompts(
    counts: Mapping[str, int], budgets: Mapping[str, Decimal | int | None]
) -> list[Prompt]:
    """Prompts for reflection about a portfolio's facet mix (docs/domain.md §2.3 flags):

    - FACET_BLIND_SPOT: a facet with no initiative in a portfolio of 8 or more;
    - FACET_CONCENTRATION: one facet holds more than 60 % of the budget;
    - NO_EXPLORATION: anticipatory and adaptive together hold less than 10 % of the budget.

    Budget prompts need some budget to speak about; unclassified initiatives count nowhere."""
    prompts: list[Prompt] = []
    total = sum(counts.get(f, 0) for f in Facet.values)
    if total >= BLIND_SPOT_MIN_INITIATIVES:
        for facet in Facet:
            if not counts.get(facet.value):
                prompts.append(
                    Prompt(
                        "FACET_BLIND_SPOT",
                        str(
                            _(
                                "None of these %(total)s initiatives is %(facet)s. Is that a "
                                "choice, or a blind spot? (%(question)s)"
                            )
                        )
                        % {
                            "total": total,
                            "facet": in_sentence(facet.label),
                            "question": FACET_QUESTIONS[facet.value],
                        },
                    )
                )
    money = {f: Decimal(budgets.get(f) or 0) for f in Facet.values}
    budget_total = sum(money.values())
    if budget_total > 0:
        for facet in Facet:
            share = money[facet.value] / budget_total
            if share > CONCENTRATION_BUDGET_SHARE:
                prompts.append(
                    Prompt(
                        "FACET_CONCENTRATION",
                        str(
                            _(
                                "%(share)s%% of the budget goes to %(facet)s initiatives. What "
                                "would the portfolio miss if that approach does not work out?"
                            )
                        )
                        % {"share": round(share * 100), "facet": in_sentence(facet.label)},
                    )
                )
        exploring = money[Facet.ANTICIPATORY] + money[Facet.ADAPTIVE]
        if exploring / budget_total < EXPLORATION_MIN_BUDGET_SHARE:
            prompts.append(
                Prompt(
                    "NO_EXPLORATION",
                    str(
                        _(
                            "Anticipatory and adaptive initiatives together hold %(share)s%% of "
                            "the budget. Where does the portfolio explore what is emerging, or "
                            "respond to what has changed?"
                        )
                    )
                    % {"share": round(exploring / budget_total * 100)},
                )
            )
    return prompts


def facet_label(value: str) -> str:
    return str(dict(Facet.choices).get(value, _("Not classified yet")))
