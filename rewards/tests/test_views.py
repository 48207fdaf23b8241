"""The risks-and-rewards pages: what they cost in queries (the same however many rows), and
removing terms recorded by mistake."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from missions.models import MissionChange
from missions.tests.factories import ActorFactory, MissionFactory, MissionProjectFactory
from rewards import services
from rewards.models import ProjectTerms

pytestmark = pytest.mark.django_db


def _mission_with(organisation, editor, key: str, projects: int):
    mission = MissionFactory(organisation=organisation, key=key)
    for number in range(projects):
        project = MissionProjectFactory(
            mission=mission,
            key=f"{key}-p{number}",
            lead=ActorFactory(organisation=organisation),
            public_funding=Decimal(1000),
        )
        services.terms_save(by=editor, project=project, private_money=Decimal(100))
        services.condition_create(
            by=editor, project=project, kind="royalty", description="A royalty of 2%."
        )
    return mission


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_pages_cost_the_same_queries_however_many_projects_and_missions(
    client, organisation, member
):
    editor = member("editor")
    client.force_login(editor)
    slug = organisation.slug
    few = _mission_with(organisation, editor, "few", 2)
    many = _mission_with(organisation, editor, "many", 12)
    # A first page in this process looks up what later requests find cached (the session).
    client.get(reverse("rewards:mission", args=[slug, few.key]))
    counts = [
        _queries(client, reverse("rewards:mission", args=[slug, mission.key]))
        for mission in (few, many)
    ]
    # Session, memberships, the mission, its header panels, then three for the projects with
    # their terms and conditions.
    assert counts[0] == counts[1] <= 11, counts
    portfolio = reverse("rewards:portfolio", args=[slug])
    before = _queries(client, portfolio)
    for number in range(5):
        _mission_with(organisation, editor, f"more-{number}", 3)
    assert _queries(client, portfolio) == before


def test_terms_recorded_by_mistake_can_be_removed_and_the_history_says_so(
    client, organisation, member
):
    editor = member("editor")
    mission = _mission_with(organisation, editor, "vaccines", 1)
    project = mission.projects.get()
    client.force_login(editor)
    url = reverse("rewards:terms_delete", args=[organisation.slug, mission.key, project.key])
    response = client.post(url, follow=True)
    assert "removed." in response.content.decode()
    assert not ProjectTerms.objects.filter(project=project).exists()
    assert project.reward_conditions.count() == 1  # the conditions stay
    assert MissionChange.objects.filter(
        mission=mission, object_type="public-value terms", action="deleted"
    ).exists()
    # A viewer may read the page but not remove anything.
    services.terms_save(by=editor, project=project, private_money=Decimal(5))
    client.force_login(member("viewer"))
    assert client.post(url).status_code == 403
    assert ProjectTerms.objects.filter(project=project).exists()
