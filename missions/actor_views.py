"""The organisation's register of outside actors (the organisations and people a mission works
with — not the signed-in person acting, who is `request.user`)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from accounts.http import AuthenticatedHttpRequest
from accounts.selectors import organisation_for
from config.forms import render_form, try_service
from config.inputs import local_url
from missions import selectors, services
from missions.editing import NOTHING_CHANGED
from missions.forms import ActorForm
from missions.models import Actor
from missions.pages import require_permission


def actor_list(request: AuthenticatedHttpRequest, org_slug: str) -> HttpResponse:
    """The organisation's register of outside actors; editors add to it."""
    organisation = organisation_for(user=request.user, slug=org_slug)
    form = ActorForm(request.POST or None)
    # Opened from a project form to add its lead actor: saving goes back there, actor chosen.
    back = local_url(request, request.GET.get("next"))
    if request.method == "POST":
        require_permission(request, "missions.change_actor", organisation)
        found = try_service(
            form,
            lambda: services.actor_get_or_create(
                by=request.user, organisation=organisation, **form.cleaned_data
            ),
        )
        if found is not None:
            outside_actor, created = found
            if created:
                messages.success(request, _("“%(name)s” added.") % {"name": outside_actor})
            else:
                messages.info(
                    request,
                    _("“%(name)s” was already in the register, so nothing was added.")
                    % {"name": outside_actor},
                )
            if back:
                return redirect(_with_query(back, lead=str(outside_actor.pk)))
            return redirect("missions:actors", org_slug=org_slug)
    actors: QuerySet[Actor] = selectors.actor_list(
        user=request.user, organisation=organisation, search=request.GET.get("q", "")[:200]
    )
    return render_form(
        request,
        "missions/actors.html",
        {
            "organisation": organisation,
            "actors": actors,
            "form": form,
            "search": request.GET.get("q", ""),
            "can_add": request.user.has_perm("missions.change_actor", organisation),
            "back": back,
        },
        form,
    )


def actor_edit(request: AuthenticatedHttpRequest, org_slug: str, actor_id: int) -> HttpResponse:
    """Correct an actor of the register: its name, sector, kind, level or country."""
    organisation = organisation_for(user=request.user, slug=org_slug)
    outside_actor = get_object_or_404(Actor, organisation=organisation, pk=actor_id)
    require_permission(request, "missions.change_actor", organisation)
    # The form edits a copy: the page keeps showing the name it was opened with.
    form = ActorForm(request.POST or None, instance=Actor.objects.get(pk=outside_actor.pk))
    updated = try_service(
        form,
        lambda: services.actor_update(
            by=request.user,
            outside_actor=Actor.objects.get(pk=outside_actor.pk),
            **form.cleaned_data,
        ),
    )
    if updated is not None:
        saved, changed = updated
        if changed:
            messages.success(request, _("“%(name)s” saved.") % {"name": saved})
        else:
            messages.info(request, NOTHING_CHANGED)
        return redirect("missions:actors", org_slug=org_slug)
    return render_form(
        request,
        "missions/actor_edit.html",
        {"organisation": organisation, "outside_actor": outside_actor, "form": form},
        form,
    )


def _with_query(url: str, **params: str) -> str:
    """`url` with `params` added to its query string, ahead of any #fragment."""
    parts = urlsplit(url)
    query = urlencode([*parse_qsl(parts.query), *params.items()])
    return urlunsplit(parts._replace(query=query))
