"""Django's own form rendering, producing GOV.UK Frontend markup (templates/forms/)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.forms.widgets import Input

_INPUT_CLASSES: list[tuple[type[forms.Widget], str]] = [
    (forms.CheckboxInput, "govuk-checkboxes__input"),
    (forms.RadioSelect, "govuk-radios__input"),
    (forms.CheckboxSelectMultiple, "govuk-checkboxes__input"),
    (forms.Textarea, "govuk-textarea"),
    (forms.Select, "govuk-select"),
    (forms.ClearableFileInput, "govuk-file-upload"),
    (Input, "govuk-input"),
]


class GovukBoundField(BoundField):
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
