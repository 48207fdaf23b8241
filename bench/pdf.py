"""PDF exports through real Celery workers (the `pdf` queue), against WeasyPrint and Chromium.

Starts its own workers on the bench database and Redis (one on `default`, two processes on
`pdf`, as deployed), runs bench.pdf_driver in a process of its own, and stops the workers.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator

from bench.context import BASE_DIR, PYTHON, BenchError, Context, say, start_worker, stop_group

Figures = Iterator[tuple[str, float]]
PDF_CONCURRENCY = 2


def _worker(ctx: Context, queue: str, concurrency: int, name: str) -> subprocess.Popen:
    return start_worker(
        ctx, queue, concurrency=concurrency, name=name, options=("--max-tasks-per-child", "200")
    )


def _rss_mb(process: subprocess.Popen) -> float:
    """The largest resident memory of the worker's processes (pool children render)."""
    import psutil

    try:
        parent = psutil.Process(process.pid)
        processes = [parent, *parent.children(recursive=True)]
        return max(p.memory_info().rss for p in processes) / 1024 / 1024
    except psutil.Error:
        return 0.0


def canvas_pdf(ctx: Context) -> Figures:
    """Canvas, briefing and 20-mission pack exports, request to stored file, warm workers (two
    pdf processes: a pack's missing pieces are rendered by both in parallel), and a canvas
    asked for again once a change to its mission has settled (made ahead, so found made)."""
    say(f"starting Celery workers (default, pdf x{PDF_CONCURRENCY}) …")
    workers = [
        _worker(ctx, "default", 1, "bench-default"),
        # Clicks, and the renders ahead of them (documents.ahead), as `make run` consumes them.
        _worker(ctx, "pdf,pdf_ahead", PDF_CONCURRENCY, "bench-pdf"),
    ]
    try:
        time.sleep(3)
        for worker in workers:
            if worker.poll() is not None:
                raise BenchError(f"a Celery worker exited with status {worker.returncode}")
        say("exporting canvases, briefings and a 20-mission pack …")
        done = subprocess.run(
            [PYTHON, "-m", "bench.pdf_driver"],
            env=ctx.env,
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
            check=False,
            timeout=1800,
        )
        sys.stderr.write(done.stderr[-4000:])
        if done.returncode != 0:
            raise BenchError(f"bench.pdf_driver failed (exit status {done.returncode})")
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        rss = _rss_mb(workers[1])
    finally:
        for worker in workers:
            stop_group(worker)
    for name in (
        "canvas_pdf_s",
        "canvas_pdf_cached_s",
        "canvas_pdf_after_change_s",
        "canvas_full_pdf_s",
        "briefing_pdf_s",
        "briefing_docx_s",
        "pack20_pdf_s",
        "pack20_cached_pdf_s",
        "pack20_one_changed_pdf_s",
    ):
        yield name, figures[name]
    yield "pdf_worker_rss_mb", rss
    yield "canvas_pdf_vs_bare_weasyprint", figures["canvas_pdf_vs_bare_weasyprint"]
    yield "canvas_pdf_vs_chromium", figures["canvas_pdf_vs_chromium"]
    yield "canvas_full_vs_chromium", figures["canvas_full_vs_chromium"]
    yield "pack20_vs_chromium", figures["pack20_vs_chromium"]
    say(
        "for reference: bare WeasyPrint canvas {bare:.3f} s, Chromium canvas {cc:.3f} s, "
        "Chromium pack {pc:.3f} s, pack pages {pages} ({kb:.0f} kB); inside the worker: canvas "
        "{cw:.3f} s, pack {pw:.3f} s, pack with one mission changed {ow:.3f} s".format(
            kb=figures["pack20_bytes"] / 1024,
            ow=figures["pack20_one_changed_worker_render_s"],
            cw=figures["canvas_worker_render_s"],
            pw=figures["pack20_worker_render_s"],
            bare=figures["bare_weasyprint_canvas_s"],
            cc=figures["canvas_chromium_s"],
            pc=figures["pack20_chromium_s"],
            pages=figures["pack20_pages"],
        )
    )
