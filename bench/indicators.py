"""Indicator benchmarks: the page of an indicator with 10,000 measurements (chart, data table,
history), timed in-process, with a query count that must not grow with the measurements; and
the CSV import of measurements, in rows per second."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator

from bench.context import BASE_DIR, PYTHON, BenchError, Context, say

Figures = Iterator[tuple[str, float]]


def _worker(ctx: Context, *args: str) -> dict:
    done = subprocess.run(
        [PYTHON, "-m", "bench.indicators_worker", *args],
        env=ctx.env,
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    sys.stderr.write(done.stderr)
    if done.returncode != 0:
        raise BenchError(f"bench.indicators_worker failed (exit status {done.returncode})")
    return json.loads(done.stdout.strip().splitlines()[-1])


def indicator_page(ctx: Context) -> Figures:
    """Median time of an indicator page with 10,000 measurements, and its queries."""
    say("timing the indicator page (10,000 measurements) …")
    result = _worker(ctx, "page", "20")
    if result["queries"] != result["queries_10"]:
        raise BenchError(
            f"the indicator page's queries grow with measurements: {result['queries_10']} with "
            f"10, {result['queries']} with 10,000"
        )
    yield "indicator_page_ms", result["median_ms"]
    yield "indicator_page_queries", result["queries"]


def measurements_import(ctx: Context) -> Figures:
    """CSV import of 5,000 measurements into an empty indicator: rows per second."""
    say("importing 5,000 measurements from CSV …")
    yield "measurements_import_per_s", _worker(ctx, "import", "5000")["per_s"]
