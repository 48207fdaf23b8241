"""Run by bench/assessment.py in a process of its own, on the bench database. Prints one JSON
line on stdout.

    queries               queries per assessment of a mission with 5 and with 50 projects
    reassess N QUEUE      import N generated missions, queue an assessment of each on QUEUE
                          (served by the Celery workers bench/assessment.py started), wait
                          until all are done
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time

import django


def _import(prefix: str, document: dict):
    from bench.missions_worker import fresh_organisation
    from missions import exchange

    organisation = fresh_organisation(prefix)
    exchange.import_document(document=document, organisation=organisation)
    return organisation


def bench_queries() -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.missions_worker import generated_document
    from evaluation import services
    from evaluation.models import RunStatus

    # The first mission only warms this process's caches (the audit trail's content types),
    # so the two measured assessments count the same kind of queries.
    sizes = (5, 5, 50)
    document = generated_document(len(sizes))
    for mission, projects in zip(document["missions"], sizes, strict=True):
        template = mission["projects"][0]
        mission["projects"] = [
            dict(template, key=f"p{p}", title=f"Project {p}", lead=f"actor-{p % 50}")
            for p in range(projects)
        ]
    organisation = _import("bench-assess-queries", document)
    result = {}
    missions = organisation.missions.order_by("key")
    services.assessment_request(mission_id=missions[0].pk, reason="bench", enqueue=False)
    services.assessment_run(mission_id=missions[0].pk)
    for mission, projects in zip(missions[1:], sizes[1:], strict=True):
        services.assessment_request(mission_id=mission.pk, reason="bench", enqueue=False)
        with CaptureQueriesContext(connection) as captured:
            outcome = services.assessment_run(mission_id=mission.pk)
        if outcome != services.RunOutcome.DONE:
            raise SystemExit(f"assessing {mission.key} gave {outcome}, not done")
        if not mission.assessment_runs.filter(status=RunStatus.DONE).exists():
            raise SystemExit(f"no completed run for {mission.key}")
        result[f"projects_{projects}"] = len(captured.captured_queries)
    return result


def wait_for_workers(seconds: float = 60) -> None:
    from config.celery import app

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if app.control.ping(timeout=0.5):
            return
    raise SystemExit(f"no Celery worker answered a ping within {seconds:.0f} s")


def bench_reassess(count: int, queue: str) -> dict:
    from bench.missions_worker import generated_document
    from evaluation import services
    from evaluation.models import AssessmentRun, AssessmentState, RunStatus
    from evaluation.tasks import assess_mission_task

    organisation = _import("bench-assess", generated_document(count))
    ids = list(organisation.missions.order_by("pk").values_list("pk", flat=True))
    if len(ids) != count:
        raise SystemExit(f"imported {len(ids)} missions, expected {count}")
    wait_for_workers()
    started = time.perf_counter()
    for mission_id in ids:
        # What the nightly job does, sent without the debounce delay to the bench's workers.
        services.assessment_request(mission_id=mission_id, reason="bench", enqueue=False)
        assess_mission_task.apply_async(args=(mission_id,), queue=queue)
    timeout = float(os.environ.get("BENCH_ASSESS_TIMEOUT", "900"))
    while True:
        pending = AssessmentState.objects.filter(
            mission_id__in=ids, pending_since__isnull=False
        ).count()
        if not pending:
            break
        if time.perf_counter() - started > timeout:
            raise SystemExit(f"{pending} of {count} missions still pending after {timeout:.0f} s")
        time.sleep(0.2)
    seconds = time.perf_counter() - started
    runs = AssessmentRun.objects.filter(mission_id__in=ids, status=RunStatus.DONE)
    done = runs.count()
    if done != count:
        raise SystemExit(f"{done} completed runs for {count} missions (expected exactly one each)")
    durations = [
        (finished - began).total_seconds() * 1000
        for began, finished in runs.values_list("started_at", "finished_at")
    ]
    return {"missions": count, "seconds": seconds, "median_ms": statistics.median(durations)}


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    what = sys.argv[1]
    result = bench_queries() if what == "queries" else bench_reassess(int(sys.argv[2]), sys.argv[3])
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
