"""Forms for the theory of change page. They check types and shapes (and offer only this
mission's projects, targets, indicators and steps); the services check the rest."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluation.indicators.models import Indicator
from evaluation.toc.models import EvidenceStrength, NodeKind, ToCNode
from missions.models import Mission, MissionProject, Target


class StepChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ToCNode) -> str:
        return f"{obj.get_kind_display()}: {obj.title}"


class StepForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of step"),
        choices=[("", _("Choose a kind")), *NodeKind.choices],
        error_messages={
            "required": _("Choose the kind of step: activity, output, outcome or impact.")
        },
        help_text=_(
            "Activities are what the mission does, outputs what they deliver, outcomes the "
            "changes that follow, and impact the mission's goal."
        ),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=150,
        error_messages={
            "required": _("Enter a title for the step."),
            "max_length": _("Keep the title to 150 characters or fewer."),
        },
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    project = forms.ModelChoiceField(
        label=_("Project (activities and outputs only)"),
        queryset=MissionProject.objects.none(),
        required=False,
        empty_label=_("No project"),
    )
    target = forms.ModelChoiceField(
        label=_("Target (outcomes and impact only)"),
        queryset=Target.objects.none(),
        required=False,
        empty_label=_("No target"),
    )
    indicators = forms.ModelMultipleChoiceField(
        label=_("Indicators that measure this step"),
        queryset=Indicator.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, mission: Mission, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        project = cast(forms.ModelChoiceField, self.fields["project"])
        project.queryset = MissionProject.objects.filter(mission=mission).order_by("title", "key")
        target = cast(forms.ModelChoiceField, self.fields["target"])
        target.queryset = Target.objects.filter(mission=mission).order_by("position", "key")
        indicators = Indicator.objects.filter(mission=mission).order_by("name", "key")
        cast(forms.ModelMultipleChoiceField, self.fields["indicators"]).queryset = indicators
        if not indicators.exists():
            del self.fields["indicators"]

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data.setdefault("indicators", [])
        return data


class LinkForm(forms.Form):
    from_node = StepChoiceField(
        label=_("From step"),
        queryset=ToCNode.objects.none(),
        empty_label=_("Choose a step"),
        error_messages={"required": _("Choose the step the link starts from.")},
    )
    to_node = StepChoiceField(
        label=_("Leads to"),
        queryset=ToCNode.objects.none(),
        empty_label=_("Choose a step"),
        error_messages={"required": _("Choose the step it leads to.")},
    )
    assumption = forms.CharField(
        label=_("Assumption"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What must be true for the first step to lead to the second?"),
    )
    evidence = forms.ChoiceField(
        label=_("Strength of evidence"),
        choices=EvidenceStrength.choices,
        initial=EvidenceStrength.NONE,
    )

    def __init__(self, *args: Any, mission: Mission, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        steps = ToCNode.objects.filter(mission=mission).order_by("kind", "title", "key")
        # Column order (activity, output, outcome, impact), not alphabetical order of kinds.
        ordered = sorted(steps, key=lambda n: (n.rank, n.title.casefold(), n.key))
        for name in ("from_node", "to_node"):
            field = cast(StepChoiceField, self.fields[name])
            field.queryset = steps
            field.choices = [("", _("Choose a step"))] + [
                (n.pk, f"{n.get_kind_display()}: {n.title}") for n in ordered
            ]


class LinkEditForm(forms.Form):
    assumption = LinkForm.base_fields["assumption"]
    evidence = LinkForm.base_fields["evidence"]
    version = forms.IntegerField(widget=forms.HiddenInput)
