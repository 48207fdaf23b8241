"""Run by bench/indicators.py in a process of its own: `page REQUESTS` or `import ROWS`.
Prints one JSON line on stdout.

- page: an indicator (the measure of a headline target) with 10,000 measurements; the median
  time of its page, and its query count (checked against the same page with 10 measurements).
- import: a CSV of ROWS measurements imported into an empty indicator; rows per second.
"""

from __future__ import annotations

import datetime
import json
import os
import statistics
import sys
import time

import django

START = datetime.date(1990, 1, 1)


def _indicator(prefix: str, measurements: int):
    from decimal import Decimal

    from accounts.models import Membership, User
    from bench.missions_worker import fresh_organisation, generated_document
    from evaluation.indicators import services
    from evaluation.indicators.models import Measurement
    from missions import exchange
    from missions.models import Target

    organisation = fresh_organisation(prefix)
    doc = generated_document(1)
    exchange.import_document(document=doc, organisation=organisation)
    mission = organisation.missions.get()
    target = Target.objects.filter(mission=mission, is_headline=True).first()
    indicator = services.indicator_create(
        by=None, mission=mission, name="Benchmark indicator", level="impact", target=target,
        unit="units", data_source="Bench", frequency="monthly",
    )  # fmt: skip
    version = indicator.versions.get()
    Measurement.objects.bulk_create(
        (
            Measurement(
                indicator=indicator,
                version=version,
                period_end=START + datetime.timedelta(days=n),
                value=Decimal(n % 997) / 10,
            )
            for n in range(measurements)
        ),
        batch_size=2000,
    )
    user, _ = User.objects.get_or_create(email=f"{prefix}@bench.example")
    Membership.objects.get_or_create(
        user=user, organisation=organisation, defaults={"role": "editor"}
    )
    return organisation, mission, indicator, user


def bench_page(requests: int, count: int = 10_000) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    def build(size: int):
        organisation, mission, indicator, user = _indicator("bench-indicator", size)
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        path = (
            f"/organisations/{organisation.slug}/missions/{mission.key}/indicators/{indicator.key}/"
        )
        return client, path

    def queries(client, path) -> int:
        client.get(path)  # the first request after signing in also writes the session
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"GET {path} answered {response.status_code}")
        return len(captured.captured_queries)

    small = queries(*build(10))
    client, path = build(count)
    for _ in range(2):
        client.get(path)
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"GET {path} answered {response.status_code}")
    return {
        "median_ms": statistics.median(timings),
        "queries": queries(client, path),
        "queries_10": small,
    }


def bench_import(rows: int) -> dict:
    from evaluation.indicators import csv_io

    _organisation, _mission, indicator, user = _indicator("bench-indicator-import", 0)
    lines = ["period_end,value,source_ref,quality"]
    lines += [
        f"{START + datetime.timedelta(days=n)},{n % 997}.5,Bench table {n % 7},official"
        for n in range(rows)
    ]
    raw = ("\n".join(lines) + "\n").encode()
    started = time.perf_counter()
    summary = csv_io.import_csv(by=user, indicator=indicator, raw=raw)
    seconds = time.perf_counter() - started
    if summary.added != rows:
        raise SystemExit(f"imported {summary.added} of {rows} rows")
    return {"per_s": rows / seconds}


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    kind, number = sys.argv[1], int(sys.argv[2])
    print(json.dumps(bench_page(number) if kind == "page" else bench_import(number)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
