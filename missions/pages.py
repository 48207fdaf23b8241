"""What every page of a mission starts from, whichever app draws it: the mission at the address,
found among the person's organisations only, and what the mission layout needs to know (the
sub-navigation's section and whether the person may change what the page shows)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed

from accounts.http import AuthenticatedHttpRequest
from accounts.models import Organisation
from accounts.selectors import organisation_for
from missions.models import Mission
from missions.selectors import Parts, mission_detail


def organisation_from_url(request: AuthenticatedHttpRequest, org_slug: str) -> Organisation:
    """The organisation at the address, among the person's own (404 otherwise): found in the
    memberships the request reads anyway, for its navigation and permission rules."""
    return organisation_for(user=request.user, slug=org_slug)


def mission_from_url(
    request: AuthenticatedHttpRequest,
    org_slug: str,
    mission_key: str,
    *,
    permission: str = "",
    parts: Parts = "all",
) -> Mission:
    """The mission with what its pages show (`parts`: see `missions.selectors.mission_detail`).
    Another organisation's mission answers 404 whatever the method, and so does a section the
    person's role may not see (`permission`)."""
    mission = mission_detail(
        user=request.user,
        organisation=organisation_from_url(request, org_slug),
        key=mission_key,
        parts=parts,
    )
    if permission and not request.user.has_perm(permission, mission):
        raise Http404
    return mission


def require_permission(
    request: AuthenticatedHttpRequest, permission: str, obj: Any, refusal: str = ""
) -> None:
    """403 (with `refusal`, when given) for something the person can see but may not change."""
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied(refusal)


def mission_context(
    request: AuthenticatedHttpRequest,
    mission: Mission,
    section: str,
    *,
    edit_permission: str = "missions.change_mission",
    **extra: Any,
) -> dict[str, Any]:
    """The context of a page in the mission's layout: `section` marks its entry in the
    sub-navigation, and `can_edit` (from `edit_permission`) shows or hides its change controls."""
    return {
        "organisation": mission.organisation,
        "mission": mission,
        "section": section,
        "can_edit": request.user.has_perm(edit_permission, mission),
        **extra,
    }


def post_only(request: HttpRequest) -> HttpResponse | None:
    """405 for anything but POST, else None. Call it after the object is found, so that another
    organisation's address answers 404 whatever the method."""
    return None if request.method == "POST" else HttpResponseNotAllowed(["POST"])
