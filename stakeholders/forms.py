from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from config.forms import DateInput, csv_file_field
from config.wording import in_sentence
from missions.models import Helix
from stakeholders.models import (
    ATTITUDE_CHOICES,
    SCALE_CHOICES,
    ActivityType,
    EngagementLevel,
    Quadrant,
    Role,
    Stakeholder,
)
from stakeholders.services import EDITED_FIELDS

BLANK = [("", _("Any"))]


class _Position(forms.Form):
    power = forms.TypedChoiceField(
        label=_("Power"),
        choices=SCALE_CHOICES,
        coerce=int,
        help_text=_("How much they can change the mission's decisions: 5 is the most."),
    )
    interest = forms.TypedChoiceField(
        label=_("Interest"),
        choices=SCALE_CHOICES,
        coerce=int,
        help_text=_("How much the mission matters to them: 5 is the most."),
    )


class MoveForm(_Position):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Shown beside the edit form, which has power and interest too: ids of its own.
        kwargs.setdefault("auto_id", "move-%s")
        super().__init__(*args, **kwargs)


class StakeholderFieldsForm(_Position):
    helix = forms.ChoiceField(
        label=_("Sector"),
        choices=[("", _("Choose a sector")), *Helix.choices],
        required=False,
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles in this mission"),
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one role.")},
    )
    attitude = forms.TypedChoiceField(
        label=_("Attitude to the mission"), choices=ATTITUDE_CHOICES, coerce=int, initial=0
    )
    engagement_now = forms.ChoiceField(label=_("Engagement now"), choices=EngagementLevel.choices)
    engagement_planned = forms.ChoiceField(
        label=_("Engagement planned"), choices=EngagementLevel.choices
    )
    engagement_plan = forms.CharField(
        label=_("Engagement plan"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How and when you will engage them, in a few sentences."),
    )
    is_core_team = forms.BooleanField(
        label=_("Part of the core team"),
        required=False,
        help_text=_("Owners, coordinators and mission board members are always in it."),
    )
    last_engaged = forms.DateField(
        label=_("Last engaged"),
        required=False,
        help_text=_("For example, 2025-03-31."),
        widget=DateInput(),
    )

    def stakeholder_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in EDITED_FIELDS}


class StakeholderAddForm(StakeholderFieldsForm):
    field_order = ["name", "actor", "is_person", "helix"]

    name = forms.CharField(
        label=_("Name of the organisation or person"),
        max_length=200,
        help_text=_("As you type, matching actors from your register are suggested."),
    )
    actor = forms.CharField(required=False, widget=forms.HiddenInput)
    is_person = forms.BooleanField(
        label=_("This is a named person, not an organisation"),
        required=False,
        help_text=_("People are kept on this mission only, not in the actor register."),
    )

    def clean_helix(self) -> str:
        return self.cleaned_data.get("helix", "")


class StakeholderEditForm(StakeholderFieldsForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, stakeholder: Stakeholder, **kwargs: Any):
        kwargs.setdefault(
            "initial",
            {
                "helix": stakeholder.helix,
                "roles": stakeholder.roles,
                "power": stakeholder.power,
                "interest": stakeholder.interest,
                "attitude": stakeholder.attitude,
                "engagement_now": stakeholder.engagement_now,
                "engagement_planned": stakeholder.engagement_planned,
                "engagement_plan": stakeholder.engagement_plan,
                "is_core_team": stakeholder.is_core_team,
                "last_engaged": stakeholder.last_engaged,
                "version": stakeholder.version,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["helix"].required = True
        cast(forms.ChoiceField, self.fields["helix"]).choices = Helix.choices

    def stakeholder_fields(self) -> dict[str, Any]:
        fields = super().stakeholder_fields()
        fields["helix"] = self.cleaned_data["helix"]
        return fields


class FilterForm(forms.Form):
    sector = forms.ChoiceField(label=_("Sector"), choices=BLANK + Helix.choices, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=BLANK + Role.choices, required=False)
    quadrant = forms.ChoiceField(
        label=_("Quadrant"), choices=BLANK + Quadrant.choices, required=False
    )
    since = forms.DateField(
        label=_("Show movement since"),
        required=False,
        widget=DateInput(),
    )


class ActivityForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    type = forms.ChoiceField(label=_("Type of activity"), choices=ActivityType.choices)
    level = forms.ChoiceField(label=_("Engagement level"), choices=EngagementLevel.choices)
    summary = forms.CharField(
        label=_("Summary"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    influence_on_decision = forms.CharField(
        label=_("How the input changed decisions"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "From consult upwards, people should hear what changed because of them. "
            "Say what was decided differently."
        ),
    )
    stakeholders = forms.MultipleChoiceField(
        label=_("Stakeholders who took part"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, stakeholders: list[Stakeholder], **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["stakeholders"]).choices = [
            (s.key, s.name) for s in stakeholders
        ]
        self.helix_fields = []
        for helix, label in Helix.choices:
            name = f"participants_{helix}"
            self.fields[name] = forms.IntegerField(
                label=_("Participants from %(sector)s") % {"sector": in_sentence(label)},
                required=False,
                min_value=0,
                max_value=1_000_000,
                widget=forms.NumberInput(attrs={"class": "govuk-input--width-5"}),
            )
            self.helix_fields.append(name)

    def participants(self) -> dict[str, int]:
        return {
            helix: self.cleaned_data[f"participants_{helix}"]
            for helix in Helix.values
            if self.cleaned_data.get(f"participants_{helix}")
        }


class CsvImportForm(forms.Form):
    file = csv_file_field(
        _(
            "Columns: key, name, person, sector, roles, power, interest, attitude, "
            "engagement_now, engagement_planned, engagement_plan, core_team, last_engaged. "
            "Download the current list for an example."
        )
    )
