from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


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
