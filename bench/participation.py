"""The public side under a crowd: a published mission's page for 50 visitors without an
account, against the floor; and 50 participants sending in ideas at the same moment."""

from __future__ import annotations

from collections.abc import Iterator

from bench.context import BenchError, Context
from bench.load import Target, measure
from bench.web import FLOOR_MARKER, check_first

Figures = Iterator[tuple[str, float]]

# A mission the demo data publishes (participation/demo.py), and text only its page has.
PUBLIC_PAGE = "/public/missions/demo-unit/se-school-food/"
PUBLIC_MARKER = "You said, we did"
VISITORS = 50
PARTICIPANTS = 50


def public_page(ctx: Context) -> Figures:
    """A published mission's public page for 50 visitors without a session, against the floor
    (/robots.txt under the same load): the page is served from the shared copy."""
    page = Target(port=ctx.port, path=PUBLIC_PAGE, marker=PUBLIC_MARKER, headers={})
    floor = Target(port=ctx.port, path="/robots.txt", marker=FLOOR_MARKER, headers={})
    check_first(page)
    check_first(floor)
    options = {
        "seconds": ctx.seconds,
        "warmup_seconds": ctx.warmup_seconds,
        "connections": VISITORS,
    }
    page_result = measure(page, **options)
    floor_result = measure(floor, **options)
    yield "public_page_p50_ms", page_result.p50_ms
    yield "public_page_p95_ms", page_result.p95_ms
    yield "public_vs_floor_p95", page_result.p95_ms / floor_result.p95_ms


def idea_submit(ctx: Context) -> Figures:
    """50 confirmed participants send in an idea each at the same moment (one thread and
    database connection each, through participation.services.idea_submit): how many the
    database does not hold afterwards, and the slowest submission."""
    result = ctx.run_json("bench.participation_worker", str(PARTICIPANTS))
    if result["sent"] != PARTICIPANTS:
        raise BenchError(f"only {result['sent']} of {PARTICIPANTS} submissions were attempted")
    yield "idea_submit_lost", result["lost"]
    yield "idea_submit_refused", result["refused"]
    yield "idea_submit_slowest_ms", result["slowest_ms"]
