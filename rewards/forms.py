from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from config.forms import DateInput
from missions.forms import NUMBER, VersionedForm
from rewards.models import ConditionKind, ProjectTerms, RewardCondition

KIND_CHOICES = [("", _("Choose a condition")), *ConditionKind.choices]


class TermsForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = ProjectTerms
        fields = [
            "private_money",
            "philanthropic_money",
            "in_kind_value",
            "public_risk",
            "expected_return",
            "source",
            "source_unverified",
        ]
        widgets = {
            "private_money": NUMBER,
            "philanthropic_money": NUMBER,
            "in_kind_value": NUMBER,
            "public_risk": forms.RadioSelect,
            "expected_return": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "private_money": _("What companies put in, in the mission's currency."),
            "philanthropic_money": _("What foundations and charities put in."),
            "in_kind_value": _("The value of staff time, equipment or sites given, if known."),
        }


class ConditionForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = RewardCondition
        fields = ["kind", "description", "reference", "status", "checked_on", "status_note"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "status": forms.RadioSelect,
            "checked_on": DateInput(),
        }
        help_texts = {
            "checked_on": _("Needed once the condition is checked and found met or breached."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)  # noqa: S101 (a model field with choices)
        kind.choices = KIND_CHOICES
        kind.error_messages["required"] = _("Choose the kind of condition.")
        self.fields["description"].error_messages["required"] = _(
            "Say in a sentence what the partner agreed to."
        )
