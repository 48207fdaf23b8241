from django import forms
from django.utils.translation import gettext_lazy as _

from inbox.models import Delivery


class PreferenceForm(forms.Form):
    delivery = forms.ChoiceField(
        label=_("How should Lodestar e-mail you about your notifications?"),
        help_text=_("Your inbox in Lodestar always shows every notification."),
        choices=Delivery.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how you want to be e-mailed."),
            "invalid_choice": _("Choose how you want to be e-mailed."),
        },
    )
