from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def portfolio_nav(context: Any) -> list[dict[str, Any]]:
    """Organisations where the signed-in user is a lead or administrator, for the "Portfolio"
    navigation entry (from the memberships the page has already read: no extra query)."""
    from accounts.selectors import memberships_for_request

    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return []
    match = request.resolver_match
    current = match.kwargs.get("org_slug") if match else None
    in_portfolio = bool(match and match.app_name == "portfolios")
    return [
        {
            "organisation": m.organisation,
            "active": in_portfolio and m.organisation.slug == current,
        }
        for m in memberships_for_request(request)
        if m.role in {"lead", "admin"}
    ]
