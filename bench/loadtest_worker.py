"""Run by bench/loadtest.py in a Django process of its own, on the bench database.

    python -m bench.loadtest_worker setup USERS MISSIONS  # organisation, editors, missions
    python -m bench.loadtest_worker verify FILE           # acknowledged saves against the DB

Prints one JSON line on stdout.
"""

from __future__ import annotations

import json
import os
import sys

import django

ORGANISATION = "bench-load"
ORGANISATION_NAME = "Load benchmark unit"


def _ensure_missions(organisation, count: int) -> list[str]:
    """`count` live missions with filled-in canvases: the demo missions, then copies of them
    under other keys, imported through the exchange format as the demo data is. Imported once:
    a second import would put back the canvases of the fixture and lose nothing but time."""
    from missions import exchange
    from missions.apps import DEMO_FIXTURE
    from missions.models import Mission

    def live() -> list[str]:
        return list(
            Mission.objects.filter(organisation=organisation, archived_at__isnull=True)
            .order_by("key")
            .values_list("key", flat=True)
        )

    keys = live()
    if len(keys) < count:
        document = exchange.read_file(DEMO_FIXTURE)
        originals = [m for m in document["missions"] if not m.get("archived_at")]
        missions = list(originals)
        round_ = 0
        while len(missions) < count:
            round_ += 1
            for mission in originals:
                if mission.get("parent"):
                    continue  # a copy's parent would be the original: keep the tree simple
                copy = json.loads(json.dumps(mission))
                copy["key"] = f"{mission['key']}-load{round_}"[:80]
                copy["title"] = f"{mission['title']} ({round_})"[:120]
                missions.append(copy)
        document["missions"] = missions
        exchange.import_document(document=document, organisation=organisation)
        keys = live()
    if len(keys) < count:
        raise SystemExit(f"only {len(keys)} live missions in {ORGANISATION}, {count} wanted")
    return keys[:count]


def setup(users: int, missions: int, password: str) -> dict:
    """The load organisation, `users` editors in it (created once, their password reset each
    run) and `missions` missions. Idempotent, so a second `make bench` reuses them."""
    from django.contrib.auth.hashers import make_password

    from accounts.models import Membership, Organisation, Role, User

    organisation, _created = Organisation.objects.update_or_create(
        slug=ORGANISATION, defaults={"name": ORGANISATION_NAME}
    )
    keys = _ensure_missions(organisation, missions)
    # Hashed once for all of them: password hashing is slow on purpose, and checking or
    # setting 50 passwords one by one took minutes on a busy machine.
    hashed = make_password(password)
    emails = [f"load-{n:03}@bench.example" for n in range(users)]
    existing = {user.email: user for user in User.objects.filter(email__in=emails)}
    for n, email in enumerate(emails):
        user = existing.get(email)
        if user is None:
            user = User.objects.create_user(email=email, full_name=f"Load Editor {n:03}")
        user.password = hashed
        user.save(update_fields=["password"])
        Membership.objects.update_or_create(
            user=user, organisation=organisation, defaults={"role": Role.EDITOR}
        )
    return {"organisation": organisation.slug, "missions": keys, "emails": emails}


def verify(path: str) -> dict:
    """The log (JSON lines) of every save the scenario sent ("attempt") and every one answered
    with success ("ack", with the version the answer carried), checked against the database:

    - every acknowledged save is a revision in the history: same mission, box, version, text;
    - every box's current text is its last acknowledged save. Each box has one writer, so
      nothing else may have replaced it; the one exception is a save that was sent after the
      last acknowledged one and never answered (the run stopped mid-request), which the
      database may or may not hold: counted as `unanswered`, not lost.
    """
    from canvas.boxes import STATEMENT
    from canvas.models import CanvasBox, CanvasBoxRevision
    from missions.models import Mission

    acks: list[dict] = []
    attempts: dict[tuple[str, str], list[dict]] = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            entry = json.loads(line)
            if entry["kind"] == "ack":
                acks.append(entry)
            else:
                attempts.setdefault((entry["mission"], entry["box"]), []).append(entry)

    missions = {
        m.key: m
        for m in Mission.objects.filter(organisation__slug=ORGANISATION).only(
            "pk", "key", "statement"
        )
    }
    ids = {m.pk: key for key, m in missions.items()}
    stored = {
        (ids[mission_id], box, version): text
        for mission_id, box, version, text in CanvasBoxRevision.objects.filter(
            mission_id__in=ids
        ).values_list("mission_id", "box_key", "version", "text")
    }
    current = {
        (ids[mission_id], box): text
        for mission_id, box, text in CanvasBox.objects.filter(mission_id__in=ids).values_list(
            "mission_id", "box_key", "text"
        )
    }
    for key, mission in missions.items():
        current[(key, STATEMENT)] = mission.statement

    missing = [a for a in acks if stored.get((a["mission"], a["box"], a["version"])) != a["text"]]
    last: dict[tuple[str, str], dict] = {}
    for ack in acks:
        box = (ack["mission"], ack["box"])
        if box not in last or ack["seq"] > last[box]["seq"]:
            last[box] = ack
    overwritten = []
    unanswered = 0
    for box, ack in last.items():
        text = current.get(box)
        if text == ack["text"]:
            continue
        later = [a for a in attempts.get(box, []) if a["seq"] > ack["seq"]]
        if any(a["text"] == text for a in later):
            unanswered += 1
            continue
        overwritten.append({**ack, "database_has": (text or "")[:120]})
    return {
        "acknowledged": len(acks),
        "boxes": len(last),
        "missing_from_history": len(missing),
        "overwritten": len(overwritten),
        "unanswered": unanswered,
        # An acknowledged save missing from the history and from its box is one save lost.
        "lost": len({a["seq"] for a in missing} | {a["seq"] for a in overwritten}),
        "first_lost": (missing or overwritten or [None])[0],
    }


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    what = sys.argv[1]
    if what == "setup":
        result = setup(int(sys.argv[2]), int(sys.argv[3]), os.environ["BENCH_LOAD_PASSWORD"])
    elif what == "verify":
        result = verify(sys.argv[2])
    else:
        raise SystemExit(f"unknown command {what!r}: use setup or verify")
    print(json.dumps(result, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
