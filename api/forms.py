from django import forms
from django.utils.translation import gettext_lazy as _

from api.models import TokenRole, WebhookEvent
from config.forms import DateInput


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("The system that will use it, such as “Budget system”."),
    )
    role = forms.ChoiceField(
        label=_("What it may do"),
        choices=[
            (TokenRole.READ, _("Read only: read missions, assessments and documents")),
            (
                TokenRole.EDIT,
                _("Editor: also change missions, projects, canvas boxes and measurements"),
            ),
        ],
        initial=TokenRole.READ,
        widget=forms.RadioSelect,
    )
    expires_on = forms.DateField(
        label=_("Expires on (optional)"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "After this day the token stops working. Leave empty to keep it until revoked."
        ),
    )


class WebhookForm(forms.Form):
    url = forms.URLField(
        label=_("Address"),
        max_length=500,
        assume_scheme="https",
        # A text box, not type="url": a refused address must show again as typed, and HTML
        # allows only a valid URL as the value of a url input.
        widget=forms.TextInput(
            attrs={"inputmode": "url", "spellcheck": "false", "autocomplete": "url"}
        ),
        help_text=_(
            "The receiving system's address, such as https://budget.example.gov/lodestar-events."
        ),
    )
    events = forms.MultipleChoiceField(
        label=_("Send it"),
        choices=WebhookEvent.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose the events the system wants to hear about."),
    )
