"""`make run`: serve Lodestar with demo data, a real Celery worker and, unless DATABASE_URL /
REDIS_URL say otherwise, an embedded PostgreSQL and Redis. Ctrl-C stops everything it started.

Set-up problems end with one line on stderr and exit status 1, never a traceback.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
WEASYPRINT_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core"


class SetupError(Exception):
    """A problem with the machine or the configuration, explained in one line."""


def say(message: str) -> None:
    print(f"lodestar: {message}", flush=True)


def check_python() -> None:
    pass


def check_port(host: str, port: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            raise SetupError(
                f"Port {port} on {host} is busy: another program is using it. "
                f"Stop that program, or run `make run PORT={port + 1}`."
            ) from None


def check_weasyprint() -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import weasyprint  # noqa: F401
    except OSError as exc:
        raise SetupError(
            f"WeasyPrint cannot load its system libraries ({str(exc).splitlines()[0]}). "
            f"On Debian/Ubuntu: sudo apt-get install {WEASYPRINT_PACKAGES}"
        ) from None


def check_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    where = parts.hostname or "a local socket"
    if parts.port:
        where += f":{parts.port}"
    try:
        conninfo = url.replace("postgis://", "postgresql://", 1)
        with psycopg.connect(conninfo, connect_timeout=5) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        raise SetupError(
            f"Cannot reach the database at {where} (from DATABASE_URL): {reason}"
        ) from None


def check_redis(url: str) -> None:
    import redis

    parts = urlsplit(url)
    where = f"{parts.hostname}:{parts.port or 6379}" if parts.hostname else parts.path
    try:
        if url.startswith("redis+socket://"):
            client = redis.Redis(
                unix_socket_path=url.removeprefix("redis+socket://"), socket_connect_timeout=3
            )
        else:
            client = redis.Redis.from_url(url, socket_connect_timeout=3)
        client.ping()
    except redis.RedisError as exc:
        raise SetupError(f"Cannot reach Redis at {where} (from REDIS_URL): {exc}") from None


class Stack:
    """The processes `make run` started, stopped in reverse order."""

    def __init__(self) -> None:
        self.processes: list[tuple[str, subprocess.Popen]] = []
        self.redis: subprocess.Popen | None = None

    def start(self, name: str, args: list[str], env: dict[str, str]) -> subprocess.Popen:
        # A new session per child: Ctrl-C reaches only this runner, which then stops each child
        # in order (web first, so nothing new is queued, then the worker).
        process = subprocess.Popen(args, env=env, cwd=BASE_DIR, start_new_session=True)
        self.processes.append((name, process))
        return process

    def stop(self) -> None:
        for _name, process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for _name, process in reversed(self.processes):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        from config import embedded

        embedded.stop(self.redis)


def manage(*args: str, env: dict[str, str]) -> None:
    result = subprocess.run([PYTHON, "manage.py", *args], env=env, cwd=BASE_DIR, check=False)
    if result.returncode != 0:
        raise SetupError(f"`manage.py {' '.join(args)}` failed (exit status {result.returncode}).")


def main() -> int:
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "8000"))
    env = dict(os.environ)
    env.setdefault("DEBUG", "1")
    env.setdefault("PYTHONUNBUFFERED", "1")
    stack = Stack()
    interrupted = False

    def on_signal(signum: int, frame: object) -> None:
        nonlocal interrupted
        interrupted = True

    try:
        check_python()
        check_port(host, port)
        check_weasyprint()
        from config import embedded

        if env.get("DATABASE_URL"):
            check_database(env["DATABASE_URL"])
        else:
            say("starting the embedded PostgreSQL under .data/postgres …")
            try:
                env["DATABASE_URL"] = embedded.postgres_url()
            except embedded.EmbeddedError as exc:
                raise SetupError(str(exc)) from None
        if env.get("REDIS_URL"):
            check_redis(env["REDIS_URL"])
        else:
            say("starting the embedded Redis under .data/redis …")
            try:
                stack.redis = embedded.start_redis()
            except embedded.EmbeddedError as exc:
                raise SetupError(str(exc)) from None
            env["REDIS_URL"] = embedded.redis_url()

        manage("migrate", "--noinput", "-v", "0", env=env)
        manage("seed_demo", env=env)
        signal.signal(signal.SIGINT, on_signal)
        signal.signal(signal.SIGTERM, on_signal)
        stack.start(
            "worker",
            [
                PYTHON,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "-Q",
                "default,pdf,pdf_ahead",
                "--concurrency",
                "2",
                "--loglevel",
                "WARNING",
                "--without-gossip",
                "--without-mingle",
            ],
            env,
        )
        stack.start(
            "web",
            [PYTHON, "manage.py", "runserver", f"{host}:{port}", "--noreload", "--skip-checks"],
            env,
        )
        password = env.get("DEMO_PASSWORD", "lodestar-demo-2026")
        say(f"Lodestar is running at http://{host}:{port}/  (Ctrl-C stops it)")
        say(
            f"demo sign-ins (password {password}): servant@demo.example (editor), "
            "lead@demo.example (lead), reviewer@demo.example (reviewer), "
            "admin@demo.example (administrator), outsider@demo.example (other organisation)"
        )
        while not interrupted:
            for name, process in stack.processes:
                if process.poll() is not None:
                    say(
                        f"the {name} process stopped (exit status {process.returncode}); "
                        "stopping the rest."
                    )
                    interrupted = True
            time.sleep(0.3)
        say("stopping …")
        return 0
    except SetupError as exc:
        print(f"lodestar: {exc}", file=sys.stderr, flush=True)
        return 1
    finally:
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())
