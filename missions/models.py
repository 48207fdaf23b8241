"""The mission map as data: grand challenges, missions, their targets and milestones, the
portfolio of mission projects, and the outside actors involved.

The tenant is `accounts.Organisation`; the outside organisations and people a mission works with
are `Actor`s, registered once per tenant. Every list query starts from `visible_to(user)`.
Writes go through `missions.services`, which validates, checks permissions and records history.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Func, Q, Value
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Language, Organisation
from missions import validation
from missions.validation import YEAR_MAX, YEAR_MIN

if TYPE_CHECKING:
    from accounts.models import User


def _year_ok(field: str) -> Q:
    return Q(**{f"{field}__isnull": True}) | Q(
        **{f"{field}__gte": YEAR_MIN, f"{field}__lte": YEAR_MAX}
    )


def _not_negative(field: str) -> Q:
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0})


def _is_json_list(field: str) -> Q:
    # ArrayField would need django.contrib.postgres in INSTALLED_APPS; until then these lists
    # are jsonb, and the database still guarantees they are lists.
    return Q(**{f"{field}__isnull": False}) & Q(
        models.lookups.Exact(Func(F(field), function="jsonb_typeof"), Value("array"))
    )


def validate_sdgs(value: Any) -> None:
    if not isinstance(value, list) or not all(
        isinstance(goal, int) and not isinstance(goal, bool) for goal in value
    ):
        raise ValidationError(_("List the goals as whole numbers from 1 to 17."))
    problems = validation.sdg_problems("sdgs", value)
    if problems:
        raise ValidationError(problems[0][1])


def validate_text_list(value: Any) -> None:
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise ValidationError(_("Give a list of names."))
    if any(len(item) > 80 for item in value):
        raise ValidationError(_("Keep each name under 80 characters."))


def _choice_ok(field: str, choices: type[models.TextChoices], *, blank: bool = False) -> Q:
    values = list(choices.values) + ([""] if blank else [])
    return Q(**{f"{field}__in": values})


class PartOfMission:
    """For models with a `mission` foreign key: they belong to the mission's organisation, which
    is what permission predicates (`accounts.predicates`) read as `obj.organisation`."""

    @property
    def organisation(self) -> Organisation:
        return self.mission.organisation


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows the path from its model to the owning organisation."""

    organisation_path = "organisation"

    def visible_to(self, user: User) -> ScopedQuerySet:
        """The only starting point for lists: rows of organisations the user is a member of."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        # One membership per (user, organisation), so this join never duplicates rows.
        return self.filter(**{f"{self.organisation_path}__memberships__user": user})


class Audited(models.Model):
    """Who created a row and when, and who last changed it."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True


class Versioned(models.Model):
    """A row whose `version` goes up by one on every save, for optimistic concurrency: a page
    sends back the version it showed, and the service refuses to save over a newer one."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            self.version += 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "version", "updated_at"}
        super().save(*args, **kwargs)


# --- Choices ---------------------------------------------------------------------------------


class Helix(models.TextChoices):
    """The quadruple helix, plus the optional fifth (natural environment) helix."""

    GOVERNMENT = "government", _("Government")
    INDUSTRY = "industry", _("Industry")
    ACADEMIA = "academia", _("Academia and research")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    ENVIRONMENT = "environment", _("Environment representative")


class ActorKind(models.TextChoices):
    ORGANISATION = "organisation", _("Organisation")
    PERSON = "person", _("Person")


class GovernmentLevel(models.TextChoices):
    LOCAL = "local", _("Local")
    REGIONAL = "regional", _("Regional")
    NATIONAL = "national", _("National")
    EU = "eu", _("European Union")
    INTERNATIONAL = "international", _("International")


class MissionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    ACTIVE = "active", _("Active")
    UNDER_REVIEW = "under_review", _("Under review")
    PAUSED = "paused", _("Paused")
    COMPLETED = "completed", _("Completed")
    RETIRED = "retired", _("Retired")


# The languages whose grammar the statement analysis knows (evaluation/criteria): the same
# list an organisation records its language from, so a mission's default is always valid.
StatementLanguage = Language


class MandateSource(models.TextChoices):
    """Where a mission's authority comes from. Blank: not recorded (nobody has said yet);
    `none`: recorded as "no mandate yet" (someone has said there is none) — evidence, unlike
    blank (docs/domain.md failure mode "mandate"; issue #16)."""

    NOT_RECORDED = "", _("Not recorded yet")
    NONE = "none", _("No mandate yet")
    LEGISLATION = "legislation", _("Law or regulation")
    GOVERNMENT_DECISION = "government_decision", _("Government or cabinet decision")
    MINISTERIAL_DECISION = "ministerial_decision", _("Ministerial decision or order")
    PARLIAMENT_RESOLUTION = "parliament_resolution", _("Parliament resolution")
    AGENCY_BOARD_DECISION = "agency_board_decision", _("Agency board decision")
    COUNCIL_RESOLUTION = "council_resolution", _("Regional or municipal council resolution")
    EU_DECISION = "eu_decision", _("European Union decision")
    OTHER = "other", _("Other")


class PolicyDomain(models.TextChoices):
    """COFOG divisions (the UN classification of the functions of government)."""

    GENERAL_PUBLIC_SERVICES = "01", _("General public services")
    DEFENCE = "02", _("Defence")
    PUBLIC_ORDER = "03", _("Public order and safety")
    ECONOMIC_AFFAIRS = "04", _("Economic affairs")
    ENVIRONMENT = "05", _("Environmental protection")
    HOUSING = "06", _("Housing and community amenities")
    HEALTH = "07", _("Health")
    CULTURE = "08", _("Recreation, culture and religion")
    EDUCATION = "09", _("Education")
    SOCIAL_PROTECTION = "10", _("Social protection")


class Direction(models.TextChoices):
    INCREASE = "increase", _("Increase")
    DECREASE = "decrease", _("Decrease")
    BINARY = "binary", _("Yes/no")


class MilestoneStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    MET = "met", _("Met")
    MISSED = "missed", _("Missed")


class Instrument(models.TextChoices):
    GRANT = "grant", _("Grant")
    CHALLENGE_PRIZE = "challenge_prize", _("Challenge prize")
    PROCUREMENT = "procurement", _("Public procurement")
    REGULATION = "regulation", _("Regulation or standard")
    FINANCE = "finance", _("Loan or equity finance")
    DATA = "data", _("Data and infrastructure")
    SKILLS = "skills", _("Skills and capability building")
    OTHER = "other", _("Other")


class Stage(models.TextChoices):
    RESEARCH = "research", _("Research")
    DEVELOPMENT = "development", _("Development")
    DEMONSTRATION = "demonstration", _("Demonstration")
    DEPLOYMENT = "deployment", _("Deployment")
    DIFFUSION = "diffusion", _("Diffusion")


class Origin(models.TextChoices):
    COMMISSIONED = "commissioned", _("Commissioned")
    OPEN_CALL = "open_call", _("Open call")
    BOTTOM_UP = "bottom_up", _("Bottom-up proposal")
    PRE_EXISTING = "pre_existing", _("Existed before the mission")


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    STOPPED = "stopped", _("Stopped")
    COMPLETED = "completed", _("Completed")


# --- Actors and challenges -------------------------------------------------------------------


class ActorQuerySet(ScopedQuerySet):
    pass


class Actor(Audited):
    """An outside organisation or person a mission works with: a ministry that owns it, an agency
    that coordinates it, a project lead or partner. One registry per tenant, so the same actor is
    recognised across missions."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="actors",
    )
    key = models.SlugField(_("key"), max_length=80)
    name = models.CharField(_("name"), max_length=200)
    helix = models.CharField(_("helix"), max_length=20, choices=Helix.choices)
    kind = models.CharField(
        _("kind"), max_length=20, choices=ActorKind.choices, default=ActorKind.ORGANISATION
    )
    government_level = models.CharField(
        _("level of government"), max_length=20, choices=GovernmentLevel.choices, blank=True
    )
    country = models.CharField(
        _("country"), max_length=2, blank=True, help_text=_("Two-letter ISO code, e.g. NL.")
    )

    objects = ActorQuerySet.as_manager()

    class Meta:
        verbose_name = _("actor")
        verbose_name_plural = _("actors")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "key"], name="missions_actor_key_unique"
            ),
            models.UniqueConstraint(
                "organisation", Lower("name"), name="missions_actor_name_ci_unique"
            ),
            models.CheckConstraint(
                condition=_choice_ok("helix", Helix), name="missions_actor_helix_valid"
            ),
            models.CheckConstraint(
                condition=_choice_ok("kind", ActorKind), name="missions_actor_kind_valid"
            ),
            models.CheckConstraint(
                condition=_choice_ok("government_level", GovernmentLevel, blank=True),
                name="missions_actor_government_level_valid",
            ),
            models.CheckConstraint(
                condition=Q(country="") | Q(country__regex=r"^[A-Z]{2}$"),
                name="missions_actor_country_iso",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.country and not (len(self.country) == 2 and self.country.isupper()):
            raise ValidationError(
                {"country": _("Use a two-letter country code in capitals, such as NL or SE.")}
            )


class GrandChallengeQuerySet(ScopedQuerySet):
    pass


class GrandChallenge(Audited):
    """A broad societal problem, too wide to direct innovation by itself (the first column of
    the mission map). Missions are concrete, measurable steps towards solving it."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="challenges",
    )
    key = models.SlugField(_("key"), max_length=80)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    sdgs = models.JSONField(
        _("Sustainable Development Goals"), default=list, blank=True, validators=[validate_sdgs]
    )

    objects = GrandChallengeQuerySet.as_manager()

    class Meta:
        verbose_name = _("grand challenge")
        verbose_name_plural = _("grand challenges")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "key"], name="missions_challenge_key_unique"
            ),
            models.CheckConstraint(
                condition=_is_json_list("sdgs") & Q(sdgs__contained_by=list(range(1, 18))),
                name="missions_challenge_sdgs_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        problems = validation.sdg_problems("sdgs", self.sdgs)
        if problems:
            raise ValidationError(validation.as_error_dict(problems))


# --- Missions --------------------------------------------------------------------------------


class MissionQuerySet(ScopedQuerySet):
    def active(self) -> MissionQuerySet:
        """Missions that are not archived."""
        return self.filter(archived_at__isnull=True)


class Mission(Audited, Versioned):
    """A bold, measurable, time-bound goal that answers part of a grand challenge and is
    reached through a portfolio of projects. A mission may have sub-missions (one level)."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="missions",
    )
    key = models.SlugField(
        _("key"), max_length=80, help_text=_("Stable short name, used in addresses and exports.")
    )
    title = models.CharField(_("title"), max_length=120)
    statement = models.TextField(
        _("mission statement"),
        blank=True,
        validators=[MaxLengthValidator(300)],
        help_text=_("One sentence: what will be true, for whom, and by when."),
    )
    challenge = models.ForeignKey(
        GrandChallenge,
        verbose_name=_("grand challenge"),
        on_delete=models.PROTECT,
        related_name="missions",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of mission"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MissionStatus.choices, default=MissionStatus.DRAFT
    )
    # Where a paused mission returns to when it resumes.
    paused_from = models.CharField(
        _("paused while"), max_length=20, choices=MissionStatus.choices, blank=True
    )
    mandate_source = models.CharField(
        _("mandate"),
        max_length=30,
        choices=MandateSource.choices,
        default=MandateSource.NOT_RECORDED,
        blank=True,
    )
    mandate_reference = models.CharField(
        _("mandate reference"),
        max_length=200,
        blank=True,
        help_text=_("The decision's number or title, so others can look it up."),
    )
    mandate_date = models.DateField(_("mandate date"), null=True, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    owner = models.ForeignKey(
        Actor,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_missions",
    )
    coordinator = models.ForeignKey(
        Actor,
        verbose_name=_("coordinator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinated_missions",
    )
    start_year = models.PositiveSmallIntegerField(_("start year"), null=True, blank=True)
    deadline_year = models.PositiveSmallIntegerField(_("deadline year"), null=True, blank=True)
    committed_budget = models.DecimalField(
        _("committed budget"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    estimated_need = models.DecimalField(
        _("estimated budget need"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    team_fte = models.DecimalField(
        _("mission team (full-time equivalents)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
    )
    sdgs = models.JSONField(
        _("Sustainable Development Goals"), default=list, blank=True, validators=[validate_sdgs]
    )
    policy_domain = models.CharField(
        _("policy domain"), max_length=2, choices=PolicyDomain.choices, blank=True
    )
    geography = models.CharField(_("geography"), max_length=100, blank=True)
    # The language the statement is written in: it selects the statement analysis's grammar.
    # A new mission starts with its organisation's language; empty: recognised from the text.
    language = models.CharField(
        _("language of the statement"), max_length=5, choices=StatementLanguage.choices, blank=True
    )
    # How many people the mission's change reaches, when someone has said (the C1 signal reads
    # it; nothing else writes it).
    affected_population = models.PositiveBigIntegerField(
        _("people affected"), null=True, blank=True
    )
    source_url = models.URLField(_("source"), max_length=500, blank=True)
    notes = models.TextField(
        _("notes"), blank=True, help_text=_("Caveats, e.g. figures that still need checking.")
    )
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)

    objects = MissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "key"], name="missions_mission_key_unique"
            ),
            models.CheckConstraint(
                condition=_choice_ok("language", StatementLanguage, blank=True),
                name="missions_mission_language_valid",
            ),
            models.CheckConstraint(
                condition=_choice_ok("status", MissionStatus), name="missions_mission_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(
                    status=MissionStatus.PAUSED,
                    paused_from__in=["approved", "active", "under_review"],
                )
                | (~Q(status=MissionStatus.PAUSED) & Q(paused_from="")),
                name="missions_mission_paused_from_valid",
            ),
            models.CheckConstraint(
                condition=_choice_ok("mandate_source", MandateSource),
                name="missions_mission_mandate_source_valid",
            ),
            models.CheckConstraint(
                condition=_choice_ok("policy_domain", PolicyDomain, blank=True),
                name="missions_mission_policy_domain_valid",
            ),
            models.CheckConstraint(
                condition=_year_ok("start_year"), name="missions_mission_start_year_range"
            ),
            models.CheckConstraint(
                condition=_year_ok("deadline_year"), name="missions_mission_deadline_year_range"
            ),
            models.CheckConstraint(
                condition=Q(start_year__isnull=True)
                | Q(deadline_year__isnull=True)
                | Q(deadline_year__gte=F("start_year")),
                name="missions_mission_deadline_after_start",
            ),
            models.CheckConstraint(
                condition=_not_negative("committed_budget"),
                name="missions_mission_committed_budget_not_negative",
            ),
            models.CheckConstraint(
                condition=_not_negative("estimated_need"),
                name="missions_mission_estimated_need_not_negative",
            ),
            models.CheckConstraint(
                condition=_not_negative("team_fte"), name="missions_mission_team_fte_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="missions_mission_currency_iso"
            ),
            models.CheckConstraint(
                condition=_is_json_list("sdgs") & Q(sdgs__contained_by=list(range(1, 18))),
                name="missions_mission_sdgs_valid",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(parent=F("pk")),
                name="missions_mission_not_own_parent",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status"]),
            # The portfolio dashboard's default order (title, then id), paged by keyset.
            models.Index(fields=["organisation", "title", "id"], name="missions_org_title_id_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def mission(self) -> Mission:
        # Lets permission predicates treat a mission like any object that belongs to one.
        return self

    def clean(self) -> None:
        problems = validation.mission_problems(
            start_year=self.start_year,
            deadline_year=self.deadline_year,
            committed_budget=self.committed_budget,
            estimated_need=self.estimated_need,
            team_fte=self.team_fte,
            currency=self.currency,
            sdgs=self.sdgs,
        )
        if self.challenge_id and self.challenge.organisation_id != self.organisation_id:
            problems.append(("challenge", _("Choose a challenge of this organisation.")))
        for field in ("owner", "coordinator"):
            actor = getattr(self, field)
            if actor is not None and actor.organisation_id != self.organisation_id:
                problems.append((field, _("Choose an actor from this organisation's register.")))
        if self.parent_id:
            if self.parent.organisation_id != self.organisation_id:
                problems.append(
                    ("parent", _("A sub-mission must belong to the same organisation."))
                )
            elif self.parent.parent_id:
                problems.append(
                    (
                        "parent",
                        _("“%(title)s” is itself a sub-mission; sub-missions cannot be nested.")
                        % {"title": self.parent.title},
                    )
                )
            elif self.pk and self.parent_id == self.pk:
                problems.append(("parent", _("A mission cannot be its own sub-mission.")))
        if problems:
            raise ValidationError(validation.as_error_dict(problems))


class TargetQuerySet(ScopedQuerySet):
    organisation_path = "mission__organisation"


class Target(PartOfMission, Audited, Versioned):
    """A measurable end state of a mission: from a baseline (value, year) to a target (value,
    year), or a yes/no condition. Headline targets define whether the mission succeeded."""

    mission = models.ForeignKey(
        Mission, verbose_name=_("mission"), on_delete=models.CASCADE, related_name="targets"
    )
    key = models.SlugField(_("key"), max_length=80)
    title = models.CharField(_("title"), max_length=200)
    is_headline = models.BooleanField(_("headline target"), default=False)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    baseline_value = models.DecimalField(
        _("baseline value"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    target_value = models.DecimalField(
        _("target value"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    target_year = models.PositiveSmallIntegerField(_("target year"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    success_condition = models.TextField(
        _("success condition"),
        blank=True,
        validators=[MaxLengthValidator(500)],
        help_text=_("For a yes/no target: what will be true when it is met."),
    )
    geography = models.CharField(_("geography"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    notes = models.TextField(_("notes"), blank=True)

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["position", "key"]
        constraints = [
            models.UniqueConstraint(fields=["mission", "key"], name="missions_target_key_unique"),
            models.CheckConstraint(
                condition=_choice_ok("direction", Direction), name="missions_target_direction_valid"
            ),
            models.CheckConstraint(
                condition=~Q(direction=Direction.BINARY) | ~Q(success_condition=""),
                name="missions_target_binary_has_condition",
            ),
            models.CheckConstraint(
                condition=Q(direction=Direction.BINARY) | Q(target_value__isnull=False),
                name="missions_target_measurable_has_value",
            ),
            models.CheckConstraint(
                condition=_year_ok("baseline_year"), name="missions_target_baseline_year_range"
            ),
            models.CheckConstraint(
                condition=_year_ok("target_year"), name="missions_target_target_year_range"
            ),
            models.CheckConstraint(
                condition=Q(baseline_year__isnull=True)
                | Q(target_year__isnull=True)
                | Q(target_year__gte=F("baseline_year")),
                name="missions_target_target_after_baseline",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        problems = validation.target_problems(
            direction=self.direction,
            baseline_value=self.baseline_value,
            baseline_year=self.baseline_year,
            target_value=self.target_value,
            target_year=self.target_year,
            success_condition=self.success_condition,
            deadline_year=self.mission.deadline_year if self.mission_id else None,
        )
        if problems:
            raise ValidationError(validation.as_error_dict(problems))

    def headline_gaps(self) -> list[str]:
        """What this target lacks to count as a measurable headline target."""
        return validation.headline_target_gaps(
            title=self.title,
            direction=self.direction,
            baseline_value=self.baseline_value,
            baseline_year=self.baseline_year,
            target_value=self.target_value,
            target_year=self.target_year,
            unit=self.unit,
            success_condition=self.success_condition,
        )


class MilestoneQuerySet(ScopedQuerySet):
    organisation_path = "target__mission__organisation"


class Milestone(Audited, Versioned):
    """An interim point on the way to a target: a value or a described state by a year.
    One milestone per target and year, so the year identifies it in exports."""

    target = models.ForeignKey(
        Target, verbose_name=_("target"), on_delete=models.CASCADE, related_name="milestones"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(
        _("expected value"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=MilestoneStatus.choices,
        default=MilestoneStatus.PENDING,
    )
    actual_value = models.DecimalField(
        _("actual value"), max_digits=20, decimal_places=4, null=True, blank=True
    )

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(
                fields=["target", "year"], name="missions_milestone_year_unique"
            ),
            models.CheckConstraint(
                condition=_year_ok("year"), name="missions_milestone_year_range"
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=False) | ~Q(description=""),
                name="missions_milestone_value_or_description",
            ),
            models.CheckConstraint(
                condition=_choice_ok("status", MilestoneStatus),
                name="missions_milestone_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.description or self.value}"

    @property
    def organisation(self) -> Organisation:
        return self.target.mission.organisation

    @property
    def mission(self) -> Mission:
        return self.target.mission

    @property
    def is_overdue(self) -> bool:
        """Still pending although its year has passed: the page flags it for an update."""
        return self.status == MilestoneStatus.PENDING and self.year < timezone.localdate().year

    def clean(self) -> None:
        problems = validation.milestone_problems(
            year=self.year,
            value=self.value,
            description=self.description,
            baseline_year=self.target.baseline_year if self.target_id else None,
            target_year=self.target.target_year if self.target_id else None,
        )
        if problems:
            raise ValidationError(validation.as_error_dict(problems))


# --- The portfolio ---------------------------------------------------------------------------


class MissionProjectQuerySet(ScopedQuerySet):
    organisation_path = "mission__organisation"


class MissionProject(PartOfMission, Audited, Versioned):
    """One project in a mission's portfolio: who leads it, with which partners, in which sectors,
    with which instrument and money, and (through contributions) which targets it serves."""

    mission = models.ForeignKey(
        Mission, verbose_name=_("mission"), on_delete=models.CASCADE, related_name="projects"
    )
    key = models.SlugField(_("key"), max_length=80)
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(
        _("description"), blank=True, validators=[MaxLengthValidator(1000)]
    )
    lead = models.ForeignKey(
        Actor,
        verbose_name=_("lead"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_projects",
    )
    partners = models.ManyToManyField(
        Actor, verbose_name=_("partners"), blank=True, related_name="partner_projects"
    )
    sectors = models.JSONField(
        _("sectors"), default=list, blank=True, validators=[validate_text_list]
    )
    disciplines = models.JSONField(
        _("disciplines"), default=list, blank=True, validators=[validate_text_list]
    )
    instrument = models.CharField(
        _("instrument"), max_length=20, choices=Instrument.choices, default=Instrument.GRANT
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.RESEARCH
    )
    origin = models.CharField(
        _("origin"), max_length=20, choices=Origin.choices, default=Origin.COMMISSIONED
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    budget = models.DecimalField(
        _("budget"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    public_funding = models.DecimalField(
        _("public funding"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED
    )
    notes = models.TextField(_("notes"), blank=True)
    targets = models.ManyToManyField(
        Target,
        verbose_name=_("contributes to"),
        through="ProjectContribution",
        related_name="projects",
        blank=True,
    )

    objects = MissionProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("mission project")
        verbose_name_plural = _("mission projects")
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(fields=["mission", "key"], name="missions_project_key_unique"),
            models.CheckConstraint(
                condition=_choice_ok("instrument", Instrument),
                name="missions_project_instrument_valid",
            ),
            models.CheckConstraint(
                condition=_choice_ok("stage", Stage), name="missions_project_stage_valid"
            ),
            models.CheckConstraint(
                condition=_choice_ok("origin", Origin), name="missions_project_origin_valid"
            ),
            models.CheckConstraint(
                condition=_choice_ok("status", ProjectStatus), name="missions_project_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="missions_project_end_after_start",
            ),
            models.CheckConstraint(
                condition=_not_negative("budget"), name="missions_project_budget_not_negative"
            ),
            models.CheckConstraint(
                condition=_not_negative("public_funding"),
                name="missions_project_public_funding_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True)
                | Q(public_funding__isnull=True)
                | Q(public_funding__lte=F("budget")),
                name="missions_project_public_funding_within_budget",
            ),
            models.CheckConstraint(
                condition=_is_json_list("sectors") & _is_json_list("disciplines"),
                name="missions_project_sectors_disciplines_lists",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        problems = validation.project_problems(
            start_date=self.start_date,
            end_date=self.end_date,
            budget=self.budget,
            public_funding=self.public_funding,
        )
        if (
            self.lead_id
            and self.mission_id
            and self.lead.organisation_id != self.mission.organisation_id
        ):
            problems.append(("lead", _("Choose an actor from this organisation's register.")))
        if problems:
            raise ValidationError(validation.as_error_dict(problems))


class ProjectContribution(models.Model):
    """A project's claim to move one of its mission's targets, and why it will."""

    project = models.ForeignKey(
        MissionProject,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="contributions",
    )
    target = models.ForeignKey(
        Target, verbose_name=_("target"), on_delete=models.CASCADE, related_name="contributions"
    )
    rationale = models.TextField(
        _("rationale"),
        validators=[MaxLengthValidator(500)],
        help_text=_("How this project moves the target."),
    )

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "target"], name="missions_contribution_unique"
            ),
            models.CheckConstraint(
                condition=~Q(rationale=""), name="missions_contribution_has_rationale"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} → {self.target}"

    def clean(self) -> None:
        if self.project_id and self.target_id and self.project.mission_id != self.target.mission_id:
            raise ValidationError(
                {"target": _("A project can only contribute to targets of its own mission.")}
            )


# --- History ---------------------------------------------------------------------------------


class ChangeAction(models.TextChoices):
    CREATED = "created", _("Created")
    UPDATED = "updated", _("Changed")
    DELETED = "deleted", _("Deleted")
    TRANSITIONED = "transitioned", _("Status changed")
    ARCHIVED = "archived", _("Archived")
    RESTORED = "restored", _("Restored")
    IMPORTED = "imported", _("Imported")


class MissionChangeQuerySet(ScopedQuerySet):
    organisation_path = "mission__organisation"


class MissionChange(models.Model):
    """One entry in a mission's history: who did what to which part, and the fields' values
    before and after (`{"field": [before, after]}`), written by every service."""

    mission = models.ForeignKey(
        Mission, verbose_name=_("mission"), on_delete=models.CASCADE, related_name="changes"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    action = models.CharField(_("action"), max_length=20, choices=ChangeAction.choices)
    object_type = models.CharField(_("part"), max_length=30)
    object_key = models.CharField(_("key"), max_length=80, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    objects = MissionChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("mission change")
        verbose_name_plural = _("mission changes")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["mission", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.object_type}"


# --- Snapshots -------------------------------------------------------------------------------


class MissionSnapshotQuerySet(ScopedQuerySet):
    organisation_path = "mission__organisation"


class MissionSnapshot(models.Model):
    """A named, immutable copy of a whole mission as the exchange format exports it (core
    fields plus every registered section: targets, projects, canvas, ...), e.g. "Cabinet
    submission v3". Taken through `missions.snapshots.snapshot_take`; never changed after."""

    mission = models.ForeignKey(
        Mission, verbose_name=_("mission"), on_delete=models.CASCADE, related_name="snapshots"
    )
    name = models.CharField(_("name"), max_length=120)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("taken by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    taken_at = models.DateTimeField(_("taken"), auto_now_add=True)
    document = models.JSONField(_("document"))

    objects = MissionSnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("mission snapshot")
        verbose_name_plural = _("mission snapshots")
        ordering = ["-taken_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mission", "name"], name="missions_snapshot_name_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("Snapshots are immutable; take a new one instead.")
        super().save(*args, **kwargs)
