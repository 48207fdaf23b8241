"""Template helpers for indicators on pages other apps own: the home page's list of indicators a
person stewards, and the overdue-indicator panel at the top of mission pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def stewarded_indicators(context: Any) -> list[Any]:
    """The indicators the signed-in user stewards (for other organisations), one query."""
    from evaluation.indicators.stewards import stewarded_list

    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return []
    return stewarded_list(request.user)


@register.filter
def owned_by(indicators: list[Any], user: Any) -> list[Any]:
    """The indicators of the list that this user owns."""
    user_id = getattr(user, "pk", None)
    return [indicator for indicator in indicators if user_id and indicator.owner_id == user_id]
