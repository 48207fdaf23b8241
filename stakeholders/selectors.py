"""Reads for stakeholder maps, in a fixed number of queries however many stakeholders there are.
The mission itself comes from `missions.selectors.mission_detail`, which answers 404 to anyone
outside its organisation; everything here is then scoped to that mission."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Lower, NullIf
from django.shortcuts import get_object_or_404
from django.utils import timezone

from missions.models import Helix, Mission
from stakeholders.models import (
    EngagementActivity,
    Quadrant,
    Role,
    Stakeholder,
    StakeholderPosition,
)


@dataclass(frozen=True)
class MapFilters:
    helix: str = ""
    role: str = ""
    quadrant: str = ""
    since: datetime.date | None = None

    @classmethod
    def from_query(cls, query: Any) -> MapFilters:
        helix = query.get("sector", "")
        role = query.get("role", "")
        quadrant = query.get("quadrant", "")
        since = None
        raw = (query.get("since") or "").strip()
        if raw:
            try:
                since = datetime.date.fromisoformat(raw)
            except ValueError:
                since = None
        return cls(
            helix=helix if helix in Helix.values else "",
            role=role if role in Role.values else "",
            quadrant=quadrant if quadrant in Quadrant.values else "",
            since=since,
        )

    @property
    def active(self) -> bool:
        return bool(self.helix or self.role or self.quadrant)

    def matches(self, stakeholder: Stakeholder) -> bool:
        return (
            (not self.helix or stakeholder.helix == self.helix)
            and (not self.role or self.role in stakeholder.roles)
            and (not self.quadrant or stakeholder.quadrant == self.quadrant)
        )


@dataclass
class MapData:
    stakeholders: list[Stakeholder]  # all, numbered (`.number`), by name
    shown: list[Stakeholder]  # those the filters keep
    earlier: dict[int, StakeholderPosition] = field(default_factory=dict)  # by stakeholder id
    last_updated: datetime.datetime | None = None


def stakeholder_queryset(mission: Mission) -> QuerySet[Stakeholder]:
    return (
        Stakeholder.objects.filter(mission=mission)
        .select_related("actor")
        .annotate(sort_name=Lower(Coalesce(NullIf("person_name", Value("")), "actor__name")))
        .order_by("sort_name", "key")
    )


def map_data(*, mission: Mission, filters: MapFilters) -> MapData:
    """All the mission's stakeholders, numbered by name (numbers stay put when someone moves),
    those the filters keep, and — with `filters.since` — where each stood at the end of that
    day. Two queries at most."""
    # When the map last changed comes with the stakeholders (the database works it out once
    # for the query, not per row), rather than in a query of its own.
    last_change = (
        StakeholderPosition.objects.filter(stakeholder__mission=mission)
        .order_by("-recorded_at")
        .values("recorded_at")[:1]
    )
    rows = list(stakeholder_queryset(mission).annotate(map_last_updated=Subquery(last_change)))
    stakeholders: list[Stakeholder] = list(rows)
    for number, stakeholder in enumerate(stakeholders, start=1):
        stakeholder.number = number
    shown = [s for s in stakeholders if filters.matches(s)]
    data = MapData(stakeholders=stakeholders, shown=shown)
    # No stakeholder, no position (a position belongs to a stakeholder).
    data.last_updated = rows[0].map_last_updated if rows else None
    if filters.since:
        end = timezone.make_aware(
            datetime.datetime.combine(filters.since, datetime.time.max),
            timezone.get_current_timezone(),
        )
        latest = (
            StakeholderPosition.objects.filter(stakeholder__mission=mission, recorded_at__lte=end)
            .order_by("stakeholder_id", "-recorded_at", "-pk")
            .distinct("stakeholder_id")
        )
        data.earlier = {p.stakeholder_id: p for p in latest}
    return data


def stakeholder_detail(*, mission: Mission, key: str) -> Stakeholder:
    """One stakeholder of the mission with its history (oldest first) and its activities."""
    return get_object_or_404(
        Stakeholder.objects.filter(mission=mission)
        .select_related("actor", "mission")
        .prefetch_related(
            Prefetch(
                "positions",
                queryset=StakeholderPosition.objects.select_related("recorded_by").order_by(
                    "recorded_at", "pk"
                ),
            ),
            Prefetch("activities", queryset=EngagementActivity.objects.order_by("-date", "-pk")),
        ),
        key=key,
    )


def activity_list(*, mission: Mission) -> QuerySet[EngagementActivity]:
    return (
        EngagementActivity.objects.filter(mission=mission)
        .prefetch_related(
            Prefetch("stakeholders", queryset=Stakeholder.objects.select_related("actor"))
        )
        .order_by("-date", "-pk")
    )
