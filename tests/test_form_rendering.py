"""Forms render as GOV.UK Frontend markup through Django's own form renderer (config/forms.py)."""

import datetime

import pytest
from django import forms
from django.utils import timezone, translation

from config.forms import DateInput


class _WidthForm(forms.Form):
    value = forms.CharField(widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}))
    notes = forms.CharField(widget=forms.Textarea)


def test_a_field_keeps_its_width_and_gets_the_govuk_class_and_error_state():
    page = str(_WidthForm(data={"value": "", "notes": "fine"}))
    assert 'class="govuk-input govuk-input--width-10 govuk-input--error"' in page
    assert 'class="govuk-textarea"' in page
    assert "govuk-error-message" in page


class _ChoicesForm(forms.Form):
    many = forms.MultipleChoiceField(choices=[("a", "A")], widget=forms.CheckboxSelectMultiple)
    one = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect)


def test_checkbox_lists_are_checkboxes_and_radios_radios():
    """A list of checkboxes once got the radio class (Django's CheckboxSelectMultiple is a
    RadioSelect), which put long labels below their boxes on a phone."""
    page = str(_ChoicesForm())
    assert 'type="checkbox" name="many" value="a" class="govuk-checkboxes__input"' in page
    assert 'type="radio" name="one" value="a" required class="govuk-radios__input"' in page


class _DatesForm(forms.Form):
    # Declared the way the first wave declared them: a plain DateInput given type="date".
    declared_by_hand = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    shared_widget = forms.DateField(widget=DateInput())
    meeting = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    starts = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}))


@pytest.mark.parametrize("language", ["en-gb", "de", "fr", "nl", "sv", "es"])
def test_date_inputs_carry_the_iso_value_a_browser_accepts_in_every_language(language):
    """A date input given "29/09/2021" shows an empty field and submits nothing: the date the
    person saw on the overview would be erased by saving the form unchanged."""
    initial = {
        "declared_by_hand": datetime.date(2021, 9, 29),
        "shared_widget": datetime.date(2026, 12, 4),
        "meeting": timezone.make_aware(datetime.datetime(2026, 3, 1, 9, 30)),  # noqa: DTZ001
        "starts": datetime.time(14, 5),
    }
    with translation.override(language):
        page = str(_DatesForm(initial=initial))
    assert 'type="date" name="declared_by_hand" value="2021-09-29"' in page
    assert 'type="date" name="shared_widget" value="2026-12-04"' in page
    assert 'type="datetime-local" name="meeting" value="2026-03-01T09:30"' in page
    assert 'type="time" name="starts" value="14:05"' in page


def test_a_date_the_browser_submits_reads_back_as_the_same_date():
    with translation.override("en-gb"):
        form = _DatesForm(
            data={
                "declared_by_hand": "2021-09-29",
                "shared_widget": "2026-12-04",
                "meeting": "2026-03-01T09:30",
                "starts": "14:05",
            }
        )
        assert form.is_valid(), form.errors
    assert form.cleaned_data["declared_by_hand"] == datetime.date(2021, 9, 29)


def test_dates_shown_as_text_stay_in_the_readers_format():
    """Only the inputs use ISO; a date printed on a page is still localised."""
    from django.template import Context, Template

    with translation.override("en-gb"):
        text = Template("{{ day|date:'SHORT_DATE_FORMAT' }}").render(
            Context({"day": datetime.date(2021, 9, 29)})
        )
    assert text == "29/09/2021"


def test_a_hidden_field_drawn_as_a_field_group_has_no_label_pointing_at_it():
    """A <label for> must name a visible control (the HTML checker's rule)."""

    class _Form(forms.Form):
        actor = forms.CharField(required=False, widget=forms.HiddenInput)

    html = _Form()["actor"].as_field_group()
    assert "<label" not in html
    assert 'type="hidden" name="actor"' in html


def test_a_refused_pasted_character_is_shown_back_as_a_visible_sign_the_page_may_hold():
    """The HTML standard forbids control characters in a page: shown back as typed, a pasted
    vertical tab, form feed or C1 control would make the page invalid and stay invisible."""
    form = _WidthForm(
        data={"value": "Five more\x0bhealthy", "notes": "one\x0ctwo\x85three\r\nfour"}
    )
    assert not form.is_valid()
    assert "just after “Five more”" in form.errors["value"][0]
    page = str(form)
    assert "Five more\u240bhealthy" in page
    assert "one\u240ctwo\u2426three\r\nfour" in page  # line breaks stay line breaks
    assert not any("\x00" <= char < " " and char not in "\t\n\r" for char in page)

    # Sent back as shown, the signs are refused, saying where.
    again = _WidthForm(data={"value": "Five more\u240bhealthy", "notes": "one\u240ctwo"})
    assert not again.is_valid()
    assert again.errors["value"] == [
        "Value still holds the sign \u240b where an invisible character was, just after "
        "“Five more”. Delete the sign or type a space in its place."
    ]
    assert "just after “one”" in again.errors["notes"][0]


class _MissionForm(forms.Form):
    title = forms.CharField(label="Mission title", max_length=12)
    sdgs = forms.CharField(label="SDGs")
    lead = forms.ChoiceField(label="Lead actor", choices=[("a", "A")])
    year = forms.IntegerField(label="Deadline year", min_value=2000)
    budget = forms.DecimalField(label="Budget")
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea)
    said = forms.CharField(label="Reason", error_messages={"required": "Say why."})
    consent = forms.BooleanField(label="I agree", required=False)


def test_every_form_marks_its_optional_fields_and_only_those():
    page = str(_MissionForm())
    assert ">Mission title</label>" in page
    assert ">Note (optional)</label>" in page
    assert ">I agree</label>" in page  # a single checkbox is optional by nature
    assert "(optional)" not in str(_WidthForm())


def test_a_form_of_filters_marks_nothing_optional():
    class _Filters(forms.Form):
        marks_optional = False
        q = forms.CharField(label="Search", required=False)

    assert "(optional)" not in str(_Filters())


def test_every_error_names_its_field_unless_the_form_wrote_its_own():
    form = _MissionForm(data={"title": "x" * 13, "year": "1999", "budget": "lots"})
    assert not form.is_valid()
    assert form.errors == {
        "title": ["Mission title must be 12 characters or fewer; it has 13."],
        "sdgs": ["Enter the SDGs."],  # an acronym keeps its capitals
        "lead": ["Choose the lead actor."],
        "year": ["Deadline year must be 2000 or more."],
        "budget": ["Budget must be a number."],
        "said": ["Say why."],
    }
    assert _MissionForm(data={"year": "soon"}).errors["year"] == [
        "Deadline year must be a whole number."
    ]


def test_a_long_text_is_never_cut_by_the_browser():
    """A maxlength attribute would make the browser drop what is typed or pasted past it,
    without a word; the form's message says the limit instead."""
    page = str(_MissionForm(data={"title": "x" * 13}))
    assert "maxlength" not in page
    assert 'value="xxxxxxxxxxxxx"' in page


def test_a_label_with_a_percent_sign_reads_the_same_in_every_message():
    class _Share(forms.Form):
        share = forms.DecimalField(label="Public share (%)", max_value=100)

    assert _Share(data={}).errors["share"] == ["Enter the public share (%)."]
    assert _Share(data={"share": "x"}).errors["share"] == ["Public share (%) must be a number."]
    assert _Share(data={"share": "101"}).errors["share"] == [
        "Public share (%) must be 100 or less."
    ]
