"""Criteria-engine benchmarks: the queries one assessment costs, and re-assessing 1,000
generated missions through real Celery workers.

The workers are started here, on the bench database and Redis from bench/context.py, consume
a queue of this run's own (so no other worker on the same Redis takes the tasks), and are
stopped when the benchmark ends. BENCH_ASSESS_WORKERS sets their concurrency: by default the
machine's core count, as Celery's own default (more processes than cores only queue for the CPU,
which the per-mission figure would then count as assessment work).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from bench.context import (
    BenchError,
    Context,
    env_int,
    say,
    start_worker,
    stop_group,
)

Figures = Iterator[tuple[str, float]]


def _run(ctx: Context, *args: str) -> dict:
    return ctx.run_json("bench.assessment_worker", *args)


def assess_queries(ctx: Context) -> Figures:
    """Queries one assessment costs, for a mission with 5 and with 50 projects."""
    say("counting the queries of one assessment (5 and 50 projects) …")
    result = _run(ctx, "queries")
    yield "assess_queries_5_projects", result["projects_5"]
    yield "assess_queries_50_projects", result["projects_50"]
    if result["projects_50"] > result["projects_5"]:
        raise BenchError("an assessment's query count grows with the number of projects")


def reassess_all(ctx: Context) -> Figures:
    """Re-assessing 1,000 generated missions through real Celery workers; median per mission."""
    concurrency = env_int("BENCH_ASSESS_WORKERS", os.cpu_count() or 1, minimum=1)
    count = env_int("BENCH_ASSESS_MISSIONS", 1000, minimum=1)
    queue = f"bench-assess-{os.getpid()}"
    say(f"starting a Celery worker (concurrency {concurrency}) on queue {queue} …")
    worker = start_worker(ctx, queue, concurrency=concurrency, options=("--without-heartbeat",))
    try:
        say(f"assessing {count} generated missions …")
        result = _run(ctx, "reassess", str(count), queue)
    finally:
        stop_group(worker)
    yield "assess_ms", result["median_ms"]
    yield f"reassess_all_{count}_s", result["seconds"]
