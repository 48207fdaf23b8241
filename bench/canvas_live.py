"""The live canvas against gunicorn: how soon a save shows on other people's boards, and whether
many open canvases leave the web server free for everything else.

Each person is an editor of demo-unit (bench/autosave_worker.py creates them), signed in through
the form, with a fresh mission of their own. A viewer polls the board as the page does
(static/js/canvas.mjs): GET .../canvas/live/ every second with the ETag it last got, so an
unchanged board is a 304.

- canvas_live: one editor saves the challenge box every 3 s (a new sentence each time) while
  10 viewers poll. For every save and viewer: the time from the save's answer to the first
  board that viewer gets with the new sentence. Figure: canvas_live_update_p95_ms (goal
  ≤ 1,000 ms; the polling interval alone accounts for up to a second of it, so this measures
  what the design promises, not only the server).
- canvas_open_connections: the p95 of another page (the organisation's mission list) alone,
  then again while 50 canvases poll. canvas_open_connections_ok is 1 when the p95 with the
  canvases open stays within the usual p95 (at most 1.5 times it, or 50 ms more, whichever is
  larger, for the noise of a shared machine).

Settings: BENCH_LIVE_SECONDS (20), BENCH_LIVE_VIEWERS (10), BENCH_OPEN_CANVASES (50).
"""

from __future__ import annotations

import http.client
import re
import threading
import time
from collections.abc import Iterator
from urllib.parse import urlencode

from bench import autosave
from bench.context import HOST, BenchError, Context, env_int, say
from bench.load import TIMEOUT_SECONDS, percentile

Figures = Iterator[tuple[str, float]]

POLL_SECONDS = 1.0  # the page's interval while in view (static/js/canvas.mjs)
SAVE_SECONDS = 3.0
SENTENCE = "Live check {n}. "


def _people(ctx: Context, count: int) -> tuple[str, list[autosave.Editor]]:
    setup = autosave._worker(ctx, "setup", str(count))
    base = f"/organisations/{setup['organisation']}/missions/{setup['mission']}/canvas/"
    people = [
        autosave.Editor(number=n, email=email, box="challenge", path=f"{base}challenge/")
        for n, email in enumerate(setup["emails"])
    ]
    say(f"signing in {count} people through the form …")
    for person in people:
        autosave.prepare(ctx, person, base)
    return base, people


class Viewer(threading.Thread):
    """One open canvas: polls the board with its ETag until `stop` is set; `seen` notes when
    each save's sentence first arrived."""

    def __init__(self, person: autosave.Editor, port: int, base: str, stop: threading.Event):
        super().__init__(daemon=True)
        self.person, self.port, self.base, self.stop = person, port, base, stop
        self.seen: dict[int, float] = {}
        self.failures: list[str] = []
        self.polls = 0

    def run(self) -> None:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=TIMEOUT_SECONDS)
        etag = ""
        try:
            while not self.stop.is_set():
                headers = {"Cookie": self.person.cookie}
                if etag:
                    headers["If-None-Match"] = etag
                conn.request("GET", f"{self.base}live/", headers=headers)
                answer = conn.getresponse()
                body = answer.read().decode()
                self.polls += 1
                if answer.status == 200:
                    etag = answer.getheader("ETag", "")
                    now = time.monotonic()
                    for number in re.findall(r"Live check (\d+)\.", body):
                        self.seen.setdefault(int(number), now)
                elif answer.status != 304:
                    self.failures.append(f"live answered {answer.status}")
                    return
                self.stop.wait(POLL_SECONDS)
        finally:
            conn.close()


def _save(person: autosave.Editor, port: int, base: str, text: str) -> None:
    origin = f"http://{HOST}:{port}"
    conn = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT_SECONDS)
    try:
        conn.request(
            "POST",
            person.path,
            body=urlencode(
                {"csrfmiddlewaretoken": person.token, "text": text, "version": person.version}
            ),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": person.cookie,
                "Origin": origin,
                "Referer": f"{origin}{base}",
                "X-CSRFToken": person.token,
                "HX-Request": "true",
            },
        )
        answer = conn.getresponse()
        body = answer.read().decode()
    finally:
        conn.close()
    version = autosave._version_in(body, person.box)
    if answer.status != 200 or version is None:
        raise BenchError(f"a save answered {answer.status}: {body[:120]!r}")
    person.version = version


def canvas_live(ctx: Context) -> Figures:
    """A save in one canvas to visible in 10 others: p95 (goal ≤ 1,000 ms)."""
    seconds = env_int("BENCH_LIVE_SECONDS", 20, minimum=5)
    count = env_int("BENCH_LIVE_VIEWERS", 10, minimum=1)
    base, people = _people(ctx, count + 1)
    writer, watchers = people[0], people[1:]
    stop = threading.Event()
    viewers = [Viewer(person, ctx.port, base, stop) for person in watchers]
    for viewer in viewers:
        viewer.start()
    time.sleep(POLL_SECONDS)  # every viewer has its first board and ETag
    say(f"one editor saving every {SAVE_SECONDS:.0f} s, {count} viewers polling, {seconds} s …")
    saved_at: dict[int, float] = {}
    text = ""
    deadline = time.monotonic() + seconds
    number = 0
    while time.monotonic() < deadline:
        number += 1
        text += SENTENCE.format(n=number)
        _save(writer, ctx.port, base, text.strip())
        saved_at[number] = time.monotonic()
        time.sleep(SAVE_SECONDS)
    time.sleep(POLL_SECONDS * 2)  # the last save reaches every viewer
    stop.set()
    for viewer in viewers:
        viewer.join()
    failures = [problem for viewer in viewers for problem in viewer.failures]
    if failures:
        raise BenchError(f"{len(failures)} viewers failed; first: {failures[0]}")
    delays = []
    for viewer in viewers:
        for saved, at in saved_at.items():
            if saved not in viewer.seen:
                raise BenchError(f"save {saved} never reached a viewer")
            delays.append(max(0.0, viewer.seen[saved] - at))
    delays.sort()
    yield "canvas_live_update_p95_ms", percentile(delays, 95) * 1000
    yield "canvas_live_updates", len(delays)


def _page_p95(port: int, path: str, cookie: str, seconds: float) -> float:
    conn = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT_SECONDS)
    times = []
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            start = time.monotonic()
            conn.request("GET", path, headers={"Cookie": cookie})
            answer = conn.getresponse()
            answer.read()
            if answer.status != 200:
                raise BenchError(f"GET {path} answered {answer.status}")
            times.append(time.monotonic() - start)
            time.sleep(0.05)
    finally:
        conn.close()
    return percentile(sorted(times), 95) * 1000


def canvas_open_connections(ctx: Context) -> Figures:
    """50 open canvases polling: another page's p95 stays as usual (1 = yes)."""
    seconds = env_int("BENCH_LIVE_SECONDS", 20, minimum=5)
    count = env_int("BENCH_OPEN_CANVASES", 50, minimum=1)
    base, people = _people(ctx, count + 1)
    reader, openers = people[0], people[1:]
    other_page = base.split("/missions/")[0] + "/missions/"
    say(f"the mission list alone for {seconds} s …")
    usual = _page_p95(ctx.port, other_page, reader.cookie, seconds)
    stop = threading.Event()
    viewers = [Viewer(person, ctx.port, base, stop) for person in openers]
    for number, viewer in enumerate(viewers):
        viewer.start()
        if number % 10 == 9:
            time.sleep(0.5)  # people arrive over a few seconds, not in one instant
    time.sleep(POLL_SECONDS * 3)  # everyone has arrived: measure the canvases open, not arriving
    say(f"the mission list with {count} canvases open, {seconds} s …")
    loaded = _page_p95(ctx.port, other_page, reader.cookie, seconds)
    stop.set()
    for viewer in viewers:
        viewer.join()
    failures = [problem for viewer in viewers for problem in viewer.failures]
    if failures:
        raise BenchError(f"{len(failures)} open canvases failed; first: {failures[0]}")
    polls = sum(viewer.polls for viewer in viewers)
    yield "canvas_open_connections_usual_p95_ms", usual
    yield "canvas_open_connections_p95_ms", loaded
    yield "canvas_open_connections_polls", polls
    yield "canvas_open_connections_ok", int(loaded <= max(usual * 1.5, usual + 50))
