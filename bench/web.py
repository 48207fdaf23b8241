"""Benchmarks of web pages served by gunicorn, as a signed-in user sees them."""

from __future__ import annotations

from collections.abc import Iterator

from bench import httpclient
from bench.context import BenchError, Context, say
from bench.load import Target, measure

Figures = Iterator[tuple[str, float]]

# Text only the signed-in home page has: the sign-in page (where a lost session ends up) lacks it.
HOME_MARKER = "Your organisations"
FLOOR_MARKER = "User-agent"


def home_target(ctx: Context) -> Target:
    return Target(
        port=ctx.port,
        path="/",
        marker=HOME_MARKER,
        headers={"Cookie": f"sessionid={ctx.session_cookie}"},
    )


def check_first(target: Target) -> None:
    """Look at one response before loading, to fail with a clear reason rather than a count."""
    answer = httpclient.request(target.port, "GET", target.path, headers=target.headers)
    if answer.status != target.status:
        where = f" to {answer.location}" if answer.location else ""
        raise BenchError(f"GET {target.path} answered {answer.status}{where}, not {target.status}")
    if target.marker not in answer.text:
        raise BenchError(f"GET {target.path} answered a page without {target.marker!r}")


def home_latency(ctx: Context) -> Figures:
    """The home page against the floor: /robots.txt, a constant response of the same app.

    The floor is what gunicorn, the WSGI stack and the middleware cost on this machine, so
    home_vs_floor_p95 says how much the page itself adds, and moves less with the machine than
    milliseconds do. The floor is loaded without the session cookie: it never reads the session.
    """
    home = home_target(ctx)
    floor = Target(port=ctx.port, path="/robots.txt", marker=FLOOR_MARKER, headers={})
    check_first(home)
    check_first(floor)
    options = {
        "seconds": ctx.seconds,
        "warmup_seconds": ctx.warmup_seconds,
        "connections": ctx.connections,
    }
    home_result = measure(home, **options)
    yield "home_p50_ms", home_result.p50_ms
    yield "home_p95_ms", home_result.p95_ms
    yield "home_requests_per_s", home_result.requests_per_s
    floor_result = measure(floor, **options)
    yield "floor_p50_ms", floor_result.p50_ms
    yield "floor_p95_ms", floor_result.p95_ms
    yield "home_vs_floor_p95", home_result.p95_ms / floor_result.p95_ms


def home_queries(ctx: Context) -> Figures:
    """SQL queries one home-page request makes, counted in a Django process of its own.

    It uses the session that signed in through the real form, so it counts the same request
    the load test sends (session, user, memberships, page).
    """
    say("counting the home page's SQL queries …")
    result = ctx.run_json(
        "bench.queries", "/", HOME_MARKER, env={"BENCH_SESSIONID": ctx.session_cookie}
    )
    if result["status"] != 200 or not result["marker_found"]:
        raise BenchError(
            f"the query count is of the wrong page: status {result['status']}, "
            f"{HOME_MARKER!r} {'found' if result['marker_found'] else 'missing'}"
        )
    yield "home_queries", result["queries"]
