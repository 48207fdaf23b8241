"""/healthz: is the database, Redis and at least one Celery worker up?

`HealthzMiddleware` answers it before the session and authentication middleware: with the database
down, a probe that sends a session cookie (a person checking from their browser) would otherwise
get the 500 page from the session lookup instead of the 503 that names the database.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from config.celery import app as celery_app

logger = logging.getLogger(__name__)


def _redis_client() -> redis.Redis:
    url = settings.REDIS_URL
    if url.startswith("redis+socket://"):
        return redis.Redis(
            unix_socket_path=url.removeprefix("redis+socket://"),
            socket_timeout=1,
            socket_connect_timeout=1,
        )
    return redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)


def check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}".splitlines()[0]
    return None


def check_redis() -> str | None:
    try:
        _redis_client().ping()
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}".splitlines()[0]
    return None


def check_celery() -> str | None:
    try:
        replies = celery_app.control.ping(timeout=1.0)
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}".splitlines()[0]
    if not replies:
        return "no worker answered within 1 s"
    return None


@login_not_required
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": check_database(), "redis": check_redis()}
    # Workers are reached through Redis; without Redis the worker check can only hang.
    checks["celery"] = check_celery() if checks["redis"] is None else "unreachable without Redis"
    down = [name for name, error in checks.items() if error]
    body = {
        "status": "ok" if not down else "degraded",
        "down": down,
        "checks": {
            name: {"ok": error is None, **({"error": error} if error else {})}
            for name, error in checks.items()
        },
    }
    if down:
        logger.warning("health check failed", extra={"down": ",".join(down)})
    return JsonResponse(body, status=503 if down else 200)


class HealthzMiddleware:
    """Serve GET /healthz first, whatever the middleware after it would need."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == "/healthz" and request.method in ("GET", "HEAD"):
            return healthz(request)
        return self.get_response(request)
