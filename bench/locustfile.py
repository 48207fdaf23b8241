"""The users of the `load` benchmark, for locust (run by bench/loadtest.py in a process of its
own: locust patches the standard library for gevent, which the bench process must not be).

    locust -f bench/locustfile.py --headless -u 50 -r 10 -t 120s --host http://127.0.0.1:PORT

with LOAD_PLAN (the users' sessions and boxes), LOAD_SAVE_LOG and LOAD_RESULT in the
environment, as bench/loadtest.py sets them: run that (`make bench BENCH=load`), not this.

Each simulated user is an editor of the load organisation, already signed in through the real
form by the harness (its session comes in the plan), and does what editors do, weighted:

- read pages (most often): the canvas, the mission overview, the criteria page, the
  stakeholder map, the indicators, the mission list, the documents list, home (not the
  portfolio dashboard: it is for leads);
- autosave: a burst of typing in one of its own canvas boxes, three autosaves 1.5 s (±50 %)
  apart, each with a text never sent before, posted as the page's htmx does (form fields,
  X-CSRFToken, HX-Request). 200 carries the new version for the next save; 409 is the
  conflict panel, and the user keeps its text with the newer version the panel shows
  (resolution=mine), as a person pressing "Keep my text" does: counted as a conflict, not an
  error. One burst in ten starts from an older tab of the same person, so conflicts happen.
  No two users share a box, so the harness can check afterwards that every box holds
  exactly its last acknowledged save;
- ask for an assessment of one of its missions and poll the status region every 2 s, as the
  page does, until the run has finished (htmx's 286);
- export a canvas PDF, poll the document's status every 2 s until it is ready, download it.

Every save is written to LOAD_SAVE_LOG (JSON lines) before it is sent ("attempt") and once it
is answered with success ("ack"); the summary (requests, errors, p95, counts) goes to
LOAD_RESULT when locust quits. Any answer other than the expected one is a failure in locust's
statistics and an error in the summary, with the first few described.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import random
import re
import time

from locust import HttpUser, between, events, task

PLAN = json.loads(open(os.environ["LOAD_PLAN"], encoding="utf-8").read())  # noqa: SIM115
SAVE_LOG = open(os.environ["LOAD_SAVE_LOG"], "a", encoding="utf-8")  # noqa: SIM115
RESULT = os.environ["LOAD_RESULT"]
ORG = PLAN["organisation"]
POLL_SECONDS = 2  # the pages' hx-trigger="every 2s"
POLL_LIMIT_SECONDS = int(os.environ.get("LOAD_POLL_LIMIT", "150"))
AUTOSAVE_PAUSE_SECONDS = 1.5  # the canvas's hx-trigger delay
SAVES_PER_BURST = 3
MAX_CONFLICT_RETRIES = 10
STALE_TAB_SHARE = 0.1
LIMITS = {"mission_statement": 300}
TEXT_LIMIT = 3000
SIGNED_IN = 'action="/sign-out/"'

_numbers = itertools.count()
_sequence = itertools.count()  # orders every save of the run, for the harness's check
latencies_ms: list[float] = []
answered_at: list[float] = []  # when each request of latencies_ms was answered (monotonic s)
counts = {"conflicts": 0, "pdfs_completed": 0, "assessments_completed": 0, "errors": 0}
error_samples: list[str] = []


def note_error(description: str) -> None:
    if len(error_samples) < 20:
        error_samples.append(description)


@events.request.add_listener
def on_request(name, response_time, exception, response=None, **kwargs) -> None:
    latencies_ms.append(response_time)
    answered_at.append(time.monotonic())
    if exception is not None:
        counts["errors"] += 1
        status = getattr(response, "status_code", None)
        note_error(f"{name}: {status} {exception}"[:300])


@events.user_error.add_listener
def on_user_error(user_instance, exception, tb, **kwargs) -> None:
    """A task that raised (a page without what it should have, say): an error too."""
    counts["errors"] += 1
    note_error(f"{type(exception).__name__} in a task: {exception}"[:300])


def p95_by_period(seconds: int = 20) -> list[dict[str, float]]:
    """p95 and count per period of the run, to tell a slow start (50 users arriving within five
    seconds, each opening its canvases) from a slow steady state."""
    if not answered_at:
        return []
    start = answered_at[0]
    periods: dict[int, list[float]] = {}
    for at, latency in zip(answered_at, latencies_ms, strict=True):
        periods.setdefault(int((at - start) // seconds), []).append(latency)
    return [
        {
            "from_s": index * seconds,
            "requests": len(values),
            "p95_ms": sorted(values)[max(1, math.ceil(0.95 * len(values))) - 1],
        }
        for index, values in sorted(periods.items())
    ]


@events.quitting.add_listener
def write_result(environment, **kwargs) -> None:
    ordered = sorted(latencies_ms)
    rank = max(1, math.ceil(0.95 * len(ordered)))
    summary = {
        "requests": len(ordered),
        "p95_ms": ordered[rank - 1] if ordered else 0.0,
        "p50_ms": ordered[max(1, math.ceil(0.5 * len(ordered))) - 1] if ordered else 0.0,
        **counts,
        "error_samples": error_samples,
        "by_period": p95_by_period(),
        "per_name": {
            name: {
                "requests": entry.num_requests,
                "failures": entry.num_failures,
                "p50_ms": entry.get_response_time_percentile(0.5) or 0,
                "p95_ms": entry.get_response_time_percentile(0.95) or 0,
            }
            for (name, _method), entry in environment.stats.entries.items()
        },
    }
    SAVE_LOG.flush()
    with open(RESULT, "w", encoding="utf-8") as handle:
        json.dump(summary, handle)


def value_of(html: str, element_id: str) -> int | None:
    """The value of the hidden version input with this id (the page's, or swapped out of band)."""
    for tag in re.findall(r"<input\b[^>]*>", html):
        if f'id="{element_id}"' in tag:
            value = re.search(r'\bvalue="(\d+)"', tag)
            return int(value.group(1)) if value else None
    return None


def conflict_version(html: str) -> int | None:
    """The newer version the conflict panel's "Keep my text" form carries."""
    for tag in re.findall(r"<input\b[^>]*>", html):
        if 'name="version"' in tag:
            value = re.search(r'\bvalue="(\d+)"', tag)
            return int(value.group(1)) if value else None
    return None


def form_token(html: str) -> str:
    for tag in re.findall(r"<input\b[^>]*>", html):
        if 'name="csrfmiddlewaretoken"' in tag:
            value = re.search(r'\bvalue="([^"]*)"', tag)
            return value.group(1) if value else ""
    return ""


class Box:
    """One canvas box this user alone writes in, and the version its page now holds."""

    def __init__(self, user: int, mission: str, key: str) -> None:
        self.user, self.mission, self.key = user, mission, key
        self.version: int | None = None
        self.text = ""
        self.saves = 0

    @property
    def path(self) -> str:
        return f"/organisations/{ORG}/missions/{self.mission}/canvas/{self.key}/"

    def next_text(self) -> str:
        """The draft grows by a sentence per autosave, like typing, and starts again before
        the box's limit; the run-wide sequence number makes every text unique."""
        self.saves += 1
        sentence = (
            f"Editor {self.user} writes sentence {self.saves} (save {next(_sequence)}) about "
            "who benefits and by when."
        )
        if len(self.text) + len(sentence) + 1 > LIMITS.get(self.key, TEXT_LIMIT):
            self.text = ""
        self.text = f"{self.text} {sentence}".strip()
        return self.text


class Editor(HttpUser):
    # Between two tasks a person reads what is on the screen: 2–8 s. (A task is itself one
    # page or a burst of saves or a poll to the end; autosaves within a burst keep the page's
    # 1.5 s.) Shorter think times make 50 users a stress test rather than 50 people at work.
    wait_time = between(2, 8)

    def on_start(self) -> None:
        self.number = next(_numbers)
        me = PLAN["users"][self.number % len(PLAN["users"])]
        self.client.cookies.set("sessionid", me["session"])
        self.boxes = [Box(self.number, mission, key) for mission, key in me["boxes"]]
        self.own_missions = sorted({box.mission for box in self.boxes})
        self.token = ""
        for mission in self.own_missions:
            self.open_canvas(mission)

    # --- helpers ----------------------------------------------------------------------------

    def htmx_headers(self, page: str) -> dict[str, str]:
        return {
            "HX-Request": "true",
            "HX-Current-URL": f"{self.host}{page}",
            "X-CSRFToken": self.token,
            "Referer": f"{self.host}{page}",
            "Origin": self.host,
        }

    def get_page(self, path: str, name: str) -> str | None:
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"GET {path} answered {r.status_code}")
                return None
            if SIGNED_IN not in r.text or "</html>" not in r.text:
                r.failure(f"GET {path}: not a whole page for a signed-in user")
                return None
            return r.text

    def open_canvas(self, mission: str) -> None:
        """The canvas page, as the browser has it: the CSRF token and each own box's version."""
        html = self.get_page(f"/organisations/{ORG}/missions/{mission}/canvas/", "canvas page")
        if html is None:
            return
        self.token = form_token(html) or self.token
        for box in self.boxes:
            if box.mission == mission:
                box.version = value_of(html, f"box-{box.key}-version")

    def log_save(self, kind: str, box: Box, text: str, seq: int, version: int | None) -> None:
        entry = {"kind": kind, "mission": box.mission, "box": box.key, "text": text, "seq": seq}
        if version is not None:
            entry["version"] = version
        SAVE_LOG.write(json.dumps(entry) + "\n")
        SAVE_LOG.flush()

    def save(self, box: Box, *, stale: bool = False) -> bool:
        """One autosave, and the conflict panel's "Keep my text" after a 409. `stale`: sent
        from an older tab of the same person, which still shows the version before its last
        save (the server must answer 409, and keeping one's text must then be saved)."""
        if box.version is None or not self.token:
            self.open_canvas(box.mission)
            if box.version is None:
                return False
        text = box.next_text()
        seq = next(_sequence)
        page = f"/organisations/{ORG}/missions/{box.mission}/canvas/"
        version = box.version - 1 if stale and box.version > 0 else box.version
        fields = {"csrfmiddlewaretoken": self.token, "version": str(version), "text": text}
        headers = self.htmx_headers(page) | {"HX-Target": f"box-{box.key}-status"}
        name = "autosave"
        for _attempt in range(MAX_CONFLICT_RETRIES + 1):
            self.log_save("attempt", box, text, seq, None)
            with self.client.post(
                box.path,
                data=fields,
                headers=headers,
                name=name,
                allow_redirects=False,
                catch_response=True,
            ) as r:
                if r.status_code == 409:
                    newer = conflict_version(r.text)
                    if newer is None:
                        r.failure("409 without a version in the conflict panel")
                        return False
                    r.success()  # the conflict panel: an answer the page expects
                    counts["conflicts"] += 1
                    fields = {**fields, "version": str(newer), "resolution": "mine"}
                    headers = headers | {"HX-Target": f"box-{box.key}-editor"}
                    name = "autosave (keep mine after conflict)"
                    continue
                if r.status_code != 200:
                    r.failure(f"autosave answered {r.status_code}: {r.text[:120]!r}")
                    box.version = None  # re-read the page before the next save
                    return False
                version = value_of(r.text, f"box-{box.key}-version")
                if version is None:
                    r.failure("a 200 without the box's new version")
                    box.version = None
                    return False
                box.version = version
                self.log_save("ack", box, text, seq, version)
                return True
        note_error(f"autosave of {box.path}: still conflicting after {MAX_CONFLICT_RETRIES}")
        counts["errors"] += 1
        box.version = None
        return False

    def poll(self, path: str, name: str, finished, failed, page: str) -> str | None:
        """GET `path` as htmx every 2 s until `finished(response)`; None after a failure."""
        started = time.monotonic()
        while time.monotonic() - started < POLL_LIMIT_SECONDS:
            time.sleep(POLL_SECONDS)
            with self.client.get(
                path,
                name=name,
                headers=self.htmx_headers(page),
                allow_redirects=False,
                catch_response=True,
            ) as r:
                if r.status_code not in (200, 286):
                    r.failure(f"GET {path} answered {r.status_code}")
                    return None
                if failed(r):
                    r.failure(f"{path} reports a failure: {r.text[:200]!r}")
                    return None
                r.success()
                if finished(r):
                    return r.text
        note_error(f"{name}: not finished after {POLL_LIMIT_SECONDS} s")
        counts["errors"] += 1
        return None

    # --- what editors do --------------------------------------------------------------------

    @task(12)
    def read(self) -> None:
        mission = random.choice(PLAN["missions"])
        base = f"/organisations/{ORG}"
        path, name = random.choice(
            [
                (f"{base}/missions/{mission}/canvas/", "canvas page"),
                (f"{base}/missions/{mission}/canvas/", "canvas page"),
                (f"{base}/missions/{mission}/canvas/", "canvas page"),
                (f"{base}/missions/{mission}/", "mission overview"),
                (f"{base}/missions/{mission}/", "mission overview"),
                (f"{base}/missions/{mission}/criteria/", "criteria page"),
                (f"{base}/missions/", "mission list"),
                (f"{base}/missions/{mission}/stakeholders/", "stakeholder map"),
                (f"{base}/missions/{mission}/indicators/", "indicators page"),
                (f"{base}/documents/", "documents list"),
                ("/", "home"),
            ]
        )
        self.get_page(path, name)

    @task(6)
    def autosave(self) -> None:
        box = random.choice(self.boxes)
        # One burst in ten starts in a second, older tab: the conflict panel, then "Keep my
        # text". The box still has one writer, so the check afterwards stays exact.
        stale = random.random() < STALE_TAB_SHARE
        for n in range(SAVES_PER_BURST):
            if not self.save(box, stale=stale and n == 0):
                return
            if n + 1 < SAVES_PER_BURST:
                time.sleep(AUTOSAVE_PAUSE_SECONDS * random.uniform(0.5, 1.5))

    @task(1)
    def assess(self) -> None:
        mission = random.choice(self.own_missions)
        page = f"/organisations/{ORG}/missions/{mission}/criteria/"
        html = self.get_page(page, "criteria page")
        if html is None:
            return
        self.token = form_token(html) or self.token
        with self.client.post(
            f"{page}assess/",
            data={"csrfmiddlewaretoken": self.token},
            headers=self.htmx_headers(page) | {"HX-Target": "assessment-status"},
            name="assess",
            allow_redirects=False,
            catch_response=True,
        ) as r:
            if r.status_code != 200 or 'id="assessment-status"' not in r.text:
                r.failure(f"assess answered {r.status_code}: {r.text[:120]!r}")
                return
        done = self.poll(
            f"{page}status/",
            "assessment status",
            finished=lambda r: r.status_code == 286,
            failed=lambda r: "did not finish" in r.text,
            page=page,
        )
        if done is not None:
            counts["assessments_completed"] += 1

    @task(1)
    def export_pdf(self) -> None:
        mission = random.choice(self.own_missions)
        page = f"/organisations/{ORG}/missions/{mission}/"
        html = self.get_page(page, "mission overview")
        if html is None:
            return
        self.token = form_token(html) or self.token
        with self.client.post(
            f"/organisations/{ORG}/documents/canvas/{mission}/",
            data={"csrfmiddlewaretoken": self.token},
            headers=self.htmx_headers(page),
            name="export canvas pdf",
            allow_redirects=False,
            catch_response=True,
        ) as r:
            found = re.search(rf"/organisations/{ORG}/documents/(\d+)/", r.text)
            if r.status_code != 200 or found is None:
                r.failure(f"export answered {r.status_code}: {r.text[:120]!r}")
                return
            document = found.group(1)
            status = r.text
        detail = f"/organisations/{ORG}/documents/{document}/"
        if "govuk-tag--green" not in status:
            status = self.poll(
                detail,
                "document status",
                finished=lambda r: "govuk-tag--green" in r.text,
                failed=lambda r: "govuk-tag--red" in r.text,
                page=page,
            )
            if status is None:
                return
        with self.client.get(
            f"{detail}download/", name="download pdf", allow_redirects=False, catch_response=True
        ) as r:
            if r.status_code != 200 or not r.content.startswith(b"%PDF"):
                r.failure(f"download answered {r.status_code} {r.headers.get('Content-Type')}")
                return
        counts["pdfs_completed"] += 1
