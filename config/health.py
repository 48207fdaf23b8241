"""/healthz: is the database, Redis and at least one Celery worker up?"""

from __future__ import annotations

import logging

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, JsonResponse
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
