"""The example missions (missions.examples): a list, each one's canvas as a read-only board,
and starting a mission in one's own organisation from a copy of it. Open to everyone signed in:
the examples are data shipped with Lodestar, not an organisation's missions."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.http import AuthenticatedHttpRequest
from accounts.models import Organisation
from canvas import facts
from canvas.boxes import BOXES
from canvas.selectors import BoxView, bands
from config.forms import render_form, try_service
from missions import copying, examples
from missions.forms import CopyForm


class ExampleCopyForm(CopyForm):
    """Which of the person's organisations the new mission goes to, then the title and parts."""

    field_order = ["organisation", "title", "parts"]
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"), queryset=Organisation.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["organisation"])
        field.queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations])


def _startable(request: AuthenticatedHttpRequest) -> list[Organisation]:
    """The organisations where the person may start a mission."""
    return [
        organisation
        for organisation in Organisation.objects.filter(memberships__user=request.user)
        if request.user.has_perm("missions.add_mission", organisation)
    ]


def example_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "canvas/examples.html", {"examples": examples.entries()})


def example(request: AuthenticatedHttpRequest, example_key: str) -> HttpResponse:
    """One example's canvas as a read-only board, and the form to start from a copy of it."""
    found = examples.entry(example_key)
    if found is None:
        raise Http404
    item, whole = found
    mission = examples.as_mission(item, whole)
    written = (item.get("canvas") or {}).get("boxes") or {}
    views = []
    for box in BOXES:
        text = (
            item.get("statement") or ""
            if box.is_statement
            else written.get(box.key, {}).get("text", "")
        )
        view = BoxView(box, text, 0, None, None)
        if not box.is_statement:
            view.facts = facts.for_box(box, mission, item)
        views.append(view)
    organisations = _startable(request)
    form = ExampleCopyForm(
        request.POST or None,
        organisations=organisations,
        initial={"title": item["title"]},
    )
    if request.method == "POST" and organisations:
        copied = try_service(
            form,
            lambda: copying.example_copy(
                by=request.user, example_key=example_key, **form.cleaned_data
            ),
        )
        if copied is not None:
            messages.success(
                request,
                _("Mission “%(title)s” started as a draft from the example.") % {"title": copied},
            )
            return redirect("missions:overview", copied.organisation.slug, copied.key)
    context = {
        "example": item,
        "bands": bands(views),
        "form": form if organisations else None,
    }
    return render_form(request, "canvas/example.html", context, form if organisations else None)
