import pytest
from django.utils import translation

from missions.apps import DEMO_FIXTURE


@pytest.fixture(autouse=True)
def english():
    with translation.override("en-gb"):
        yield


@pytest.fixture
def demo_missions(organisation):
    """The real example missions (demo fixture) in the test organisation."""
    from missions import exchange

    exchange.import_file(DEMO_FIXTURE, organisation=organisation)
    return organisation


@pytest.fixture
def render_now(django_capture_on_commit_callbacks):
    """render_now(document) → the document rendered in this process, as a worker would."""
    from documents.models import GeneratedDocument
    from documents.services import document_render

    def render(document):
        document_render(document_id=document.pk)
        return GeneratedDocument.objects.get(pk=document.pk)

    return render


@pytest.fixture
def pdf_worker(django_db_setup, redis_server):
    """start(name, queue) → a real Celery worker of this test's own on `queue` (two pool
    processes, as deployed), in a process group of its own so the test can SIGKILL it and
    its pool mid-render. Every worker started is stopped at the end."""
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    from django.db import connection

    from config.celery import app

    started: list[subprocess.Popen] = []

    def start(name: str, queue: str) -> subprocess.Popen:
        hostname = f"{name}-{os.getpid()}-{time.time_ns()}@lodestar-test"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings_test",
            "LODESTAR_WORKER_DATABASE_NAME": connection.settings_dict["NAME"],
            "DATABASE_URL": os.environ["DATABASE_URL"],
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
                "2",
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
