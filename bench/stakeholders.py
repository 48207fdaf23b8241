"""Stakeholder map benchmark: the map page of a mission with 200 stakeholders (grid SVG, table,
movement arrows since a date), timed in-process, and its query count, which must not grow with
the number of stakeholders (checked against the same page with 10)."""

from __future__ import annotations

from collections.abc import Iterator

from bench.context import BenchError, Context, say

Figures = Iterator[tuple[str, float]]


def stakeholder_map(ctx: Context) -> Figures:
    """Median time of the stakeholder map page with 200 stakeholders, and its queries."""
    say("timing the stakeholder map (200 stakeholders) …")
    result = ctx.run_json("bench.stakeholders_worker", "map", "40")
    if result["queries"] != result["queries_10"]:
        raise BenchError(
            f"the map page's queries grow with stakeholders: {result['queries_10']} with 10, "
            f"{result['queries']} with 200"
        )
    yield "stakeholder_map_ms", result["median_ms"]
    yield "stakeholder_map_queries", result["queries"]
