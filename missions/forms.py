"""Forms for the mission pages. They check types and shapes; the services check the domain
rules (years against the deadline, workflow requirements) and their messages land on the same
fields."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from config.forms import DateInput
from missions.copying import COPYABLE
from missions.models import (
    Actor,
    GrandChallenge,
    Milestone,
    Mission,
    MissionProject,
    StatementLanguage,
    Target,
)
from missions.services import TARGET_FORM_FIELDS
from missions.validation import YEAR_MAX, YEAR_MIN

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ListField(forms.CharField):
    """A comma-separated list in one text box (SDGs, sectors, disciplines)."""

    def __init__(self, *, item: type = str, **kwargs: Any) -> None:
        self.item = item
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        return value

    # A text box that cleans to a list: the stubs know CharField only as cleaning to text.
    def to_python(self, value: Any) -> list[Any]:  # type: ignore[override]
        text = super().to_python(value) or ""
        items = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
        if self.item is int:
            try:
                return [int(part) for part in items]
            except ValueError:
                raise ValidationError(
                    _("Enter whole numbers separated by commas, for example 3, 11."),
                    code="invalid",
                ) from None
        return items


YEAR = forms.NumberInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"})
NUMBER = forms.NumberInput(attrs={"class": "govuk-input--width-10"})
UNIT = forms.TextInput(attrs={"class": "govuk-input--width-20"})


class VersionedForm(forms.Form):
    """Carries the version the user started from, so a save based on an old one is refused.

    A stored number is shown as people write it ("112", not the column's "112.0000")."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            value = self.initial.get(name)
            if isinstance(field, forms.DecimalField) and isinstance(value, Decimal):
                self.initial[name] = format(value.normalize(), "f")


# Blank: the organisation has no recorded language, so the checks recognise it from the text.
LANGUAGE_CHOICES = [("", _("Not chosen: recognised from the text")), *StatementLanguage.choices]
LANGUAGE_HELP = _("The automatic checks read the statement by this language's grammar.")


class MissionStartForm(forms.Form):
    challenge_title = forms.CharField(
        label=_("Grand challenge"),
        max_length=120,
        widget=forms.TextInput(attrs={"list": "challenges", "autocomplete": "off"}),
        help_text=_(
            "The broad societal problem the mission answers, for example “Healthy ageing”. "
            "Pick an existing one or type a new one."
        ),
    )
    title = forms.CharField(label=_("Mission title"), max_length=120)
    statement = forms.CharField(
        label=_("Mission statement"),
        required=False,
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One sentence: what will be true, for whom, and by when. You can refine it later."
        ),
    )
    language = forms.ChoiceField(
        label=_("Language of the statement"),
        required=False,
        choices=LANGUAGE_CHOICES,
        help_text=LANGUAGE_HELP,
    )
    deadline_year = forms.IntegerField(
        label=_("Deadline year"),
        required=False,
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A new mission is written in its organisation's language unless the author says not.
        self.fields["language"].initial = organisation.language


def _actor_choices(organisation: Organisation) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=Actor.objects.filter(organisation=organisation).order_by("name"),
        required=False,
        empty_label=_("Not chosen"),
    )


class MissionBasicsForm(VersionedForm, forms.ModelForm):
    sdgs = ListField(
        label=_("Sustainable Development Goals"),
        item=int,
        help_text=_("Numbers from 1 to 17, separated by commas."),
    )

    class Meta:
        model = Mission
        fields = [
            "title",
            "statement",
            "language",
            "challenge",
            "start_year",
            "deadline_year",
            "policy_domain",
            "geography",
            "affected_population",
            "sdgs",
        ]
        widgets = {
            "statement": forms.Textarea(attrs={"rows": 3}),
            "start_year": YEAR,
            "deadline_year": YEAR,
            "affected_population": NUMBER,
        }
        labels = {"affected_population": _("People affected by the challenge")}
        help_texts = {
            "affected_population": _(
                "About how many people the problem touches, as a whole number. Leave it empty "
                "if you do not know yet."
            )
        }

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        challenge = cast(forms.ModelChoiceField, self.fields["challenge"])
        challenge.queryset = GrandChallenge.objects.filter(organisation=organisation).order_by(
            "title"
        )
        cast(forms.ChoiceField, self.fields["language"]).choices = LANGUAGE_CHOICES
        self.fields["language"].help_text = LANGUAGE_HELP


class MissionGovernanceForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Mission
        fields = [
            "mandate_source",
            "mandate_reference",
            "mandate_date",
            "owner",
            "coordinator",
        ]
        widgets = {"mandate_date": DateInput()}

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("owner", "coordinator"):
            self.fields[name] = _actor_choices(organisation)
            model_field = cast(models.ForeignKey, Mission._meta.get_field(name))
            self.fields[name].label = model_field.verbose_name.capitalize()


class MissionResourcesForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Mission
        fields = ["committed_budget", "estimated_need", "currency", "team_fte"]
        widgets = {
            "committed_budget": NUMBER,
            "estimated_need": NUMBER,
            "currency": forms.TextInput(attrs={"class": "govuk-input--width-3"}),
            "team_fte": NUMBER,
        }

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        # Same signature as the other groups; nothing here depends on the organisation.
        super().__init__(*args, **kwargs)


# The overview's inline-edited groups: each form takes the mission's organisation.
MissionGroupForm = MissionBasicsForm | MissionGovernanceForm | MissionResourcesForm
MISSION_GROUPS: dict[str, tuple[type[MissionGroupForm], StrOrPromise]] = {
    "basics": (MissionBasicsForm, _("The mission")),
    "governance": (MissionGovernanceForm, _("Mandate and governance")),
    "resources": (MissionResourcesForm, _("Money and people")),
}


class TargetForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Target
        fields = list(TARGET_FORM_FIELDS)
        widgets = {
            "success_condition": forms.Textarea(attrs={"rows": 2}),
            "baseline_value": NUMBER,
            "baseline_year": YEAR,
            "target_value": NUMBER,
            "target_year": YEAR,
            "unit": UNIT,
        }


class MilestoneForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["year", "value", "description", "status"]
        widgets = {"year": YEAR, "value": NUMBER}


class MilestoneEditForm(MilestoneForm):
    """A milestone once it is due: marked met or missed, with the value actually reached."""

    class Meta(MilestoneForm.Meta):
        fields = ["year", "value", "description", "status", "actual_value"]
        widgets = {**MilestoneForm.Meta.widgets, "actual_value": NUMBER}
        help_texts = {
            "actual_value": _("The value reached in that year, once it is known."),
        }


class ProjectForm(VersionedForm, forms.ModelForm):
    sectors = ListField(
        label=_("Sectors"), help_text=_("For example: health care, food retail, software.")
    )
    disciplines = ListField(
        label=_("Research disciplines"), help_text=_("For example: epidemiology, economics.")
    )
    targets = forms.ModelMultipleChoiceField(
        label=_("Targets it contributes to"),
        queryset=Target.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    rationale = forms.CharField(
        label=_("How it contributes"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why this project moves the targets you ticked."),
    )

    class Meta:
        model = MissionProject
        fields = [
            "title",
            "description",
            "lead",
            "instrument",
            "stage",
            "origin",
            "status",
            "start_date",
            "end_date",
            "budget",
            "public_funding",
            "sectors",
            "disciplines",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "start_date": DateInput(),
            "end_date": DateInput(),
            "budget": NUMBER,
            "public_funding": NUMBER,
        }

    def __init__(self, *args: Any, mission: Mission, add_lead_url: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"] = _actor_choices(mission.organisation)
        self.fields["lead"].label = _("Lead actor")
        if add_lead_url:
            # The actor page brings the person back here with the new actor chosen. A link
            # cannot carry what was typed in this form, so the hint says so.
            self.fields["lead"].help_text = format_html(
                '{} <a class="govuk-link" href="{}">{}</a>. {}',
                _("Lead actors come from your organisation's actor register."),
                add_lead_url,
                _("Add an actor who is not in the list"),
                _(
                    "You come back to this form with the new actor chosen, but what you have "
                    "typed here is not kept: save the project first if you have typed a lot."
                ),
            )
        targets = cast(forms.ModelMultipleChoiceField, self.fields["targets"])
        targets.queryset = Target.objects.filter(mission=mission).order_by("position", "key")
        if self.instance.pk:
            # Also when bound: `changed_data` compares what came back with what was shown.
            contributions = list(self.instance.contributions.all())
            self.initial["targets"] = [c.target_id for c in contributions]
            self.initial["rationale"] = next((c.rationale for c in contributions), "")


class ActorForm(forms.ModelForm):
    class Meta:
        model = Actor
        fields = ["name", "helix", "kind", "government_level", "country"]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Exchange file (JSON)"),
        help_text=_("A file exported from Lodestar, in the lodestar.missions/1 format."),
    )


class CopyForm(forms.Form):
    """The new mission's title and which parts to take along, for every kind of copy."""

    title = forms.CharField(
        label=_("Title of the new mission"),
        max_length=120,
        error_messages={"required": _("Enter a title for the new mission.")},
    )
    parts = forms.MultipleChoiceField(
        label=_("What to copy"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=list(COPYABLE.items()),
        initial=["targets", "canvas", "stakeholders"],
        help_text=_(
            "The new mission starts as a draft in any case: the source's status, approval, "
            "mandate, reviews and indicator values are not copied."
        ),
    )


class MissionCopyForm(CopyForm):
    """Which of the organisation's missions to copy, then the title and the parts."""

    field_order = ["source", "title", "parts"]
    source = forms.ModelChoiceField(
        label=_("Mission to copy"),
        queryset=Mission.objects.none(),
        empty_label=_("Choose a mission"),
        error_messages={"required": _("Choose the mission to copy.")},
    )

    def __init__(self, *args: Any, missions: QuerySet[Mission], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        source = cast(forms.ModelChoiceField, self.fields["source"])
        source.queryset = missions
