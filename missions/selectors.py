"""Reads for missions. Every query starts from `visible_to(user)`, so another organisation's
missions are never found, and loads what its page needs in a fixed number of queries."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal, TypedDict, Unpack

from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Page, Paginator
from django.db.models import Count, Model, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import JSONObject
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from accounts.selectors import organisation_for
from config.inputs import spreadsheet_cell
from missions.models import (
    Actor,
    GrandChallenge,
    Milestone,
    Mission,
    MissionChange,
    MissionProject,
    ProjectContribution,
    Target,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

PAGE_SIZE = 25


class _ListCounts(TypedDict):
    """What `mission_queryset` adds to each mission: the counts a list row shows."""

    headline_target_count: int
    project_count: int


def _organisation_id(organisation: Organisation | str | None, user: User) -> int | None:
    if organisation is None or isinstance(organisation, Organisation):
        return organisation.pk if organisation else None
    return get_object_or_404(Organisation.objects.visible_to(user), slug=organisation).pk


def mission_queryset(
    *,
    user: User,
    organisation: Organisation | str | None = None,
    search: str = "",
    status: str = "",
    include_archived: bool = False,
) -> QuerySet[WithAnnotations[Mission, _ListCounts]]:
    """Missions the user may see, filtered, with what a list row shows: challenge, owner,
    `headline_target_count` and `project_count`, in two queries at most (with the count)."""
    missions = Mission.objects.visible_to(user).select_related("organisation", "challenge", "owner")
    organisation_id = _organisation_id(organisation, user)
    if organisation_id:
        missions = missions.filter(organisation_id=organisation_id)
    if not include_archived:
        missions = missions.filter(archived_at__isnull=True)
    if status:
        missions = missions.filter(status=status)
    for word in search.split():
        missions = missions.filter(
            Q(title__icontains=word)
            | Q(statement__icontains=word)
            | Q(key__icontains=word)
            | Q(challenge__title__icontains=word)
        )
    return missions.annotate(
        headline_target_count=Count("targets", filter=Q(targets__is_headline=True), distinct=True),
        project_count=Count("projects", distinct=True),
    ).order_by("title", "pk")


class MissionFilters(TypedDict, total=False):
    """What the missions list is filtered by (`mission_queryset`'s keyword arguments)."""

    organisation: Organisation | str | None
    search: str
    status: str
    include_archived: bool


def mission_list(
    *,
    user: User,
    page: int | str = 1,
    per_page: int = PAGE_SIZE,
    **filters: Unpack[MissionFilters],
) -> Page:
    """One page of the missions list (see `mission_queryset` for what each row carries).
    An out-of-range page number gives the last page."""
    return Paginator(mission_queryset(user=user, **filters), per_page).get_page(page)


def part_of[M: Model](queryset: QuerySet[M], mission: Mission, not_found: str, **lookup: Any) -> M:
    """One part of `mission` (a step, an indicator …) from `queryset`; 404 saying `not_found`
    when the mission has no such part."""
    try:
        return queryset.get(mission=mission, **lookup)
    except ObjectDoesNotExist:
        raise Http404(not_found) from None


# What `mission_detail` loads besides the mission and what its layout shows (challenge, owner,
# coordinator, parent): "all" is everything the targets and projects pages show; "overview" the
# targets the workflow's requirements read and the sub-missions (`sub_missions`); "none" nothing
# more.
Parts = Literal["all", "overview", "none"]


def mission_detail(
    *, user: User, organisation: Organisation | str, key: str, parts: Parts = "all"
) -> Mission:
    """Everything the mission page shows, in a constant number of queries however many targets
    and projects there are: challenge, owner, coordinator, parent and sub-missions, targets
    with milestones and contributions, projects with lead, partners and contributions (`parts`
    says which of these the page needs). 404 if the user may not see the mission."""
    if not isinstance(organisation, Organisation):
        # Among the memberships the request reads anyway: no query of its own.
        organisation = organisation_for(user=user, slug=organisation)
    queryset = Mission.objects.visible_to(user).select_related(
        "challenge", "owner", "coordinator", "parent"
    )
    if parts == "all":
        contributions = ProjectContribution.objects.select_related("target", "project").order_by(
            "target__position", "target__key", "project__key"
        )
        queryset = queryset.select_related("created_by", "updated_by").prefetch_related(
            Prefetch(
                "targets",
                queryset=Target.objects.order_by("position", "key").prefetch_related(
                    Prefetch("milestones", queryset=Milestone.objects.order_by("year")),
                    Prefetch("contributions", queryset=contributions),
                ),
            ),
            Prefetch(
                "projects",
                queryset=MissionProject.objects.order_by("key")
                .select_related("lead")
                .prefetch_related(
                    Prefetch("partners", queryset=Actor.objects.order_by("name")),
                    Prefetch("contributions", queryset=contributions),
                ),
            ),
            Prefetch("children", queryset=Mission.objects.order_by("title")),
        )
    elif parts == "overview":
        # The sub-missions' keys and titles come with the mission (`sub_missions`, a list of
        # {"key", "title"} by title), not in a query of their own.
        children = (
            Mission.objects.filter(parent=OuterRef("pk"))
            .order_by("title")
            .values(json=JSONObject(key="key", title="title"))
        )
        queryset = queryset.annotate(sub_missions=ArraySubquery(children)).prefetch_related(
            Prefetch("targets", queryset=Target.objects.order_by("position", "key"))
        )
    mission = get_object_or_404(queryset, organisation_id=organisation.pk, key=key)
    mission.organisation = organisation  # already at hand: no join for it
    return mission


def mission_history(*, user: User, mission: Mission, limit: int = 50) -> QuerySet[MissionChange]:
    """The mission's history, newest first: who changed what and when."""
    return (
        MissionChange.objects.visible_to(user)
        .filter(mission=mission)
        .select_related("user")
        .order_by("-at", "-pk")[:limit]
    )


def actor_list(*, user: User, organisation: Organisation, search: str = "") -> QuerySet[Actor]:
    """The organisation's actor register, for pickers and the register page."""
    actors = Actor.objects.visible_to(user).filter(organisation=organisation)
    if search:
        actors = actors.filter(name__icontains=search)
    return actors.order_by("name")


def challenge_list(*, user: User, organisation: Organisation) -> QuerySet[GrandChallenge]:
    """The organisation's grand challenges, with how many missions answer each."""
    return (
        GrandChallenge.objects.visible_to(user)
        .filter(organisation=organisation)
        .annotate(mission_count=Count("missions", filter=Q(missions__archived_at__isnull=True)))
        .order_by("title")
    )


# --- Mission map -----------------------------------------------------------------------------

NO_SECTOR = "—"


def mission_map(
    *, user: User, organisation: Organisation, challenge_key: str | None = None
) -> list[dict[str, Any]]:
    """The mission map as plain data: challenge → missions → sectors → projects.

    `[{"key", "title", "missions": [{"key", "title", "status", "parent", "sectors":
    [{"name", "projects": [{"key", "title", "stage", "instrument", "status"}]}]}]}]`.
    A project in several sectors appears under each (projects can be cross-sectoral); projects
    without a sector are grouped under "—". Archived missions are left out. Three queries."""
    challenges = GrandChallenge.objects.visible_to(user).filter(organisation=organisation)
    if challenge_key:
        challenges = challenges.filter(key=challenge_key)
    missions = (
        Mission.objects.filter(archived_at__isnull=True)
        .select_related("parent")
        .order_by("parent__title", "title")
    )
    projects = MissionProject.objects.only(
        "key", "title", "stage", "instrument", "status", "sectors", "mission_id"
    ).order_by("title")
    tree = []
    for challenge in challenges.order_by("title").prefetch_related(
        Prefetch("missions", queryset=missions.prefetch_related(Prefetch("projects", projects)))
    ):
        mission_nodes = []
        for mission in challenge.missions.all():
            by_sector: dict[str, list[dict[str, str]]] = {}
            for project in mission.projects.all():
                node = {
                    "key": project.key,
                    "title": project.title,
                    "stage": project.stage,
                    "instrument": project.instrument,
                    "status": project.status,
                }
                for sector in project.sectors or [NO_SECTOR]:
                    by_sector.setdefault(sector, []).append(node)
            mission_nodes.append(
                {
                    "key": mission.key,
                    "title": mission.title,
                    "status": mission.status,
                    "parent": mission.parent.key if mission.parent else None,
                    "sectors": [
                        {"name": name, "projects": by_sector[name]}
                        for name in sorted(by_sector, key=lambda s: (s == NO_SECTOR, s.lower()))
                    ],
                }
            )
        tree.append({"key": challenge.key, "title": challenge.title, "missions": mission_nodes})
    return tree


# --- CSV -------------------------------------------------------------------------------------

CSV_COLUMNS = [
    ("title", _("Title")),
    ("key", _("Key")),
    ("status", _("Status")),
    ("owner", _("Owner")),
    ("deadline_year", _("Deadline")),
    ("committed_budget", _("Committed budget")),
    ("currency", _("Currency")),
    ("headline_target_count", _("Headline targets")),
    ("project_count", _("Projects")),
]


def _cell(value: Any) -> str:
    return spreadsheet_cell("" if value is None else str(value))


def missions_csv(missions: Iterable[WithAnnotations[Mission, _ListCounts]]) -> str:
    """The missions list as CSV text (header row first). Pass `mission_queryset(...)`, whose
    rows carry the counts this needs."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([str(label) for _name, label in CSV_COLUMNS])
    for mission in missions:
        writer.writerow(
            [
                _cell(mission.title),
                _cell(mission.key),
                _cell(mission.get_status_display()),
                _cell(mission.owner.name if mission.owner else ""),
                _cell(mission.deadline_year),
                _cell(mission.committed_budget),
                _cell(mission.currency),
                _cell(mission.headline_target_count),
                _cell(mission.project_count),
            ]
        )
    return out.getvalue()
