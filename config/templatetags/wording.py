"""`|in_sentence` in every template (settings.TEMPLATES builtins): config.wording.in_sentence."""

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

from config.wording import in_sentence as _in_sentence

register = template.Library()


@register.filter
def in_sentence(text) -> str:
    """A label inside a sentence: lower case, except in German (config/wording.py)."""
    return _in_sentence(text)


@register.filter
def lang_attr(item) -> str:
    """` lang="nl"` for a mission (or anything with a `language`) written in another language
    than the page, so screen readers pronounce it and browsers hyphenate it as that language;
    nothing when it is the page's or not recorded."""
    code = str(getattr(item, "language", "") or "")
    if not code or code.split("-")[0] == (get_language() or "").split("-")[0]:
        return ""
    return format_html(' lang="{}"', code)
