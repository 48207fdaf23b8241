"""Small hooks for django-axes (failed sign-in lockout)."""

from __future__ import annotations

from django.http import HttpRequest


def axes_username(request: HttpRequest, credentials: dict | None) -> str | None:
    """The e-mail address a failure counts against, in lower case: people sign in with any
    capitalisation, so "Ada@x" and "ada@x" must share one failure count (or an attacker gets
    five guesses per spelling)."""
    username = (credentials or {}).get("username") or request.POST.get("username")
    return username.strip().lower() if username else None
