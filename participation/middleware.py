"""Participants never see an internal page: a request from a participant's session (and no
staff sign-in) to anything but the public pages answers 404, as if the page did not exist,
rather than inviting them to a staff sign-in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse

from participation.session import has_participant

# URL names a participant may reach besides the "public" namespace.
OPEN_TO_PARTICIPANTS = frozenset({"healthz", "robots", "set_language"})


class ParticipantBoundaryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> None:
        if request.user.is_authenticated or not has_participant(request):
            return
        match = request.resolver_match
        if match is None or "public" in match.namespaces or match.url_name in OPEN_TO_PARTICIPANTS:
            return
        raise Http404
