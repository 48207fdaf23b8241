"""What the canvas's stakeholders box says from the stakeholder map (registered with
missions.hooks.register_box_facts in stakeholders/apps.py)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from missions.formatting import day
from missions.models import Helix
from stakeholders.models import Quadrant


def _name(item: dict[str, Any]) -> str:
    return item.get("person_name") or item.get("actor_name") or item["key"]


def stakeholder_facts(_mission: Any, exported: dict[str, Any]) -> list[str]:
    """The stakeholders box's facts (canvas.facts): the map by quadrant, key players, missing
    helices and engagement."""
    section = exported.get("stakeholders") or {}
    people = section.get("stakeholders") or []
    if not people:
        return []
    names = {item["key"]: _name(item) for item in people}
    by_quadrant = Counter(item.get("quadrant") or "" for item in people)
    parts = [
        f"{Quadrant(quadrant).label}: {by_quadrant[quadrant]}"
        for quadrant in Quadrant.values
        if by_quadrant[quadrant]
    ]
    facts = [
        ngettext(
            "%(count)s stakeholder on the map (%(groups)s)",
            "%(count)s stakeholders on the map (%(groups)s)",
            len(people),
        )
        % {"count": len(people), "groups": "; ".join(parts)}
    ]
    key_players = sorted(
        (names[item["key"]] for item in people if item.get("quadrant") == Quadrant.KEY_PLAYER),
        key=str.lower,
    )
    if key_players:
        facts.append(_("Key players: %(names)s") % {"names": ", ".join(key_players)})
    present = {item.get("helix") for item in people}
    missing = [
        str(label)
        for value, label in Helix.choices
        if value != Helix.ENVIRONMENT and value not in present
    ]
    if missing:
        facts.append(_("No one yet from: %(helices)s") % {"helices": ", ".join(missing)})
    activities = section.get("engagement") or []
    if activities:
        latest = max(activities, key=lambda a: a.get("date") or "")
        facts.append(
            ngettext(
                "%(count)s engagement activity, the latest on %(date)s",
                "%(count)s engagement activities, the latest on %(date)s",
                len(activities),
            )
            % {"count": len(activities), "date": day(latest.get("date"))}
        )
    else:
        facts.append(_("No engagement activities recorded"))
    return facts
