"""A mission's targets and the milestones on the way to each."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.constraints import check_choice, check_order
from accounts.models import Organisation
from missions import validation
from missions.models.base import (
    Audited,
    MissionPart,
    ScopedQuerySet,
    Versioned,
    check_year,
    mission_reference,
    unique_per_mission,
)
from missions.models.choices import Direction, MilestoneStatus
from missions.models.mission import Mission


class Target(MissionPart, Audited, Versioned):
    """A measurable end state of a mission: from a baseline (value, year) to a target (value,
    year), or a yes/no condition. Headline targets define whether the mission succeeded."""

    mission = mission_reference("targets")
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

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["position", "key"]
        constraints = [
            unique_per_mission("key", name="missions_target_key_unique"),
            check_choice("direction", Direction, name="missions_target_direction_valid"),
            models.CheckConstraint(
                condition=~Q(direction=Direction.BINARY) | ~Q(success_condition=""),
                name="missions_target_binary_has_condition",
            ),
            models.CheckConstraint(
                condition=Q(direction=Direction.BINARY) | Q(target_value__isnull=False),
                name="missions_target_measurable_has_value",
            ),
            check_year("baseline_year", name="missions_target_baseline_year_range"),
            check_year("target_year", name="missions_target_target_year_range"),
            check_order(
                "baseline_year", "target_year", name="missions_target_target_after_baseline"
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
            check_year("year", name="missions_milestone_year_range"),
            models.CheckConstraint(
                condition=Q(value__isnull=False) | ~Q(description=""),
                name="missions_milestone_value_or_description",
            ),
            check_choice("status", MilestoneStatus, name="missions_milestone_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.description or self.value}"

    @property
    def organisation(self) -> Organisation:
        return self.target.mission.organisation

    @property
    def mission(self) -> Mission:
        return self.target.mission

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
