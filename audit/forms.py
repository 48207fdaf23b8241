"""The audit trail's filters: who, what kind, and a date range."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from config.forms import DateInput


class AuditFilterForm(forms.Form):
    # Filters narrow a list; none is ever needed, so none is marked "(optional)".
    marks_optional = False

    who = forms.ChoiceField(label=_("Who"), required=False)
    kind = forms.ChoiceField(label=_("What"), required=False)
    since = forms.DateField(
        label=_("From"),
        required=False,
        widget=DateInput(),
        error_messages={
            "invalid": _("Enter the start date as a real date, for example 2026-03-31.")
        },
    )
    until = forms.DateField(
        label=_("To"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Enter the end date as a real date, for example 2026-03-31.")},
    )

    def __init__(
        self, data: Any, *, people: list[tuple[str, str]], kinds: list[tuple[str, str]]
    ) -> None:
        super().__init__(data)
        cast(forms.ChoiceField, self.fields["who"]).choices = [("", _("Anyone")), *people]
        cast(forms.ChoiceField, self.fields["kind"]).choices = [("", _("Anything")), *kinds]
        self.fields["who"].error_messages["invalid_choice"] = _("Choose a person from the list.")
        self.fields["kind"].error_messages["invalid_choice"] = _("Choose a kind from the list.")

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end date must be on or after the start date."))
        return cleaned
