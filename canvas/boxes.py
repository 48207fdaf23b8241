"""The twelve boxes of the mission planning canvas, in the order a team fills them in: the
problem, the goal, the people, the means, then learning. The layout groups them in the three
building blocks of mission-oriented innovation policy described in OECD guidance (strategic
orientation, policy coordination, policy implementation) with a learning band underneath.

The guiding questions are Lodestar's own wording. Box 2 (`mission_statement`) is the mission's
`statement` field itself; every other box is a `CanvasBox` row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

STATEMENT = "mission_statement"
TEXT_LIMIT = 3000


class BoxKey(models.TextChoices):
    CHALLENGE = "challenge", _("Challenge")
    MISSION_STATEMENT = "mission_statement", _("Mission statement")
    TARGETS = "targets", _("Targets and milestones")
    RATIONALE = "rationale", _("Why a mission?")
    SYSTEM_BASELINE = "system_baseline", _("System and barriers")
    STAKEHOLDERS = "stakeholders", _("Stakeholders and citizens")
    GOVERNANCE = "governance", _("Governance and mandate")
    SECTORS_DISCIPLINES = "sectors_disciplines", _("Sectors and disciplines")
    PORTFOLIO = "portfolio", _("Portfolio of projects")
    INSTRUMENTS_RESOURCES = "instruments_resources", _("Instruments and resources")
    RISKS_REWARDS = "risks_rewards", _("Risks and rewards")
    LEARNING = "learning", _("Learning and review")


class Band(models.TextChoices):
    STRATEGIC = "strategic", _("Strategic orientation")
    COORDINATION = "coordination", _("Policy coordination")
    IMPLEMENTATION = "implementation", _("Policy implementation")
    LEARNING = "learning", _("Learning")


@dataclass(frozen=True)
class Box:
    """One box: its key and number, the band it sits in, its questions, and, for the boxes
    backed by structured data, which kind (`targets`, `portfolio`, `stakeholders`, `learning`)."""

    key: str
    number: int
    band: str
    questions: tuple[Promise, ...]
    structured: str = ""

    @property
    def title(self) -> StrOrPromise:
        return BoxKey(self.key).label

    @property
    def is_statement(self) -> bool:
        return self.key == STATEMENT

    @property
    def limit(self) -> int:
        if self.is_statement:
            from missions.models import Mission

            return statement_limit(Mission)
        return TEXT_LIMIT


def statement_limit(mission_model: type[models.Model]) -> int:
    """The mission statement's limit, read from the model so the two never disagree."""
    field = cast(models.Field, mission_model._meta.get_field("statement"))
    for validator in field.validators:
        if hasattr(validator, "limit_value"):
            return int(validator.limit_value)
    return TEXT_LIMIT


BOXES: tuple[Box, ...] = (
    Box(
        BoxKey.CHALLENGE,
        1,
        Band.STRATEGIC,
        (
            _("What societal problem does this mission tackle, in plain words?"),
            _("Who suffers from it, how many people, and how badly?"),
            _("Why act now, and which Sustainable Development Goals does it touch?"),
        ),
    ),
    Box(
        BoxKey.MISSION_STATEMENT,
        2,
        Band.STRATEGIC,
        (
            _("What will have changed, for whom, and by which year?"),
            _("Could someone outside government check whether it happened?"),
        ),
    ),
    Box(
        BoxKey.TARGETS,
        3,
        Band.STRATEGIC,
        (
            _("Which one to three numbers will show that the mission succeeded?"),
            _("For each: where does it stand today, where must it get to, and by when?"),
            _("Which checkpoints on the way will tell you it is on track?"),
        ),
        structured="targets",
    ),
    Box(
        BoxKey.RATIONALE,
        4,
        Band.STRATEGIC,
        (
            _("Why does this need a mission rather than a regular programme?"),
            _("What already exists in this space, and what will the mission add?"),
            _("What public value will it create, and who will share in the benefits?"),
        ),
    ),
    Box(
        BoxKey.SYSTEM_BASELINE,
        5,
        Band.STRATEGIC,
        (
            _("How does the system work today: who is involved, and what flows between them?"),
            _("What keeps things as they are: rules, markets, habits, technology, skills?"),
            _("What has been tried before, and what happened?"),
        ),
    ),
    Box(
        BoxKey.STAKEHOLDERS,
        6,
        Band.COORDINATION,
        (
            _("Who needs to act, who will feel the effects, and who could stand in the way?"),
            _("How will citizens take part, and how much say will they have?"),
        ),
        structured="stakeholders",
    ),
    Box(
        BoxKey.GOVERNANCE,
        7,
        Band.COORDINATION,
        (
            _("Who owns the mission, and which decision gives it its mandate?"),
            _("Which ministries and agencies share ownership, and where do they coordinate?"),
            _("Who can start, change or stop projects?"),
        ),
    ),
    Box(
        BoxKey.SECTORS_DISCIPLINES,
        8,
        Band.COORDINATION,
        (
            _("Which industries, policy areas and fields of research must change or help?"),
            _("Is any of them still missing from the portfolio?"),
        ),
    ),
    Box(
        BoxKey.PORTFOLIO,
        9,
        Band.IMPLEMENTATION,
        (
            _("Which projects move which target, and do they try different approaches?"),
            _("Which came from open or bottom-up calls, and which existed already?"),
        ),
        structured="portfolio",
    ),
    Box(
        BoxKey.INSTRUMENTS_RESOURCES,
        10,
        Band.IMPLEMENTATION,
        (
            _("Which tools will you use: grants, prizes, procurement, rules, finance, data?"),
            _("How much money is committed, over how many years, and from where?"),
            _("How many people will run the mission?"),
        ),
    ),
    Box(
        BoxKey.RISKS_REWARDS,
        11,
        Band.IMPLEMENTATION,
        (
            _("What could go wrong: delivery, politics, markets, public support?"),
            _("When private partners gain, how does the public side share in it?"),
        ),
    ),
    Box(
        BoxKey.LEARNING,
        12,
        Band.LEARNING,
        (
            _("How do you expect the change to come about (your theory of change)?"),
            _("Which indicators will you watch, from which sources, and how often?"),
            _("When will you review progress, and who may change targets or stop projects?"),
        ),
        structured="learning",
    ),
)

BY_KEY: dict[str, Box] = {box.key: box for box in BOXES}
ROW_KEYS: tuple[str, ...] = tuple(box.key for box in BOXES if not box.is_statement)


def get_box(key: str) -> Box | None:
    return BY_KEY.get(key)
