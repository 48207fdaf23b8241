"""The push API: a statistics office's system sends an indicator steward's measurements as JSON.

    POST /api/v1/measurements/
    Authorization: Bearer lsp_…
    Content-Type: application/json
    {"measurements": [{"indicator": 12, "period": "2024-12-31", "value": 62.9,
                       "quality": "official", "source_reference": "StatLine 2025-03"}]}

All or nothing: every row is checked as a CSV row is (evaluation/indicators/csv_io.py), and on
any problem the answer is 400 with every problem by row and field, and nothing is written.
201 with the counts on success. 401 without a live token, 413 over the CSV upload cap, 415 for
anything but JSON. Token authentication, so no session, no CSRF and no sign-in redirect.
Documented for integrators in docs/push-api.md.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from config.inputs import InputRefused, load_json
from evaluation.indicators import csv_io, stewards


def _problem(status: int, message: str, field: str | None = None) -> JsonResponse:
    return JsonResponse(
        {"errors": [{"row": None, "field": field, "message": message}]}, status=status
    )


def _bearer(request: HttpRequest) -> str:
    scheme, _sep, credentials = request.headers.get("Authorization", "").partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" else ""


@csrf_exempt
@login_not_required
@never_cache
def push_measurements(request: HttpRequest) -> JsonResponse:
    if request.method != "POST":
        response = _problem(405, _("Send the measurements with POST."))
        response["Allow"] = "POST"
        return response
    token = stewards.push_token_authenticate(_bearer(request))
    if token is None:
        response = _problem(
            401, _("Send a valid, unrevoked push token as “Authorization: Bearer <token>”.")
        )
        response["WWW-Authenticate"] = 'Bearer realm="lodestar"'
        return response
    if request.content_type != "application/json":
        return _problem(415, _("Send the body as JSON, with Content-Type: application/json."))
    try:
        declared = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        declared = 0
    limit = csv_io.max_bytes()
    if declared > limit:
        return _problem(413, _("The body is over the limit of %(limit)s bytes.") % {"limit": limit})
    body = request.body
    if len(body) > limit:
        return _problem(413, _("The body is over the limit of %(limit)s bytes.") % {"limit": limit})
    try:
        # Decimals, not floats: a value arrives exactly as sent. NaN, Infinity, numbers out of
        # any range, deep nesting and characters no text holds are refused here.
        payload = load_json(body, max_bytes=limit)
    except InputRefused as refused:
        if refused.field:
            message = _("“%(field)s” %(problem)s") % {
                "field": refused.field,
                "problem": refused.message,
            }
            return _problem(400, message, field=refused.field)
        return _problem(400, _("The body is %(problem)s") % {"problem": refused.message})
    if not isinstance(payload, dict) or "measurements" not in payload:
        return _problem(400, _("Send an object with a “measurements” list."), field="measurements")
    try:
        summary = stewards.push_measurements(token=token, rows=payload["measurements"])
    except stewards.PushRejected as rejected:
        return JsonResponse({"errors": [e.as_json() for e in rejected.errors]}, status=400)
    return JsonResponse(
        {
            "added": summary.added,
            "corrected": summary.corrected,
            "unchanged": summary.unchanged,
            "token": token.name,
        },
        status=201,
    )
