"""`middleware_overhead_ms`: what Lodestar's own middleware (audit, two-factor, OTP, axes, input
boundary, CSP, htmx, health) adds to a signed-in request, over Django's default stack."""

from __future__ import annotations

from collections.abc import Iterator

from bench.context import Context, say

Figures = Iterator[tuple[str, float]]

ROUNDS = 25


def middleware_overhead(ctx: Context) -> Figures:
    """Our middleware's cost per signed-in request, over Django's default stack (in process)."""
    say("timing the middleware: the whole stack against Django's default one …")
    result = ctx.run_json(
        "bench.middleware_worker", str(ROUNDS), env={"BENCH_SESSIONID": ctx.session_cookie}
    )
    yield "middleware_full_ms", result["full_ms"]
    yield "middleware_default_ms", result["bare_ms"]
    yield "middleware_overhead_ms", result["full_ms"] - result["bare_ms"]
