"""Indicator benchmarks: the page of an indicator with 10,000 measurements (chart, data table,
history), timed in-process, with a query count that must not grow with the measurements; and
the CSV import of measurements, in rows per second."""

from __future__ import annotations

from collections.abc import Iterator

from bench.context import BenchError, Context, say

Figures = Iterator[tuple[str, float]]


def _worker(ctx: Context, *args: str) -> dict:
    return ctx.run_json("bench.indicators_worker", *args)


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
