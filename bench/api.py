"""The REST API under load: `GET /api/v1/missions?limit=50` for an organisation of 10,000
missions (`seed_bench --missions 10000`, the portfolio benchmark's bench-10000), against the floor.

An integration pages through the list with `next_cursor`, and comes back to the first page
to look for changes: the clients send the first page every fourth request and walk the other
199 pages, in order, in between (each client starts at a different page). Every answer is
checked (status 200, a JSON page). Each load is BENCH_CONNECTIONS clients for BENCH_SECONDS
against 2 gunicorn workers, after a warm-up, as the other load benchmarks run.

Every token may make API_CALLS_PER_MINUTE calls a minute (600 by default), far fewer than a
load test sends: the gunicorn here is started with a limit no run reaches, so each call still
counts itself in Redis, as in production, and is never refused.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import quote

from bench import httpclient
from bench.context import BenchError, Context, say
from bench.load import Target, measure
from bench.web import FLOOR_MARKER, check_first

Figures = Iterator[tuple[str, float]]

SIZE = 10_000
ORGANISATION = f"bench-{SIZE}"
PAGE_SIZE = 50
FIRST_PAGE = f"/api/v1/missions?limit={PAGE_SIZE}"
# Every page the list answers has it, the last one too (null there); a problem document lacks it.
MARKER = '"next_cursor"'
UNREACHABLE_RATE = str(10**9)


def _walk(port: int, headers: dict[str, str]) -> list[str]:
    """Every page's address, from the first one, following next_cursor to the end."""
    pages = [FIRST_PAGE]
    seen = 0
    while True:
        answer = httpclient.request(port, "GET", pages[-1], headers=headers)
        if answer.status != 200:
            raise BenchError(f"GET {pages[-1]} answered {answer.status}, not 200")
        page = json.loads(answer.body)
        seen += len(page["items"])
        if page["next_cursor"] is None:
            break
        if len(page["items"]) != PAGE_SIZE:
            raise BenchError(f"GET {pages[-1]} answered {len(page['items'])} missions, not 50")
        pages.append(f"{FIRST_PAGE}&cursor={quote(page['next_cursor'])}")
    if seen != SIZE:
        raise BenchError(f"walking the pages of {ORGANISATION} gave {seen} missions, not {SIZE}")
    return pages


def _mix(pages: list[str]) -> tuple[str, ...]:
    """The first page, then three later pages, again and again, until every page was sent."""
    later = pages[1:]
    mixed: list[str] = []
    for start in range(0, len(later), 3):
        mixed += [pages[0], *later[start : start + 3]]
    return tuple(mixed)


def api_missions_list(ctx: Context) -> Figures:
    """GET /api/v1/missions?limit=50 over 10,000 missions, paged by cursor, against the floor."""
    say(f"seeding {ORGANISATION} (seed_bench --missions {SIZE}) …")
    ctx.manage("seed_bench", "--missions", str(SIZE))
    made = ctx.run_json("bench.api_worker", ORGANISATION)
    if made["queries_first"] != made["queries_later"]:
        raise BenchError(
            f"a later page of the missions costs {made['queries_later']} queries, "
            f"the first one {made['queries_first']}"
        )
    port = ctx.serve({**ctx.env, "API_CALLS_PER_MINUTE": UNREACHABLE_RATE})
    headers = {"Authorization": f"Bearer {made['secret']}"}
    say(f"walking the {SIZE // PAGE_SIZE} pages of {ORGANISATION}'s missions …")
    pages = _walk(port, headers)
    api = Target(port=port, path=FIRST_PAGE, marker=MARKER, headers=headers, paths=_mix(pages))
    floor = Target(port=port, path="/robots.txt", marker=FLOOR_MARKER, headers={})
    check_first(api)
    check_first(floor)
    options = {
        "seconds": ctx.seconds,
        "warmup_seconds": ctx.warmup_seconds,
        "connections": ctx.connections,
    }
    api_result = measure(api, **options)
    floor_result = measure(floor, **options)
    yield "api_missions_list_p50_ms", api_result.p50_ms
    yield "api_missions_list_p95_ms", api_result.p95_ms
    yield "api_missions_list_requests_per_s", api_result.requests_per_s
    yield "api_missions_list_queries", made["queries_first"]
    yield "floor_p95_ms", floor_result.p95_ms
    yield "api_vs_floor_p95", api_result.p95_ms / floor_result.p95_ms
