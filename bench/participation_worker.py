"""Run by bench/participation.py in a Django process of its own, on the bench database.

    python -m bench.participation_worker N   # N participants send in an idea at once

Prints one JSON line on stdout: sent, stored, lost, refused, slowest_ms.
"""

from __future__ import annotations

import datetime
import json
import os
import sys
import threading
import time

import django


def run(count: int) -> dict:
    from django.db import connection
    from django.utils import timezone

    from accounts.models import User
    from missions.models import Mission
    from participation import services
    from participation.models import Idea, Participant

    mission = Mission.objects.get(organisation__slug="demo-unit", key="se-school-food")
    lead = User.objects.get(email="lead@demo.example")
    today = timezone.localdate()
    services.publish(by=lead, mission=mission, introduction="Bench run.")
    consultation = services.consultation_create(
        by=lead,
        mission=mission,
        title=f"Bench consultation {time.time_ns()}",
        purpose="Measures concurrent submissions.",
        decision_by=today + datetime.timedelta(days=30),
        opens_on=today,
        closes_on=today + datetime.timedelta(days=10),
        questions="Anything?",
    )
    month_ago = timezone.now() - datetime.timedelta(days=30)
    people = []
    for n in range(count):
        person, _created = Participant.objects.get_or_create(
            email=f"bench-participant-{n:02}@bench.example",
            defaults={"display_name": f"Bench {n:02}"},
        )
        people.append(person)
    Participant.objects.filter(pk__in=[p.pk for p in people]).update(
        created_at=month_ago, confirmed_at=month_ago, banned_at=None
    )
    people = list(Participant.objects.filter(pk__in=[p.pk for p in people]))
    connection.close()

    start = threading.Barrier(count)
    acknowledged: list[int] = []
    refused: list[str] = []
    durations: list[float] = []
    lock = threading.Lock()

    def send(person: Participant) -> None:
        try:
            start.wait()
            began = time.perf_counter()
            try:
                idea = services.idea_submit(
                    participant=person,
                    consultation=consultation,
                    title=f"Idea from {person.display_name}",
                    body="Sent at the same moment as 49 others.",
                )
            except Exception as error:
                with lock:
                    refused.append(repr(error))
                return
            with lock:
                acknowledged.append(idea.pk)
                durations.append(time.perf_counter() - began)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stored = set(Idea.objects.filter(consultation=consultation).values_list("pk", flat=True))
    numbers = list(Idea.objects.filter(consultation=consultation).values_list("number", flat=True))
    return {
        "sent": count,
        "stored": len(stored),
        "lost": len(set(acknowledged) - stored) + (len(numbers) - len(set(numbers))),
        "refused": len(refused),
        "first_refusal": refused[0] if refused else None,
        "slowest_ms": round(max(durations) * 1000, 1) if durations else 0,
    }


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    print(json.dumps(run(int(sys.argv[1]))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
