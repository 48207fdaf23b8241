"""Forms of the criteria page: a decision about a warning, and a reviewer's verdict."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluation.models import FindingStatus

RATING_CHOICES = [
    (5, _("5 – Fully meets the criterion")),
    (4, _("4 – Largely meets it")),
    (3, _("3 – Partly meets it")),
    (2, _("2 – Barely meets it")),
    (1, _("1 – Does not meet it")),
]


class FindingDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=[
            (FindingStatus.ACKNOWLEDGED, _("Acknowledge: we know and accept it for now")),
            (FindingStatus.DISMISSED, _("Dismiss: it does not apply to this mission")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to acknowledge or dismiss the warning.")},
    )
    reason = forms.CharField(
        label=_("Why"),
        help_text=_("Others will see your reason next to the warning."),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why, so others can follow the decision.")},
    )


class VerdictForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Your rating"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a rating from 1 to 5.")},
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        help_text=_("What convinced you, and what would raise the rating."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Explain your rating, so the team knows what to improve.")},
    )
