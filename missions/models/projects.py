"""The portfolio: a mission's projects and the targets each claims to move."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.constraints import (
    check_choice,
    check_filled,
    check_not_negative,
    check_order,
    is_json_list,
)
from missions import validation
from missions.models.base import (
    Audited,
    MissionPart,
    Versioned,
    mission_reference,
    unique_per_mission,
    validate_text_list,
)
from missions.models.choices import Instrument, Origin, ProjectStatus, Stage
from missions.models.register import Actor, actor_reference
from missions.models.targets import Target


class MissionProject(MissionPart, Audited, Versioned):
    """One project in a mission's portfolio: who leads it, with which partners, in which sectors,
    with which instrument and money, and (through contributions) which targets it serves."""

    mission = mission_reference("projects")
    key = models.SlugField(_("key"), max_length=80)
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(
        _("description"), blank=True, validators=[MaxLengthValidator(1000)]
    )
    lead = actor_reference(_("lead"), "led_projects")
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

    class Meta:
        verbose_name = _("mission project")
        verbose_name_plural = _("mission projects")
        ordering = ["key"]
        constraints = [
            unique_per_mission("key", name="missions_project_key_unique"),
            check_choice("instrument", Instrument, name="missions_project_instrument_valid"),
            check_choice("stage", Stage, name="missions_project_stage_valid"),
            check_choice("origin", Origin, name="missions_project_origin_valid"),
            check_choice("status", ProjectStatus, name="missions_project_status_valid"),
            check_order("start_date", "end_date", name="missions_project_end_after_start"),
            check_not_negative("budget", name="missions_project_budget_not_negative"),
            check_not_negative(
                "public_funding", name="missions_project_public_funding_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True)
                | Q(public_funding__isnull=True)
                | Q(public_funding__lte=F("budget")),
                name="missions_project_public_funding_within_budget",
            ),
            models.CheckConstraint(
                condition=is_json_list("sectors") & is_json_list("disciplines"),
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
        lead = self.lead
        if (
            lead is not None
            and self.mission_id
            and lead.organisation_id != self.mission.organisation_id
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
            check_filled("rationale", name="missions_contribution_has_rationale"),
        ]

    def __str__(self) -> str:
        return f"{self.project} → {self.target}"

    def clean(self) -> None:
        if self.project_id and self.target_id and self.project.mission_id != self.target.mission_id:
            raise ValidationError(
                {"target": _("A project can only contribute to targets of its own mission.")}
            )
