"""Forms render as GOV.UK Frontend markup through Django's own form renderer (config/forms.py)."""

from django import forms


class _WidthForm(forms.Form):
    value = forms.CharField(widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}))
    notes = forms.CharField(widget=forms.Textarea)


def test_a_field_keeps_its_width_and_gets_the_govuk_class_and_error_state():
    page = str(_WidthForm(data={"value": "", "notes": "fine"}))
    assert 'class="govuk-input govuk-input--width-10 govuk-input--error"' in page
    assert 'class="govuk-textarea"' in page
    assert "govuk-error-message" in page
