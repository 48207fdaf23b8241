"""The readiness check: four questions, asked before the canvas, about whether a mission is the
right tool at all (after the four steps of the OECD Mission Action Lab's litmus test:
challenge, support, objective, commitment). The wording is Lodestar's own.

Each answer is 0 (no), 1 (partly) or 2 (yes). The result is advice, never a gate:

- "programme": a regular programme may fit better: any step answered "no" or a total of 3 or
  less out of 8;
- "strengthen": a mission could work, once the steps answered "partly" are stronger;
- "mission": every step answered "yes".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from evaluation.models import ReadinessStep

SCORES: list[tuple[int, Promise]] = [
    (2, _("Yes, clearly")),
    (1, _("Partly, or not yet")),
    (0, _("No")),
]
NOTE_LIMIT = 500


@dataclass(frozen=True)
class Question:
    step: str
    question: Promise
    hint: Promise
    weak: Promise  # what to do when the answer is weak

    @property
    def title(self) -> str:
        return str(ReadinessStep(self.step).label)


QUESTIONS: tuple[Question, ...] = (
    Question(
        ReadinessStep.CHALLENGE,
        _(
            "Is the problem big, shared and hard enough that no single programme or organisation can solve it?"
        ),
        _("Think of who is affected, how badly, and why ordinary policy has not fixed it."),
        _("Describe the problem with numbers and say why existing programmes fall short."),
    ),
    Question(
        ReadinessStep.SUPPORT,
        _("Do the people and organisations who must act want this, or can they be won over?"),
        _(
            "Ministries, agencies, businesses, researchers and citizens: who is on board, who could block it?"
        ),
        _("Talk to those who must act and those affected before committing to a mission."),
    ),
    Question(
        ReadinessStep.OBJECTIVE,
        _(
            "Can you name a bold goal by a set year, so that anyone could tell whether it was reached?"
        ),
        _("A goal says what will be true, for whom and by when, not which activities will happen."),
        _("Turn the intention into one measurable end state with a year."),
    ),
    Question(
        ReadinessStep.COMMITMENT,
        _(
            "Are money, people and policy tools committed for several years, beyond one budget round?"
        ),
        _("Missions cost time, money and co-ordination; without lasting commitment they fade."),
        _("Secure a multi-year budget, a team and the policy tools before launching."),
    ),
)
STEPS = [q.step for q in QUESTIONS]


@dataclass(frozen=True)
class Advice:
    key: str  # programme | strengthen | mission
    title: Promise
    text: Promise
    tag_class: str


ADVICE = {
    "programme": Advice(
        "programme",
        _("A regular programme may fit better"),
        _(
            "Missions take a lot of money, time and co-ordination. With answers this weak, an "
            "ordinary programme, a call or a policy change may reach the goal more easily. You "
            "can still start a mission if you have reasons this check does not see."
        ),
        "govuk-tag--orange",
    ),
    "strengthen": Advice(
        "strengthen",
        _("A mission could work, once some steps are stronger"),
        _(
            "The basics are there. Work on the steps answered “partly” before the mission is proposed."
        ),
        "govuk-tag--yellow",
    ),
    "mission": Advice(
        "mission",
        _("A mission looks like the right tool"),
        _(
            "The problem, the support, the goal and the commitment are all in place. Go on to the canvas."
        ),
        "govuk-tag--green",
    ),
}


def advise(answers: dict[str, dict[str, Any]]) -> str:
    """The advice key for answers {step: {"score": 0–2, "note": str}}."""
    scores = [int(answers.get(step, {}).get("score", 0)) for step in STEPS]
    if min(scores) == 0 or sum(scores) <= 3:
        return "programme"
    if min(scores) == 2:
        return "mission"
    return "strengthen"


@dataclass(frozen=True)
class AnswerRow:
    question: Question
    score: int
    note: str

    @property
    def score_label(self) -> Promise | str:
        return dict(SCORES).get(self.score, "")

    @property
    def is_weak(self) -> bool:
        return self.score < 2


def answer_rows(answers: dict[str, dict[str, Any]]) -> list[AnswerRow]:
    return [
        AnswerRow(
            q,
            int(answers.get(q.step, {}).get("score", 0)),
            str(answers.get(q.step, {}).get("note", "")),
        )
        for q in QUESTIONS
    ]
