"""Staff's pages: what the portfolio dashboard says of the public's ideas, and what the
participation pages cost in queries however many ideas there are."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from missions.tests.factories import MissionFactory
from participation import services
from participation.tests.factories import participant, published_consultation

pytestmark = pytest.mark.django_db


def _ideas(consultation, count: int):
    return [
        services.idea_submit(
            participant=participant(), consultation=consultation, title=f"Idea {n}", body="Text."
        )
        for n in range(count)
    ]


def test_the_dashboard_says_how_many_ideas_came_in_and_how_many_are_answered(
    client, organisation, member
):
    lead = member("lead")
    mission = MissionFactory(
        organisation=organisation, key="food", title="Healthy food", status="active"
    )
    MissionFactory(organisation=organisation, key="quiet", title="Quiet mission", status="active")
    ideas = _ideas(published_consultation(mission, lead), 3)
    services.idea_answer(
        by=lead,
        idea=ideas[0],
        expected_version=ideas[0].version,
        answer="not_taken",
        response="Outside the mission's remit.",
    )
    services.idea_hide(by=lead, idea=ideas[2], reason="Advertising.")
    client.force_login(lead)
    page = client.get(reverse("portfolios:dashboard", args=[organisation.slug])).content.decode()
    row = page[page.index(">Healthy food<") :].split("</tr>")[0]
    assert "2 ideas from the public, 1 answered" in row
    quiet = page[page.index(">Quiet mission<") :].split("</tr>")[0]
    assert "from the public" not in quiet


@pytest.mark.parametrize(
    "name", ["participation:mission", "participation:consultation", "public:consultation"]
)
def test_the_pages_cost_the_same_queries_however_many_ideas(client, organisation, member, name):
    lead = member("lead")
    counts = []
    for key, count in (("few", 2), ("many", 12)):
        mission = MissionFactory(organisation=organisation, key=key)
        consultation = published_consultation(mission, lead)
        _ideas(consultation, count)
        kwargs = {"org_slug": organisation.slug, "mission_key": key}
        if name != "participation:mission":
            kwargs["key"] = consultation.key
        client.force_login(lead)
        client.get(reverse(name, kwargs=kwargs))  # the first request caches the session
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(name, kwargs=kwargs)).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
