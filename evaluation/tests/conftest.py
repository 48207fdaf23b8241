import pytest

from missions.tests.factories import ActorFactory, MissionFactory, TargetFactory


@pytest.fixture
def owner(organisation):
    return ActorFactory(organisation=organisation, key="vws", name="Ministry of Health")


@pytest.fixture
def mission(organisation, owner):
    mission = MissionFactory(
        organisation=organisation,
        key="healthy-years",
        title="Healthy years",
        owner=owner,
        geography="Netherlands",
        # Recorded as "no mandate yet" (a fact the mandate warning reads), as the old default was.
        mandate_source="none",
    )
    TargetFactory(mission=mission, key="t1")
    return mission


@pytest.fixture
def reviewer(member):
    return member("reviewer")


@pytest.fixture
def editor(member):
    return member("editor")


@pytest.fixture
def viewer(member):
    return member("viewer")


@pytest.fixture
def enqueued(monkeypatch):
    """Records assessment tasks sent to the broker instead of sending them."""
    from evaluation import tasks

    sent: list[tuple] = []

    def fake_apply_async(args=None, kwargs=None, **options):
        sent.append((tuple(args or ()), options))

    monkeypatch.setattr(tasks.assess_mission_task, "apply_async", fake_apply_async)
    return sent


@pytest.fixture
def killable_worker(django_db_setup, redis_server):
    """start(name, queue, **env) → a real Celery worker process of this test's own, consuming
    only `queue`, in a process group of its own so the test can SIGKILL it (and its pool)
    mid-task. Every worker started is stopped at the end."""
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    from django.db import connection

    from config.celery import app

    started: list[subprocess.Popen] = []

    def start(name: str, queue: str, **extra_env: str) -> subprocess.Popen:
        hostname = f"{name}-{os.getpid()}-{time.time_ns()}@lodestar-test"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings_test",
            "LODESTAR_WORKER_DATABASE_NAME": connection.settings_dict["NAME"],
            "DATABASE_URL": os.environ["DATABASE_URL"],
            **extra_env,
        }
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "tests.worker_app",
                "worker",
                "-Q",
                queue,
                "-P",
                "prefork",
                "-c",
                "1",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                hostname,
                "--loglevel",
                "WARNING",
            ],
            env=env,
            cwd=Path(__file__).resolve().parents[2],
            start_new_session=True,
        )
        started.append(worker)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if worker.poll() is not None:
                pytest.fail(f"the Celery worker {name} exited with status {worker.returncode}")
            if app.control.ping(destination=[hostname], timeout=0.5):
                return worker
        pytest.fail(f"the Celery worker {name} did not answer a ping within 30 s")

    yield start
    for worker in started:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait()
