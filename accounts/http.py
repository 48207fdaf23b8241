"""Typed requests for views, as django-stubs documents them.

A plain `HttpRequest` says its user may be anonymous and knows nothing of htmx. Behind
`LoginRequiredMiddleware` (config/settings.py) every view not marked `login_not_required` is
reached by a signed-in person only, and `HtmxMiddleware` gives every request `request.htmx`:
these classes say so to the type checker. They add nothing at run time (Django builds its own
request objects); views only name them in their signatures.
"""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """A request from a signed-in person (any view behind the login)."""

    user: User


class HtmxHttpRequest(AuthenticatedHttpRequest):
    """A request from a signed-in person to a view that answers htmx with a partial."""

    htmx: HtmxDetails
