"""The "stakeholders" section of the exchange format (and so of snapshots and of the criteria
engine's assessment input):

    "stakeholders": {
      "stakeholders": [{
          "key", "actor": actor key | null, "actor_name", "person_name", "helix", "roles": [...],
          "power", "interest", "quadrant", "attitude", "engagement_now", "engagement_planned",
          "engagement_plan", "core_team", "last_engaged": date | null,
          "history": [{"at", "power", "interest", "attitude", "engagement_now",
                       "engagement_planned"}]            # oldest first
      }],
      "engagement": [{
          "key", "date", "type", "iap2_level", "participants": {helix: n}, "participant_total",
          "stakeholders": [stakeholder keys], "summary", "influence_on_decision",
          "feedback_given"
      }],
      "summary": {                                        # derived; ignored on import
          "map_last_updated": date | null, "stakeholder_count", "by_quadrant": {quadrant: n},
          "helices_beyond_monitor": [...], "core_team": [actor keys or stakeholder keys],
          "citizens_at_consult_or_above": [keys], "consulted_without_feedback": [activity keys]
      }
    }

`actor_name` travels with the actor key so that a file exported with a selection of missions
(whose actor list holds only owners, coordinators and project actors) can still be imported:
an actor not in the document nor the register is added to the register under that name (or the
register's actor with that name, ignoring case, is used). `quadrant`, `core_team` (for owner,
coordinator and board member roles), `feedback_given` and `summary` are derived and recomputed
on import.
"""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from missions import exchange
from missions.exchange import (
    ExchangeError,
    FieldSpec,
    SectionContext,
    read_items,
    read_object,
)
from missions.models import Actor, Helix, Mission
from missions.services import unique_key
from stakeholders.models import (
    CORE_ROLES,
    ActivityType,
    EngagementActivity,
    EngagementLevel,
    Quadrant,
    Role,
    Stakeholder,
    StakeholderPosition,
    at_least,
)
from stakeholders.services import TRACKED, record_position

SECTION = "stakeholders"

# Where a stakeholder stands (the fields of every row of its history, too).
PLACE_SPECS = [
    FieldSpec("power", "int", required=True),
    FieldSpec("interest", "int", required=True),
    FieldSpec("attitude", "int", default=0),
    FieldSpec("engagement_now", "str", choices=EngagementLevel, default=EngagementLevel.INFORM),
    FieldSpec("engagement_planned", "str", choices=EngagementLevel, default=EngagementLevel.INFORM),
]
STAKEHOLDER_SPECS = [
    FieldSpec("key", "key", required=True),
    FieldSpec("actor", "key"),
    FieldSpec("actor_name", "str", max_length=200, default=""),
    FieldSpec("person_name", "str", max_length=200, default=""),
    FieldSpec("helix", "str", required=True, choices=Helix),
    FieldSpec("roles", "strs", required=True),
    *PLACE_SPECS,
    FieldSpec("engagement_plan", "str", max_length=500, default=""),
    FieldSpec("core_team", "bool", default=False),
    FieldSpec("last_engaged", "date"),
]
DERIVED_STAKEHOLDER_FIELDS = {"quadrant", "history"}
POSITION_SPECS = [FieldSpec("at", "datetime", required=True), *PLACE_SPECS]
ACTIVITY_SPECS = [
    FieldSpec("key", "key", required=True),
    FieldSpec("date", "date", required=True),
    FieldSpec("type", "str", required=True, choices=ActivityType),
    FieldSpec("iap2_level", "str", required=True, choices=EngagementLevel),
    FieldSpec("stakeholders", "strs", default=[]),
    FieldSpec("summary", "str", required=True, max_length=1000),
    FieldSpec("influence_on_decision", "str", max_length=1000, default=""),
]


def _iso(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


# --- Export ---------------------------------------------------------------------------------


def summarise(stakeholders: list[dict[str, Any]], engagement: list[dict[str, Any]]) -> dict:
    """Derived figures for readers of the file (the criteria rules compute their own)."""
    last = max(
        (entry["at"] for s in stakeholders for entry in s.get("history") or []), default=None
    )
    return {
        "map_last_updated": last[:10] if last else None,
        "stakeholder_count": len(stakeholders),
        "by_quadrant": dict(Counter(s["quadrant"] for s in stakeholders)),
        "helices_beyond_monitor": sorted(
            {
                s["helix"]
                for s in stakeholders
                if s["quadrant"] != Quadrant.MONITOR and set(s["roles"]) != {Role.CRITIC}
            }
        ),
        "core_team": sorted(s["actor"] or s["key"] for s in stakeholders if s["core_team"]),
        "citizens_at_consult_or_above": sorted(
            s["key"]
            for s in stakeholders
            if Role.CITIZEN_GROUP in s["roles"] and at_least(s["engagement_now"], "consult")
        ),
        "consulted_without_feedback": sorted(
            a["key"]
            for a in engagement
            if at_least(a["iap2_level"], "consult") and not a["feedback_given"]
        ),
    }


def export_stakeholders(mission: Mission) -> dict[str, Any]:
    stakeholders = (
        Stakeholder.objects.filter(mission=mission)
        .select_related("actor")
        .prefetch_related("positions")
        .order_by("key")
    )
    activities = (
        EngagementActivity.objects.filter(mission=mission)
        .prefetch_related("stakeholders")
        .order_by("date", "key")
    )
    people = [
        {
            "key": s.key,
            "actor": s.actor.key if s.actor else None,
            "actor_name": s.actor.name if s.actor else "",
            "person_name": s.person_name,
            "helix": s.helix,
            "roles": list(s.roles),
            "power": s.power,
            "interest": s.interest,
            "quadrant": s.quadrant,
            "attitude": s.attitude,
            "engagement_now": s.engagement_now,
            "engagement_planned": s.engagement_planned,
            "engagement_plan": s.engagement_plan,
            "core_team": s.is_core_team,
            "last_engaged": _iso(s.last_engaged),
            "history": [
                {
                    "at": p.recorded_at.isoformat(timespec="seconds"),
                    "power": p.power,
                    "interest": p.interest,
                    "attitude": p.attitude,
                    "engagement_now": p.engagement_now,
                    "engagement_planned": p.engagement_planned,
                }
                for p in sorted(s.positions.all(), key=lambda p: (p.recorded_at, p.pk))
            ],
        }
        for s in stakeholders
    ]
    engagement = [
        {
            "key": a.key,
            "date": a.date.isoformat(),
            "type": a.type,
            "iap2_level": a.level,
            "participants": dict(sorted((a.participants or {}).items())),
            "participant_total": a.participant_total,
            "stakeholders": sorted(s.key for s in a.stakeholders.all()),
            "summary": a.summary,
            "influence_on_decision": a.influence_on_decision,
            "feedback_given": a.feedback_given,
        }
        for a in activities
    ]
    return {
        "stakeholders": people,
        "engagement": engagement,
        "summary": summarise(people, engagement),
    }


# --- Validate -------------------------------------------------------------------------------


def _range_error(path: str, value: Any, low: int, high: int) -> ExchangeError | None:
    if isinstance(value, int) and not low <= value <= high:
        return ExchangeError(
            path,
            _("%(value)s is outside %(low)s to %(high)s.")
            % {"value": value, "low": low, "high": high},
        )
    return None


def validate_stakeholders(data: Any, path: str, context: SectionContext) -> list[ExchangeError]:
    errors: list[ExchangeError] = []
    if not isinstance(data, dict):
        return [ExchangeError(path, _("expected an object with stakeholders and engagement."))]
    keys: list[tuple[str, Any]] = []
    actors: list[tuple[str, Any]] = []
    persons: list[tuple[str, Any]] = []
    for item_path, item, values in read_items(
        data.get("stakeholders"), f"{path}.stakeholders", STAKEHOLDER_SPECS, errors
    ):
        keys.append((f"{item_path}.key", values.get("key")))
        for name, low, high in (("power", 1, 5), ("interest", 1, 5), ("attitude", -2, 2)):
            problem = _range_error(f"{item_path}.{name}", values.get(name), low, high)
            if problem:
                errors.append(problem)
        roles = values.get("roles")
        if roles is not None:
            if not roles:
                errors.append(ExchangeError(f"{item_path}.roles", _("give at least one role.")))
            for r_index, role in enumerate(roles):
                if role not in Role.values:
                    errors.append(
                        exchange.not_a_choice(f"{item_path}.roles[{r_index}]", role, Role.values)
                    )
        actor_key, person = values.get("actor"), (values.get("person_name") or "").strip()
        if bool(actor_key) == bool(person):
            errors.append(
                ExchangeError(
                    item_path, _("give either an actor or a person_name, not both or neither.")
                )
            )
        elif actor_key:
            actors.append((f"{item_path}.actor", actor_key))
            if actor_key not in context.actor_keys and not (values.get("actor_name") or "").strip():
                errors.append(
                    ExchangeError(
                        f"{item_path}.actor",
                        _(
                            "refers to actor %(key)r, which is not in the document's actors; "
                            "give its actor_name to add it."
                        )
                        % {"key": actor_key},
                    )
                )
        else:
            persons.append((f"{item_path}.person_name", person))
        # A past position has nothing to check beyond its own fields.
        list(read_items(item.get("history"), f"{item_path}.history", POSITION_SPECS, errors))
    exchange.report_duplicates(keys, _("Stakeholder key"), errors)
    exchange.report_duplicates(actors, _("Stakeholder actor"), errors)
    exchange.report_duplicates(persons, _("Stakeholder person"), errors, ignore_case=True)
    known = {key for _path, key in keys if key}
    activity_keys = []
    for item_path, item, values in read_items(
        data.get("engagement"), f"{path}.engagement", ACTIVITY_SPECS, errors
    ):
        activity_keys.append((f"{item_path}.key", values.get("key")))
        for s_index, key in enumerate(values.get("stakeholders") or []):
            if key not in known:
                errors.append(
                    ExchangeError(
                        f"{item_path}.stakeholders[{s_index}]",
                        _("refers to stakeholder %(key)r, which this section does not list.")
                        % {"key": key},
                    )
                )
        participants = item.get("participants")
        if participants is None:
            participants = {}
        if not isinstance(participants, dict):
            errors.append(
                exchange.type_error(f"{item_path}.participants", _("an object"), participants)
            )
        else:
            for helix, count in participants.items():
                if helix not in Helix.values:
                    errors.append(
                        exchange.not_a_choice(
                            f"{item_path}.participants.{helix}", helix, Helix.values
                        )
                    )
                elif isinstance(count, bool) or not isinstance(count, int) or count < 0:
                    errors.append(
                        ExchangeError(
                            f"{item_path}.participants.{helix}",
                            _("expected a whole number, 0 or more."),
                        )
                    )
    exchange.report_duplicates(activity_keys, _("Activity key"), errors)
    return errors


# --- Load -----------------------------------------------------------------------------------


def _actor_for(values: dict[str, Any], context: SectionContext, mission: Mission) -> Actor:
    key = values["actor"]
    if key in context.actors:
        return context.actors[key]
    name = " ".join(values["actor_name"].split())
    actor = Actor.objects.filter(organisation=mission.organisation, name__iexact=name).first()
    if actor is None:
        actor = Actor.objects.create(
            organisation=mission.organisation,
            key=key
            if not Actor.objects.filter(organisation=mission.organisation, key=key).exists()
            else unique_key(mission.organisation.actors.all(), name, fallback="actor"),
            name=name,
            helix=values["helix"],
            created_by=context.user,
        )
        context.summary.count("created", "actors")
    context.actors[key] = actor
    return actor


def load_stakeholders(mission: Mission, data: dict[str, Any], context: SectionContext) -> None:
    existing = {
        s.key: s for s in Stakeholder.objects.filter(mission=mission).select_related("actor")
    }
    wanted = []
    loaded: dict[str, Stakeholder] = {}
    now = timezone.now()
    # Free actors and names first, so that swapping keys between stakeholders loads cleanly.
    keys_in_document = [
        item["key"] for item in data.get("stakeholders") or [] if isinstance(item, dict)
    ]
    gone = [s for key, s in existing.items() if key not in set(keys_in_document)]
    for stakeholder in gone:
        stakeholder.delete()
    if gone:
        context.summary.count("deleted", "stakeholders", len(gone))
    for item in data.get("stakeholders") or []:
        values = read_object(item, "", STAKEHOLDER_SPECS, [])
        assert values is not None  # validated before loading  # noqa: S101
        wanted.append(values["key"])
        actor = _actor_for(values, context, mission) if values["actor"] else None
        stakeholder = existing.get(values["key"]) or Stakeholder(
            mission=mission, key=values["key"], created_by=context.user
        )
        fields = {
            "actor": actor,
            "person_name": "" if actor else " ".join(values["person_name"].split()),
            "helix": values["helix"],
            "roles": values["roles"],
            "power": values["power"],
            "interest": values["interest"],
            "attitude": values["attitude"],
            "engagement_now": values["engagement_now"],
            "engagement_planned": values["engagement_planned"],
            "engagement_plan": values["engagement_plan"],
            "is_core_team": values["core_team"] or any(r in CORE_ROLES for r in values["roles"]),
            "last_engaged": values["last_engaged"],
        }
        moved = stakeholder.pk is None or any(
            getattr(stakeholder, name) != fields[name] for name in TRACKED
        )
        stakeholder.updated_by = context.user
        exchange.save_if_changed(stakeholder, fields, "stakeholders", context.summary)
        loaded[stakeholder.key] = stakeholder
        history = item.get("history")
        if isinstance(history, list) and history:
            positions = [read_object(entry, "", POSITION_SPECS, []) for entry in history]
            stored = [
                (p.recorded_at, *(getattr(p, name) for name in TRACKED))
                for p in stakeholder.positions.order_by("recorded_at", "pk")
            ]
            incoming = [(p["at"], *(p[name] for name in TRACKED)) for p in positions if p]
            if stored != incoming:
                stakeholder.positions.all().delete()
                StakeholderPosition.objects.bulk_create(
                    StakeholderPosition(
                        stakeholder=stakeholder,
                        recorded_at=at,
                        **dict(zip(TRACKED, place, strict=True)),
                    )
                    for at, *place in incoming
                )
                # The history ends where the stakeholder stands now.
                if incoming[-1][1:] != tuple(getattr(stakeholder, name) for name in TRACKED):
                    record_position(stakeholder, context.user, now)
        elif moved:
            record_position(stakeholder, context.user, now)
    if "engagement" not in data:
        return
    activities = {
        a.key: a
        for a in EngagementActivity.objects.filter(mission=mission).prefetch_related("stakeholders")
    }
    for item in data.get("engagement") or []:
        values = read_object(item, "", ACTIVITY_SPECS, [])
        assert values is not None  # noqa: S101
        stakeholder_keys = values.pop("stakeholders")
        values["level"] = values.pop("iap2_level")
        values["participants"] = dict(item.get("participants") or {})
        activity = activities.get(values["key"]) or EngagementActivity(
            mission=mission, created_by=context.user
        )
        exchange.save_if_changed(activity, values, "engagement activities", context.summary)
        current = sorted(s.key for s in activity.stakeholders.all())
        if current != sorted(stakeholder_keys):
            activity.stakeholders.set([loaded[k] for k in stakeholder_keys if k in loaded])
    exchange.delete_missing(
        activities,
        [item["key"] for item in data.get("engagement") or []],
        "engagement activities",
        context.summary,
    )


def register() -> None:
    exchange.register_section(
        exchange.Section(SECTION, export_stakeholders, validate_stakeholders, load_stakeholders),
        order=300,
    )
