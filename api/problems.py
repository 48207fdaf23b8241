"""Errors as `application/problem+json` (RFC 9457): a type, a title people read, the status, a
detail, and for invalid input one entry per field with its JSON pointer (RFC 6901) into the
request, such as `/body/text` or `/query/limit`."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

PROBLEM_TYPE_BASE = "https://lodestar.example/problems/"
CONTENT_TYPE = "application/problem+json"

TITLES = {
    400: _("Bad request"),
    401: _("Not signed in"),
    403: _("Not allowed"),
    404: _("Not found"),
    405: _("Method not allowed"),
    409: _("Conflict"),
    412: _("Precondition failed"),
    413: _("Too large"),
    415: _("Unsupported media type"),
    422: _("Invalid input"),
    428: _("Precondition required"),
    429: _("Too many requests"),
    500: _("Server error"),
}


def problem(
    status: int,
    detail: str,
    *,
    kind: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
    **more: Any,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + (kind or str(status)),
        "title": str(TITLES.get(status, _("Error"))),
        "status": status,
        "detail": str(detail),
    }
    if errors is not None:
        body["errors"] = errors
    body.update(more)
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, cls=DjangoJSONEncoder),
        status=status,
        content_type=CONTENT_TYPE,
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def pointer(*parts: Any) -> str:
    """A JSON pointer: `pointer("body", "targets", 0)` is `/body/targets/0`."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)
