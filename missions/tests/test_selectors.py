"""Reads: lists, the detail page's query budget, the mission map and the CSV export."""

import csv
import io

import pytest
from django.http import Http404

from missions import selectors
from missions.models import Mission
from missions.tests.factories import (
    ActorFactory,
    MilestoneFactory,
    MissionFactory,
    MissionProjectFactory,
    ProjectContributionFactory,
    TargetFactory,
)

pytestmark = pytest.mark.django_db


def fill(mission, n):
    """n targets with milestones, n projects with partners and contributions."""
    for i in range(n):
        target = TargetFactory(mission=mission)
        MilestoneFactory(target=target, year=2025 + i % 10)
        lead = ActorFactory(organisation=mission.organisation)
        project = MissionProjectFactory(mission=mission, lead=lead)
        project.partners.add(lead, ActorFactory(organisation=mission.organisation))
        ProjectContributionFactory(project=project, target=target)


def test_detail_loads_in_the_same_number_of_queries_however_big(
    organisation, viewer, django_assert_num_queries
):
    small = MissionFactory(organisation=organisation, key="small")
    big = MissionFactory(organisation=organisation, key="big")
    fill(small, 1)
    fill(big, 12)

    def render(key):
        mission = selectors.mission_detail(user=viewer, organisation=organisation, key=key)
        for target in mission.targets.all():
            list(target.milestones.all())
            [c.project.title for c in target.contributions.all()]
        for project in mission.projects.all():
            _ = project.lead.name
            [p.name for p in project.partners.all()]
            [c.target.title for c in project.contributions.all()]
        list(mission.children.all())
        return mission

    # mission, targets, milestones, target contributions, projects, partners, project
    # contributions, sub-missions
    with django_assert_num_queries(8) as small_queries:
        render("small")
    with django_assert_num_queries(len(small_queries.captured_queries)):
        assert len(render("big").projects.all()) == 12


def test_detail_of_another_organisations_mission_is_not_found(mission, outsider):
    with pytest.raises(Http404):
        selectors.mission_detail(user=outsider, organisation=mission.organisation, key=mission.key)


def test_list_filters_searches_counts_and_hides_archived(organisation, other_organisation, viewer):
    from django.utils import timezone

    cities = MissionFactory(
        organisation=organisation, title="Climate-neutral cities", status="active"
    )
    TargetFactory(mission=cities)
    TargetFactory(mission=cities, is_headline=False)
    MissionProjectFactory(mission=cities)
    MissionFactory(organisation=organisation, title="Soil deal", archived_at=timezone.now())
    MissionFactory(organisation=other_organisation, title="Climate elsewhere")

    page = selectors.mission_list(user=viewer, search="climate")
    assert [m.title for m in page] == ["Climate-neutral cities"]
    assert page[0].headline_target_count == 1
    assert page[0].project_count == 1
    assert [m.title for m in selectors.mission_list(user=viewer, status="draft")] == []
    archived = selectors.mission_list(user=viewer, include_archived=True)
    assert {m.title for m in archived} == {"Climate-neutral cities", "Soil deal"}


def test_list_query_count_does_not_grow_with_rows(
    organisation, viewer, django_assert_max_num_queries
):
    for _ in range(15):
        mission = MissionFactory(
            organisation=organisation, owner=ActorFactory(organisation=organisation)
        )
        TargetFactory(mission=mission)
    with django_assert_max_num_queries(2):
        rows = [
            (m.title, m.owner.name, m.challenge.title, m.project_count)
            for m in selectors.mission_list(user=viewer)
        ]
    assert len(rows) == 15


def test_history_is_newest_first_and_private(mission, editor, outsider):
    from missions import services

    services.mission_update(by=editor, mission=mission, expected_version=1, title="One")
    services.mission_update(by=editor, mission=mission, expected_version=2, title="Two")
    history = list(selectors.mission_history(user=editor, mission=mission))
    assert [c.changes["title"][1] for c in history] == ["Two", "One"]
    assert list(selectors.mission_history(user=outsider, mission=mission)) == []


def test_mission_map_groups_projects_by_sector(organisation, viewer):
    mission = MissionFactory(organisation=organisation, title="Healthy streets")
    MissionProjectFactory(mission=mission, title="Street Moves", sectors=["Transport", "Design"])
    MissionProjectFactory(mission=mission, title="Survey", sectors=[])
    tree = selectors.mission_map(user=viewer, organisation=organisation)
    [challenge] = tree
    [node] = challenge["missions"]
    assert node["title"] == "Healthy streets"
    assert [(s["name"], [p["title"] for p in s["projects"]]) for s in node["sectors"]] == [
        ("Design", ["Street Moves"]),
        ("Transport", ["Street Moves"]),
        ("—", ["Survey"]),
    ]


def test_csv_lists_missions_and_defuses_formulas(organisation, viewer):
    mission = MissionFactory(
        organisation=organisation, title="=HYPERLINK(evil)", committed_budget=1000
    )
    TargetFactory(mission=mission)
    text = selectors.missions_csv(selectors.mission_queryset(user=viewer))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "Title",
        "Key",
        "Status",
        "Owner",
        "Deadline",
        "Committed budget",
        "Currency",
        "Headline targets",
        "Projects",
    ]
    assert rows[1][0] == "'=HYPERLINK(evil)"
    assert rows[1][2:] == ["Draft", "", "2040", "1000.00", "EUR", "1", "0"]
    assert Mission.objects.count() == 1
