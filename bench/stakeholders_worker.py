"""Run by bench/stakeholders.py in a process of its own: `map REQUESTS`. Builds a mission with
200 stakeholders (and their history) through the exchange format, then times its map page.
Prints one JSON line on stdout."""

from __future__ import annotations

import json
import os
import statistics
import sys
import time

import django

HELICES = ["government", "industry", "academia", "civil_society", "environment"]
ROLES = ["owner", "funder", "project_lead", "knowledge_provider", "citizen_group", "critic"]


def document(count: int) -> dict:
    from bench.missions_worker import generated_document

    doc = generated_document(1)
    mission = doc["missions"][0]
    people = []
    for n in range(count):
        power, interest = 1 + (n * 7) % 5, 1 + (n * 3) % 5
        people.append(
            {
                "key": f"s{n:03}",
                "actor": None,
                "person_name": f"Stakeholder person {n:03}",
                "helix": HELICES[n % 5],
                "roles": [ROLES[n % len(ROLES)]],
                "power": power,
                "interest": interest,
                "attitude": (n % 5) - 2,
                "engagement_now": "consult",
                "engagement_planned": "involve",
                "history": [
                    {"at": "2024-01-01T00:00:00+00:00", "power": 1 + n % 5, "interest": 1,
                     "attitude": 0, "engagement_now": "inform", "engagement_planned": "consult"},
                    {"at": "2025-01-01T00:00:00+00:00", "power": power, "interest": interest,
                     "attitude": (n % 5) - 2, "engagement_now": "consult",
                     "engagement_planned": "involve"},
                ],
            }
        )  # fmt: skip
    mission["stakeholders"] = {"stakeholders": people, "engagement": []}
    return doc


def bench_map(requests: int, count: int = 200) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import Membership, User
    from bench.missions_worker import fresh_organisation
    from missions import exchange

    def build(size: int):
        organisation = fresh_organisation("bench-stakeholders")
        doc = document(size)
        exchange.import_document(document=doc, organisation=organisation)
        user, _ = User.objects.get_or_create(email="bench-stakeholders@bench.example")
        Membership.objects.get_or_create(
            user=user, organisation=organisation, defaults={"role": "editor"}
        )
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        path = (
            f"/organisations/{organisation.slug}/missions/{doc['missions'][0]['key']}"
            "/stakeholders/?since=2024-06-01"
        )
        return client, path

    def queries(client, path) -> int:
        client.get(path)  # the first request after signing in also writes the session
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"GET {path} answered {response.status_code}")
        return len(captured.captured_queries)

    small_client, small_path = build(10)
    small_queries = queries(small_client, small_path)
    client, path = build(count)
    for _ in range(3):
        client.get(path)
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"GET {path} answered {response.status_code}")
    large_queries = queries(client, path)
    return {
        "median_ms": statistics.median(timings),
        "queries": large_queries,
        "queries_10": small_queries,
    }


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    print(json.dumps(bench_map(int(sys.argv[2]))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
