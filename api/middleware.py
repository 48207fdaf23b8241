"""API requests: authenticate the token, hold each token to its rate, replay idempotent retries
and put every call on the audit trail. Runs for /api/ paths only; pages never see a token.

It sits before django-auditlog's middleware so that the token's user is the actor of every
change the request makes, as a signed-in person is for a page."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable

import redis
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from api import services
from api.problems import problem
from config.health import redis_client
from config.inputs import text_problem

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
IDEMPOTENCY_HEADER = "Idempotency-Key"


def bearer(request: HttpRequest) -> str:
    scheme, _sep, credentials = request.headers.get("Authorization", "").partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" else ""


def _over_rate(token_id: str) -> int:
    """Seconds to wait when the token has used its calls for this minute; 0 when it may go on.
    A Redis outage lets calls through rather than stopping every integration."""
    window = int(time.time() // 60)
    key = f"lodestar:api:rate:{token_id}:{window}"
    try:
        pipeline = redis_client().pipeline()
        pipeline.incr(key)
        pipeline.expire(key, 61)
        used = int(pipeline.execute()[0])
    except redis.RedisError:
        logger.warning("API rate not counted: Redis is unavailable")
        return 0
    if used <= settings.API_CALLS_PER_MINUTE:
        return 0
    return max(1, (window + 1) * 60 - int(time.time()))


class ApiTokenMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        return _as_problem(self._api(request), request.method or "")

    def _api(self, request: HttpRequest) -> HttpResponse:
        # The boundary middleware reads query, form and headers; an address's own characters
        # are checked here (a NUL in a key would reach the database, and the audit trail).
        unreadable = text_problem(request.path_info, multiline=False)
        if unreadable is not None:
            return problem(
                400,
                _("The address %(problem)s") % {"problem": unreadable},
                errors=[{"pointer": "/path", "detail": unreadable}],
            )
        secret = bearer(request)
        caller = services.authenticate(secret) if secret else None
        if caller is None:
            # No token of ours (the description and docs are open; a steward's push token is
            # checked by its own operation): each operation answers 401 itself.
            request.api_caller = None  # type: ignore[attr-defined]
            return self.get_response(request)
        request.user = caller.user
        request.api_caller = caller  # type: ignore[attr-defined]
        # A token is a credential of its own; the two-factor step is for people's sessions.
        caller.user.is_verified = lambda: True  # type: ignore[method-assign]
        wait = _over_rate(caller.token.token_hash[:16])
        if wait:
            response = problem(
                429,
                _(
                    "This token has made more than %(count)s calls this minute. Try again in %(seconds)s seconds."
                )
                % {"count": settings.API_CALLS_PER_MINUTE, "seconds": wait},
                kind="rate-limited",
                headers={"Retry-After": str(wait)},
            )
        else:
            response = self._idempotent(request, caller)
        services.record_use(
            caller=caller,
            method=request.method or "",
            path=request.path_info,
            status=response.status_code,
        )
        return response

    def _idempotent(self, request: HttpRequest, caller: services.Caller) -> HttpResponse:
        key = request.headers.get(IDEMPOTENCY_HEADER, "")
        if request.method != "POST" or not key:
            return self.get_response(request)
        if len(key) > 255 or not key.isprintable():
            return problem(
                400,
                _("Send an Idempotency-Key of at most 255 printable characters."),
                errors=[
                    {"pointer": "/header/Idempotency-Key", "detail": _("Too long or unreadable.")}
                ],
            )
        fingerprint = services.request_fingerprint(
            request.method, request.get_full_path(), request.body
        )
        lock = f"lodestar:api:idempotency:{caller.token.token_hash[:16]}:{services.request_fingerprint('', key, b'')}"
        try:
            kept = services.kept_response(token=caller.token, key=key, fingerprint=fingerprint)
        except services.IdempotencyMismatch:
            return problem(
                422,
                _(
                    "This Idempotency-Key was used for a different request. Use a new key for a new request."
                ),
                kind="idempotency-key-reused",
            )
        if kept is not None:
            return _replay(kept)
        try:
            if not redis_client().set(lock, "1", nx=True, ex=60):
                return problem(
                    409,
                    _(
                        "A request with this Idempotency-Key is still being handled. Retry in a moment."
                    ),
                    kind="idempotency-key-in-use",
                    headers={"Retry-After": "1"},
                )
        except redis.RedisError:
            logger.warning("Idempotency-Key not locked: Redis is unavailable")
        try:
            response = self.get_response(request)
            if response.status_code < 500 and not response.streaming:
                services.keep_response(
                    token=caller.token,
                    key=key,
                    fingerprint=fingerprint,
                    response=services.KeptResponse(
                        status=response.status_code,
                        headers={
                            name: value
                            for name, value in response.items()
                            if name in {"Content-Type", "ETag", "Location"}
                        },
                        body=response.content,
                    ),
                )
            return response
        finally:
            with contextlib.suppress(redis.RedisError):
                redis_client().delete(lock)


def _as_problem(response: HttpResponse, method: str) -> HttpResponse:
    """An address the API does not have, or a method an operation does not take, answers a
    problem document like every other refusal (Django's and ninja's own answers are HTML or
    text)."""
    if response.status_code not in (404, 405) or "json" in response.get("Content-Type", ""):
        return response
    if response.status_code == 404:
        return problem(404, _("The API has no such address. /api/v1/docs/ lists them."))
    answer = problem(405, _("This address does not take %(method)s requests.") % {"method": method})
    if response.has_header("Allow"):
        answer["Allow"] = response["Allow"]
    return answer


def _replay(kept: services.KeptResponse) -> HttpResponse:
    response = HttpResponse(kept.body, status=kept.status)
    for name, value in kept.headers.items():
        response[name] = value
    response["Idempotent-Replayed"] = "true"
    return response
