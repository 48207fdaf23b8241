"""20 editors autosaving the canvas at once, against gunicorn and PostgreSQL on loopback, and a
count in the database afterwards of the saves that were acknowledged but are not in the history.

Each editor is a user of its own in demo-unit (created by bench/autosave_worker.py), signed in
through the real form, with its own session and CSRF token taken from the canvas page as the
browser has them. Editors share a fresh mission: twelve boxes for twenty editors, so eight boxes
have two editors writing in them at once. Each editor autosaves the way the page does:

- POST to the box's URL with the form's fields (csrfmiddlewaretoken, version, text), the
  X-CSRFToken header from the page's hx-headers and htmx's HX-Request header;
- the text grows by a sentence per save, as when typing (and starts again before the box's
  limit), so every save's text is unique;
- after each answer the editor pauses (BENCH_AUTOSAVE_PAUSE_MS, default 1500, the page's
  `delay:1500ms`, ±50 %), then saves again;
- 200 carries the new version (swapped out of band in the page), used for the next save;
- 409 is the conflict panel: like a user pressing "Keep my text", the editor posts its text
  again with the newer version the panel carries (resolution=mine), until it is saved.

Figures: autosave_p95_ms over every autosave request (conflicts and their re-saves included),
autosave_requests, autosave_conflicts, and autosave_lost: saves answered 200 whose
(box, version, text) is not a revision in the database afterwards. It must be 0.

Settings: BENCH_AUTOSAVE_SECONDS (30), BENCH_AUTOSAVE_EDITORS (20), BENCH_AUTOSAVE_PAUSE_MS (1500).
"""

from __future__ import annotations

import http.client
import json
import random
import re
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import urlencode

from bench import httpclient
from bench.context import HOST, BenchError, Context, env_int, say, sign_in
from bench.load import TIMEOUT_SECONDS, percentile

Figures = Iterator[tuple[str, float]]

# Fixed and public on purpose, like the bench SECRET_KEY: these users exist only in the
# bench database.
PASSWORD = "bench-autosave-editor-password-2026"  # noqa: S105
# The twelve boxes in canvas order; the mission statement is the mission's own field, with a
# limit of its own (300 characters), the others 3,000.
BOXES = [
    "challenge",
    "mission_statement",
    "targets",
    "rationale",
    "system_baseline",
    "stakeholders",
    "governance",
    "sectors_disciplines",
    "portfolio",
    "instruments_resources",
    "risks_rewards",
    "learning",
]
LIMITS = {"mission_statement": 300}
TEXT_LIMIT = 3000
SENTENCE = "Editor {editor} adds sentence {n} about who benefits and by when. "
MAX_RETRIES = 20


def _worker(ctx: Context, *args: str) -> dict:
    return ctx.run_json("bench.autosave_worker", *args, env={"BENCH_AUTOSAVE_PASSWORD": PASSWORD})


@dataclass
class Editor:
    """One browser: its session, CSRF token, the box it writes in and that box's version."""

    number: int
    email: str
    box: str
    path: str
    cookie: str = ""
    token: str = ""
    version: int = 0
    sentences: int = 0
    text: str = ""
    latencies: list[float] = field(default_factory=list)
    acknowledged: list[dict] = field(default_factory=list)
    conflicts: int = 0
    failures: list[str] = field(default_factory=list)

    def next_text(self) -> str:
        self.sentences += 1
        sentence = SENTENCE.format(editor=self.number, n=self.sentences)
        limit = LIMITS.get(self.box, TEXT_LIMIT)
        if len(self.text) + len(sentence) > limit:
            self.text = ""  # as if the editor cut the draft back and started again
        self.text += sentence
        return self.text.strip()


def _version_in(body: str, box: str) -> int | None:
    """The version the page would now hold for `box`: the hidden input with the box's id."""
    for tag in re.findall(r"<input\b[^>]*>", body):
        if f'id="box-{box}-version"' in tag:
            value = re.search(r'\bvalue="(\d+)"', tag)
            return int(value.group(1)) if value else None
    return None


def _conflict_version(body: str) -> int | None:
    """The newer version the conflict panel's "Keep my text" form carries."""
    for tag in re.findall(r"<input\b[^>]*>", body):
        if 'name="version"' in tag:
            value = re.search(r'\bvalue="(\d+)"', tag)
            return int(value.group(1)) if value else None
    return None


def prepare(ctx: Context, editor: Editor, canvas_path: str) -> None:
    """Sign in through the form, then open the canvas page as the browser does: the CSRF
    cookie and token and the box's version come from there."""
    editor.cookie = f"sessionid={sign_in(ctx.port, editor.email, PASSWORD)}"
    page = httpclient.request(ctx.port, "GET", canvas_path, headers={"Cookie": editor.cookie})
    if page.status != 200:
        raise BenchError(f"GET {canvas_path} as {editor.email} answered {page.status}")
    csrf = page.cookies.get("csrftoken")
    token = httpclient.form_value(page.text, "csrfmiddlewaretoken")
    version = _version_in(page.text, editor.box)
    if not csrf or not token or version is None:
        raise BenchError(
            f"the canvas page for {editor.email} lacks a CSRF cookie, a token or the "
            f"{editor.box} box's version (is {editor.email} an editor?)"
        )
    editor.cookie += f"; csrftoken={csrf}"
    editor.token = unescape(token)
    editor.version = version


def run_editor(
    editor: Editor, port: int, canvas_path: str, deadline: float, pause_s: float
) -> None:
    conn = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT_SECONDS)
    rng = random.Random(editor.number)
    origin = f"http://{HOST}:{port}"
    current_url = f"{origin}{canvas_path}"

    def post(fields: dict[str, str], target: str) -> tuple[int, str]:
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": editor.cookie,
            "Origin": origin,
            "Referer": current_url,
            "X-CSRFToken": editor.token,
            "HX-Request": "true",
            "HX-Current-URL": current_url,
            "HX-Target": target,
        }
        body = urlencode(fields)
        started = time.perf_counter()
        try:
            conn.request("POST", editor.path, body=body, headers=headers)
            answer = conn.getresponse()
            text = answer.read().decode("utf-8", errors="replace")
        except (OSError, http.client.HTTPException) as exc:
            conn.close()
            editor.failures.append(f"socket error: {exc}")
            return 0, ""
        editor.latencies.append(time.perf_counter() - started)
        return answer.status, text

    try:
        while time.monotonic() < deadline:
            text = editor.next_text()
            fields = {"csrfmiddlewaretoken": editor.token, "version": str(editor.version)}
            fields["text"] = text
            status, body = post(fields, f"box-{editor.box}-status")
            retries = 0
            while status == 409 and retries < MAX_RETRIES:
                # The conflict panel: keep my text, based on the newer version it shows.
                editor.conflicts += 1
                retries += 1
                newer = _conflict_version(body)
                if newer is None:
                    editor.failures.append("a conflict panel without a version")
                    return
                fields = {
                    "csrfmiddlewaretoken": editor.token,
                    "text": text,
                    "version": str(newer),
                    "resolution": "mine",
                }
                status, body = post(fields, f"box-{editor.box}-editor")
            if status != 200:
                if status:
                    editor.failures.append(f"answered {status}: {body[:120]!r}")
                return
            version = _version_in(body, editor.box)
            if version is None:
                editor.failures.append(f"a 200 without the box's version: {body[:120]!r}")
                return
            editor.version = version
            editor.acknowledged.append({"box": editor.box, "version": version, "text": text})
            time.sleep(pause_s * rng.uniform(0.5, 1.5))
    finally:
        conn.close()


def autosave(ctx: Context) -> Figures:
    """20 editors autosaving canvas boxes (some sharing a box) for 30 s; saves lost must be 0."""
    seconds = env_int("BENCH_AUTOSAVE_SECONDS", 30, minimum=1)
    count = env_int("BENCH_AUTOSAVE_EDITORS", 20, minimum=1)
    pause_s = env_int("BENCH_AUTOSAVE_PAUSE_MS", 1500) / 1000
    say(f"creating {count} editors in demo-unit and a fresh mission …")
    setup = _worker(ctx, "setup", str(count))
    base = f"/organisations/{setup['organisation']}/missions/{setup['mission']}/canvas/"
    editors = [
        Editor(
            number=n, email=email, box=BOXES[n % len(BOXES)], path=f"{base}{BOXES[n % len(BOXES)]}/"
        )
        for n, email in enumerate(setup["emails"])
    ]
    say(f"signing in {count} editors through the form …")
    for editor in editors:
        prepare(ctx, editor, base)

    say(
        f"{count} editors autosaving for {seconds} s "
        f"(pause {pause_s * 1000:.0f} ms ±50 %, {len({e.box for e in editors})} boxes) …"
    )
    deadline = time.monotonic() + seconds
    threads = [
        threading.Thread(target=run_editor, args=(editor, ctx.port, base, deadline, pause_s))
        for editor in editors
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    failures = [f"{e.email}: {problem}" for e in editors for problem in e.failures]
    if failures:
        raise BenchError(f"{len(failures)} autosaves failed; first: {failures[0]}")
    latencies = sorted(value for editor in editors for value in editor.latencies)
    if not latencies:
        raise BenchError("no autosave completed")
    acknowledged = [save for editor in editors for save in editor.acknowledged]

    say(f"checking {len(acknowledged)} acknowledged saves against the revision history …")
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as handle:
        json.dump(
            {
                "organisation": setup["organisation"],
                "mission": setup["mission"],
                "acknowledged": acknowledged,
            },
            handle,
        )
        handle.flush()
        checked = _worker(ctx, "verify", handle.name)
    if checked["lost"]:
        say(f"LOST: {checked['lost']} acknowledged saves, first {checked['first_lost']}")

    yield "autosave_p95_ms", percentile(latencies, 95) * 1000
    yield "autosave_requests", len(latencies)
    yield "autosave_conflicts", sum(editor.conflicts for editor in editors)
    yield "autosave_lost", checked["lost"]
