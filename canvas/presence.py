"""Who else has a canvas open, and which box each of them has open.

Each open canvas page tells the server every few seconds that its reader is still there (and
which box they have open); the server keeps that for a few seconds in one Redis hash per
mission, field = person, value = their name, box and when they were last seen. Nothing is
written to the database: presence is a courtesy that fades on its own when a tab closes or
the network drops, and a Redis outage only hides it (the canvas works as before).
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass

import redis

from accounts.models import User
from canvas.boxes import BY_KEY
from config.health import redis_client

logger = logging.getLogger(__name__)

KEY = "lodestar:canvas-presence:{mission}"
# A page asks every 2.5 s (static/js/canvas.mjs); three missed calls and the person is gone.
FRESH_SECONDS = 8
# The hash lives a little longer than anyone in it, so an abandoned canvas leaves nothing.
KEEP_SECONDS = 60
SHOWN = 5


@dataclass(frozen=True)
class Present:
    """Another person on the canvas: their name, and the box they have open ('' for none)."""

    user_id: int
    name: str
    box_key: str

    @property
    def box_title(self) -> str:
        box = BY_KEY.get(self.box_key)
        return str(box.title) if box else ""


def record(*, mission_id: int, user: User, box_key: str) -> None:
    """`user` is on the canvas of mission `mission_id` now, with `box_key` open (or none)."""
    key = KEY.format(mission=mission_id)
    value = json.dumps({"name": str(user), "box": box_key, "at": time.time()})
    try:
        pipeline = redis_client().pipeline()
        pipeline.hset(key, str(user.pk), value)
        pipeline.expire(key, KEEP_SECONDS)
        pipeline.execute()
    except redis.RedisError:
        logger.warning("canvas presence not recorded: Redis is unavailable")


def others(*, mission_id: int, viewer_id: int) -> list[Present]:
    """Everyone but the viewer seen on this canvas in the last few seconds, by name."""
    try:
        seen = redis_client().hgetall(KEY.format(mission=mission_id))
    except redis.RedisError:
        logger.warning("canvas presence not read: Redis is unavailable")
        return []
    now = time.time()
    people = []
    for user_id, raw in seen.items():
        try:
            entry = json.loads(raw)
            person = Present(int(user_id), str(entry["name"]), str(entry.get("box", "")))
            fresh = now - float(entry["at"]) <= FRESH_SECONDS
        except (ValueError, KeyError, TypeError):
            continue  # a malformed entry is skipped; it expires with the hash
        if fresh and person.user_id != viewer_id:
            people.append(person)
    return sorted(people, key=lambda person: (person.name.casefold(), person.user_id))


def summary(people: list[Present]) -> dict[str, object]:
    """What the page shows: at most five names, how many more there are, and for marking the
    cards, everyone's name and open box."""
    return {
        "shown": people[:SHOWN],
        "more": max(0, len(people) - SHOWN),
        "boxes": [{"name": person.name, "box": person.box_key} for person in people],
    }
