from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

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


@register.filter
def option_tags(choices: Any, selected: Any) -> SafeString:
    """`<option>`s for (value, label) choices, `selected` marked: one filter call per <select>
    instead of template tags per option (the dashboard's owner list can be long)."""
    return mark_safe(  # noqa: S308 - every value and label is escaped
        "".join(
            f'<option value="{escape(value)}"{" selected" if value == selected else ""}>'
            f"{escape(label)}</option>"
            for value, label in choices
        )
    )
