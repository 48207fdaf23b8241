"""Django's own form rendering, producing GOV.UK Frontend markup (templates/forms/)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.forms.utils import pretty_name
from django.forms.widgets import Input
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from config.inputs import (
    CsvRejected,
    RowError,
    control_picture_problem,
    file_too_big,
    text_problem,
    visible_controls,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The first that matches wins: CheckboxSelectMultiple is a RadioSelect to Django, so it comes
# first (as a radio its long labels fell below their boxes on a phone).
_INPUT_CLASSES: list[tuple[type[forms.Widget], str]] = [
    (forms.CheckboxInput, "govuk-checkboxes__input"),
    (forms.CheckboxSelectMultiple, "govuk-checkboxes__input"),
    (forms.RadioSelect, "govuk-radios__input"),
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


def _optional_mark() -> str:
    return _("(optional)")


def _plain_label(label: str) -> str:
    """The label without an "(optional)" its form already wrote into it."""
    mark = _optional_mark()
    return label[: -len(mark)].rstrip() if label.endswith(mark) else label


def _in_sentence(label: str) -> str:
    """The label as it reads inside a sentence: "Mission title" → "mission title". Acronyms
    ("SDGs") and names in title case ("Sustainable Development Goals") keep their capitals.
    English only: other languages keep the label as written (German capitalises its nouns)."""
    words = label.split()
    if not words or not (get_language() or "en").startswith("en"):
        return label
    first = words[0]
    if first[1:] != first[1:].lower() or any(word[:1].isupper() for word in words[1:]):
        return label
    return label[:1].lower() + label[1:]


def _the(label: str) -> str:
    """ "the mission title", but "your email address" (the label has its own determiner)."""
    phrase = _in_sentence(label)
    if phrase.split()[0].lower() in {"a", "an", "the", "your", "its", "their", "this", "each"}:
        return phrase
    return _("the %(label)s") % {"label": phrase}


def _class_default(field: forms.Field, code: str) -> Any:
    for klass in type(field).__mro__:
        messages = getattr(klass, "default_error_messages", {})
        if code in messages:
            return messages[code]
    return None


def field_error_messages(field: forms.Field, label: str) -> dict[str, str]:
    """Error messages that name the field ("Enter the mission title", "Unit must be 60
    characters or fewer"), for each of Django's generic messages the field still has. A
    message a form wrote for its field is kept. Placeholders such as %(limit_value)s are
    left for the validator to fill in."""
    label = _plain_label(label).strip()
    if not label:
        return {}
    within = _the(label)
    # Messages given the validator's values (limit_value, show_value) are %-formatted again.
    escaped = label.replace("%", "%%")
    messages: dict[str, str] = {}

    def generic(code: str) -> bool:
        current = field.error_messages.get(code)
        return current is None or current is _class_default(field, code)

    if generic("required") and field.required:
        if isinstance(field, forms.BooleanField):
            messages["required"] = _("Tick “%(label)s” to go on.") % {"label": label}
        elif label.endswith("?"):
            messages["required"] = _("Answer “%(label)s”.") % {"label": label}
        elif isinstance(field, forms.ChoiceField | forms.ModelChoiceField | forms.FileField):
            messages["required"] = _("Choose %(label)s.") % {"label": within}
        else:
            messages["required"] = _("Enter %(label)s.") % {"label": within}
    if isinstance(field, forms.CharField) and field.max_length and generic("max_length"):
        messages["max_length"] = _(
            "%(label)s must be %(limit)s characters or fewer; it has %(length)s."
        ) % {"label": escaped, "limit": "%(limit_value)s", "length": "%(show_value)s"}
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        if generic("min_value"):
            messages["min_value"] = _("%(label)s must be %(limit)s or more.") % {
                "label": escaped,
                "limit": "%(limit_value)s",
            }
        if generic("max_value"):
            messages["max_value"] = _("%(label)s must be %(limit)s or less.") % {
                "label": escaped,
                "limit": "%(limit_value)s",
            }
        if generic("invalid"):
            # DecimalField and FloatField are IntegerFields too.
            messages["invalid"] = (
                _("%(label)s must be a number.")
                if isinstance(field, forms.DecimalField | forms.FloatField)
                else _("%(label)s must be a whole number.")
            ) % {"label": label}
    if isinstance(field, forms.DateField) and generic("invalid"):
        messages["invalid"] = _("%(label)s must be a real date.") % {"label": label}
    return messages


class GovukBoundField(BoundField):
    def __init__(self, form: forms.BaseForm, field: forms.Field, name: str) -> None:
        super().__init__(form, field, name)
        label = str(field.label or pretty_name(name))
        # Every message names its field (the error summary lists them apart from the fields).
        # `field` is this form's own copy, so its messages change for this form only.
        field.error_messages.update(field_error_messages(field, label))
        # The browser would cut a longer text silently at `maxlength`; the form says instead
        # how long the field may be, keeping what was typed.
        field.widget.attrs.pop("maxlength", None)
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
    def is_optional(self) -> bool:
        """Drawn with "(optional)" after its label: a field that may be left empty. A single
        checkbox is optional by nature; a label that says so already is not said twice; a
        form of filters (`marks_optional = False`) marks none."""
        return (
            getattr(self.form, "marks_optional", True)
            and not self.field.required
            and not self.is_hidden
            and self.widget_kind != "checkbox"
            and not str(self.label).endswith(_optional_mark())
        )

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


class Refusal(Exception):
    """A service's refusal that the person reads on the form they sent, in its own words (for
    example: someone else saved the same thing first)."""


def add_service_error(form: forms.BaseForm, error: Exception) -> None:
    """Put a service's refusal on the form the person submitted: a `ValidationError`'s field
    messages beside their fields (when the form shows them), everything else — its other
    messages, or any other refusal such as a conflict with someone else's save — at the top."""
    if not isinstance(error, ValidationError):
        form.add_error(None, str(error))
    elif hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def try_service[T](form: forms.BaseForm, call: Callable[[], T]) -> T | None:
    """Validate `form` and, when it is valid, `call` the service that saves it. What the service
    refuses (a `ValidationError`, or a conflict with someone else's save) goes on the form, so
    the page shows it beside what the person typed. The service's result, or None when nothing
    was saved."""
    if not form.is_valid():
        return None
    try:
        return call()
    except (ValidationError, Refusal) as error:
        add_service_error(form, error)
    return None


def render_form(
    request: HttpRequest,
    template: str,
    context: Mapping[str, Any],
    *forms: forms.BaseForm | None,
) -> HttpResponse:
    """The page that holds `forms`: 422 when one of them came back refused, so that a browser
    test, a crawler or a screen reader's user knows the save did not happen."""
    refused = any(form is not None and form.errors for form in forms)
    return render(request, template, context, status=422 if refused else 200)


def scale_question(
    label: StrOrPromise,
    choices: Sequence[tuple[int, StrOrPromise]],
    *,
    required: StrOrPromise,
    **options: Any,
) -> forms.TypedChoiceField:
    """A question answered by choosing one point of a numbered scale (a rating, a score), drawn
    as radio buttons; the answer is the point's number. `required` says what to choose when
    nothing was."""
    return forms.TypedChoiceField(
        label=label,
        choices=choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": required},
        **options,
    )


def csv_file_field(help_text: StrOrPromise) -> forms.FileField:
    """The file of a form that imports a CSV file (what `csv_upload` reads); `help_text` names
    its columns."""
    return forms.FileField(label=gettext_lazy("CSV file"), help_text=help_text)


def csv_upload[T](
    form: forms.BaseForm, read: Callable[[bytes], T], *, max_bytes: int
) -> tuple[T | None, list[RowError]]:
    """Validate an upload form and `read` its `file`: an import of all rows or none. What
    `read` returns, or None with the file's problems (`CsvRejected`), counted on the form's
    file field and listed for the page to show beside it."""
    if not form.is_valid():
        return None, []
    upload = form.cleaned_data["file"]
    try:
        if upload.size > max_bytes:
            raise file_too_big(upload.size, max_bytes=max_bytes)
        return read(upload.read()), []
    except CsvRejected as rejected:
        form.add_error(
            "file",
            ngettext(
                "Nothing was imported: %(count)s problem to fix (listed below).",
                "Nothing was imported: %(count)s problems to fix (listed below).",
                len(rejected.errors),
            )
            % {"count": len(rejected.errors)},
        )
        return None, rejected.errors
