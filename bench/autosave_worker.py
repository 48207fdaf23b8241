"""Run by bench/autosave.py in a Django process of its own, on the bench database.

    python -m bench.autosave_worker setup N      # N editors in demo-unit and a fresh mission
    python -m bench.autosave_worker verify FILE  # count acknowledged saves missing from history

Prints one JSON line on stdout.
"""

from __future__ import annotations

import json
import os
import sys
import time

import django

ORGANISATION = "demo-unit"


def setup(count: int, password: str) -> dict:
    """`count` editors of demo-unit (created once, their password reset each run) and a new,
    empty mission for this run, so every box starts at version 0."""
    from accounts.models import Membership, Organisation, Role, User
    from missions.models import GrandChallenge, Mission

    organisation = Organisation.objects.get(slug=ORGANISATION)
    emails = []
    for n in range(count):
        email = f"autosave-{n:02}@bench.example"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email, password=password, full_name=f"Bench Editor {n:02}"
            )
        elif not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        Membership.objects.update_or_create(
            user=user, organisation=organisation, defaults={"role": Role.EDITOR}
        )
        emails.append(email)
    challenge, _created = GrandChallenge.objects.get_or_create(
        organisation=organisation,
        key="bench-autosave",
        defaults={"title": "Autosave benchmark challenge", "sdgs": [3]},
    )
    key = f"bench-autosave-{time.time_ns()}"
    mission = Mission.objects.create(
        organisation=organisation,
        challenge=challenge,
        key=key,
        title=f"Autosave benchmark {key[-6:]}",
    )
    return {"organisation": organisation.slug, "mission": mission.key, "emails": emails}


def verify(path: str) -> dict:
    """Every acknowledged save ({mission, box, version, text}) must be a revision in the
    history: same mission, box, version and the very same text."""
    from canvas.models import CanvasBoxRevision
    from missions.models import Mission

    with open(path, encoding="utf-8") as handle:
        document = json.load(handle)
    mission = Mission.objects.get(
        organisation__slug=document["organisation"], key=document["mission"]
    )
    stored = {
        (box, version): text
        for box, version, text in CanvasBoxRevision.objects.filter(mission=mission).values_list(
            "box_key", "version", "text"
        )
    }
    lost = [
        save
        for save in document["acknowledged"]
        if stored.get((save["box"], save["version"])) != save["text"]
    ]
    return {
        "acknowledged": len(document["acknowledged"]),
        "revisions": len(stored),
        "lost": len(lost),
        "first_lost": lost[0] if lost else None,
    }


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    what = sys.argv[1]
    if what == "setup":
        result = setup(int(sys.argv[2]), os.environ["BENCH_AUTOSAVE_PASSWORD"])
    elif what == "verify":
        result = verify(sys.argv[2])
    else:
        raise SystemExit(f"unknown command {what!r}: use setup or verify")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
