"""Fixtures shared by every test: organisations and people in each role, the real Redis and a
real Celery worker, and Playwright on Debian's Chromium."""

from __future__ import annotations

import email
import email.policy
import itertools
import os
import shutil
import subprocess
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; pytest-django's database set-up
# would otherwise trip Django's async-safety check.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

_people = itertools.count(1)
BASE_DIR = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("LODESTAR_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session", autouse=True)
def redis_server() -> Iterator[str]:
    """The tests' own Redis: TEST_REDIS_URL, or an embedded one started here and stopped after."""
    from django.conf import settings

    from config import embedded

    process = None
    if settings.REDIS_URL.startswith("redis+socket://"):
        process = embedded.start_redis(Path(settings.REDIS_URL.removeprefix("redis+socket://")))
    yield settings.REDIS_URL
    embedded.stop(process)


@pytest.fixture(scope="session")
def celery_worker_process(
    django_db_setup: None, django_db_blocker, redis_server: str
) -> Iterator[str]:
    """A real Celery worker process on the test database and the tests' Redis."""
    from django.db import connection

    from config.celery import app

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "LODESTAR_WORKER_DATABASE_NAME": connection.settings_dict["NAME"],
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "LODESTAR_TEST_MAIL_DIR": str(WORKER_MAIL_DIR),
    }
    hostname = f"test-worker-{os.getpid()}@%h"
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "tests.worker_app",
            "worker",
            "-Q",
            "default,pdf",
            "-P",
            "prefork",
            "-c",
            "1",
            "--without-gossip",
            "--without-mingle",
            "-n",
            hostname,
            "--loglevel",
            "WARNING",
        ],
        env=env,
        cwd=BASE_DIR,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            pytest.fail(f"the Celery worker exited with status {worker.returncode}")
        if app.control.ping(timeout=0.5):
            break
    else:
        worker.kill()
        pytest.fail("the Celery worker did not answer a ping within 30 s")
    app.control.purge()  # nothing left over from an earlier, interrupted run
    _running_worker.append(hostname)
    yield hostname
    _running_worker.clear()
    worker.terminate()
    try:
        worker.wait(timeout=15)
    except subprocess.TimeoutExpired:
        worker.kill()


QUEUES = ("default", "pdf")
# Where the session's worker writes the e-mail it sends (config/settings_test.py MAILERS).
WORKER_MAIL_DIR = BASE_DIR / ".data" / f"test-mail-{os.getpid()}"


@pytest.fixture
def worker_mail(celery_worker: str) -> Callable[[], list[email.message.Message]]:
    """The messages the real worker sent during the test: call it once the test's changes have
    committed (their mail is queued then); it waits for the worker to finish first."""
    shutil.rmtree(WORKER_MAIL_DIR, ignore_errors=True)
    WORKER_MAIL_DIR.mkdir(parents=True)

    def sent() -> list[email.message.Message]:
        _wait_until_worker_is_idle()
        messages = []
        for path in sorted(WORKER_MAIL_DIR.glob("*.log")):
            for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
                if chunk.strip():
                    messages.append(email.message_from_bytes(chunk, policy=email.policy.default))
        return messages

    return sent


_running_worker: list[str] = []  # the session worker's hostname, once it has been started


def _worker_is_idle() -> bool:
    from celery.utils.nodenames import host_format
    from kombu.exceptions import ChannelError

    from config.celery import app

    with app.connection_for_write() as connection:
        for name in QUEUES:
            try:
                declared = connection.default_channel.queue_declare(queue=name, passive=True)
            except ChannelError:  # Redis drops an empty queue's key: nothing is waiting there
                continue
            if declared.message_count:
                return False
    # One worker answers: limit=1 returns on its reply instead of waiting out the timeout.
    hostname = host_format(_running_worker[0])
    inspect = app.control.inspect(destination=[hostname], limit=1, timeout=2)
    for busy in (inspect.active(), inspect.reserved(), inspect.scheduled()):
        if busy is None or any(busy.values()):  # no answer: it may be busy, ask again
            return False
    return True


@pytest.fixture
def celery_worker(celery_worker_process: str) -> Iterator[str]:
    """The real worker, for one test. Afterwards it waits until the worker has finished what the
    test queued: the database is flushed after each test, and a worker still writing to it then
    would deadlock the flush (seen in CI) or leak rows into the next test."""
    yield celery_worker_process
    _wait_until_worker_is_idle()


def _wait_until_worker_is_idle() -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not _worker_is_idle():
        time.sleep(0.25)


@pytest.fixture(autouse=True)
def _quiet_worker_before_flush(request) -> Iterator[None]:
    """A browser test queues work (an assessment after a stakeholder move) for the session's worker
    even when it does not ask for the worker itself. Its database is flushed afterwards, so wait
    for the live server's last requests and the worker to finish first: a TRUNCATE racing their
    transactions deadlocked in CI."""
    transactional = {"live_server", "transactional_db"} & set(request.fixturenames)
    if transactional:
        request.getfixturevalue("transactional_db")  # set up first, so flushed after this waits
    yield
    if transactional:
        _wait_until_live_server_is_idle()
    if transactional and _running_worker:
        _wait_until_worker_is_idle()
    if transactional:
        _end_sessions_that_would_block_the_flush()


def _wait_until_live_server_is_idle() -> None:
    """The browser is closed by now, but a request it sent last (an autosave, a poll) may still
    be running in the live server's thread, holding row locks: the flush's TRUNCATE then
    deadlocked with it (seen in CI). Wait for those request threads to finish."""
    import threading

    def serving() -> bool:
        return any(
            getattr(getattr(thread, "_target", None), "__name__", "") == "process_request_thread"
            for thread in threading.enumerate()
        )

    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and serving():
        time.sleep(0.05)


def _end_sessions_that_would_block_the_flush() -> None:
    """The flush's TRUNCATE waits, without a time limit, for every lock another session holds
    on the test database. CI twice hung for over an hour at this point in a browser test. A
    session still in a transaction after the waits above gets five more seconds (a query that
    has just begun ends by itself); one that is still there then is named in a warning and
    ended, so the flush goes ahead and the log says what held it."""
    from django.db import connection

    holders: list[tuple] = []
    deadline = time.monotonic() + 5
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                """
                SELECT pid, application_name, state, wait_event_type,
                       date_trunc('second', clock_timestamp() - xact_start), left(query, 200)
                FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid()
                  AND xact_start IS NOT NULL
                """
            )
            holders = cursor.fetchall()
            if not holders or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        for pid, application, state, waiting_on, held_for, query in holders:
            warnings.warn(
                f"ended session {pid} ({application or 'unnamed'}, {state}, waiting on "
                f"{waiting_on or 'nothing'}, in a transaction for {held_for}) before the "
                f"flush: {query}",
                stacklevel=1,
            )
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Each test starts with an empty cache (the public pages keep a shared copy for visitors
    without a session): a page cached by one test never answers another's."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def organisation(db):
    from accounts.tests.factories import OrganisationFactory

    return OrganisationFactory(name="Ministry of Health and Care", slug="health")


@pytest.fixture
def other_organisation(db):
    from accounts.tests.factories import OrganisationFactory

    return OrganisationFactory(name="Ministry of Transport", slug="transport")


@pytest.fixture
def member(organisation) -> Callable:
    """member("editor") → a user with that role in `organisation`."""
    from accounts.tests.factories import MembershipFactory, UserFactory

    def make(role: str, org=None, **user_fields):
        user = UserFactory(email=f"{role}-{next(_people)}@example.gov", **user_fields)
        MembershipFactory(user=user, organisation=org or organisation, role=role)
        return user

    return make


@pytest.fixture
def outsider(other_organisation, member):
    """An administrator of another organisation: the most powerful stranger there is."""
    return member("admin", org=other_organisation)


@pytest.fixture(autouse=True)
def _force_login_passes_two_factor(monkeypatch) -> None:
    """`client.force_login(user)` skips the sign-in page, so it also skips the code page that
    leads and administrators (and anyone with an authenticator) must pass. Tests that use it mean
    "signed in", so the session is also marked verified with a real, confirmed authenticator
    (accounts/tests/two_factor.py). Two-factor itself stays on: tests of it sign in through the
    pages."""
    from django.test.client import ClientMixin

    original = ClientMixin.force_login

    def force_login(self, user, backend=None) -> None:
        from accounts.tests.two_factor import mark_verified

        original(self, user, backend)
        mark_verified(self, user)

    monkeypatch.setattr(ClientMixin, "force_login", force_login)


def pytest_configure(config) -> None:
    """A browser test's flush (TRUNCATE) can still meet a transaction that the worker or the
    live server started just before (PostgreSQL then cancels the flush as the deadlock's victim,
    seen in CI). The other transaction ends by itself, so the flush is simply tried again."""
    from django.db import OperationalError
    from django.test import TransactionTestCase

    flush = TransactionTestCase._fixture_teardown
    if getattr(flush, "retries_deadlock", False):
        return

    def flush_retrying(self) -> None:
        for attempt in range(4):
            try:
                return flush(self)
            except Exception as error:  # CommandError wrapping the deadlock
                cause = error.__cause__ or error
                if attempt == 3 or not isinstance(cause, OperationalError):
                    raise
                if "deadlock" not in str(cause):
                    raise
                time.sleep(0.5 * (attempt + 1))
        return None

    flush_retrying.retries_deadlock = True  # type: ignore[attr-defined]
    TransactionTestCase._fixture_teardown = flush_retrying  # type: ignore[method-assign]
