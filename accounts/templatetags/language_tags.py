"""The language switcher every page carries (base, bare and public layouts)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import translation

from accounts import languages

register = template.Library()


@register.inclusion_tag("components/_languages.html", takes_context=True)
def language_switcher(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    return {
        "languages": languages.names(),
        "current": translation.get_language(),
        "next": request.get_full_path() if request is not None else "/",
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag
def document_languages() -> dict[str, Any]:
    """The languages a document can be written in, the page's own chosen first."""
    return {"languages": languages.names(), "current": translation.get_language()}


@register.filter
def language_name(code: str) -> str:
    """A language's name in that language: "fr" → "Français"."""
    return languages.name_of(code) if code else ""
