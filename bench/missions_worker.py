"""Run by bench/missions.py in a process of its own: `import N` or `page REQUESTS`.
Prints one JSON line on stdout."""

from __future__ import annotations

import json
import os
import statistics
import sys
import time

import django


def generated_document(count: int) -> dict:
    """A realistic document: shared actors, and per mission 2 targets with milestones and
    3 projects that contribute to them."""
    actors = [
        {"key": f"actor-{n}", "name": f"Agency {n}", "helix": "government" if n % 2 else "industry"}
        for n in range(50)
    ]
    challenges = [{"key": f"challenge-{n}", "title": f"Grand challenge {n}"} for n in range(10)]
    missions = []
    for n in range(count):
        targets = [
            {
                "key": f"t{t}",
                "title": f"Target {t} of mission {n}",
                "is_headline": t == 0,
                "direction": "increase",
                "baseline_value": "10",
                "baseline_year": 2020,
                "target_value": "50",
                "target_year": 2035,
                "unit": "percent",
                "milestones": [{"year": 2028, "value": "30"}],
            }
            for t in range(2)
        ]
        projects = [
            {
                "key": f"p{p}",
                "title": f"Project {p} of mission {n}",
                "lead": f"actor-{(n + p) % 50}",
                "instrument": "grant",
                "stage": "development",
                "origin": "open_call",
                "status": "active",
                "budget": "1000000",
                "public_funding": "500000",
                "sectors": ["health care", "software"],
                "contributions": [{"target": "t0", "rationale": "Moves the headline target."}],
            }
            for p in range(3)
        ]
        missions.append(
            {
                "key": f"mission-{n:05}",
                "title": f"Generated mission {n}",
                "statement": f"By 2035 half of all people in region {n} live near a green space.",
                "challenge": f"challenge-{n % 10}",
                "status": "draft",
                "start_year": 2024,
                "deadline_year": 2035,
                "targets": targets,
                "projects": projects,
            }
        )
    return {
        "format": "lodestar.missions/1",
        "actors": actors,
        "challenges": challenges,
        "missions": missions,
    }


def fresh_organisation(prefix: str):
    """A new, empty organisation for this run (actors are protected from deletion, so earlier
    runs' organisations stay in the bench database rather than being torn down)."""
    from accounts.models import Organisation

    slug = f"{prefix}-{time.time_ns()}"
    return Organisation.objects.create(slug=slug, name=f"Benchmark {slug}")


def bench_import(count: int) -> dict:
    from missions import exchange

    organisation = fresh_organisation("bench-import")
    raw = json.dumps(generated_document(count)).encode()
    started = time.perf_counter()
    summary = exchange.import_document(document=exchange.parse(raw), organisation=organisation)
    seconds = time.perf_counter() - started
    imported = organisation.missions.count()
    if imported != count:
        raise SystemExit(f"imported {imported} missions, expected {count}: {summary}")
    return {"missions": imported, "seconds": seconds, "bytes": len(raw)}


def bench_page(requests: int) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import Membership, User
    from accounts.tests.two_factor import mark_verified
    from missions import exchange

    organisation = fresh_organisation("bench-page")
    document = generated_document(1)
    mission = document["missions"][0]
    mission["targets"] = [
        dict(mission["targets"][0], key=f"t{t}", title=f"Target {t}", is_headline=t < 3)
        for t in range(20)
    ]
    mission["projects"] = [
        dict(mission["projects"][0], key=f"p{p}", title=f"Project {p}") for p in range(40)
    ]
    exchange.import_document(document=document, organisation=organisation)
    user, _ = User.objects.get_or_create(email="bench-page@bench.example")
    Membership.objects.get_or_create(
        user=user, organisation=organisation, defaults={"role": "lead"}
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    mark_verified(client, user)  # a lead passes two-factor, as in real use
    path = f"/organisations/{organisation.slug}/missions/{mission['key']}/"
    for _ in range(3):  # warm caches, as a long-running worker has
        client.get(path)
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"GET {path} answered {response.status_code}")
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    timings.sort()
    return {
        "median_ms": statistics.median(timings),
        "p95_ms": timings[int(len(timings) * 0.95) - 1],
        "queries": len(captured.captured_queries),
    }


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    what, number = sys.argv[1], int(sys.argv[2])
    result = bench_import(number) if what == "import" else bench_page(number)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
