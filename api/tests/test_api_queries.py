"""Query budgets of the API's lists (#22): listing missions costs the same number of queries
for 3 missions as for 30, and for a page of 2 as for a page of 20, wherever the cursor starts;
listing a mission's projects costs the same for 1 project as for 10.

Each count is every query of the request, middleware included: the token (with its user and
organisation), "last used" and the audit trail's entry for the call, and the operation's own
reads."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import OrganisationFactory
from api import services
from missions.tests.factories import (
    ActorFactory,
    MissionFactory,
    MissionProjectFactory,
    ProjectContributionFactory,
    TargetFactory,
)

pytestmark = pytest.mark.django_db

# The token with its user and organisation; its "last used"; the audit entry; the page.
MISSION_LIST_QUERIES = 4
# The same three, the mission, the projects with their leads, their partners, their
# contributions, the contributions' targets, and the projects' versions.
PROJECT_LIST_QUERIES = 9


def _organisation_with(missions: int):
    """An organisation with `missions` missions, and a read-only token's secret."""
    organisation = OrganisationFactory()
    for _n in range(missions):
        MissionFactory(organisation=organisation)
    _token, secret = services.token_create(
        by=None, organisation=organisation, name="Statistics system", role="read"
    )
    return organisation, secret


def _count(secret: str, path: str) -> tuple[int, dict | list]:
    """(queries, the answer's JSON) of one GET of `path` with the token."""
    client = Client()
    with CaptureQueriesContext(connection) as captured:
        answer = client.get("/api/v1" + path, HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert answer.status_code == 200, answer.content
    return len(captured.captured_queries), answer.json()


def test_listing_missions_costs_the_same_for_3_and_30_missions_and_any_page_size():
    _few_org, few = _organisation_with(3)
    _many_org, many = _organisation_with(30)
    _count(few, "/missions")  # the first call of a process fills caches; count the rest

    few_count, few_page = _count(few, "/missions?limit=50")
    many_count, many_page = _count(many, "/missions?limit=50")
    assert len(few_page["items"]) == 3
    assert len(many_page["items"]) == 30
    assert few_count == many_count == MISSION_LIST_QUERIES

    small_count, small_page = _count(many, "/missions?limit=2")
    large_count, large_page = _count(many, "/missions?limit=20")
    assert len(small_page["items"]) == 2
    assert len(large_page["items"]) == 20
    assert small_count == large_count == MISSION_LIST_QUERIES

    # A later page, from the cursor, costs what the first one does.
    later_count, later_page = _count(many, f"/missions?limit=20&cursor={large_page['next_cursor']}")
    assert len(later_page["items"]) == 10
    assert later_page["next_cursor"] is None
    assert later_count == MISSION_LIST_QUERIES


def test_listing_projects_costs_the_same_for_1_and_10_projects():
    organisation = OrganisationFactory()
    _token, secret = services.token_create(
        by=None, organisation=organisation, name="Statistics system", role="read"
    )
    partner = ActorFactory(organisation=organisation)
    for key, projects in (("one-project", 1), ("ten-projects", 10)):
        mission = MissionFactory(organisation=organisation, key=key)
        target = TargetFactory(mission=mission)
        for _n in range(projects):
            # Every prefetch has rows to follow, so none is skipped for the smaller mission.
            project = MissionProjectFactory(
                mission=mission, lead=ActorFactory(organisation=organisation)
            )
            project.partners.add(partner)
            ProjectContributionFactory(project=project, target=target)
    _count(secret, "/missions/one-project/projects")  # caches, as above

    one_count, one = _count(secret, "/missions/one-project/projects")
    ten_count, ten = _count(secret, "/missions/ten-projects/projects")
    assert len(one) == 1
    assert len(ten) == 10
    assert all(project["partners"] == [partner.key] for project in one + ten)
    assert all(len(project["contributions"]) == 1 for project in one + ten)
    assert one_count == ten_count == PROJECT_LIST_QUERIES
