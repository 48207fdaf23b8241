"""Forms for the indicator pages. They check types and shapes; the services check the rest."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from config.forms import DateInput, csv_file_field
from evaluation.indicators.models import Frequency, Indicator, Level, Quality, Timing
from missions.forms import ListField
from missions.models import Direction, Mission, Target

NUMBER = forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "decimal"})


class PersonChoiceField(forms.ModelChoiceField):
    """A member of the organisation, by name (or e-mail address when they gave no name)."""

    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.email


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    target = forms.ModelChoiceField(
        label=_("Headline target it measures"),
        queryset=Target.objects.none(),
        required=False,
        empty_label=_("No headline target"),
    )
    direction = forms.ChoiceField(
        label=_("Better is"), choices=Direction.choices, initial=Direction.INCREASE
    )
    definition = forms.CharField(
        label=_("Definition"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Changing the definition, unit or data source starts a new version."),
    )
    unit = forms.CharField(
        label=_("Unit"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    data_source = forms.CharField(label=_("Data source"), max_length=200, required=False)
    frequency = forms.ChoiceField(
        label=_("How often new data comes"), choices=Frequency.choices, initial=Frequency.ANNUAL
    )
    owner = PersonChoiceField(
        label=_("Owner"), queryset=User.objects.none(), required=False, empty_label=_("Nobody")
    )
    timing = forms.ChoiceField(
        label=_("Leading or lagging"), choices=Timing.choices, initial=Timing.LAGGING
    )
    disaggregations = ListField(
        label=_("Disaggregations"),
        help_text=_("Separate with commas, for example: socioeconomic group, region."),
    )

    def __init__(
        self, *args: Any, mission: Mission, indicator: Indicator | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        taken = Indicator.objects.filter(target__isnull=False)
        if indicator is not None:
            taken = taken.exclude(pk=indicator.pk)
        cast(forms.ModelChoiceField, self.fields["target"]).queryset = Target.objects.filter(
            mission=mission, is_headline=True
        ).exclude(pk__in=taken.values("target_id"))
        cast(PersonChoiceField, self.fields["owner"]).queryset = User.objects.filter(
            memberships__organisation_id=mission.organisation_id
        ).order_by("email")


class MeasurementForm(forms.Form):
    period_end = forms.DateField(
        label=_("Period ending"),
        help_text=_("For example, 2024-12-31 for the year 2024."),
        widget=DateInput(attrs={"class": "govuk-input--width-10"}),
    )
    value = forms.DecimalField(label=_("Value"), max_digits=20, decimal_places=4, widget=NUMBER)
    source_ref = forms.CharField(
        label=_("Source reference"),
        max_length=200,
        required=False,
        help_text=_("A table, publication or web address the value comes from."),
    )
    quality = forms.ChoiceField(
        label=_("Quality"), choices=Quality.choices, initial=Quality.OFFICIAL
    )

    def __init__(self, *args: Any, correcting: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if correcting:
            del self.fields["period_end"]
        else:
            self.fields["period_end"].initial = timezone.localdate().replace(month=12, day=31)


class MeasurementCsvForm(forms.Form):
    file = csv_file_field(
        _(
            "Columns: period_end (like 2024-12-31), value, source_ref, quality (official, "
            "estimate or provisional). Download the current values for an example."
        )
    )


class StewardInviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_(
            "Someone outside your organisation, such as a statistics office, who will add values "
            "to this indicator only. Someone without an account gets an e-mail with a link to "
            "choose a password."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)


class PushTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("Say which system will use it, for example: StatLine nightly export."),
    )
