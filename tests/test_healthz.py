import json
import os
import statistics
import subprocess
import sys
import time
from itertools import count

import pytest
from django.test import override_settings

from config import embedded
from config.celery import HEARTBEAT_FRESH, HEARTBEAT_KEY
from config.health import redis_client
from conftest import BASE_DIR

ALL_UP = {"database": "ok", "redis": "ok", "celery": "ok"}
TOKEN = "healthz-token-for-tests-0123456789"
# Documentation addresses (RFC 5737), one per test: the rate counts outlive a test by a second.
_addresses = count(1)


def stranger() -> str:
    return f"203.0.113.{next(_addresses)}"


@pytest.fixture
def redis_down(tmp_path):
    with override_settings(REDIS_URL=f"redis+socket://{tmp_path}/nothing-here.sock"):
        yield


@pytest.fixture
def redis_without_workers(tmp_path):
    """A Redis of its own, which no worker writes a heartbeat to."""
    process = embedded.start_redis(tmp_path / "redis.sock")
    try:
        with override_settings(REDIS_URL=f"redis+socket://{tmp_path}/redis.sock"):
            yield redis_client()
    finally:
        embedded.stop(process)


@pytest.mark.celery
@pytest.mark.django_db
def test_healthz_is_200_and_fast_when_database_redis_and_a_worker_are_up(client, celery_worker):
    client.get("/healthz")  # the first call opens the connections the others reuse
    timings = []
    for _ in range(20):
        started = time.perf_counter()
        response = client.get("/healthz")
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200

    # The Django test client calls from 127.0.0.1: the detail.
    body = response.json()
    assert body["status"] == "ok"
    assert body["down"] == []
    assert body["checks"]["database"] == {"ok": True}
    assert body["checks"]["redis"] == {"ok": True}
    celery = body["checks"]["celery"]
    assert celery["ok"] is True
    assert celery["workers"] >= 1  # the test worker's heartbeat
    assert 0 <= celery["newest_heartbeat_s"] <= HEARTBEAT_FRESH
    # No worker is asked anything: well under the old one-second ping, even on a busy machine.
    assert statistics.median(timings) < 0.050, timings
    assert max(timings) < 0.5, timings


@pytest.mark.celery
@pytest.mark.django_db
def test_anonymous_callers_see_only_what_is_up(client, celery_worker):
    response = client.get("/healthz", REMOTE_ADDR=stranger())

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": ALL_UP}


@pytest.mark.django_db
def test_healthz_names_redis_when_it_is_down(client, redis_down):
    response = client.get("/healthz")

    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "degraded"
    assert body["down"] == ["redis", "celery"]
    assert body["checks"]["database"] == {"ok": True}
    # Short, but still says what failed and where.
    error = body["checks"]["redis"]["error"]
    assert error.startswith("ConnectionError") and "nothing-here.sock" in error
    assert len(error) <= 160
    assert body["checks"]["celery"] == {"ok": False, "error": "unreachable without Redis"}


@pytest.mark.django_db
def test_anonymous_callers_get_no_error_text_when_redis_is_down(client, redis_down):
    response = client.get("/healthz", REMOTE_ADDR=stranger())

    assert response.status_code == 503
    assert response.json() == {
        "status": "degraded",
        "checks": {"database": "ok", "redis": "down", "celery": "down"},
    }
    assert b"sock" not in response.content and b"Error" not in response.content


@pytest.mark.django_db
@override_settings(HEALTHZ_TOKEN=TOKEN)
def test_the_token_gives_the_detail_from_anywhere(client, redis_down):
    response = client.get("/healthz", REMOTE_ADDR=stranger(), HTTP_AUTHORIZATION=f"Bearer {TOKEN}")

    assert response.status_code == 503
    assert response.json()["checks"]["redis"]["error"].startswith("ConnectionError")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("token", "authorization"),
    [
        (TOKEN, f"Bearer {TOKEN}x"),
        (TOKEN, f"Basic {TOKEN}"),
        (TOKEN, "Bearer "),
        ("", "Bearer "),  # no token set: no token opens the detail
        ("", "Bearer"),
    ],
)
def test_a_wrong_or_missing_token_gives_no_detail(client, redis_down, token, authorization):
    with override_settings(HEALTHZ_TOKEN=token):
        response = client.get("/healthz", REMOTE_ADDR=stranger(), HTTP_AUTHORIZATION=authorization)

    assert response.status_code == 503
    assert set(response.json()) == {"status", "checks"}


@pytest.mark.django_db
def test_a_call_forwarded_by_a_proxy_on_this_machine_gets_no_detail(client, redis_down):
    response = client.get("/healthz", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=stranger())

    assert response.status_code == 503
    assert set(response.json()) == {"status", "checks"}


@pytest.mark.django_db
def test_loopback_over_ipv6_gets_the_detail(client, redis_down):
    response = client.get("/healthz", REMOTE_ADDR="::1")

    assert "error" in response.json()["checks"]["redis"]


def calls_until_limited(client, limit: int, calls: int = 20, **extra) -> tuple[list, int]:
    """`calls` quick calls; their responses, and how many one-second windows they spanned."""
    first = int(time.time())
    with override_settings(HEALTHZ_RATE_LIMIT=limit):
        responses = [client.get("/healthz", **extra) for _ in range(calls)]
    return responses, int(time.time()) - first + 1


@pytest.mark.django_db
@pytest.mark.parametrize("redis_is", ["up", "down"])
def test_a_client_calling_too_often_gets_429(client, request, redis_is):
    if redis_is == "down":  # then each web process counts on its own
        request.getfixturevalue("redis_down")
    responses, windows = calls_until_limited(client, limit=3, REMOTE_ADDR=stranger())

    statuses = [response.status_code for response in responses]
    assert 429 not in statuses[:3]
    limited = [response for response in responses if response.status_code == 429]
    assert limited, statuses
    assert len(responses) - len(limited) <= 3 * windows, statuses
    assert limited[0]["Retry-After"] == "1"


@pytest.mark.django_db
@override_settings(HEALTHZ_TOKEN=TOKEN)
def test_loopback_and_token_callers_are_not_limited(client):
    from_loopback, _ = calls_until_limited(client, limit=1)
    with_token, _ = calls_until_limited(
        client, limit=1, REMOTE_ADDR=stranger(), HTTP_AUTHORIZATION=f"Bearer {TOKEN}"
    )

    assert 429 not in [response.status_code for response in from_loopback + with_token]


@pytest.mark.django_db
def test_healthz_names_celery_when_no_worker_has_a_fresh_heartbeat(client, redis_without_workers):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["down"] == ["celery"]
    assert response.json()["checks"]["celery"] == {
        "ok": False,
        "error": f"no worker heartbeat in the last {HEARTBEAT_FRESH} s",
        "workers": 0,
    }
    anonymous = client.get("/healthz", REMOTE_ADDR=stranger())
    assert anonymous.status_code == 503
    assert anonymous.json()["checks"] == {"database": "ok", "redis": "ok", "celery": "down"}

    # A worker last seen a minute ago (killed, say) is down too, and the detail says since when.
    seconds, micros = redis_without_workers.time()
    now = seconds + micros / 1_000_000  # Redis's clock, as the workers' heartbeats use
    redis_without_workers.zadd(HEARTBEAT_KEY, {"gone@host": now - 60})
    celery = client.get("/healthz").json()["checks"]["celery"]
    assert celery == {"ok": False, "error": "no worker heartbeat for 60 s", "workers": 0}

    redis_without_workers.zadd(HEARTBEAT_KEY, {"alive@host": now})
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["celery"]["workers"] == 1


def healthz_in_a_fresh_process(**env_overrides):
    """Call /healthz in a separate Django process configured by `env_overrides`."""
    script = (
        "import django; django.setup();"
        "from django.test import Client; r = Client(HTTP_HOST='localhost').get('/healthz');"
        "print(r.status_code); print(r.content.decode())"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test", **env_overrides}
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    status, body = result.stdout.strip().split("\n", 1)
    return int(status), json.loads(body)


def test_healthz_names_the_database_when_it_cannot_be_reached(redis_server):
    status, body = healthz_in_a_fresh_process(
        DATABASE_URL="postgres://nobody@127.0.0.1:1/nothing", DB_CONNECT_TIMEOUT="2"
    )

    assert status == 503
    assert "database" in body["down"]
    assert body["checks"]["redis"] == {"ok": True}
