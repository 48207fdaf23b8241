"""Wording helpers in every template (settings.TEMPLATES builtins): `|in_sentence`
(config.wording.in_sentence), `|lang_attr` and `{% character_count_i18n %}`."""

from django import template
from django.template.loader import get_template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
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


# The GOV.UK character count's messages, as data-i18n attributes, by language: the same for
# every counted field, and a canvas page has three dozen of them, so rendered once per language.
_character_count_attributes: dict[str, SafeString] = {}


@register.simple_tag
def character_count_i18n() -> SafeString:
    """components/_character_count_i18n.html: the data-i18n attributes that put the character
    count's messages in the page's language."""
    language = get_language() or ""
    made = _character_count_attributes.get(language)
    if made is None:
        rendered = get_template("components/_character_count_i18n.html").render()
        made = mark_safe(rendered.rstrip())  # noqa: S308 - a template, autoescaped
        _character_count_attributes[language] = made
    return made
