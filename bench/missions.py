"""Mission benchmarks: importing 1,000 generated missions, and the mission page's time.

Both run in a Django process of their own (bench/missions_worker.py) on the bench database, in
organisations of their own that are rebuilt each run, so the figures do not depend on what an
earlier run left behind.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator

from bench.context import BASE_DIR, PYTHON, BenchError, Context, say

Figures = Iterator[tuple[str, float]]


def _run(ctx: Context, *args: str) -> dict:
    done = subprocess.run(
        [PYTHON, "-m", "bench.missions_worker", *args],
        env=ctx.env,
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    sys.stderr.write(done.stderr)
    if done.returncode != 0:
        raise BenchError(f"bench.missions_worker {args[0]} failed (exit status {done.returncode})")
    return json.loads(done.stdout.strip().splitlines()[-1])


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
