"""Stakeholder maps: who matters to a mission, where they stand on the power/interest grid, how
they are engaged, and how that changed over time.

- `Stakeholder`: an outside actor of the organisation's register (`missions.Actor`) or a named
  person, with roles, power, interest, attitude and engagement now and planned.
- `StakeholderPosition`: one row per change of position or engagement, so the grid can show
  movement since any date and each stakeholder's own history.
- `EngagementActivity`: the engagement log (workshops, consultations, citizen assemblies, ...).

Writes go through `stakeholders.services`; reads through `stakeholders.selectors`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from accounts.constraints import between, check_choice, check_filled, choice_ok, json_type_is
from accounts.fields import person_reference
from missions.models import (
    Audited,
    Helix,
    MissionPart,
    ScopedQuerySet,
    Versioned,
    actor_reference,
    mission_reference,
    unique_per_mission,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# --- Vocabularies -----------------------------------------------------------------------------


class Role(models.TextChoices):
    """What an actor does in a mission (docs/domain.md §4.4)."""

    OWNER = "owner", _("Mission owner")
    COORDINATOR = "coordinator", _("Coordinator")
    BOARD_MEMBER = "board_member", _("Mission board member")
    CO_OWNER = "co_owner", _("Co-owner")
    PLATFORM_INTERMEDIARY = "platform_intermediary", _("Platform or intermediary")
    SIGNATORY = "signatory", _("Signatory or participant")
    SUPPORTER = "supporter", _("Supporter")
    PROJECT_LEAD = "project_lead", _("Project lead")
    PROJECT_PARTNER = "project_partner", _("Project partner")
    FUNDER = "funder", _("Funder or co-investor")
    REGULATOR = "regulator", _("Regulator")
    KNOWLEDGE_PROVIDER = "knowledge_provider", _("Knowledge provider")
    BENEFICIARY = "beneficiary", _("User or beneficiary")
    CITIZEN_GROUP = "citizen_group", _("Citizen group")
    CRITIC = "critic", _("Critic")


# Roles that always make a stakeholder part of the core team.
CORE_ROLES = (Role.OWNER, Role.COORDINATOR, Role.BOARD_MEMBER)


class EngagementLevel(models.TextChoices):
    """How much say a stakeholder has, from least to most. Level names only; the descriptions
    are our own words."""

    INFORM = "inform", _("Inform")
    CONSULT = "consult", _("Consult")
    INVOLVE = "involve", _("Involve")
    COLLABORATE = "collaborate", _("Collaborate")
    EMPOWER = "empower", _("Empower")


ENGAGEMENT_ORDER = {level: rank for rank, level in enumerate(EngagementLevel.values)}
ENGAGEMENT_DESCRIPTIONS: dict[str, StrOrPromise] = {
    EngagementLevel.INFORM: _("One-way: they receive clear, timely news about the mission."),
    EngagementLevel.CONSULT: _(
        "Their views are sought on set questions, and they hear back what changed as a result."
    ),
    EngagementLevel.INVOLVE: _(
        "They take part throughout the design, and their concerns visibly shape the options."
    ),
    EngagementLevel.COLLABORATE: _(
        "They are partners in each part of the decision, including the choice between options."
    ),
    EngagementLevel.EMPOWER: _("The final say on the matter rests with them."),
}


def at_least(level: str, minimum: str) -> bool:
    return ENGAGEMENT_ORDER.get(level, -1) >= ENGAGEMENT_ORDER[minimum]


class Quadrant(models.TextChoices):
    """The four quadrants of the power/interest grid (Mendelow)."""

    KEY_PLAYER = "key_player", _("Key players")
    KEEP_SATISFIED = "keep_satisfied", _("Keep satisfied")
    KEEP_INFORMED = "keep_informed", _("Keep informed")
    MONITOR = "monitor", _("Monitor")


QUADRANT_ADVICE: dict[str, StrOrPromise] = {
    Quadrant.KEY_PLAYER: _("High power, high interest: work with them closely."),
    Quadrant.KEEP_SATISFIED: _("High power, low interest: meet their needs, do not surprise them."),
    Quadrant.KEEP_INFORMED: _("Low power, high interest: keep them up to date; they may advocate."),
    Quadrant.MONITOR: _("Low power, low interest: watch for changes."),
}

HIGH = 3  # power or interest of 3 or more counts as high


def quadrant_of(power: int, interest: int) -> str:
    if power >= HIGH:
        return Quadrant.KEY_PLAYER if interest >= HIGH else Quadrant.KEEP_SATISFIED
    return Quadrant.KEEP_INFORMED if interest >= HIGH else Quadrant.MONITOR


ATTITUDES = {
    -2: _("Strongly opposed"),
    -1: _("Opposed"),
    0: _("Neutral"),
    1: _("Supportive"),
    2: _("Strongly supportive"),
}
ATTITUDE_CHOICES = [(value, label) for value, label in sorted(ATTITUDES.items(), reverse=True)]
SCALE_CHOICES = [(n, str(n)) for n in range(5, 0, -1)]


class ActivityType(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    CONSULTATION = "consultation", _("Consultation")
    CITIZEN_ASSEMBLY = "citizen_assembly", _("Citizen assembly or panel")
    SURVEY = "survey", _("Survey")
    CHALLENGE = "challenge_hackathon", _("Challenge or hackathon")
    ADVISORY_MEETING = "advisory_meeting", _("Advisory meeting")
    PUBLIC_EVENT = "public_event", _("Public event")


QUADRUPLE_HELIX = [h for h in Helix.values if h != Helix.ENVIRONMENT]


def validate_roles(value: Any) -> None:
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Choose at least one role."))
    unknown = [v for v in value if v not in Role.values]
    if unknown:
        raise ValidationError(
            _("%(roles)s is not a role Lodestar knows.") % {"roles": ", ".join(map(str, unknown))}
        )
    if len(set(value)) != len(value):
        raise ValidationError(_("Give each role once."))


def validate_participants(value: Any) -> None:
    if not isinstance(value, dict):
        raise ValidationError(_("Give the number of participants for each sector."))
    for helix, count in value.items():
        if helix not in Helix.values:
            raise ValidationError(_("%(helix)s is not a sector.") % {"helix": helix})
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ValidationError(_("Numbers of participants are whole numbers, 0 or more."))


class GridPlace:
    """What a stakeholder, and each of its recorded positions, says about where it stands."""

    # Declared for the type checker only: each model defines the fields itself.
    power: int
    interest: int
    attitude: int

    @property
    def quadrant(self) -> str:
        return quadrant_of(self.power, self.interest)

    def get_quadrant_display(self) -> str:
        return str(Quadrant(self.quadrant).label)

    def get_attitude_display(self) -> str:
        return str(ATTITUDES.get(self.attitude, self.attitude))


# --- Stakeholders -----------------------------------------------------------------------------


class Stakeholder(GridPlace, MissionPart, Audited, Versioned):
    """An actor's place in one mission: roles, position on the grid, attitude and engagement."""

    mission = mission_reference("stakeholders")
    key = models.SlugField(_("key"), max_length=80)
    actor = actor_reference(_("actor"), "stakeholder_roles")
    person_name = models.CharField(
        _("named person"),
        max_length=200,
        blank=True,
        help_text=_("A person who is not in the organisation's actor register."),
    )
    helix = models.CharField(_("sector"), max_length=20, choices=Helix.choices)
    roles = models.JSONField(
        _("roles"),
        default=list,
        validators=[validate_roles],
        error_messages={"blank": _("Choose at least one role.")},
    )
    power = models.PositiveSmallIntegerField(
        _("power"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    interest = models.PositiveSmallIntegerField(
        _("interest"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    attitude = models.SmallIntegerField(
        _("attitude"), default=0, validators=[MinValueValidator(-2), MaxValueValidator(2)]
    )
    engagement_now = models.CharField(
        _("engagement now"),
        max_length=20,
        choices=EngagementLevel.choices,
        default=EngagementLevel.INFORM,
    )
    engagement_planned = models.CharField(
        _("engagement planned"),
        max_length=20,
        choices=EngagementLevel.choices,
        default=EngagementLevel.INFORM,
    )
    engagement_plan = models.TextField(
        _("engagement plan"), blank=True, validators=[MaxLengthValidator(500)]
    )
    is_core_team = models.BooleanField(
        _("core team"),
        default=False,
        help_text=_("Owners, coordinators and mission board members are always in the core team."),
    )
    last_engaged = models.DateField(_("last engaged"), null=True, blank=True)

    # Not stored: what the map sets on the rows it shows (`selectors.map_data` numbers them by
    # name; `views.map_context` links each to its page and, with a date, to where it stood).
    number: int
    moved_from: StakeholderPosition
    detail_url: str

    class Meta:
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")
        ordering = ["-power", "-interest", "key"]
        constraints = [
            unique_per_mission("key", name="stakeholders_stakeholder_key_unique"),
            models.UniqueConstraint(
                fields=["mission", "actor"],
                condition=Q(actor__isnull=False),
                name="stakeholders_stakeholder_actor_unique",
            ),
            models.UniqueConstraint(
                "mission",
                Lower("person_name"),
                condition=~Q(person_name=""),
                name="stakeholders_stakeholder_person_unique",
            ),
            models.CheckConstraint(
                condition=(Q(actor__isnull=False) & Q(person_name=""))
                | (Q(actor__isnull=True) & ~Q(person_name="")),
                name="stakeholders_stakeholder_actor_or_person",
            ),
            check_choice("helix", Helix, name="stakeholders_stakeholder_helix_valid"),
            models.CheckConstraint(
                condition=between("power", 1, 5), name="stakeholders_stakeholder_power_range"
            ),
            models.CheckConstraint(
                condition=between("interest", 1, 5), name="stakeholders_stakeholder_interest_range"
            ),
            models.CheckConstraint(
                condition=between("attitude", -2, 2),
                name="stakeholders_stakeholder_attitude_range",
            ),
            models.CheckConstraint(
                condition=choice_ok("engagement_now", EngagementLevel)
                & choice_ok("engagement_planned", EngagementLevel),
                name="stakeholders_stakeholder_engagement_valid",
            ),
            models.CheckConstraint(
                condition=json_type_is("roles", "array")
                & Q(roles__contained_by=list(Role.values))
                & ~Q(roles=[]),
                name="stakeholders_stakeholder_roles_valid",
            ),
            models.CheckConstraint(
                condition=Q(is_core_team=True)
                | ~(
                    Q(roles__contains=[Role.OWNER])
                    | Q(roles__contains=[Role.COORDINATOR])
                    | Q(roles__contains=[Role.BOARD_MEMBER])
                ),
                name="stakeholders_stakeholder_core_roles_in_core_team",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        actor = self.actor
        return actor.name if actor is not None else self.person_name

    def role_labels(self) -> list[str]:
        return [str(Role(r).label) for r in self.roles if r in Role.values]

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if bool(self.actor_id) == bool(self.person_name.strip()):
            errors["person_name"] = _(
                "Choose an actor from the register, or give a person's name — one of the two."
            )
        actor = self.actor
        if (
            actor is not None
            and self.mission_id
            and actor.organisation_id != self.mission.organisation_id
        ):
            errors["actor"] = _("Choose an actor from this organisation's register.")
        if isinstance(self.roles, list) and any(r in CORE_ROLES for r in self.roles):
            self.is_core_team = True
        if errors:
            raise ValidationError(errors)


class StakeholderPositionQuerySet(ScopedQuerySet):
    organisation_path = "stakeholder__mission__organisation"


class StakeholderPosition(GridPlace, models.Model):
    """Where a stakeholder stood from `recorded_at` on: written on every change of position,
    attitude or engagement, and when someone confirms the map is still right."""

    stakeholder = models.ForeignKey(
        Stakeholder,
        verbose_name=_("stakeholder"),
        on_delete=models.CASCADE,
        related_name="positions",
    )
    recorded_at = models.DateTimeField(_("recorded"), db_index=True)
    recorded_by = person_reference(_("recorded by"))
    power = models.PositiveSmallIntegerField(_("power"))
    interest = models.PositiveSmallIntegerField(_("interest"))
    attitude = models.SmallIntegerField(_("attitude"))
    engagement_now = models.CharField(
        _("engagement now"), max_length=20, choices=EngagementLevel.choices
    )
    engagement_planned = models.CharField(
        _("engagement planned"), max_length=20, choices=EngagementLevel.choices
    )

    objects = StakeholderPositionQuerySet.as_manager()

    class Meta:
        verbose_name = _("stakeholder position")
        verbose_name_plural = _("stakeholder positions")
        ordering = ["stakeholder", "recorded_at", "pk"]
        indexes = [models.Index(fields=["stakeholder", "-recorded_at"])]
        constraints = [
            models.CheckConstraint(
                condition=between("power", 1, 5) & between("interest", 1, 5),
                name="stakeholders_position_grid_range",
            ),
            models.CheckConstraint(
                condition=between("attitude", -2, 2), name="stakeholders_position_attitude_range"
            ),
            models.CheckConstraint(
                condition=choice_ok("engagement_now", EngagementLevel)
                & choice_ok("engagement_planned", EngagementLevel),
                name="stakeholders_position_engagement_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stakeholder} {self.recorded_at:%Y-%m-%d}: {self.power}/{self.interest}"


# --- Engagement log ---------------------------------------------------------------------------


class EngagementActivity(MissionPart, Audited):
    """One engagement event: what was done, at which level, with whom, and what it changed."""

    mission = mission_reference("engagement_activities")
    key = models.SlugField(_("key"), max_length=80)
    date = models.DateField(_("date"))
    type = models.CharField(_("type"), max_length=30, choices=ActivityType.choices)
    level = models.CharField(_("engagement level"), max_length=20, choices=EngagementLevel.choices)
    participants = models.JSONField(
        _("participants by sector"),
        default=dict,
        blank=True,
        validators=[validate_participants],
        help_text=_("How many people took part from each sector."),
    )
    stakeholders = models.ManyToManyField(
        Stakeholder,
        verbose_name=_("stakeholders who took part"),
        blank=True,
        related_name="activities",
    )
    summary = models.TextField(_("summary"), validators=[MaxLengthValidator(1000)])
    influence_on_decision = models.TextField(
        _("how the input changed decisions"),
        blank=True,
        validators=[MaxLengthValidator(1000)],
        help_text=_("What was decided differently because of what people said."),
    )

    class Meta:
        verbose_name = _("engagement activity")
        verbose_name_plural = _("engagement activities")
        ordering = ["-date", "-pk"]
        constraints = [
            unique_per_mission("key", name="stakeholders_activity_key_unique"),
            check_choice("type", ActivityType, name="stakeholders_activity_type_valid"),
            check_choice("level", EngagementLevel, name="stakeholders_activity_level_valid"),
            models.CheckConstraint(
                condition=json_type_is("participants", "object"),
                name="stakeholders_activity_participants_object",
            ),
            check_filled("summary", name="stakeholders_activity_has_summary"),
        ]

    def __str__(self) -> str:
        return f"{self.date}: {self.get_type_display()}"

    @property
    def participant_total(self) -> int:
        return sum(v for v in (self.participants or {}).values() if isinstance(v, int))

    @property
    def feedback_given(self) -> bool:
        return bool(self.influence_on_decision.strip())

    @property
    def promised_feedback(self) -> bool:
        """At consult or above, people were promised to hear what their input changed."""
        return at_least(self.level, EngagementLevel.CONSULT)

    @property
    def needs_feedback(self) -> bool:
        return self.promised_feedback and not self.feedback_given

    @property
    def participant_rows(self) -> list[tuple[StrOrPromise, int]]:
        """(sector, how many took part) for each sector that did, in the sectors' order."""
        return [
            (label, self.participants.get(value))
            for value, label in Helix.choices
            if self.participants.get(value)
        ]
