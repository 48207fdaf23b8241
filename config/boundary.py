"""The input boundary as middleware: a request whose query parameters, form fields or headers
carry characters no text holds is answered 400, naming the field, before any view runs.

What is refused here is what no person types: NUL, lone surrogates, and (in query parameters and
headers) control characters. Control characters in form fields are left to the form, which
refuses them as a field error next to the field (config/forms.py), so a person who pasted one
keeps what they wrote. Views that read `request.POST` directly are covered by this middleware
for the characters that would otherwise be a database error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from config.inputs import text_problem


def _never_text(value: str) -> str | None:
    """NUL and lone surrogates: refused wherever they come from."""
    if "\x00" in value or any("\ud800" <= char <= "\udfff" for char in value):
        return text_problem(value)
    return None


def _query_problems(request: HttpRequest) -> Iterator[tuple[str, str]]:
    for name, values in request.GET.lists():
        for text in [name, *values]:
            problem = text_problem(text)
            if problem is not None:
                yield name, problem


def _form_problems(request: HttpRequest) -> Iterator[tuple[str, str]]:
    if request.method not in {"POST", "PUT", "PATCH"}:
        return
    for name, values in request.POST.lists():
        for text in [name, *values]:
            problem = _never_text(text)
            if problem is not None:
                yield name, problem
    for name, files in request.FILES.lists():
        for upload in files:
            problem = text_problem(upload.name or "", multiline=False)
            if problem is not None:
                yield name, problem


def _header_problems(request: HttpRequest) -> Iterator[tuple[str, str]]:
    for key, value in request.META.items():
        if key.startswith("HTTP_") and isinstance(value, str):
            # HTTP allows no control character in a header value but the tab.
            problem = text_problem(value.replace("\t", " "), multiline=False)
            if problem is not None:
                yield key.removeprefix("HTTP_").replace("_", "-").title(), problem


def first_problem(request: HttpRequest) -> tuple[str, str, str] | None:
    """(where, field, problem) for the first refused input of the request, or None."""
    for where, problems in (
        ("header", _header_problems(request)),
        ("query", _query_problems(request)),
        ("form", _form_problems(request)),
    ):
        for field, problem in problems:
            return where, field, problem
    return None


class InputBoundaryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        found = first_problem(request)
        if found is None:
            return self.get_response(request)
        where, field, problem = found
        if request.path_info.startswith("/api/"):
            # A problem document (RFC 9457) as the API answers; each error keeps the push
            # API's older "row", "field" and "message" beside the pointer, for its clients.
            return JsonResponse(
                {
                    "type": "https://lodestar.example/problems/400",
                    "title": str(_("Bad request")),
                    "status": 400,
                    "detail": str(problem),
                    "errors": [
                        {
                            "pointer": f"/{where}/{field}",
                            "detail": problem,
                            "row": None,
                            "field": field,
                            "message": problem,
                        }
                    ],
                },
                status=400,
                content_type="application/problem+json",
            )
        heading = {
            "header": _("The request header “%(field)s” %(problem)s"),
            "query": _("The address has a value for “%(field)s” that %(problem)s"),
            "form": _("The form field “%(field)s” %(problem)s"),
        }[where] % {"field": field, "problem": problem}
        return render(request, "400.html", {"problem": heading}, status=400)
