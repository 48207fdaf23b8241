from typing import Any

from django.http import HttpRequest

from accounts.selectors import memberships_for_request


def memberships(request: HttpRequest) -> dict[str, Any]:
    """The organisations in the service navigation, with the current one marked."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    match = request.resolver_match
    current_slug = match.kwargs.get("org_slug") if match else None
    items = [
        {"organisation": m.organisation, "is_current": m.organisation.slug == current_slug}
        for m in memberships_for_request(request)
    ]
    return {
        "nav_memberships": items,
        "nav_home": bool(match and match.url_name == "home"),
    }
