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
    # What a good answer does, and a short passage from a real mission with where it is from:
    # the editor panel shows both (Lodestar's wording; the facts are the source's).
    # Where the records that answer the box are kept: (URL name, its one extra argument after
    # the organisation and mission, or "", the link's words for those who may edit them, for
    # those who may read them). The URL names may be a higher app's; nothing here imports it.
    records: tuple[str, str, StrOrPromise, StrOrPromise] | None = None
    # What the box says in a document when it has neither text nor records.
    missing: Promise | str = ""
    guidance: Promise | str = ""
    example: Promise | str = ""
    example_source: Promise | str = ""

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
        records=(
            "missions:edit_group",
            "basics",
            _("Edit the mission's challenge and reach"),
            _("See the mission"),
        ),
        missing=_("No description of the challenge written yet."),
        guidance=_(
            "Name the problem people live with, not the policy you want. Give numbers: how "
            "many are affected, how badly, and how the gap between groups looks."
        ),
        example=_(
            "In the Netherlands, people in the lowest socioeconomic group live about 6 years "
            "shorter than those in the highest, and about 15 years fewer in good health."
        ),
        example_source=_("Pharos, cited by Health~Holland (lsh-update.com, chapter 2)"),
    ),
    Box(
        BoxKey.MISSION_STATEMENT,
        2,
        Band.STRATEGIC,
        (
            _("What will have changed, for whom, and by which year?"),
            _("Could someone outside government check whether it happened?"),
        ),
        missing=_("No mission statement written yet."),
        guidance=_(
            "One sentence with an end state, a group of people and a year. Describe what will "
            "be true, not what you will do: avoid words such as promote, support or boost."
        ),
        example=_(
            # xgettext:no-python-format
            "By 2040, all Dutch citizens live at least five years longer in good health, and "
            "the health gap between the lowest and highest socioeconomic groups is 30% smaller."
        ),
        example_source=_(
            "Dutch Health and Care missions, Ministry of Health, Welfare and Sport, 2020 (groz.nl/missies)"
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
        records=(
            "missions:targets",
            "",
            _("Edit targets and milestones"),
            _("See targets and milestones"),
        ),
        missing=_("No targets recorded yet."),
        guidance=_(
            "One to three headline numbers, each with where it stands today (value and year), "
            "where it must get to, and by when; milestones on the way show whether it is on track."
        ),
        example=_(
            "100 climate-neutral and smart cities by 2030. In April 2022, 112 cities were "
            "selected from 362 eligible applicants, each signing a Climate City Contract."
        ),
        example_source=_("EU Mission for Climate-Neutral and Smart Cities (netzerocities.eu)"),
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
        missing=_("No reason for a mission written yet."),
        guidance=_(
            "Missions cost money, time and coordination. Say why a regular programme would not "
            "do, which initiatives already work on this, and what the mission adds to them."
        ),
        example=_(
            "Swedish municipalities buy school food worth SEK 5 to 10 billion a year, but no "
            "single body can change what children eat: it takes procurement, rules and kitchens."
        ),
        example_source=_("Vinnova, “A new recipe for school meals” (vinnova.se)"),
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
        missing=_("No description of the system and its barriers written yet."),
        guidance=_(
            "Describe how things work now: who is involved, what flows between them, and what "
            "keeps it that way (rules, markets, habits, technology, skills). Say what was tried."
        ),
        example=_(
            "Most Swedish streets are laid out for through traffic and parking. Street Moves "
            "tested modular wooden kits for play, planting and charging, street by street."
        ),
        example_source=_("ArkDes and Vinnova, Street Moves (streetmoves.arkdes.se)"),
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
        records=(
            "stakeholders:map",
            "",
            _("Edit the stakeholder map"),
            _("See the stakeholder map"),
        ),
        missing=_("No stakeholders on the map yet."),
        guidance=_(
            "List who must act, who will feel the effects and who could block the mission, and "
            "how citizens take part. The stakeholder map holds the details; summarise it here."
        ),
        example=_(
            "Residents were asked what they thought of the new street kits: more than 70% were "
            "positive and about 10% negative."
        ),
        example_source=_("Novus survey for Street Moves, Vinnova (vinnova.se, March 2021)"),
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
        records=(
            "missions:edit_group",
            "governance",
            _("Edit mandate and governance"),
            _("See mandate and governance"),
        ),
        missing=_("No governance written yet."),
        guidance=_(
            "Say who decided the mission, when and under which authority, who owns it, who "
            "coordinates across ministries, and who can start or stop projects."
        ),
        example=_(
            "The health ministry formulated the Health and Care missions; the economy ministry "
            "named the theme; Health~Holland coordinates carrying out the strategic plan."
        ),
        example_source=_("Health~Holland and groz.nl/missies"),
    ),
    Box(
        BoxKey.SECTORS_DISCIPLINES,
        8,
        Band.COORDINATION,
        (
            _("Which industries, policy areas and fields of research must change or help?"),
            _("Is any of them still missing from the portfolio?"),
        ),
        records=("missions:projects", "", _("Edit the projects' sectors"), _("See the projects")),
        missing=_("No sectors or disciplines recorded yet."),
        guidance=_(
            "Name the industries, policy areas and research fields that must change or help, "
            "including those with no project yet: a mission crosses sectors."
        ),
        example=_(
            "The EU soil mission works across farming, forestry, urban planning and soil "
            "science, through 100 living labs and lighthouses."
        ),
        example_source=_(
            "EU Mission “A Soil Deal for Europe” (mission-soil-platform.ec.europa.eu)"
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
        records=("missions:projects", "", _("Edit the projects"), _("See the projects")),
        missing=_("No projects recorded yet."),
        guidance=_(
            "List several projects that try different routes to the targets, say which target "
            "each moves, and which came from open or bottom-up calls."
        ),
        example=_(
            "Street Moves began in Stockholm, Gothenburg and Helsingborg in 2020, then went on "
            "in six municipalities, from Umeå to Hultsfred, in 2022 and 2023."
        ),
        example_source=_("ArkDes and Vinnova, Street Moves (streetmoves.arkdes.se)"),
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
        records=(
            "missions:edit_group",
            "resources",
            _("Edit money and people"),
            _("See money and people"),
        ),
        missing=_("No instruments or resources recorded yet."),
        guidance=_(
            "Name the instruments (grants, prizes, procurement, rules, finance, data), the "
            "committed budget over the years and where it comes from, and the team that runs it."
        ),
        example=_(
            "Vinnova funds “A new recipe for school meals” with SEK 21.8 million from "
            "December 2019 to May 2025, led by the National Food Agency with four municipalities."
        ),
        example_source=_("Vinnova project page (vinnova.se/en/p/a-new-recipe-for-school-meals)"),
    ),
    Box(
        BoxKey.RISKS_REWARDS,
        11,
        Band.IMPLEMENTATION,
        (
            _("What could go wrong: delivery, politics, markets, public support?"),
            _("When private partners gain, how does the public side share in it?"),
        ),
        records=(
            "rewards:mission",
            "",
            _("Record who invests and what the public gets back"),
            _("See who invests and what the public gets back"),
        ),
        missing=_("No risks or rewards written yet."),
        guidance=_(
            "Name what could go wrong, and, where public money carries risk for private "
            "partners, how the public shares in the gains: access, prices, licences or returns."
        ),
        example=_(
            # xgettext:no-python-format
            "Spain's 2021 science and innovation missions paid grants covering 80%, 75% or 65% "
            "of costs for small, medium and large companies in consortia of three to eight firms."
        ),
        example_source=_("CDTI, Misiones Ciencia e Innovación 2021 (cdti.es)"),
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
        records=(
            "evaluation:toc",
            "",
            _("Edit the theory of change"),
            _("See the theory of change"),
        ),
        missing=_("No learning plan written yet."),
        guidance=_(
            "Say how you expect change to happen, which indicators you will watch and from which "
            "sources, when you will review, and who may change targets or stop projects."
        ),
        example=_(
            "The EU soil mission follows its eight objectives through the EU Soil Observatory "
            "dashboard, with 19 indicators of soil health."
        ),
        example_source=_(
            "EU Mission “A Soil Deal for Europe” (mission-soil-platform.ec.europa.eu)"
        ),
    ),
)

BY_KEY: dict[str, Box] = {box.key: box for box in BOXES}
ROW_KEYS: tuple[str, ...] = tuple(box.key for box in BOXES if not box.is_statement)


def get_box(key: str) -> Box | None:
    return BY_KEY.get(key)
