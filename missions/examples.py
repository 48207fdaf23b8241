"""The example missions shipped with Lodestar: real missions from the Netherlands, Sweden, Spain
and the EU (missions/fixtures/demo_missions.json, in the exchange format, with their sources),
which anyone signed in may read and start a mission from. They are data files, not any
organisation's missions: reading them needs no exception to an organisation's scope."""

from __future__ import annotations

import functools
import json
from decimal import Decimal
from typing import Any

from missions.apps import DEMO_FIXTURE
from missions.models import Actor, GrandChallenge, Mission


@functools.cache
def _loaded() -> str:
    return DEMO_FIXTURE.read_text(encoding="utf-8")


def document() -> dict[str, Any]:
    """The example missions as an exchange document (a fresh copy each time)."""
    loaded: dict[str, Any] = json.loads(_loaded())
    return loaded


def entries() -> list[dict[str, Any]]:
    """The example missions, top-level ones first, by title."""
    missions = document()["missions"]
    return sorted(missions, key=lambda m: (m.get("parent") is not None, m["title"].casefold()))


def entry(key: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """One example mission and the document it is in, or None."""
    whole = document()
    found = next((m for m in whole["missions"] if m["key"] == key), None)
    return (found, whole) if found else None


def as_mission(item: dict[str, Any], whole: dict[str, Any]) -> Mission:
    """An unsaved Mission with what the canvas's facts read (challenge, owner, coordinator,
    budget, team), so an example's boxes say the same as a stored mission's would."""
    actors = {a["key"]: a for a in whole.get("actors") or []}
    challenges = {c["key"]: c for c in whole.get("challenges") or []}

    def actor(key: str | None) -> Actor | None:
        if key is None or key not in actors:
            return None
        return Actor(key=key, name=actors[key]["name"])

    def amount(text: str | None) -> Decimal | None:
        return Decimal(text) if text not in (None, "") else None

    mission = Mission(
        key=item["key"],
        title=item["title"],
        statement=item.get("statement") or "",
        committed_budget=amount(item.get("committed_budget")),
        estimated_need=amount(item.get("estimated_need")),
        currency=item.get("currency") or "EUR",
        team_fte=amount(item.get("team_fte")),
    )
    challenge = challenges.get(item.get("challenge") or "")
    mission.challenge = GrandChallenge(
        key=item.get("challenge") or "", title=(challenge or {}).get("title", "")
    )
    mission.owner = actor(item.get("owner"))
    mission.coordinator = actor(item.get("coordinator"))
    return mission
