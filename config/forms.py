"""Django's own form rendering, producing GOV.UK Frontend markup (templates/forms/)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.forms.utils import pretty_name
from django.forms.widgets import Input

from config.inputs import control_picture_problem, text_problem, visible_controls

_INPUT_CLASSES: list[tuple[type[forms.Widget], str]] = [
    (forms.CheckboxInput, "govuk-checkboxes__input"),
    (forms.RadioSelect, "govuk-radios__input"),
    (forms.CheckboxSelectMultiple, "govuk-checkboxes__input"),
    (forms.Textarea, "govuk-textarea"),
    (forms.Select, "govuk-select"),
    (forms.ClearableFileInput, "govuk-file-upload"),
    (Input, "govuk-input"),
]


# The value formats the HTML standard requires of these input types, whatever the language:
# a date input given "29/09/2021" shows an empty field and submits nothing, erasing the date.
HTML_INPUT_FORMATS = {
    "date": "%Y-%m-%d",
    "datetime-local": "%Y-%m-%dT%H:%M",
    "time": "%H:%M",
    "month": "%Y-%m",
}


def html_input_type(widget: forms.Widget) -> str | None:
    """The `type` the widget renders (its attrs may override the class's `input_type`)."""
    return widget.attrs.get("type") or getattr(widget, "input_type", None)


class DateInput(forms.DateInput):
    """The one date widget: the browser's date picker, its value always in ISO form."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=HTML_INPUT_FORMATS["date"])


class PlainTextValidator:
    """The input boundary's text rule (config/inputs.py) as a field validator: the form shows
    the refusal next to the field, so the person keeps what they typed."""

    def __init__(self, *, multiline: bool, label: str) -> None:
        self.multiline = multiline
        self.label = label

    def __call__(self, value: object) -> None:
        if isinstance(value, str):
            problem = text_problem(value, multiline=self.multiline) or control_picture_problem(
                value
            )
            if problem is not None:
                # "Title contains a null character, …": the error summary names the field.
                raise ValidationError(f"{self.label} {problem}", code="characters")

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, PlainTextValidator)
            and other.multiline == self.multiline
            and other.label == self.label
        )


class GovukBoundField(BoundField):
    def __init__(self, form: forms.BaseForm, field: forms.Field, name: str) -> None:
        super().__init__(form, field, name)
        # Every text field of every form passes the input boundary's rule; a textarea may hold
        # line breaks and tabs, a one-line input may not. `field` is this form's own copy.
        if isinstance(field, forms.CharField) and not any(
            isinstance(v, PlainTextValidator) for v in field.validators
        ):
            field.validators.append(
                PlainTextValidator(
                    multiline=isinstance(field.widget, forms.Textarea),
                    label=str(field.label or pretty_name(name)),
                )
            )
        # Enforced here, for every form the renderer draws, so that no widget declared as
        # `forms.DateInput(attrs={"type": "date"})` can render a localised value again. The
        # widget is the form instance's own deep copy, so this changes no other form.
        html_format = HTML_INPUT_FORMATS.get(html_input_type(field.widget) or "")
        if html_format is not None and hasattr(field.widget, "format"):
            field.widget.format = html_format

    def value(self) -> Any:
        # A refused value is shown back as typed, except that characters a page may not hold
        # are drawn as visible signs (config/inputs.py), which the form then asks to remove.
        value = super().value()
        return visible_controls(value) if isinstance(value, str) else value

    def build_widget_attrs(self, attrs: dict[str, Any], widget: Any = None) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        for widget_class, css in _INPUT_CLASSES:
            if isinstance(widget, widget_class):
                # The widget's own classes (a width such as govuk-input--width-10) are kept:
                # the attrs built here replace the widget's when Django merges the two.
                classes = [css, widget.attrs.get("class", ""), attrs.get("class", "")]
                if self.errors and css in {"govuk-input", "govuk-textarea", "govuk-select"}:
                    classes.append(f"{css}--error")
                attrs["class"] = " ".join(c for c in classes if c)
                break
        return attrs

    @property
    def widget_kind(self) -> str:
        widget = self.field.widget
        if isinstance(widget, forms.CheckboxInput):
            return "checkbox"
        if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            return "choices"
        return "input"


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
    bound_field_class = GovukBoundField
