"""The portfolio dashboard under load, at 1,000 and 10,000 missions, against the floor.

`seed_bench --missions N` builds organisations bench-1000 and bench-10000 in the bench database
(once; later runs reuse them). A lead of both signs in through the real form. Each load is
BENCH_CONNECTIONS clients for BENCH_SECONDS on loopback against the 2 gunicorn workers of
bench/context.py, after a warm-up, in this order: floor (/robots.txt), 10k, 1k.

Then the same 10k load on a database whose planner has never seen statistics: created afresh
(`<bench database>_unanalysed`), migrated, filled by `seed_bench --no-analyze`, and served by a
gunicorn of its own. Autovacuum is off on our machines, and a production database is in that
state right after a large import; the dashboard must not fall off a cliff there.
"""

from __future__ import annotations

from collections.abc import Iterator

from bench.context import (
    BENCH_DATABASE,
    BENCH_TOTP_KEY,
    BenchError,
    Context,
    demo_password,
    ensure_database,
    libpq_url,
    say,
    server_url,
    sign_in,
    with_database,
)
from bench.load import Target, measure
from bench.web import FLOOR_MARKER, check_first

Figures = Iterator[tuple[str, float]]

LEAD = "portfolio-lead@bench.example"
SIZES = (1_000, 10_000)
# Only the dashboard's results table has this class: an error or sign-in page lacks it.
MARKER = 'class="govuk-table lodestar-portfolio-table"'


def _path(size: int) -> str:
    return f"/organisations/bench-{size}/portfolio/"


def _queries(ctx: Context, session: str, path: str) -> int:
    result = ctx.run_json("bench.queries", path, MARKER, env={"BENCH_SESSIONID": session})
    if result["status"] != 200 or not result["marker_found"]:
        raise BenchError(f"counted the wrong page for {path}: status {result['status']}")
    return result["queries"]


def dashboard(ctx: Context) -> Figures:
    """Portfolio dashboard p50/p95 at 10k missions, the floor, queries, and 1k→10k growth."""
    for size in SIZES:
        say(f"seeding bench-{size} (seed_bench --missions {size}) …")
        ctx.manage("seed_bench", "--missions", str(size))
    session = sign_in(ctx.port, LEAD, demo_password(), totp_key=BENCH_TOTP_KEY)
    headers = {"Cookie": f"sessionid={session}"}
    counts = {size: _queries(ctx, session, _path(size)) for size in SIZES}
    if counts[1_000] != counts[10_000]:
        raise BenchError(f"the dashboard's queries grow with the missions: {counts}")
    options = {
        "seconds": ctx.seconds,
        "warmup_seconds": ctx.warmup_seconds,
        "connections": ctx.connections,
    }
    floor = Target(port=ctx.port, path="/robots.txt", marker=FLOOR_MARKER, headers={})
    targets = {
        size: Target(port=ctx.port, path=_path(size), marker=MARKER, headers=headers)
        for size in SIZES
    }
    check_first(floor)
    for target in targets.values():
        check_first(target)
    floor_result = measure(floor, **options)
    # Each gunicorn worker computes a size's totals once (then caches them): a warm-up long
    # enough for that on a busy machine, so the measured part is the steady state.
    slow_start = {**options, "warmup_seconds": max(ctx.warmup_seconds, 6)}
    large = measure(targets[10_000], **slow_start)
    small = measure(targets[1_000], **slow_start)
    yield "dashboard_p50_ms", large.p50_ms
    yield "dashboard_p95_ms", large.p95_ms
    yield "floor_p95_ms", floor_result.p95_ms
    yield "dashboard_vs_floor_p95", large.p95_ms / floor_result.p95_ms
    yield "dashboard_requests_per_s", large.requests_per_s
    yield "dashboard_queries", counts[10_000]
    yield "dashboard_1k_p95_ms", small.p95_ms
    yield "dashboard_growth_1k_to_10k", large.p95_ms / small.p95_ms

    unanalysed = measure(_unanalysed_target(ctx), **slow_start)
    yield "dashboard_unanalysed_p95_ms", unanalysed.p95_ms
    yield "dashboard_unanalysed_vs_analysed_p95", unanalysed.p95_ms / large.p95_ms


UNANALYSED_DATABASE = f"{BENCH_DATABASE}_unanalysed"
# Tables whose statistics would change the dashboard's plans; none may have any.
WATCHED_TABLES = ("missions_mission", "evaluation_criterionresult", "evaluation_finding")


def _unanalysed_target(ctx: Context) -> Target:
    """The 10k dashboard served from a fresh database that was filled and never analysed."""
    url = with_database(server_url(), UNANALYSED_DATABASE)
    ensure_database(url, fresh=True, name=UNANALYSED_DATABASE)
    env = {**ctx.env, "DATABASE_URL": url}
    say(f"preparing {UNANALYSED_DATABASE}: migrate, seed_bench --missions 10000 --no-analyze …")
    ctx.manage("migrate", "--noinput", "-v", "0", env=env)
    ctx.manage("seed_bench", "--missions", "10000", "--no-analyze", env=env)
    _check_never_analysed(url)
    port = ctx.serve(env)
    session = sign_in(port, LEAD, demo_password(), totp_key=BENCH_TOTP_KEY)
    target = Target(
        port=port, path=_path(10_000), marker=MARKER, headers={"Cookie": f"sessionid={session}"}
    )
    check_first(target)
    return target


def _check_never_analysed(url: str) -> None:
    import psycopg

    with psycopg.connect(libpq_url(url)) as conn:
        analysed = conn.execute(
            "SELECT count(*) FROM pg_statistic s JOIN pg_class c ON c.oid = s.starelid"
            " WHERE c.relname = ANY(%s)",
            [list(WATCHED_TABLES)],
        ).fetchone()
    if analysed and analysed[0]:
        raise BenchError(f"{UNANALYSED_DATABASE} has planner statistics: it was analysed")
