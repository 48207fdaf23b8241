"""Home and search: thin views over workspace.selectors."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts.http import AuthenticatedHttpRequest
from accounts.selectors import memberships_for_request
from config.inputs import single_line
from workspace import selectors, services

SEARCH_MAX_LENGTH = 200


@require_safe  # a GET notes the visit; nothing else is accepted
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A person's work queue: their missions and what waits for them, by role."""
    memberships = memberships_for_request(request)
    since = services.record_visit(request.user)
    queue = selectors.work_queue(request.user, memberships, since=since) if memberships else None
    return render(request, "workspace/home.html", {"memberships": memberships, "queue": queue})


def search(request: AuthenticatedHttpRequest) -> HttpResponse:
    text = single_line(request.GET.get("q", ""), limit=SEARCH_MAX_LENGTH)
    results = selectors.search(request.user, text) if text else None
    return render(
        request,
        "workspace/search.html",
        {"search_query": text, "results": results, "memberships": memberships_for_request(request)},
    )
