import json
import os
import subprocess
import sys

import pytest
from django.test import override_settings

from config import embedded
from conftest import BASE_DIR


@pytest.mark.celery
@pytest.mark.django_db
def test_healthz_is_200_when_database_redis_and_a_worker_are_up(client, celery_worker):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "down": [],
        "checks": {"database": {"ok": True}, "redis": {"ok": True}, "celery": {"ok": True}},
    }


@pytest.mark.django_db
def test_healthz_names_redis_when_it_is_down(client, tmp_path):
    with override_settings(REDIS_URL=f"redis+socket://{tmp_path}/nothing-here.sock"):
        response = client.get("/healthz")

    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "degraded"
    assert "redis" in body["down"]
    assert body["checks"]["database"] == {"ok": True}


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


def test_healthz_names_celery_when_no_worker_answers(tmp_path):
    # A Redis of its own, which no worker listens on.
    empty_redis = embedded.start_redis(tmp_path / "redis.sock")
    try:
        status, body = healthz_in_a_fresh_process(
            TEST_REDIS_URL=f"redis+socket://{tmp_path}/redis.sock"
        )
    finally:
        embedded.stop(empty_redis)

    assert status == 503
    assert body["down"] == ["celery"]
    assert "no worker answered" in body["checks"]["celery"]["error"]


def test_healthz_names_the_database_when_it_cannot_be_reached(redis_server):
    status, body = healthz_in_a_fresh_process(
        DATABASE_URL="postgres://nobody@127.0.0.1:1/nothing", DB_CONNECT_TIMEOUT="2"
    )

    assert status == 503
    assert "database" in body["down"]
    assert body["checks"]["redis"] == {"ok": True}
