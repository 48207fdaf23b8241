"""`|in_sentence` in every template (settings.TEMPLATES builtins): config.wording.in_sentence."""

from django import template

from config.wording import in_sentence as _in_sentence

register = template.Library()


@register.filter
def in_sentence(text) -> str:
    """A label inside a sentence: lower case, except in German (config/wording.py)."""
    return _in_sentence(text)
