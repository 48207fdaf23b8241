"""The `load` benchmark: 50 editors using Lodestar at once for 2 minutes, as deployed, on
loopback; then a check in the database that no acknowledged save was lost.

What runs, each in a process group of its own and stopped in `finally`:

- gunicorn as the Dockerfile runs it: sync workers (WEB_CONCURRENCY=3 there, LOAD_WEB_WORKERS
  here), recycled every ~1,000 requests. Sync workers because slow work (PDFs, assessments)
  is in Celery, so a request is short and CPU-bound; threads would not add CPU on two cores,
  only contention for the GIL and more database connections. 50 users with think time keep
  far fewer than 50 requests in flight, and the rest wait in the listen backlog, as they
  would in production;
- the Celery workers of docker-compose.yml: `default` (2 processes: assessments after every
  save) and `pdf` (1 process, WeasyPrint);
- locust (bench/locustfile.py), headless, in a process of its own because it monkey-patches
  the standard library for gevent: LOAD_USERS users (50), spawned 10 a second, for
  LOAD_SECONDS (120), then it stops by itself, letting each user finish what it is doing
  (an export being polled) for at most the stop timeout.

Users are editors of their own organisation (`bench-load`, 20 missions with the demo canvases),
signed in through the real sign-in form before the clock starts (password hashing is
deliberately slow; 50 sign-ins in the first seconds would be a login benchmark). Each user
alone writes in its own canvas boxes, so afterwards every box must hold exactly the last save
acknowledged for it, and every acknowledged save must be in the revision history.

Figures: load_requests, load_errors (HTTP errors, wrong pages, exceptions, polls that never
finished: must be 0), load_conflicts (409s answered by keeping one's text: not errors),
load_p95_ms (every request of the run), load_lost_saves (must be 0), load_pdfs_completed,
load_assessments_completed. Errors or lost saves also make the run fail after the figures.

Settings: LOAD_USERS (50), LOAD_SECONDS (120), LOAD_WEB_WORKERS (3).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil

from bench import httpclient
from bench.context import (
    BASE_DIR,
    HOST,
    PYTHON,
    BenchError,
    Context,
    env_int,
    free_port,
    say,
    stop_group,
    wait_until_serving,
)

Figures = Iterator[tuple[str, float]]

# Fixed and public on purpose, like the bench SECRET_KEY: these users exist only in the
# bench database.
PASSWORD = "bench-load-editor-password-2026"  # noqa: S105
MISSIONS = 20
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
BOXES_PER_USER = 4
SPAWN_RATE = 10
# After the run: time for users to finish their task (an export's polling ends by then).
STOP_TIMEOUT_SECONDS = 160
POLL_LIMIT_SECONDS = 150
SIGN_IN_TIMEOUT_SECONDS = 120


def _django(ctx: Context, env: dict[str, str], *args: str, timeout: int) -> dict:
    done = subprocess.run(
        [PYTHON, "-m", "bench.loadtest_worker", *args],
        env={**env, "BENCH_LOAD_PASSWORD": PASSWORD},
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )
    sys.stderr.write(done.stderr[-4000:])
    if done.returncode != 0:
        raise BenchError(f"bench.loadtest_worker {args[0]} failed (exit status {done.returncode})")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _start(args: list[str], env: dict[str, str]) -> subprocess.Popen:
    # Its own process group, so stopping it stops its children (workers, pool) and nothing else.
    return subprocess.Popen(
        args,
        env=env,
        cwd=BASE_DIR,
        stdin=subprocess.DEVNULL,
        stdout=sys.stderr,
        start_new_session=True,
    )


def _gunicorn(env: dict[str, str], port: int, workers: int) -> subprocess.Popen:
    return _start(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "config.wsgi",
            "-w",
            str(workers),
            "-b",
            f"{HOST}:{port}",
            # The Dockerfile's GUNICORN_CMD_ARGS, less the access log (one line per request
            # would be part of what is measured) and with our own address.
            "--preload",
            "--worker-tmp-dir",
            "/dev/shm",  # noqa: S108 - gunicorn's heartbeat files, as in the Dockerfile
            "--max-requests",
            "1000",
            "--max-requests-jitter",
            "100",
            "--graceful-timeout",
            "30",
            "--log-level",
            "warning",
        ],
        env,
    )


def _celery(
    env: dict[str, str], queue: str, concurrency: int, extra: list[str]
) -> subprocess.Popen:
    # As in docker-compose.yml.
    return _start(
        [
            PYTHON,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-Q",
            queue,
            "--concurrency",
            str(concurrency),
            *extra,
            "-n",
            f"load-{queue.split(',')[0]}@%h",
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
        ],
        env,
    )


def assign_boxes(users: int, missions: list[str]) -> list[list[tuple[str, str]]]:
    """Each user's own boxes, spread over the missions; no box has two writers."""
    slots = len(missions) * len(BOXES)
    per_user = max(1, min(BOXES_PER_USER, slots // users))
    if users * per_user > slots:
        raise BenchError(f"LOAD_USERS={users}: at most {slots} users, one box each")
    plan = []
    for user in range(users):
        boxes = []
        for n in range(per_user):
            slot = n * users + user
            boxes.append((missions[slot % len(missions)], BOXES[slot // len(missions)]))
        plan.append(boxes)
    return plan


def _sign_in(port: int, email: str) -> str:
    """As `bench.context.sign_in` (the real form, with its CSRF token), quietly and with time
    for a busy machine: checking a password is slow on purpose, and 50 queue up."""
    form = httpclient.request(port, "GET", "/sign-in/", timeout=SIGN_IN_TIMEOUT_SECONDS)
    csrf_cookie = form.cookies.get("csrftoken")
    token = httpclient.form_value(form.text, "csrfmiddlewaretoken")
    if form.status != 200 or not csrf_cookie or not token:
        raise BenchError(f"GET /sign-in/ answered {form.status} without a CSRF cookie and token")
    answer = httpclient.request(
        port,
        "POST",
        "/sign-in/",
        form={"csrfmiddlewaretoken": token, "username": email, "password": PASSWORD},
        headers={"Cookie": f"csrftoken={csrf_cookie}", "Origin": f"http://{HOST}:{port}"},
        timeout=SIGN_IN_TIMEOUT_SECONDS,
    )
    session = answer.cookies.get("sessionid")
    if answer.status != 302 or not session:
        raise BenchError(f"signing in as {email} failed: POST /sign-in/ answered {answer.status}")
    return session


def _leftovers(processes: list[subprocess.Popen]) -> list[int]:
    """Processes still alive in the groups this benchmark started (there must be none)."""
    import psutil

    groups = {process.pid for process in processes}
    alive = []
    for candidate in psutil.process_iter(["pid"]):
        try:
            if os.getpgid(candidate.pid) in groups:
                alive.append(candidate.pid)
        except (ProcessLookupError, psutil.Error):
            continue
    return alive


def _cpu_seconds(process: subprocess.Popen) -> float:
    """User and system CPU time of a process and its living children (gunicorn workers and
    Celery pool processes recycled during the run are not counted): where the cores went."""
    try:
        parent = psutil.Process(process.pid)
        total = 0.0
        for member in [parent, *parent.children(recursive=True)]:
            times = member.cpu_times()
            total += times.user + times.system
        return total
    except psutil.Error:
        return 0.0


def load(ctx: Context) -> Figures:
    """50 editors reading, autosaving, assessing, exporting PDFs for 120 s; 0 errors, 0 lost.

    Locust drives them (bench/locustfile.py); every acknowledged save is then checked in the
    database."""
    users = env_int("LOAD_USERS", 50, minimum=1)
    seconds = env_int("LOAD_SECONDS", 120, minimum=5)
    web_workers = env_int("LOAD_WEB_WORKERS", 3, minimum=1)
    env = {**ctx.env, "MEDIA_ROOT": str(BASE_DIR / ".data" / "bench-load-media")}
    env.pop("GUNICORN_CMD_ARGS", None)

    say(f"creating the load organisation: {users} editors, {MISSIONS} missions …")
    setup = _django(ctx, env, "setup", str(users), str(MISSIONS), timeout=900)
    missions = setup["missions"]
    boxes = assign_boxes(users, missions)

    processes: list[subprocess.Popen] = []
    work = Path(tempfile.mkdtemp(prefix="lodestar-load-"))
    try:
        port = free_port()
        say(f"starting gunicorn ({web_workers} sync workers) on {HOST}:{port} and Celery …")
        web = _gunicorn(env, port, web_workers)
        processes.append(web)
        processes.append(_celery(env, "default", 2, []))
        processes.append(_celery(env, "pdf,pdf_ahead", 1, ["--max-tasks-per-child", "50"]))
        wait_until_serving(web, port)
        for process in processes[1:]:
            if process.poll() is not None:
                raise BenchError(f"a Celery worker exited with status {process.returncode}")

        started = time.monotonic()
        say(f"signing in {users} editors through the form …")
        with ThreadPoolExecutor(max_workers=web_workers) as pool:
            sessions = list(pool.map(lambda email: _sign_in(port, email), setup["emails"]))
        plan = {
            "organisation": setup["organisation"],
            "missions": missions,
            "users": [
                {"email": email, "session": session, "boxes": own}
                for email, session, own in zip(setup["emails"], sessions, boxes, strict=True)
            ],
        }
        (work / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
        save_log = work / "saves.jsonl"
        result_file = work / "result.json"

        say(f"signed in in {time.monotonic() - started:.0f} s")
        say(f"{users} users for {seconds} s (locust, spawn {SPAWN_RATE}/s) …")
        started = time.monotonic()
        locust = _start(
            [
                PYTHON,
                "-m",
                "locust",
                "-f",
                str(BASE_DIR / "bench" / "locustfile.py"),
                "--headless",
                "-u",
                str(users),
                "-r",
                str(SPAWN_RATE),
                "-t",
                f"{seconds}s",
                "--stop-timeout",
                str(STOP_TIMEOUT_SECONDS),
                "--host",
                f"http://{HOST}:{port}",
                "--only-summary",
                "--loglevel",
                "WARNING",
                "--exit-code-on-error",
                "0",
            ],
            {
                **env,
                "LOAD_PLAN": str(work / "plan.json"),
                "LOAD_SAVE_LOG": str(save_log),
                "LOAD_RESULT": str(result_file),
                "LOAD_POLL_LIMIT": str(POLL_LIMIT_SECONDS),
            },
        )
        processes.append(locust)
        limit = seconds + STOP_TIMEOUT_SECONDS + 120
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        machine_before = psutil.cpu_times()
        try:
            status = locust.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            raise BenchError(f"locust did not stop within {limit} s") from None
        if status != 0 or not result_file.exists():
            raise BenchError(f"locust failed (exit status {status}; its output is above)")
        result = json.loads(result_file.read_text(encoding="utf-8"))
        say(f"locust stopped after {time.monotonic() - started:.0f} s")
        # locust has been waited for, so its CPU time is in RUSAGE_CHILDREN; the machine's
        # idle time says how close to the two cores the run came.
        children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        machine_after = psutil.cpu_times()
        locust_cpu = (children_after.ru_utime - children_before.ru_utime) + (
            children_after.ru_stime - children_before.ru_stime
        )
        spent = sum(machine_after) - sum(machine_before)
        idle = machine_after.idle - machine_before.idle
        say(
            "CPU seconds used: web {:.0f}, default worker {:.0f}, pdf worker {:.0f}, ".format(
                *(_cpu_seconds(process) for process in processes[:3])
            )
            + f"locust {locust_cpu:.0f}; the machine was busy {spent - idle:.0f} of {spent:.0f}"
        )
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    finally:
        # The users first (nothing new arrives), then the web server, then the workers.
        for process in reversed(processes):
            stop_group(process)
        left = _leftovers(processes)
        if left:
            say(f"WARNING: processes left behind: {left}")

    try:
        say("checking every acknowledged save against the database …")
        checked = _django(ctx, env, "verify", str(save_log), timeout=600)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    say(
        f"{checked['acknowledged']} saves acknowledged in {checked['boxes']} boxes; "
        f"p50 {result['p50_ms']:.0f} ms; per request name: "
        + ", ".join(
            f"{name} {v['requests']} (p50 {v['p50_ms']:.0f} ms, p95 {v['p95_ms']:.0f} ms)"
            for name, v in sorted(result["per_name"].items())
        )
    )
    say(
        "p95 by period of the run: "
        + ", ".join(
            f"from {p['from_s']} s {p['p95_ms']:.0f} ms ({p['requests']} requests)"
            for p in result.get("by_period", [])
        )
    )
    if checked["unanswered"]:
        say(f"{checked['unanswered']} boxes hold a save sent as the run stopped, never answered")
    for sample in result["error_samples"]:
        say(f"ERROR {sample}")
    if checked["lost"]:
        say(f"LOST: {checked['lost']} acknowledged saves, first {checked['first_lost']}")

    yield "load_requests", result["requests"]
    yield "load_errors", result["errors"]
    yield "load_conflicts", result["conflicts"]
    yield "load_p95_ms", float(result["p95_ms"])
    yield "load_lost_saves", checked["lost"]
    yield "load_pdfs_completed", result["pdfs_completed"]
    yield "load_assessments_completed", result["assessments_completed"]
    if result["errors"] or checked["lost"]:
        raise BenchError(
            f"the load run had {result['errors']} errors and {checked['lost']} lost saves"
        )
