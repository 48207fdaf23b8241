"""Reviews of a mission (docs/domain.md §7.5): formative, mid-term, ex-post or ex-ante; internal or
external; findings; a decision per project (continue, scale, rescope, stop, new) and target
changes with their reasons. Reviews are history: recorded once, never changed or deleted."""

from __future__ import annotations

from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.constraints import check_choice
from accounts.fields import person_reference
from missions.models import MissionPart, mission_reference


class ReviewType(models.TextChoices):
    EX_ANTE = "ex_ante", _("Ex-ante")
    FORMATIVE = "formative", _("Formative")
    MID_TERM = "mid_term", _("Mid-term")
    EX_POST = "ex_post", _("Ex-post")


class Independence(models.TextChoices):
    INTERNAL = "internal", _("Internal")
    EXTERNAL = "external", _("External")


class ProjectAction(models.TextChoices):
    CONTINUE = "continue", _("Continue")
    SCALE = "scale", _("Scale up")
    RESCOPE = "rescope", _("Rescope")
    STOP = "stop", _("Stop")
    NEW = "new", _("New")


class Review(MissionPart):
    mission = mission_reference("reviews")
    date = models.DateField(_("date"))
    type = models.CharField(_("type"), max_length=10, choices=ReviewType.choices)
    independence = models.CharField(_("independence"), max_length=10, choices=Independence.choices)
    findings = models.TextField(_("findings"), blank=True, validators=[MaxLengthValidator(4000)])
    # [{"project": project key, "action": ProjectAction, "reason": str}]
    decisions = models.JSONField(_("decisions per project"), default=list, blank=True)
    # [{"target": target key, "change": str, "reason": str}]
    target_changes = models.JSONField(_("target changes"), default=list, blank=True)
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)
    created_by = person_reference(_("recorded by"))

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-date", "-created_at"]
        constraints = [
            check_choice("type", ReviewType, name="evaluation_review_type_valid"),
            check_choice("independence", Independence, name="evaluation_review_independence_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.date}"
