"""Snapshot pages: the list with "take a snapshot", and comparing two snapshots (or a snapshot
and the mission as it is now)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.http import AuthenticatedHttpRequest
from config.forms import render_form, try_service
from config.inputs import whole_number
from missions import snapshots
from missions.models import Mission, MissionSnapshot
from missions.pages import mission_context, mission_from_url, require_permission


class SnapshotForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name of the snapshot"),
        help_text=gettext_lazy("Say what it is for, for example “Cabinet submission v3”."),
        max_length=120,
        error_messages={
            "required": gettext_lazy(
                "Give the snapshot a name, for example “Cabinet submission v3”."
            )
        },
    )


def _context(request: AuthenticatedHttpRequest, mission: Mission, **extra: Any) -> dict[str, Any]:
    return mission_context(
        request,
        mission,
        "snapshots",
        can_snapshot=request.user.has_perm("missions.take_snapshot", mission),
        **extra,
    )


def snapshot_list(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str
) -> HttpResponse:
    """The mission's snapshots; POST takes a new one."""
    mission = mission_from_url(request, org_slug, mission_key)
    form = SnapshotForm(request.POST or None)
    if request.method == "POST":
        require_permission(request, "missions.take_snapshot", mission)
        snapshot = try_service(
            form,
            lambda: snapshots.snapshot_take(
                by=request.user, mission=mission, name=form.cleaned_data["name"]
            ),
        )
        if snapshot is not None:
            messages.success(
                request,
                _("Snapshot “%(name)s” taken. It will not change.") % {"name": snapshot.name},
            )
            return redirect("missions:snapshots", org_slug=org_slug, mission_key=mission_key)
    context = _context(
        request,
        mission,
        form=form,
        snapshots=snapshots.snapshot_list(user=request.user, mission=mission),
    )
    return render_form(request, "missions/snapshots.html", context, form)


def snapshot_compare(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str
) -> HttpResponse:
    """?old=<snapshot id>&new=<snapshot id or "now">: what changed between the two."""
    mission = mission_from_url(request, org_slug, mission_key)
    available = list(snapshots.snapshot_list(user=request.user, mission=mission))
    old_id, new_id = request.GET.get("old", ""), request.GET.get("new", "now")
    if not old_id and available:
        return redirect(
            reverse("missions:snapshot_compare", args=[org_slug, mission_key])
            + f"?old={available[0].pk}&new=now"
        )

    def load(value: str):
        snapshot_id = whole_number(value)
        if snapshot_id is None:
            return None
        return get_object_or_404(MissionSnapshot, mission=mission, pk=snapshot_id)

    old = load(old_id)
    new = load(new_id)
    comparison = None
    if old is not None:
        new_document = new.document if new is not None else snapshots.current_document(mission)
        comparison = snapshots.snapshot_compare(old.document, new_document)
    context = _context(
        request,
        mission,
        available=available,
        old=old,
        new=new,
        new_id=new_id if new is not None else "now",
        comparison=comparison,
    )
    return render(request, "missions/snapshot_compare.html", context)
