"""/healthz: are the database, Redis and at least one Celery worker up?

Load balancers and uptime probes call it often, anonymously and from anywhere, so it is fast
(workers are not asked: they leave a heartbeat in Redis, see config/celery.py), tells an
anonymous caller only what is up or down, and answers 429 to a client address calling more than
HEALTHZ_RATE_LIMIT times a second. The error text, which names hosts and sockets, and the
workers' heartbeats go only to callers that present HEALTHZ_TOKEN or call from this machine.

`HealthzMiddleware` answers it before the session and authentication middleware: with the database
down, a probe that sends a session cookie (a person checking from their browser) would otherwise
get the 500 page from the session lookup instead of the 503 that names the database.
"""

from __future__ import annotations

import ipaddress
import logging
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from redis.backoff import NoBackoff
from redis.retry import Retry

from config.celery import HEARTBEAT_FRESH, HEARTBEAT_KEY

logger = logging.getLogger(__name__)

RATE_KEY = "lodestar:healthz-calls:{address}:{second}"
ERROR_LENGTH = 160
# A reverse proxy on this machine also connects from loopback; these headers say it forwarded
# the call of someone elsewhere.
FORWARDING_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")

_clients: dict[str, redis.Redis] = {}


def redis_client() -> redis.Redis:
    """A client for REDIS_URL that fails within about a second when Redis is away.

    One per URL, kept: its connection pool saves a connect per probe. One retry, at once,
    replaces a pooled connection Redis closed when it restarted; redis-py's default (ten
    retries with backoff) would hold a probe for seconds while Redis is down.
    """
    url = settings.REDIS_URL
    client = _clients.get(url)
    if client is None:
        options: dict[str, Any] = {
            "socket_timeout": 1,
            "socket_connect_timeout": 1,
            "retry": Retry(NoBackoff(), 1),
        }
        if url.startswith("redis+socket://"):
            client = redis.Redis(unix_socket_path=url.removeprefix("redis+socket://"), **options)
        else:
            client = redis.Redis.from_url(url, **options)
        _clients[url] = client
    return client


def _short(exc: Exception) -> str:
    """The exception's first line, cut to a length a dashboard shows whole."""
    text = f"{type(exc).__name__}: {exc}".splitlines()[0]
    return text if len(text) <= ERROR_LENGTH else text[: ERROR_LENGTH - 1] + "…"


def check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:
        return _short(exc)
    return None


@dataclass
class RedisAnswer:
    error: str | None = None  # Redis could not be reached
    calls: int = 0  # the caller's calls in this second, when counted
    heartbeat_ages: list[float] = field(default_factory=list)  # seconds, newest first


def ask_redis(rate_key: str | None) -> RedisAnswer:
    """Count the call under `rate_key` (if any) and read the workers' heartbeats, in one round
    trip: this is all /healthz asks Redis, and its answering at all is the Redis check."""
    try:
        pipe = redis_client().pipeline()
        if rate_key:
            pipe.incr(rate_key)
            pipe.expire(rate_key, 2)  # the key names its second; it is only needed during it
        pipe.time()
        pipe.zrange(HEARTBEAT_KEY, 0, -1, desc=True, withscores=True)
        *counted, (seconds, micros), beats = pipe.execute()
    except Exception as exc:
        return RedisAnswer(error=_short(exc))
    now = seconds + micros / 1_000_000  # Redis's clock, which scored the heartbeats
    return RedisAnswer(
        calls=counted[0] if counted else 0,
        heartbeat_ages=[max(0.0, now - score) for _name, score in beats],
    )


def check_celery(answer: RedisAnswer) -> tuple[str | None, dict[str, float | int]]:
    """Is a worker's heartbeat fresh? The error, and the heartbeat figures for the detail."""
    if answer.error:
        return "unreachable without Redis", {}
    fresh = [age for age in answer.heartbeat_ages if age <= HEARTBEAT_FRESH]
    if fresh:
        return None, {"workers": len(fresh), "newest_heartbeat_s": round(fresh[0], 1)}
    if answer.heartbeat_ages:
        newest = answer.heartbeat_ages[0]
        return f"no worker heartbeat for {newest:.0f} s", {"workers": 0}
    return f"no worker heartbeat in the last {HEARTBEAT_FRESH} s", {"workers": 0}


_calls_here: dict[str, tuple[int, int]] = {}  # client address → (second, calls in it)
_calls_here_lock = threading.Lock()


def count_here(address: str, second: int) -> int:
    """The rate count kept by this process, for when Redis (which all processes share) is down.
    Each web process then allows HEALTHZ_RATE_LIMIT on its own, which still bounds the work."""
    with _calls_here_lock:
        counted_second, calls = _calls_here.get(address, (second, 0))
        if counted_second != second:
            calls = 0
        if len(_calls_here) > 10_000:  # only this second's callers matter
            _calls_here.clear()
        _calls_here[address] = (second, calls + 1)
        return calls + 1


def from_loopback(request: HttpRequest) -> bool:
    if any(header in request.META for header in FORWARDING_HEADERS):
        return False
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return (getattr(address, "ipv4_mapped", None) or address).is_loopback


def presents_token(request: HttpRequest) -> bool:
    token = settings.HEALTHZ_TOKEN
    scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
    if not token or scheme.lower() != "bearer":
        return False
    return secrets.compare_digest(presented.strip().encode(), token.encode())


def too_many_requests() -> JsonResponse:
    response = JsonResponse({"status": "too many requests"}, status=429)
    response["Retry-After"] = "1"  # the count is per second
    return response


@login_not_required
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    # The operator's own probes (the container's health check, monitoring with the token) are
    # not limited: a 429 would read as "down", and a stranger must not be able to cause one.
    detail = presents_token(request) or from_loopback(request)
    limit = settings.HEALTHZ_RATE_LIMIT
    counted = not detail and limit > 0
    address = request.META.get("REMOTE_ADDR", "")
    second = int(time.time())
    answer = ask_redis(RATE_KEY.format(address=address, second=second) if counted else None)
    if counted:
        calls = answer.calls if answer.error is None else count_here(address, second)
        if calls > limit:
            return too_many_requests()

    celery_error, heartbeats = check_celery(answer)
    errors = {"database": check_database(), "redis": answer.error, "celery": celery_error}
    down = [name for name, error in errors.items() if error]
    status = 503 if down else 200
    if down:
        logger.warning(
            "health check failed",
            extra={"down": ",".join(down), "errors": "; ".join(f"{n}: {errors[n]}" for n in down)},
        )
    if not detail:
        return JsonResponse(
            {
                "status": "degraded" if down else "ok",
                "checks": {name: "down" if error else "ok" for name, error in errors.items()},
            },
            status=status,
        )
    checks = {
        name: {"ok": error is None, **({"error": error} if error else {})}
        for name, error in errors.items()
    }
    checks["celery"].update(heartbeats)
    body = {"status": "degraded" if down else "ok", "down": down, "checks": checks}
    return JsonResponse(body, status=status)


class HealthzMiddleware:
    """Serve GET /healthz first, whatever the middleware after it would need."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == "/healthz" and request.method in ("GET", "HEAD"):
            return healthz(request)
        return self.get_response(request)
