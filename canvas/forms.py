from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from canvas.boxes import BOXES

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


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


def _box_choices() -> list[tuple[str, StrOrPromise]]:
    return [("", _("Choose a box")), *((box.key, f"{box.number}. {box.title}") for box in BOXES)]


class WorkshopStartForm(forms.Form):
    """A workshop's title and how long its link works. The limits are the service's."""

    title = forms.CharField(
        label=_("Workshop title"),
        max_length=120,
        error_messages={"required": _("Enter a title for the workshop.")},
        help_text=_("People with the link see it, for example “Kick-off with the municipalities”."),
    )
    hours = forms.TypedChoiceField(
        label=_("How long the link works"),
        choices=[(1, _("1 hour")), (2, _("2 hours")), (3, _("3 hours")), (8, _("A working day"))],
        coerce=int,
        initial=3,
    )


class NoteForm(forms.Form):
    """A quick note on one box. Emptiness and the length limit are the service's."""

    box_key = forms.ChoiceField(label=_("Which box is your note about?"), choices=_box_choices)
    text = forms.CharField(
        label=_("Your note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write your note.")},
        help_text=_("One idea, in at most 280 characters."),
    )
    name = forms.CharField(
        label=_("Your name"),
        required=False,
        max_length=80,
        help_text=_("Shown with your note. Leave it empty to stay anonymous."),
    )


class NoteSortForm(forms.Form):
    """What to do with a workshop note: add it to the box's text, set it aside or back, or
    move it to another box (`box_key`)."""

    action = forms.ChoiceField(
        choices=[
            ("use", _("Add to the text")),
            ("set_aside", _("Set aside")),
            ("back", _("Back to new")),
            ("move", _("Move")),
        ]
    )
    box_key = forms.ChoiceField(label=_("Move to"), choices=_box_choices, required=False)
