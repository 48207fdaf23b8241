from typing import Any

from django.http import HttpRequest

from accounts.sections import navigation_for
from accounts.selectors import memberships_for_request


def memberships(request: HttpRequest) -> dict[str, Any]:
    """The service navigation: Home, the organisations, and the sections of the current one
    (the organisation in the address, or the only one the person belongs to). No query beyond
    the memberships the page reads anyway."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    match = request.resolver_match
    current_slug = match.kwargs.get("org_slug") if match else None
    all_memberships = memberships_for_request(request)
    current = next(
        (m for m in all_memberships if m.organisation.slug == current_slug),
        all_memberships[0] if len(all_memberships) == 1 else None,
    )
    view_name = match.view_name if match and current_slug else ""
    sections = navigation_for(current, view_name) if current else []
    # Inside an organisation, its own entry is current where none of its sections is.
    in_organisation = bool(view_name) and not any(entry["active"] for entry in sections)
    return {
        "nav_memberships": [
            {"organisation": m.organisation, "is_current": m is current and in_organisation}
            for m in all_memberships
            # With several organisations, inside one the navigation shows that one's sections.
            if current is None or m is current or len(all_memberships) == 1
        ],
        "nav_current_membership": current,
        "nav_sections": sections,
        "nav_home": bool(match and match.url_name == "home"),
    }
