"""Reads for risks and rewards: a mission's projects with their terms and conditions, and the
portfolio's picture by mission and by lead partner, each in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from accounts.models import Organisation, User
from missions.models import Mission, MissionProject
from rewards import figures
from rewards.models import ProjectTerms, RewardCondition


def _money(terms: ProjectTerms | None, project: MissionProject) -> figures.ProjectMoney | None:
    if terms is None:
        return None
    others = sum(
        (
            value or Decimal(0)
            for value in (terms.private_money, terms.philanthropic_money, terms.in_kind_value)
        ),
        Decimal(0),
    )
    return figures.ProjectMoney(
        key=project.key,
        title=project.title,
        public=project.public_funding or Decimal(0),
        others=others,
        public_risk=terms.public_risk,
        conditions=tuple((c.kind, c.status) for c in project.reward_conditions.all()),
        lead=project.lead.name if project.lead else "",
        public_recorded=project.public_funding is not None,
        others_recorded=any(
            value is not None
            for value in (terms.private_money, terms.philanthropic_money, terms.in_kind_value)
        ),
    )


@dataclass
class ProjectRow:
    project: MissionProject
    terms: ProjectTerms | None
    conditions: list[RewardCondition]
    money: figures.ProjectMoney | None


def mission_projects(mission: Mission) -> tuple[list[ProjectRow], figures.Picture]:
    """The mission's projects, each with its terms and conditions, and the mission's picture;
    three queries however many projects."""
    projects = list(
        MissionProject.objects.filter(mission=mission)
        .select_related("lead", "terms")
        .prefetch_related(
            Prefetch("reward_conditions", queryset=RewardCondition.objects.order_by("key"))
        )
        .order_by("title", "key")
    )
    rows = []
    for project in projects:
        terms = getattr(project, "terms", None) if _has_terms(project) else None
        rows.append(
            ProjectRow(
                project=project,
                terms=terms,
                conditions=list(project.reward_conditions.all()),
                money=_money(terms, project),
            )
        )
    return rows, figures.picture(row.money for row in rows if row.money is not None)


def _has_terms(project: MissionProject) -> bool:
    try:
        project.terms  # noqa: B018 (select_related filled it, or it does not exist)
    except ProjectTerms.DoesNotExist:
        return False
    return True


def project_of(mission: Mission, project_key: str) -> MissionProject:
    """One project of `mission` (with its terms, if any), or 404."""
    return get_object_or_404(
        MissionProject.objects.select_related("mission__organisation", "terms"),
        mission=mission,
        key=project_key,
    )


def terms_of(project: MissionProject) -> ProjectTerms | None:
    return project.terms if _has_terms(project) else None


def condition_of(mission: Mission, condition_key: str) -> RewardCondition:
    """One condition of `mission`, or 404 (another mission's or organisation's)."""
    return get_object_or_404(
        RewardCondition.objects.select_related("project", "mission__organisation"),
        mission=mission,
        key=condition_key,
    )


@dataclass
class MissionLine:
    mission: Mission
    picture: figures.Picture


@dataclass
class PartnerLine:
    name: str
    picture: figures.Picture


def portfolio(
    *, user: User, organisation: Organisation
) -> tuple[list[MissionLine], list[PartnerLine]]:
    """The organisation's missions (not archived) that have projects with terms, each with its
    picture, flagged first; and the same by lead partner. Three queries however many rows."""
    projects = (
        MissionProject.objects.visible_to(user)
        .filter(
            mission__organisation=organisation,
            mission__archived_at__isnull=True,
            terms__isnull=False,
        )
        .select_related("mission", "lead", "terms")
        .prefetch_related(
            Prefetch(
                "reward_conditions",
                queryset=RewardCondition.objects.only("project_id", "kind", "status"),
            )
        )
    )
    by_mission: dict[int, list[figures.ProjectMoney]] = defaultdict(list)
    by_partner: dict[str, list[figures.ProjectMoney]] = defaultdict(list)
    missions: dict[int, Mission] = {}
    for project in projects:
        money = _money(project.terms, project)
        if money is None:
            continue
        missions[project.mission_id] = project.mission
        by_mission[project.mission_id].append(money)
        by_partner[money.lead].append(money)
    mission_lines = [
        MissionLine(missions[pk], figures.picture(items)) for pk, items in by_mission.items()
    ]
    mission_lines.sort(key=lambda line: (not line.picture.flagged, line.mission.title.lower()))
    partner_lines = [
        PartnerLine(name, figures.picture(items)) for name, items in by_partner.items() if name
    ]
    partner_lines.sort(key=lambda line: (-line.picture.public, line.name.lower()))
    return mission_lines, partner_lines
