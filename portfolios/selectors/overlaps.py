"""Actors involved in several missions of a portfolio (as owner, coordinator, project lead or
partner): a chance for synergy, or a sign of concentration."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet, Value
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from missions.models import Actor, Mission, MissionProject
from portfolios.models import Portfolio
from portfolios.selectors.scope import missions_in_scope

ROLE_LABELS = {
    "owner": _("owner"),
    "coordinator": _("coordinator"),
    "lead": _("project lead"),
    "partner": _("project partner"),
}


@dataclass
class Overlap:
    actor: Actor
    mission_count: int
    missions: list[tuple[Mission, list[str]]]  # the first few, with the actor's roles in each

    @property
    def more(self) -> int:
        return self.mission_count - len(self.missions)


def _roles(scope: QuerySet[Mission]) -> dict[int, dict[int, set[str]]]:
    """actor id → mission id → the actor's roles in that mission, for the missions in scope
    (one query: a UNION ALL of the four ways to be involved)."""
    ids = scope.order_by().values("pk")
    partners = MissionProject.partners.through.objects.filter(missionproject__mission_id__in=ids)
    parts = [
        scope.filter(owner__isnull=False).values_list("owner_id", "pk", Value("owner")),
        scope.filter(coordinator__isnull=False).values_list(
            "coordinator_id", "pk", Value("coordinator")
        ),
        MissionProject.objects.filter(mission_id__in=ids, lead__isnull=False).values_list(
            "lead_id", "mission_id", Value("lead")
        ),
        partners.values_list("actor_id", "missionproject__mission_id", Value("partner")),
    ]
    involved = parts[0].order_by().union(*(part.order_by() for part in parts[1:]), all=True)
    roles: dict[int, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    for actor_id, mission_id, role in involved.order_by():
        roles[actor_id][mission_id].add(role)
    return roles


def overlapping_actors(
    *,
    user: User,
    organisation: Organisation,
    portfolio: Portfolio | None,
    limit: int = 50,
    missions_each: int = 12,
) -> list[Overlap]:
    """Actors involved in two or more missions of the portfolio, most involved first (then by
    id), each with their first `missions_each` missions (by id) and their roles there. Three
    queries: who is involved where, then the actors and the missions shown."""
    scope = missions_in_scope(user=user, organisation=organisation, portfolio=portfolio)
    roles = _roles(scope)
    ranked = sorted(
        ((len(missions), actor_id) for actor_id, missions in roles.items() if len(missions) >= 2),
        key=lambda pair: (-pair[0], pair[1]),
    )[:limit]
    shown = {actor_id: sorted(roles[actor_id])[:missions_each] for _n, actor_id in ranked}
    actors = Actor.objects.in_bulk(list(shown))
    missions = Mission.objects.only("key", "title", "status", "organisation_id").in_bulk(
        {mission_id for mission_ids in shown.values() for mission_id in mission_ids}
    )
    return [
        Overlap(
            actors[actor_id],
            count,
            [
                (missions[mission_id], _role_words(roles[actor_id][mission_id]))
                for mission_id in shown[actor_id]
            ],
        )
        for count, actor_id in ranked
    ]


def _role_words(roles: set[str]) -> list[str]:
    return [str(label) for role, label in ROLE_LABELS.items() if role in roles]
