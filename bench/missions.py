"""Mission benchmarks: importing 1,000 generated missions, and the mission page's time.

Both run in a Django process of their own (bench/missions_worker.py) on the bench database, in
organisations of their own that are rebuilt each run, so the figures do not depend on what an
earlier run left behind.
"""

from __future__ import annotations

from collections.abc import Iterator

from bench.context import Context, say

Figures = Iterator[tuple[str, float]]


def _run(ctx: Context, *args: str) -> dict:
    return ctx.run_json("bench.missions_worker", *args)


def import_missions(ctx: Context) -> Figures:
    """Missions per second imported from one exchange-format file of 1,000 generated missions."""
    say("importing 1,000 generated missions …")
    result = _run(ctx, "import", "1000")
    yield "import_missions_per_s", result["missions"] / result["seconds"]
    yield "import_missions_file_mb", result["bytes"] / 1_000_000


def mission_page(ctx: Context) -> Figures:
    """Median time of the mission page (20 targets, 40 projects), in-process, and its queries."""
    say("timing the mission page …")
    result = _run(ctx, "page", "60")
    yield "mission_page_ms", result["median_ms"]
    yield "mission_page_p95_ms", result["p95_ms"]
    yield "mission_page_queries", result["queries"]
