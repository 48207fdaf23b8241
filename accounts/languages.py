"""Which language Lodestar speaks to a person: their own choice (the language switcher, kept on
their account, and in a cookie on the browser they chose it in), else the first language their
browser asks for that Lodestar offers, else their organisation's language, else English.

A person's explicit choice comes first because it is the only one they made on purpose; the
browser says what they read; the organisation's language covers browsers that ask only for
languages Lodestar does not offer. Visitors who are not signed in (sign-in page, public mission
pages) have their choice kept in the language cookie instead of an account."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import trans_real

from accounts.models import User
from accounts.selectors import memberships_of


def current() -> str:
    """The language being written in now: the request's, or the one a task, command or document
    set with `translation.override`; the site's default where nothing set one."""
    return translation.get_language() or settings.LANGUAGE_CODE


def offered(code: str | None) -> str | None:
    """The interface language for a language code ("de-AT" → "de", "en" → "en-gb"); None when
    Lodestar does not offer it."""
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def browser_language(request: HttpRequest) -> str | None:
    """The first language the browser's Accept-Language asks for that Lodestar offers."""
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _quality in trans_real.parse_accept_lang_header(header[:1000]):
        if code != "*" and (language := offered(code)):
            return language
    return None


def organisation_language(user: User) -> str | None:
    """The language of the first of the person's organisations that has recorded one; read from
    the memberships the request loads once anyway (accounts.selectors.memberships_of)."""
    for membership in memberships_of(user):
        if language := offered(membership.organisation.language):
            return language
    return None


def for_request(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    # Chosen on this browser before signing in (the sign-in page has the switcher too).
    chosen_here = offered(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
    if user is not None and user.is_authenticated:
        return (
            offered(user.language)
            or chosen_here
            or browser_language(request)
            or organisation_language(user)
            or settings.LANGUAGE_CODE
        )
    return chosen_here or browser_language(request) or settings.LANGUAGE_CODE


def name_of(code: str) -> str:
    """A language's name in that language, as a list of languages shows it: "Deutsch",
    "Nederlands", and "English" rather than Django's "British English"."""
    name = "English" if code.startswith("en") else translation.get_language_info(code)["name_local"]
    return name[:1].upper() + name[1:]


def for_user(user: User) -> str:
    """The language to write to a person in when no browser is asking (e-mails): their own
    choice, else their organisation's, else English."""
    return offered(user.language) or organisation_language(user) or settings.LANGUAGE_CODE


def names() -> list[tuple[str, str]]:
    """Each offered language with its name in that language."""
    return [(code, name_of(code)) for code, _name in settings.LANGUAGES]
