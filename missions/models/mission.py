"""The mission itself: its statement, mandate, owner, years, money and status."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.constraints import (
    check_choice,
    check_not_negative,
    check_order,
    is_json_list,
    unique_per_organisation,
)
from accounts.fields import optional_link, organisation_reference
from missions import validation
from missions.models.base import Audited, OrganisationPart, Versioned, check_year, validate_sdgs
from missions.models.choices import MandateSource, MissionStatus, PolicyDomain, StatementLanguage
from missions.models.register import GrandChallenge, actor_reference


class Mission(OrganisationPart, Audited, Versioned):
    """A bold, measurable, time-bound goal that answers part of a grand challenge and is
    reached through a portfolio of projects. A mission may have sub-missions (one level)."""

    organisation = organisation_reference("missions")
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
    parent = optional_link(
        "self", _("part of mission"), on_delete=models.PROTECT, related_name="children"
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
    owner = actor_reference(_("owner"), "owned_missions")
    coordinator = actor_reference(_("coordinator"), "coordinated_missions")
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

    class Meta:
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        ordering = ["title"]
        constraints = [
            unique_per_organisation("key", name="missions_mission_key_unique"),
            check_choice(
                "language", StatementLanguage, blank=True, name="missions_mission_language_valid"
            ),
            check_choice("status", MissionStatus, name="missions_mission_status_valid"),
            models.CheckConstraint(
                condition=Q(
                    status=MissionStatus.PAUSED,
                    paused_from__in=["approved", "active", "under_review"],
                )
                | (~Q(status=MissionStatus.PAUSED) & Q(paused_from="")),
                name="missions_mission_paused_from_valid",
            ),
            check_choice(
                "mandate_source", MandateSource, name="missions_mission_mandate_source_valid"
            ),
            check_choice(
                "policy_domain",
                PolicyDomain,
                blank=True,
                name="missions_mission_policy_domain_valid",
            ),
            check_year("start_year", name="missions_mission_start_year_range"),
            check_year("deadline_year", name="missions_mission_deadline_year_range"),
            check_order(
                "start_year", "deadline_year", name="missions_mission_deadline_after_start"
            ),
            check_not_negative(
                "committed_budget", name="missions_mission_committed_budget_not_negative"
            ),
            check_not_negative(
                "estimated_need", name="missions_mission_estimated_need_not_negative"
            ),
            check_not_negative("team_fte", name="missions_mission_team_fte_not_negative"),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="missions_mission_currency_iso"
            ),
            models.CheckConstraint(
                condition=is_json_list("sdgs") & Q(sdgs__contained_by=list(range(1, 18))),
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
        parent = self.parent
        if parent is not None:
            if parent.organisation_id != self.organisation_id:
                problems.append(
                    ("parent", _("A sub-mission must belong to the same organisation."))
                )
            elif parent.parent_id:
                problems.append(
                    (
                        "parent",
                        _("“%(title)s” is itself a sub-mission; sub-missions cannot be nested.")
                        % {"title": parent.title},
                    )
                )
            elif self.pk and self.parent_id == self.pk:
                problems.append(("parent", _("A mission cannot be its own sub-mission.")))
        if problems:
            raise ValidationError(validation.as_error_dict(problems))
