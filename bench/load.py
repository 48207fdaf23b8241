"""Closed-loop load on one URL (or several in turn, `Target.paths`): N connections, each sending
its next request when the last ends.

wrk does it when installed (little CPU of its own, so more is left for the server on a small
machine); otherwise a Python generator with one thread and keep-alive connection per
connection. BENCH_LOAD_TOOL=python forces the fallback, e.g. to compare the two.

Every response is checked: the expected status and a text the expected page contains. A
benchmark of a redirect to the sign-in page, or of an error page, would be fast and worthless.
"""

from __future__ import annotations

import http.client
import math
import os
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from bench.context import HOST, BenchError, say

LUA_SCRIPT = Path(__file__).with_name("latency.lua")
# wrk's default 2 s would count slow requests as errors and drop them from the latencies.
TIMEOUT_SECONDS = 10


@dataclass
class LoadResult:
    p50_ms: float
    p95_ms: float
    requests: int
    duration_s: float
    socket_errors: int
    wrong_status: int
    first_wrong_status: int
    wrong_body: int

    @property
    def requests_per_s(self) -> float:
        return self.requests / self.duration_s if self.duration_s else 0.0


@dataclass
class Target:
    """What to load and what every good response looks like."""

    port: int
    path: str
    marker: str  # text every good body contains
    headers: dict[str, str]
    status: int = 200
    # Every address to send, in turn (a walk through an API's pages, say); empty: `path` only.
    # Each connection starts at a different one of them.
    paths: tuple[str, ...] = ()


def load_tool() -> str:
    tool = os.environ.get("BENCH_LOAD_TOOL", "")
    if tool not in {"", "wrk", "python"}:
        raise BenchError(f"BENCH_LOAD_TOOL={tool!r}: use wrk or python")
    if tool == "wrk" and not shutil.which("wrk"):
        raise BenchError("BENCH_LOAD_TOOL=wrk but wrk is not installed")
    return tool or ("wrk" if shutil.which("wrk") else "python")


def measure(target: Target, *, seconds: int, warmup_seconds: int, connections: int) -> LoadResult:
    """Warm up (fills caches, opens database connections; result discarded), then measure."""
    run = run_wrk if load_tool() == "wrk" else run_python
    if warmup_seconds:
        say(f"warming up {target.path} for {warmup_seconds} s …")
        check(target, run(target, seconds=warmup_seconds, connections=connections))
    say(f"loading {target.path} for {seconds} s with {connections} connections ({run.__name__})")
    return check(target, run(target, seconds=seconds, connections=connections))


def check(target: Target, result: LoadResult) -> LoadResult:
    if result.requests == 0:
        raise BenchError(f"no request to {target.path} completed")
    if result.wrong_status:
        raise BenchError(
            f"{result.wrong_status} of {result.requests} responses from {target.path} were not "
            f"{target.status} (first: {result.first_wrong_status})"
        )
    if result.wrong_body:
        raise BenchError(
            f"{result.wrong_body} of {result.requests} responses from {target.path} "
            f"lacked {target.marker!r}"
        )
    if result.socket_errors:
        # Connection resets and timeouts hide the slowest requests from the percentiles.
        raise BenchError(f"{result.socket_errors} socket errors or timeouts on {target.path}")
    return result


def run_wrk(target: Target, *, seconds: int, connections: int) -> LoadResult:
    args = ["wrk", "-t", "1", "-c", str(connections), "-d", f"{seconds}s"]
    args += ["--timeout", f"{TIMEOUT_SECONDS}s", "-s", str(LUA_SCRIPT)]
    for name, value in target.headers.items():
        args += ["-H", f"{name}: {value}"]
    args += [f"http://{HOST}:{target.port}{target.path}", "--", str(target.status), target.marker]
    # latency.lua sends these in turn; without them wrk sends the URL's path alone.
    env = {**os.environ, "LODESTAR_BENCH_PATHS": "\n".join(target.paths)} if target.paths else None
    # One wrk thread drives 8 connections easily and leaves the cores to the server.
    done = subprocess.run(args, capture_output=True, text=True, check=False, env=env)
    sys.stderr.write(done.stderr)
    if done.returncode != 0:
        raise BenchError(f"wrk failed (exit status {done.returncode}): {done.stderr.strip()}")
    figures = {}
    for line in done.stdout.splitlines():
        if line.startswith("lodestar "):
            _prefix, name, value = line.split()
            figures[name] = float(value)
        else:
            print(f"  {line}", file=sys.stderr)  # wrk's own summary, for humans
    try:
        return LoadResult(
            p50_ms=figures["p50_ms"],
            p95_ms=figures["p95_ms"],
            requests=int(figures["requests"]),
            duration_s=figures["duration_s"],
            socket_errors=int(figures["socket_errors"]),
            wrong_status=int(figures["wrong_status"]),
            first_wrong_status=int(figures["first_wrong_status"]),
            wrong_body=int(figures["wrong_body"]),
        )
    except KeyError as missing:
        raise BenchError(
            f"wrk printed no {missing.args[0]} figure: is {LUA_SCRIPT} intact?"
        ) from None


def run_python(target: Target, *, seconds: int, connections: int) -> LoadResult:
    marker = target.marker.encode()
    latencies: list[float] = []
    counts = {"socket_errors": 0, "wrong_status": 0, "first_wrong_status": 0, "wrong_body": 0}
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    rotation = target.paths or (target.path,)

    def connection_loop(number: int) -> None:
        mine: list[float] = []
        conn = http.client.HTTPConnection(HOST, target.port, timeout=TIMEOUT_SECONDS)
        sent = number * len(rotation) // connections
        while time.monotonic() < deadline:
            path = rotation[sent % len(rotation)]
            sent += 1
            start = time.perf_counter()
            try:
                conn.request("GET", path, headers=target.headers)
                answer = conn.getresponse()
                body = answer.read()
            except (OSError, http.client.HTTPException):
                with lock:
                    counts["socket_errors"] += 1
                conn.close()  # reconnects on the next request
                continue
            mine.append(time.perf_counter() - start)
            if answer.status != target.status:
                with lock:
                    counts["wrong_status"] += 1
                    counts["first_wrong_status"] = counts["first_wrong_status"] or answer.status
            elif marker not in body:
                with lock:
                    counts["wrong_body"] += 1
        conn.close()
        with lock:
            latencies.extend(mine)

    started = time.monotonic()
    threads = [threading.Thread(target=connection_loop, args=(n,)) for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    duration = time.monotonic() - started
    latencies.sort()
    return LoadResult(
        p50_ms=percentile(latencies, 50) * 1000,
        p95_ms=percentile(latencies, 95) * 1000,
        requests=len(latencies),
        duration_s=duration,
        **counts,
    )


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile; 0 for no values."""
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]
