"""Writes for stakeholder maps. Keyword-only, atomic, permission-checked (the mission's
`missions.change_mission`), recorded in the mission's history, and followed by
`missions.hooks.mission_changed` (through `record_change`) so the criteria are assessed again.

Every change of power, interest, attitude or engagement adds a `StakeholderPosition` row, so
movement can be drawn from any earlier date. `*_update` and `stakeholder_move` take the version
the page showed and raise `ConflictError` if someone saved in between.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from missions import parts
from missions.models import Actor, ActorKind, ChangeAction, Mission
from missions.parts import record_change, unique_key
from missions.services import actor_get_or_create
from stakeholders.models import (
    CORE_ROLES,
    EngagementActivity,
    Stakeholder,
    StakeholderPosition,
)

# Where a stakeholder stands: a change to any of these adds a row to its history.
TRACKED = ("power", "interest", "attitude", "engagement_now", "engagement_planned")
# What the stakeholder form and a CSV row change. The sector (`helix`) too, where the register
# does not say it.
EDITED_FIELDS = ("roles", *TRACKED, "engagement_plan", "is_core_team", "last_engaged")
STAKEHOLDER_FIELDS = frozenset({"helix", *EDITED_FIELDS})
ACTIVITY_FIELDS = frozenset(
    {"date", "type", "level", "participants", "summary", "influence_on_decision"}
)
# Keys that would clash with the fixed addresses under …/stakeholders/.
RESERVED_KEYS = frozenset({"add", "actors", "import", "export", "reviewed"})


STAKEHOLDER = parts.PartKind(
    "stakeholder",
    STAKEHOLDER_FIELDS,
    refusal=gettext_lazy("You can read this stakeholder map but not change it. Ask an editor."),
    named_by="name",
)
ACTIVITY = parts.PartKind("engagement activity", ACTIVITY_FIELDS, refusal=STAKEHOLDER.refusal)


def _require_editable(by: User, mission: Mission) -> None:
    parts.require_kind_editable(STAKEHOLDER, by, mission)


def stakeholder_key(mission: Mission, text: str) -> str:
    key = unique_key(mission.stakeholders.all(), text, fallback="stakeholder")
    if key in RESERVED_KEYS:
        key = unique_key(mission.stakeholders.all(), f"{text}-stakeholder")
    return key


def position_of(
    stakeholder: Stakeholder, user: User | None, at: datetime.datetime
) -> StakeholderPosition:
    """Where the stakeholder stands now, as a (not yet saved) row of its history."""
    return StakeholderPosition(
        stakeholder=stakeholder,
        recorded_at=at,
        recorded_by=user,
        **{name: getattr(stakeholder, name) for name in TRACKED},
    )


def record_position(
    stakeholder: Stakeholder, user: User | None, at: datetime.datetime | None = None
) -> StakeholderPosition:
    position = position_of(stakeholder, user, at or timezone.now())
    position.save()
    return position


def _core(roles: list[str], is_core_team: bool) -> bool:
    return is_core_team or any(role in CORE_ROLES for role in roles or [])


@transaction.atomic
def stakeholder_create(
    *,
    by: User,
    mission: Mission,
    roles: list[str],
    power: int,
    interest: int,
    name: str = "",
    outside_actor: Actor | None = None,
    is_person: bool = False,
    helix: str = "",
    key: str | None = None,
    **fields: Any,
) -> Stakeholder:
    """Add a stakeholder: `outside_actor` from the register; or `name`, which reuses the
    register's actor of that name (ignoring case and spaces) or adds one (`helix` needed); or,
    with `is_person`, a named person kept out of the register."""
    parts.check_fields(fields, STAKEHOLDER_FIELDS)
    _require_editable(by, mission)
    name = " ".join((name or "").split())
    person_name = ""
    if outside_actor is None and not is_person:
        if not name:
            raise ValidationError({"name": _("Give the name of the organisation or person.")})
        outside_actor, _created = actor_get_or_create(
            by=by,
            organisation=mission.organisation,
            name=name,
            helix=helix,
            kind=ActorKind.ORGANISATION,
        )
    elif is_person:
        if not name:
            raise ValidationError({"name": _("Give the person's name.")})
        if not helix:
            raise ValidationError(
                {"helix": _("Say which sector %(name)s belongs to.") % {"name": name}}
            )
        person_name = name
    if outside_actor is not None:
        if outside_actor.organisation_id != mission.organisation_id:
            raise ValidationError({"name": _("Choose an actor from this organisation's register.")})
        existing = mission.stakeholders.filter(actor=outside_actor).first()
        helix = helix or outside_actor.helix
    else:
        existing = mission.stakeholders.filter(person_name__iexact=person_name).first()
    if existing is not None:
        raise ValidationError(
            {"name": _("%(name)s is already on this mission's map.") % {"name": existing.name}}
        )
    stakeholder = Stakeholder(
        mission=mission,
        key=key or stakeholder_key(mission, outside_actor.key if outside_actor else person_name),
        actor=outside_actor,
        person_name=person_name,
        helix=helix,
        roles=list(roles or []),
        power=power,
        interest=interest,
        created_by=by,
        updated_by=by,
        **fields,
    )
    stakeholder.is_core_team = _core(stakeholder.roles, stakeholder.is_core_team)
    return parts.create_part(
        STAKEHOLDER,
        stakeholder,
        by=by,
        mission=mission,
        recorded=["roles", *TRACKED],
        after_save=lambda saved: record_position(saved, by),
    )


def stakeholder_update(
    *, by: User, stakeholder: Stakeholder, expected_version: int, **fields: Any
) -> Stakeholder:
    """Change a stakeholder. A change of position, attitude or engagement adds a history row."""
    if "roles" in fields and set(fields["roles"]) == set(stakeholder.roles):
        fields["roles"] = stakeholder.roles  # the same roles in another order: no change

    def record_movement(saved: Stakeholder, changes: Mapping[str, list[Any]]) -> None:
        if set(changes) & set(TRACKED):
            record_position(saved, by)

    return parts.update_part(
        STAKEHOLDER,
        stakeholder,
        by=by,
        mission=stakeholder.mission,
        expected_version=expected_version,
        fields=fields,
        prepare=lambda s: setattr(s, "is_core_team", _core(s.roles, s.is_core_team)),
        after_save=record_movement,
    )


def stakeholder_move(
    *, by: User, stakeholder: Stakeholder, expected_version: int, power: int, interest: int
) -> Stakeholder:
    """Move a stakeholder on the grid (drag, keyboard or form)."""
    problems = {
        name: _("Choose a whole number from 1 to 5.")
        for name, value in (("power", power), ("interest", interest))
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5
    }
    if problems:
        raise ValidationError(problems)
    return stakeholder_update(
        by=by,
        stakeholder=stakeholder,
        expected_version=expected_version,
        power=power,
        interest=interest,
    )


def stakeholder_delete(*, by: User, stakeholder: Stakeholder) -> None:
    parts.delete_part(STAKEHOLDER, stakeholder, by=by, mission=stakeholder.mission)


@transaction.atomic
def map_confirm(*, by: User, mission: Mission) -> int:
    """Someone reviewed the whole map and it is still right: every stakeholder gets a history
    row dated now (the map counts as updated). Returns how many."""
    _require_editable(by, mission)
    now = timezone.now()
    stakeholders = list(mission.stakeholders.all())
    StakeholderPosition.objects.bulk_create(position_of(s, by, now) for s in stakeholders)
    record_change(
        mission=mission,
        user=by,
        action=ChangeAction.UPDATED,
        object_type="stakeholder map",
        changes={"reviewed": [None, now.date().isoformat()]},
    )
    parts.touch(mission, by)
    return len(stakeholders)


# --- Engagement log ---------------------------------------------------------------------------


@transaction.atomic
def activity_create(
    *,
    by: User,
    mission: Mission,
    stakeholders: Iterable[Stakeholder] = (),
    key: str | None = None,
    **fields: Any,
) -> EngagementActivity:
    """Log an engagement activity. The stakeholders who took part get `last_engaged` moved up
    to its date."""
    parts.check_fields(fields, ACTIVITY_FIELDS)
    _require_editable(by, mission)
    stakeholders = list(stakeholders)
    if any(s.mission_id != mission.pk for s in stakeholders):
        raise ValidationError({"stakeholders": _("Choose stakeholders of this mission.")})
    fields.setdefault("participants", {})
    date = fields.get("date")
    activity = EngagementActivity(
        mission=mission,
        key=key
        or unique_key(
            mission.engagement_activities.all(),
            f"{date or ''}-{fields.get('type', '')}",
            fallback="activity",
        ),
        created_by=by,
        updated_by=by,
        **fields,
    )

    def link_stakeholders(saved: EngagementActivity) -> None:
        saved.stakeholders.set(stakeholders)
        if date:
            for stakeholder in stakeholders:
                if stakeholder.last_engaged is None or stakeholder.last_engaged < date:
                    Stakeholder.objects.filter(pk=stakeholder.pk).update(last_engaged=date)

    return parts.create_part(
        ACTIVITY,
        activity,
        by=by,
        mission=mission,
        recorded=["date", "type", "level"],
        after_save=link_stakeholders,
    )


def activity_delete(*, by: User, activity: EngagementActivity) -> None:
    parts.delete_part(
        ACTIVITY,
        activity,
        by=by,
        mission=activity.mission,
        changes={"summary": [activity.summary[:80], None]},
    )
