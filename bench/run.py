"""`make bench`: run the benchmarks on real services and print `BENCH <name> <value>` lines.

    python -m bench.run                 # all benchmarks
    python -m bench.run home            # those whose name starts with "home"
    python -m bench.run --list          # their names
    BENCH_SECONDS=3 python -m bench.run # a quick smoke run

Settings (environment): BENCH_SECONDS (20), BENCH_WARMUP_SECONDS (2), BENCH_CONNECTIONS (8),
BENCH_LOAD_TOOL (wrk if installed, else python), BENCH_AUTOSAVE_SECONDS (30),
BENCH_AUTOSAVE_EDITORS (20), BENCH_AUTOSAVE_PAUSE_MS (1500), BENCH_LIVE_SECONDS (20),
BENCH_LIVE_VIEWERS (10), BENCH_OPEN_CANVASES (50), LOAD_USERS (50), LOAD_SECONDS (120),
LOAD_WEB_WORKERS (3) for the `load` scenario, BENCH_FRESH_DB=1 (drop and recreate the
bench database first). DATABASE_URL / REDIS_URL choose the servers as for `make run`, but the
database used is always `lodestar_bench` (or BENCH_DATABASE_NAME) on that server, never the
developer's own.

Only BENCH lines go to stdout, so `make bench | grep ^BENCH` (or a CI job) can read them;
progress goes to stderr. On failure: one line on stderr and exit status 1.

To add a benchmark: write a function `name(ctx) -> Iterator[(figure_name, value)]` in a module
of this package (see web.py) and add it to BENCHMARKS.
"""

from __future__ import annotations

import os
import signal
import sys
import traceback
from collections.abc import Callable, Iterator

from bench import (
    api,
    assessment,
    autosave,
    canvas_live,
    healthz,
    indicators,
    loadtest,
    middleware,
    missions,
    participation,
    pdf,
    portfolio,
    stakeholders,
    web,
)
from bench.context import BenchError, Context, say

Benchmark = Callable[[Context], Iterator[tuple[str, float]]]

# Run in this order. Cheap ones first, so a broken set-up fails before a long load test.
BENCHMARKS: list[Benchmark] = [
    web.home_queries,
    middleware.middleware_overhead,
    missions.mission_page,
    stakeholders.stakeholder_map,
    indicators.indicator_page,
    indicators.measurements_import,
    missions.import_missions,
    assessment.assess_queries,
    assessment.reassess_all,
    web.home_latency,
    healthz.healthz,
    participation.public_page,
    participation.idea_submit,
    api.api_missions_list,
    portfolio.dashboard,
    autosave.autosave,
    canvas_live.canvas_live,
    canvas_live.canvas_open_connections,
    pdf.canvas_pdf,
    # Last: two minutes of 50 users, with a web server and workers of its own.
    loadtest.load,
]


def select(names: list[str]) -> list[Benchmark]:
    if not names:
        return BENCHMARKS
    unknown = [name for name in names if not any(b.__name__.startswith(name) for b in BENCHMARKS)]
    if unknown:
        known = ", ".join(b.__name__ for b in BENCHMARKS)
        raise BenchError(f"no benchmark named {', '.join(unknown)} (known: {known})")
    return [b for b in BENCHMARKS if any(b.__name__.startswith(name) for name in names)]


def format_value(value: float) -> str:
    if isinstance(value, int):
        return str(value)
    return f"{value:.3f}"


def interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str]) -> int:
    if "--list" in argv:
        for benchmark in BENCHMARKS:
            summary = (benchmark.__doc__ or "").strip().splitlines()[0]
            print(f"{benchmark.__name__:<16} {summary}")
        return 0
    # `kill` (SIGTERM) should clean up like Ctrl-C does: stop gunicorn and the embedded Redis.
    signal.signal(signal.SIGTERM, interrupt)
    try:
        chosen = select(argv)
        with Context() as ctx:
            for benchmark in chosen:
                for name, value in benchmark(ctx):
                    print(f"BENCH {name} {format_value(value)}", flush=True)
        say("done")
        return 0
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr, flush=True)
        return 1
    except KeyboardInterrupt:
        print("bench: interrupted", file=sys.stderr, flush=True)
        return 1
    except Exception as exc:
        if os.environ.get("BENCH_TRACEBACK"):
            traceback.print_exc()
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        print(
            f"bench: unexpected {type(exc).__name__}: {reason} (BENCH_TRACEBACK=1 shows where)",
            file=sys.stderr,
            flush=True,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
