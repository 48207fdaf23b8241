from django import forms
from django.utils.translation import gettext_lazy as _


class BoxForm(forms.Form):
    """One box's text and the version it was based on. The length limit is the service's."""

    text = forms.CharField(required=False, strip=False, widget=forms.Textarea)
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    resolution = forms.ChoiceField(
        required=False,
        choices=[("", ""), ("mine", _("Keep mine")), ("merge", _("Merge"))],
        widget=forms.HiddenInput,
    )


class CommentForm(forms.Form):
    """A comment's text, and the comment it replies to, if any. Emptiness and the length limit
    are the service's (one message)."""

    text = forms.CharField(required=False, strip=False, widget=forms.Textarea)
    parent = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class ResolveForm(forms.Form):
    """Resolve ("1") or reopen ("0") a comment."""

    resolved = forms.TypedChoiceField(
        required=False,
        choices=[("1", _("Resolve")), ("0", _("Reopen"))],
        coerce=lambda value: value != "0",
        # Nothing sent resolves (the default). The stubs take only text or None here;
        # Django returns any value as it is.
        empty_value=True,  # type: ignore[arg-type]
    )
