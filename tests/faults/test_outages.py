"""Redis and PostgreSQL go away and come back while an editor keeps typing into the canvas, on a
real stack of its own (see stack.py): /healthz says what is down and recovers by itself, web and
worker carry on without a restart, every save that was answered "saved" is stored exactly once,
and background work (the assessment, a PDF) completes exactly once after recovery.

Worker crashes mid-task are covered next to their code: evaluation/tests/test_worker_crash.py
(SIGKILL mid-assessment), documents/tests/test_pack.py and tests/e2e/test_documents.py
(SIGKILL mid-PDF).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

from tests.faults.stack import RESEND_AFTER, Stack, wait_for

pytestmark = pytest.mark.faults


@dataclass
class Attempt:
    text: str
    status: int  # 0: no HTTP answer at all
    at: float


@dataclass
class Autosaver:
    """Saves the same canvas box every 50 ms with new text, as the page's autosave does, and
    records every answer. After an answer it cannot trust (an outage) it re-reads the box's
    version, as the page does when it reloads after an error."""

    stack: Stack
    prefix: str = field(default_factory=lambda: f"Autosave {time.time_ns()}")
    attempts: list[Attempt] = field(default_factory=list)
    version: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    _unsure: bool = False

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        assert self._thread is not None
        self._thread.join(timeout=30)

    def _run(self) -> None:
        n = len(self.attempts)
        while not self._stop.is_set():
            n += 1
            text = f"{self.prefix} number {n}"
            if self._unsure:
                self._reload_version()
            try:
                status, _headers, _body = self.stack.request(
                    "POST",
                    self.stack.canvas_url,
                    {"text": text, "version": str(self.version), "resolution": ""},
                    htmx=True,
                )
            except OSError:
                status = 0
            self.attempts.append(Attempt(text, status, time.monotonic()))
            if status == 200:
                self.version += 1
            else:
                self._unsure = True
            time.sleep(0.05)

    def _reload_version(self) -> None:
        try:
            rows = self.stack.pg.query(
                "SELECT version FROM canvas_canvasbox WHERE mission_id = %s AND box_key = %s",
                (self.stack.fixture["mission_id"], self.stack.fixture["box"]),
            )
        except Exception:
            return  # the database is still down: try the save with what we have
        self.version = rows[0][0] if rows else 0
        self._unsure = False

    def saved(self) -> list[str]:
        return [a.text for a in self.attempts if a.status == 200]

    def between(self, start: float, end: float) -> list[Attempt]:
        return [a for a in self.attempts if start <= a.at <= end]


def stored_revisions(stack: Stack) -> list[str]:
    return [
        text
        for (text,) in stack.pg.query(
            "SELECT text FROM canvas_canvasboxrevision WHERE mission_id = %s AND box_key = %s"
            " ORDER BY version",
            (stack.fixture["mission_id"], stack.fixture["box"]),
        )
    ]


def assert_every_answered_save_is_stored_once(stack: Stack, saver: Autosaver) -> None:
    revisions = stored_revisions(stack)  # this test's and those of the tests before it
    attempted = {a.text for a in saver.attempts}
    for text in saver.saved():
        assert revisions.count(text) == 1, f"{text!r} answered 200, stored {revisions.count(text)}×"
    # Nothing was stored twice, nor anything this test never sent.
    assert len(revisions) == len(set(revisions))
    assert {r for r in revisions if r.startswith(saver.prefix)} <= attempted
    box = stack.pg.query(
        "SELECT text, version FROM canvas_canvasbox WHERE mission_id = %s AND box_key = %s",
        (stack.fixture["mission_id"], stack.fixture["box"]),
    )[0]
    assert box == (revisions[-1], len(revisions))


def assert_pdf_done_once(stack: Stack, document_id: int) -> None:
    document = wait_for(
        lambda: (d := stack.document(document_id))["status"] in ("done", "failed") and d,
        60,
        "the PDF rendering",
    )
    assert document["status"] == "done", document
    path = Path(settings.MEDIA_ROOT) / document["file"]
    assert path.read_bytes().startswith(b"%PDF")
    # One row for these inputs: asking again or retrying never made a second document.
    rows = stack.pg.query(
        "SELECT count(*) FROM documents_generateddocument WHERE input_hash ="
        " (SELECT input_hash FROM documents_generateddocument WHERE id = %s)",
        (document_id,),
    )
    assert rows == [(1,)]


def test_redis_restart_degrades_health_keeps_saves_and_background_work_completes_once(
    stack: Stack,
):
    # The stack starts healthy. Right after the previous outage test its worker may still be
    # finishing that test's PDF and miss /healthz's one-second ping on a busy machine (seen in CI).
    wait_for(lambda: stack.health()[0] == 200, 60, "a healthy stack before the outage")
    saver = Autosaver(stack)
    saver.start()
    try:
        wait_for(lambda: len(saver.saved()) >= 5, 20, "saves before the outage")

        stack.redis.stop()
        went_down = time.monotonic()
        _status, body = wait_for(
            lambda: (h := stack.health())[0] == 503 and h, 20, "/healthz reporting degraded"
        )
        assert body["status"] == "degraded"
        assert body["down"] == ["redis", "celery"]
        assert body["checks"]["database"] == {"ok": True}
        # A PDF asked for while the broker is down says so, and can be retried later.
        pdf_id = stack.request_canvas_pdf()
        failed = stack.document(pdf_id)
        assert failed["status"] == "failed"
        assert "could not be queued" in failed["error"]
        wait_for(lambda: len(saver.between(went_down, time.monotonic())) >= 10, 30, "saves")

        stack.redis.start()
        came_back = time.monotonic()
        wait_for(lambda: stack.health()[0] == 200, 60, "/healthz recovering without a restart")
        recovered = time.monotonic()
        # The editor keeps typing: the change after RESEND_AFTER sends the assessment whose
        # message the restart lost (the run it joins is still queued).
        time.sleep(RESEND_AFTER + 1)
        wait_for(lambda: len(saver.between(recovered, time.monotonic())) >= 5, 20, "saves")
    finally:
        saver.stop()

    # Saves never needed Redis: every one during the outage was answered "saved".
    during = saver.between(went_down, came_back)
    assert during and all(a.status == 200 for a in during), [a.status for a in during]
    assert all(a.status == 200 for a in saver.attempts)
    assert_every_answered_save_is_stored_once(stack, saver)

    # The assessment asked for by the last saves completes, once per input, and nothing is
    # left waiting (a run whose message never reached the broker was not left queued).
    wait_for(stack.assessment_settled, 60, "the assessment completing after recovery")
    assert all(count == 1 for count in stack.done_runs_by_input().values())

    # The PDF that could not be queued is retried and made exactly once.
    stack.retry_document(pdf_id)
    assert_pdf_done_once(stack, pdf_id)
    assert stack.web.poll() is None and stack.worker.poll() is None  # never restarted


def test_postgres_restart_under_traffic_fails_cleanly_and_loses_no_answered_save(stack: Stack):
    # The stack starts healthy. Right after the previous outage test its worker may still be
    # finishing that test's PDF and miss /healthz's one-second ping on a busy machine (seen in CI).
    wait_for(lambda: stack.health()[0] == 200, 60, "a healthy stack before the outage")
    saver = Autosaver(stack)
    saver.start()
    try:
        wait_for(lambda: len(saver.saved()) >= 5, 20, "saves before the outage")

        stack.pg.crash()
        went_down = time.monotonic()
        status, body = wait_for(
            lambda: "database" in (h := stack.health())[1].get("down", []) and h,
            20,
            "/healthz naming the database",
        )
        assert status == 503 and body["status"] == "degraded"
        assert body["checks"]["redis"] == {"ok": True}
        # Also from a signed-in browser, whose session cannot be read now.
        browser_status, browser_body = stack.health(signed_in=True)
        assert browser_status == 503 and "database" in browser_body["down"]
        wait_for(
            lambda: any(a.status >= 500 for a in saver.between(went_down, time.monotonic())),
            20,
            "a save failing during the outage",
        )

        stack.pg.start()
        came_back = time.monotonic()
        wait_for(lambda: stack.health()[0] == 200, 60, "/healthz recovering without a restart")
        recovered = time.monotonic()
        wait_for(lambda: len(saver.between(recovered, time.monotonic())) >= 5, 20, "saves")
    finally:
        saver.stop()

    # During the outage a save failed with a server error (never a false "saved", never a
    # hang), and afterwards saves succeed again on the same web processes.
    during = saver.between(went_down, came_back)
    assert {a.status for a in during} <= {200, 500, 503}, [a.status for a in during]
    assert all(a.status == 200 for a in saver.between(recovered + 1, time.monotonic()))
    assert_every_answered_save_is_stored_once(stack, saver)

    # The worker reconnects on its own: the assessment completes, and a new PDF is made once.
    wait_for(stack.assessment_settled, 60, "the assessment completing after recovery")
    assert all(count == 1 for count in stack.done_runs_by_input().values())
    assert_pdf_done_once(stack, stack.request_canvas_pdf())
    assert stack.web.poll() is None and stack.worker.poll() is None  # never restarted
