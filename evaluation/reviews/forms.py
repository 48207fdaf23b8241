"""The form to record a review: a decision per project, and one target change."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.forms import DateInput
from evaluation.reviews.models import Independence, ProjectAction, ReviewType
from missions.models import Mission


class ReviewForm(forms.Form):
    date = forms.DateField(
        label=_("Date of the review"),
        widget=DateInput(attrs={"class": "govuk-input--width-10"}),
    )
    type = forms.ChoiceField(label=_("Type"), choices=ReviewType.choices)
    independence = forms.ChoiceField(label=_("Who reviewed"), choices=Independence.choices)
    findings = forms.CharField(
        label=_("Findings"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    change_target = forms.ChoiceField(label=_("Target changed"), required=False)
    change = forms.CharField(label=_("What changed in the target"), max_length=500, required=False)
    change_reason = forms.CharField(label=_("Why"), max_length=500, required=False)

    def __init__(self, *args: Any, mission: Mission, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        self.projects = list(mission.projects.order_by("key").values_list("key", "title"))
        for key, title in self.projects:
            self.fields[f"decision_{key}"] = forms.ChoiceField(
                label=_("Decision on “%(title)s”") % {"title": title},
                choices=[("", _("No decision")), *list(ProjectAction.choices)],
                required=False,
            )
        cast(forms.ChoiceField, self.fields["change_target"]).choices = [
            ("", _("No target changes")),
            *list(mission.targets.order_by("position", "key").values_list("key", "title")),
        ]

        self.order_fields(
            ["date", "type", "independence", "findings"]
            + [f"decision_{key}" for key, _title in self.projects]
            + ["change_target", "change", "change_reason"]
        )

    def review_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        decisions = [
            {"project": key, "action": data[f"decision_{key}"], "reason": ""}
            for key, _title in self.projects
            if data.get(f"decision_{key}")
        ]
        changes = []
        if data.get("change_target"):
            changes.append(
                {
                    "target": data["change_target"],
                    "change": data.get("change", ""),
                    "reason": data.get("change_reason", ""),
                }
            )
        return {
            "date": data["date"],
            "type": data["type"],
            "independence": data["independence"],
            "findings": data.get("findings", ""),
            "decisions": decisions,
            "target_changes": changes,
        }
