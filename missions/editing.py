"""The edit-view half of the mission-part kernel (`missions.parts` is the service half).

Every page that edits a part does the same thing: bind the form with the version it showed,
call one service, put the service's refusal (a validation problem or someone else's save) on
the form, tell a real save from one that changed nothing, and answer 422 with the form when it
did not save. `submit` does that; the view only says which service to call and what to show.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy

from accounts.http import HtmxHttpRequest
from config.forms import add_service_error
from missions.parts import ConflictError

# Said when a form comes back exactly as it was shown: nothing was written.
NOTHING_CHANGED = gettext_lazy("Nothing was changed.")


@dataclass(frozen=True)
class Submission[M]:
    """What became of a submitted form: the saved part (None when the form or the service
    refused it) and whether the save changed anything."""

    saved: M | None
    changed: bool = False

    @property
    def status(self) -> int:
        """The status for the page that shows the form again: 422 when it did not save."""
        return 200 if self.saved is not None else 422


def form_fields(form: forms.BaseForm) -> dict[str, Any]:
    """A model form's own fields from its cleaned data (what the service takes as `**fields`)."""
    names = form._meta.fields if hasattr(form, "_meta") else form.fields
    return {name: form.cleaned_data[name] for name in names}


def submit[M](
    request: HttpRequest,
    form: forms.BaseForm,
    save: Callable[[Mapping[str, Any], int], M],
    *,
    shown_version: int = 0,
) -> Submission[M] | None:
    """On POST, validate `form` and call `save(fields, expected_version)` with the version the
    page showed (the form's hidden `version`, else `shown_version`). None for a GET."""
    if request.method != "POST":
        return None
    if not form.is_valid():
        return Submission(None)
    expected = form.cleaned_data.get("version") or shown_version
    try:
        saved = save(form_fields(form), expected)
    except (ValidationError, ConflictError) as error:
        add_service_error(form, error)
        return Submission(None)
    return Submission(saved, changed=getattr(saved, "version", None) != expected)


def render_part(
    request: HtmxHttpRequest,
    template: str,
    partial: str,
    context: Mapping[str, Any],
    *,
    status: int = 200,
) -> HttpResponse:
    """The page, or for htmx only its `partial` (a `{% partialdef %}` of the same template)."""
    name = f"{template}#{partial}" if request.htmx else template
    return render(request, name, context, status=status)


def announce_change(response: HttpResponse, changed: bool) -> HttpResponse:
    """After an inline save that changed something, the panels that summarise the mission (the
    criteria header) refresh: they listen for `missionChanged`."""
    if changed:
        response["HX-Trigger"] = "missionChanged"
    return response


def edit_page[M](
    request: HttpRequest,
    form: forms.BaseForm,
    save: Callable[[Mapping[str, Any], int], M],
    *,
    template: str,
    context: Mapping[str, Any],
    done: Callable[[Submission[M]], HttpResponse],
    shown_version: int = 0,
) -> HttpResponse:
    """A page of its own that edits one part: on a save, `done(result)` answers (usually
    `saved_and_back`); otherwise the page with the form, 422 when the form came back refused."""
    result = submit(request, form, save, shown_version=shown_version)
    if result is not None and result.saved is not None:
        return done(result)
    status = result.status if result is not None else 200
    return render(request, template, {**context, "form": form}, status=status)


def saved_and_back(
    request: HttpRequest, result: Submission[Any], note: str, url: str
) -> HttpResponse:
    """Say what the save did — `note`, or that nothing changed — and go back to `url`."""
    if result.changed:
        messages.success(request, note)
    else:
        messages.info(request, NOTHING_CHANGED)
    return redirect(url)
