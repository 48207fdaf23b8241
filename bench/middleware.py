"""`middleware_overhead_ms`: what Lodestar's own middleware (audit, two-factor, OTP, axes, input
boundary, CSP, htmx, health) adds to a signed-in request, over Django's default stack."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator

from bench.context import BASE_DIR, PYTHON, BenchError, Context, say

Figures = Iterator[tuple[str, float]]

ROUNDS = 25


def middleware_overhead(ctx: Context) -> Figures:
    say("timing the middleware: the whole stack against Django's default one …")
    done = subprocess.run(
        [PYTHON, "-m", "bench.middleware_worker", str(ROUNDS)],
        env={**ctx.env, "BENCH_SESSIONID": ctx.session_cookie},
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    sys.stderr.write(done.stderr)
    if done.returncode != 0:
        raise BenchError(f"bench.middleware_worker failed (exit status {done.returncode})")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    yield "middleware_full_ms", result["full_ms"]
    yield "middleware_default_ms", result["bare_ms"]
    yield "middleware_overhead_ms", result["full_ms"] - result["bare_ms"]
