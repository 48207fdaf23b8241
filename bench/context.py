"""What every benchmark shares: a throwaway database, Redis, a running app and a signed-in user.

The database is `lodestar_bench` on the developer's PostgreSQL server (embedded or DATABASE_URL),
never their own database: benchmarks load demo data and create sessions. Expensive parts (the
gunicorn server, the sign-in) start on first use, so a subset such as `home_queries` does not
pay for what it does not need. Everything started here is stopped by `Context.close()`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import time
from contextlib import ExitStack
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench import httpclient

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
# BENCH_DATABASE_NAME lets two benchmark runs on one server keep out of each other's way.
BENCH_DATABASE = os.environ.get("BENCH_DATABASE_NAME", "lodestar_bench")
# Fixed and public on purpose: the bench database holds nothing but demo data.
SECRET_KEY = "bench-only-secret-key-not-for-any-real-deployment-0123456789"  # noqa: S105
HOST = "127.0.0.1"
DEMO_USER = "servant@demo.example"
GUNICORN_WORKERS = 2


class BenchError(Exception):
    """A benchmark cannot run or its result is meaningless; the message is one line."""


def say(message: str) -> None:
    """Progress for humans, on stderr: stdout carries only the BENCH lines."""
    print(f"bench: {message}", file=sys.stderr, flush=True)


def env_int(name: str, default: int, minimum: int = 0) -> int:
    value = os.environ.get(name, "")
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise BenchError(f"{name}={value!r} is not a whole number.") from None
    if number < minimum:
        raise BenchError(f"{name} must be at least {minimum}.")
    return number


def demo_password() -> str:
    """The demo password as config/settings.py reads it (DEMO_PASSWORD or DEMO_PASSWORD_FILE)."""
    path = os.environ.get("DEMO_PASSWORD_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get("DEMO_PASSWORD", "lodestar-demo-2026")


def with_database(url: str, name: str) -> str:
    """The same server URL (host, port, user, socket directory in the query) for database `name`."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def libpq_url(url: str) -> str:
    """psycopg speaks postgresql:// (and postgres://); Django URLs may say postgis://."""
    return url.replace("postgis://", "postgresql://", 1)


def server_url() -> str:
    """The URL of the developer's database; only its server is used."""
    url = os.environ.get("DATABASE_URL", "")
    if url:
        return url
    from config import embedded

    say("starting (or joining) the embedded PostgreSQL under .data/postgres …")
    try:
        # pgserver keeps the server up while this process holds it, so children that get
        # DATABASE_URL (manage.py, gunicorn) need not join it themselves.
        return embedded.postgres_url()
    except embedded.EmbeddedError as exc:
        raise BenchError(str(exc)) from None


def ensure_database(url: str, *, fresh: bool = False, name: str = BENCH_DATABASE) -> None:
    """Create the bench database if missing, from the server's `postgres` database.

    `fresh` drops it first (BENCH_FRESH_DB=1): for when it holds migrations that a branch
    switch or a rewritten migration left behind. Only ever the bench database, by its constant
    name, is dropped.
    """
    import psycopg
    from psycopg import sql

    try:
        with psycopg.connect(
            libpq_url(with_database(url, "postgres")), autocommit=True, connect_timeout=5
        ) as conn:
            if fresh:
                say(f"dropping database {name} (BENCH_FRESH_DB)")
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                say(f"creating database {name}")
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise BenchError(f"cannot prepare database {name}: {reason}") from None


def free_port() -> int:
    # The OS picks an unused port; the tiny race until gunicorn binds it is acceptable here.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Context:
    """Shared by all benchmarks of one run. Use as a context manager, so cleanup always runs."""

    def __init__(self) -> None:
        self.seconds = env_int("BENCH_SECONDS", 20, minimum=1)
        self.warmup_seconds = env_int("BENCH_WARMUP_SECONDS", 2)
        self.connections = env_int("BENCH_CONNECTIONS", 8, minimum=1)
        self._stack = ExitStack()
        self.database_url = ""
        self.redis_url = ""
        self.env: dict[str, str] = {}

    def __enter__(self) -> Context:
        try:
            self._start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._stack.close()

    # --- always needed: database, Redis, migrated and seeded --------------------------------

    def _start(self) -> None:
        self.database_url = with_database(server_url(), BENCH_DATABASE)
        ensure_database(self.database_url, fresh=os.environ.get("BENCH_FRESH_DB") == "1")
        self.redis_url = self._redis()
        self.env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "0",  # as in production: DEBUG also logs every query in memory
            "SECRET_KEY": SECRET_KEY,
            # The bench talks plain HTTP to gunicorn on localhost, with no TLS proxy in front.
            "HTTPS": "0",
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "PYTHONUNBUFFERED": "1",
            # As in production: hashed static files collected once, served by WhiteNoise.
            "STATIC_ROOT": str(BASE_DIR / ".data" / "bench-static"),
            # The documents made here belong with the bench database, not the developer's.
            "MEDIA_ROOT": str(BASE_DIR / ".data" / "bench-media"),
        }
        self.env.setdefault("LOG_LEVEL", "WARNING")
        # A developer's GUNICORN_CMD_ARGS (say, an access log) would change what is measured.
        self.env.pop("GUNICORN_CMD_ARGS", None)
        say(f"preparing database {BENCH_DATABASE} (migrate, seed_demo) …")
        try:
            self.manage("migrate", "--noinput", "-v", "0")
        except BenchError as exc:
            raise BenchError(f"{exc}; if {BENCH_DATABASE} is stale, try BENCH_FRESH_DB=1") from None
        self.manage("seed_demo", "--force")
        self.manage("collectstatic", "--noinput", "-v", "0")

    def _redis(self) -> str:
        url = os.environ.get("REDIS_URL", "")
        if url:
            return url
        from config import embedded

        # A socket of its own, so a developer's `make run` Redis is neither reused nor stopped.
        sock = embedded.DATA_DIR / "redis-bench" / "redis.sock"
        say(f"starting the embedded Redis at {sock} …")
        try:
            process = embedded.start_redis(sock)
        except embedded.EmbeddedError as exc:
            raise BenchError(str(exc)) from None
        self._stack.callback(embedded.stop, process)
        return f"redis+socket://{sock}"

    def manage(self, *args: str, env: dict[str, str] | None = None) -> None:
        # Children's stdout goes to our stderr: stdout is reserved for BENCH lines.
        result = subprocess.run(
            [PYTHON, "manage.py", *args],
            env=env or self.env,
            cwd=BASE_DIR,
            stdout=sys.stderr,
            check=False,
        )
        if result.returncode != 0:
            raise BenchError(
                f"`manage.py {' '.join(args)}` failed (exit status {result.returncode})"
            )

    def run_json(self, module: str, *args: str, env: dict[str, str] | None = None) -> dict:
        """Run `python -m <module> <args>` (a worker script of this package) with the bench's
        environment plus `env`, its stderr passed on, and return the JSON of its last line."""
        done = subprocess.run(
            [PYTHON, "-m", module, *args],
            env={**self.env, **(env or {})},
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
            check=False,
        )
        sys.stderr.write(done.stderr)
        if done.returncode != 0:
            what = f"{module} {args[0]}" if args else module
            raise BenchError(f"{what} failed (exit status {done.returncode}; output above)")
        return json.loads(done.stdout.strip().splitlines()[-1])

    # --- started on first use -----------------------------------------------------------------

    @cached_property
    def port(self) -> int:
        """The port of a gunicorn serving the app, started now and stopped by close()."""
        return self.serve(self.env)

    def serve(self, env: dict[str, str]) -> int:
        """Start a gunicorn with `env` (another database, say), stopped by close(); its port."""
        port = free_port()
        say(f"starting gunicorn ({GUNICORN_WORKERS} workers) on {HOST}:{port} …")
        process = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "config.wsgi",
                "-w",
                str(GUNICORN_WORKERS),
                "-b",
                f"{HOST}:{port}",
                # No access log (gunicorn's default): writing one line per request would be
                # part of what is measured. Warnings and errors still reach stderr.
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=BASE_DIR,
            stdin=subprocess.DEVNULL,
            stdout=sys.stderr,
            # Its own process group, so stopping it also stops its workers, and nothing else.
            start_new_session=True,
        )
        self._stack.callback(stop_group, process)
        wait_until_serving(process, port)
        return port

    @cached_property
    def session_cookie(self) -> str:
        """The sessionid of the demo servant, signed in through the real form at /sign-in/."""
        return sign_in(self.port, DEMO_USER, demo_password())


def start_worker(
    ctx: Context, queue: str, *, concurrency: int = 1, name: str = "", options: tuple = ()
) -> subprocess.Popen:
    """A Celery worker on the bench database and Redis, consuming `queue` only, in a process
    group of its own (so `stop_group` stops its pool too, and nothing else)."""
    return subprocess.Popen(
        [
            PYTHON, "-m", "celery", "-A", "config", "worker",
            "-Q", queue, "-P", "prefork", "-c", str(concurrency),
            "--without-gossip", "--without-mingle", *options,
            "-n", f"{name or queue}@%h", "--loglevel", "WARNING",
        ],
        env=ctx.env,
        cwd=BASE_DIR,
        stdin=subprocess.DEVNULL,
        stdout=sys.stderr,
        start_new_session=True,
    )  # fmt: skip


def stop_group(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_until_serving(process: subprocess.Popen, port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(
                f"gunicorn exited with status {process.returncode} (its output is above)"
            )
        try:
            if httpclient.request(port, "GET", "/robots.txt", timeout=2).status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise BenchError(f"gunicorn did not answer on port {port} within {timeout:.0f} s")


def sign_in(port: int, email: str, password: str, totp_key: str | None = None) -> str:
    form = httpclient.request(port, "GET", "/sign-in/")
    if form.status != 200:
        raise BenchError(f"GET /sign-in/ answered {form.status}, not 200")
    csrf_cookie = form.cookies.get("csrftoken")
    token = httpclient.form_value(form.text, "csrfmiddlewaretoken")
    if not csrf_cookie or not token:
        raise BenchError("the sign-in page set no CSRF cookie or has no csrfmiddlewaretoken")
    answer = httpclient.request(
        port,
        "POST",
        "/sign-in/",
        form={"csrfmiddlewaretoken": token, "username": email, "password": password},
        # Browsers send Origin on a POST; Django's CSRF check compares it with the host.
        headers={"Cookie": f"csrftoken={csrf_cookie}", "Origin": f"http://{HOST}:{port}"},
    )
    session = answer.cookies.get("sessionid")
    if answer.status != 302 or not session:
        hint = " (wrong DEMO_PASSWORD?)" if answer.status == 200 else ""
        raise BenchError(
            f"signing in as {email} failed: POST /sign-in/ answered {answer.status}{hint}"
        )
    if totp_key is not None:  # the code page comes next, on whatever page is asked for first
        session = _enter_code(port, email, session, csrf_cookie, totp_key)
    say(f"signed in as {email}")
    return session


# Leads and administrators pass a code after their password, as people do; seed_bench gives the
# benchmark's lead an authenticator with this key (bench data only, never a real account).
TWO_FACTOR_PATH = "/account/two-factor/code/"
BENCH_TOTP_KEY = "6c6f6465737461722d62656e63682d746f74702d6b6579"


def totp_code(hex_key: str, at: float | None = None) -> str:
    """The six-digit code an authenticator app shows now (RFC 6238: SHA-1, 30 s steps)."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(bytes.fromhex(hex_key), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def _enter_code(port: int, email: str, session: str, csrf_cookie: str, totp_key: str) -> str:
    cookies = f"csrftoken={csrf_cookie}; sessionid={session}"
    page = httpclient.request(port, "GET", TWO_FACTOR_PATH, headers={"Cookie": cookies})
    token = httpclient.form_value(page.text, "csrfmiddlewaretoken")
    answer = httpclient.request(
        port,
        "POST",
        TWO_FACTOR_PATH,
        form={"csrfmiddlewaretoken": token, "code": totp_code(totp_key)},
        headers={"Cookie": cookies, "Origin": f"http://{HOST}:{port}"},
    )
    if answer.status != 302 or urlsplit(answer.location).path.startswith("/account/"):
        raise BenchError(f"{email}'s two-factor code was refused ({answer.status})")
    return answer.cookies.get("sessionid", session)
