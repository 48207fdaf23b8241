from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from accounts.models import Currency, Language, Role


class EmailLoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Email address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _(
            "Enter a correct email address and password. Both are case-sensitive "
            "except the email address."
        ),
        "inactive": _("This account has been switched off. Ask your administrator."),
    }


class MemberAddForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("Someone without an account gets an e-mail with a link to choose a password."),
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.VIEWER)


class OrganisationSettingsForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Not recorded: recognised from each statement")), *Language.choices],
        help_text=_(
            "New missions start in this language; their authors can choose another. The "
            "automatic checks read a mission statement by its language's grammar. Members who "
            "have not chosen a language, and whose browser asks for none Lodestar offers, see "
            "Lodestar in it."
        ),
    )
    currency = forms.ChoiceField(
        label=_("Currency"),
        choices=Currency.choices,
        help_text=_("New missions count their budgets in it; each mission can use another."),
    )


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class TwoFactorCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        help_text=_("The 6-digit code the app shows now, for example 123456."),
        max_length=12,
        error_messages={"required": _("Enter the 6-digit code from your authenticator app.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "govuk-input--width-10",
            }
        ),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split()).replace("-", "")
        if not code.isdigit() or len(code) != 6:
            raise forms.ValidationError(
                _("Enter the code as 6 digits, for example 123456."), code="format"
            )
        return code
