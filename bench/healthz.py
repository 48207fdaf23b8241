"""How long /healthz keeps a probe waiting when the database, Redis and a worker are up."""

from __future__ import annotations

import json
import os
import statistics
import time
from collections.abc import Iterator

from bench import httpclient
from bench.context import BenchError, Context, say, start_worker, stop_group

CALLS = 200
WARMUP_CALLS = 20


def _get(port: int) -> tuple[float, int, dict]:
    started = time.perf_counter()
    # As the container's health check asks: with HTTPS on, plain HTTP would be redirected.
    answer = httpclient.request(port, "GET", "/healthz", headers={"X-Forwarded-Proto": "https"})
    elapsed_ms = (time.perf_counter() - started) * 1000
    try:
        body = json.loads(answer.text)
    except ValueError:
        body = {}
    return elapsed_ms, answer.status, body


def healthz(ctx: Context) -> Iterator[tuple[str, float]]:
    """/healthz with everything up: median ms of one probe on a fresh connection, in sequence.

    The calls come from 127.0.0.1, so they get the detail and are not rate-limited; an
    anonymous probe makes the same checks, in the same single Redis round trip.
    """
    queue = f"bench-healthz-{os.getpid()}"  # a queue of its own: it takes no one else's tasks
    say(f"starting a Celery worker on queue {queue}, for its heartbeat …")
    worker = start_worker(ctx, queue)
    try:
        deadline = time.monotonic() + 60
        while (answer := _get(ctx.port))[1] != 200:
            if worker.poll() is not None or time.monotonic() > deadline:
                raise BenchError(f"/healthz never answered 200 with a worker up: {answer[2]}")
            time.sleep(0.5)
        for _ in range(WARMUP_CALLS):
            _get(ctx.port)
        timings = []
        for _ in range(CALLS):
            elapsed_ms, status, body = _get(ctx.port)
            if status != 200:
                raise BenchError(f"/healthz answered {status} during the benchmark: {body}")
            timings.append(elapsed_ms)
    finally:
        stop_group(worker)
    yield "healthz_ms", statistics.median(timings)
