from typing import Any

from django.http import HttpRequest

from accounts.selectors import organisations_with_roles


def memberships(request: HttpRequest) -> dict[str, Any]:
    """The organisations in the service navigation, with the current one marked."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    match = request.resolver_match
    current_slug = match.kwargs.get("org_slug") if match else None
    items = list(organisations_with_roles(user=user))
    for membership in items:
        membership.is_current = membership.organisation.slug == current_slug
    return {
        "nav_memberships": items,
        "nav_home": bool(match and match.url_name == "home"),
    }
