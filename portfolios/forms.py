"""Forms for portfolio review. They check shapes; the services check the rules, and their
messages land on the same fields."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from config.forms import scale_question
from portfolios.facets import (
    CERTAINTY_CHOICES,
    CERTAINTY_QUESTION,
    DIRECTIONALITY_CHOICES,
    DIRECTIONALITY_QUESTION,
    Facet,
)
from portfolios.models import Decision


class PortfolioForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=120,
        help_text=_("For example “Health missions for the minister”."),
        error_messages={"required": _("Give the portfolio a name.")},
    )
    description = forms.CharField(
        label=_("Description (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FacetForm(forms.Form):
    directionality = scale_question(
        DIRECTIONALITY_QUESTION,
        DIRECTIONALITY_CHOICES,
        required=_("Choose how directed it is, from −2 to +2."),
    )
    certainty = scale_question(
        CERTAINTY_QUESTION,
        CERTAINTY_CHOICES,
        required=_("Choose how certain it is, from −2 to +2."),
    )
    facet_override = forms.ChoiceField(
        label=_("Facet, if the answers place it wrongly (optional)"),
        choices=[("", _("Use the facet the answers give")), *Facet.choices],
        required=False,
    )
    override_reason = forms.CharField(
        label=_("Why it belongs to another facet"),
        help_text=_("Needed when you choose a facet yourself."),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class InitiativeForm(FacetForm):
    """An innovation activity the unit tracks outside any mission."""

    title = forms.CharField(
        label=_("Title"), max_length=150, error_messages={"required": _("Give it a title.")}
    )
    budget = forms.DecimalField(
        label=_("Budget (optional)"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-10"}),
    )
    field_order = ["title", "budget", "directionality", "certainty"]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a decision.")},
    )
    comments = forms.CharField(
        label=_("Comments for the mission's owners"),
        help_text=_("Needed when you request changes: say what should change."),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args: Any, approvable: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not approvable:
            # Not offered while it would be refused; still accepted, so that a page opened
            # before gets the service's refusal listing what is missing.
            widget = cast(forms.RadioSelect, self.fields["decision"].widget)
            widget.choices = [c for c in Decision.choices if c[0] != Decision.APPROVE]
