"""The header's search finds missions, targets, projects, actors and canvas text across the
person's organisations, best match first, the matched words highlighted and everything else
escaped; nothing of another organisation; a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from canvas.models import CanvasBox
from missions.tests.factories import ActorFactory, MissionFactory, TargetFactory

pytestmark = pytest.mark.django_db


def _search(client, text: str) -> str:
    response = client.get(reverse("workspace:search"), {"q": text})
    assert response.status_code == 200
    return response.content.decode()


def test_every_kind_is_found_ranked_and_highlighted(client, member, organisation):
    rivers = MissionFactory(
        organisation=organisation,
        title="Clean rivers",
        statement="By 2035 every river in the country is clean enough to swim in.",
    )
    MissionFactory(
        organisation=organisation,
        title="Healthy ageing",
        statement="Five more healthy years; rivers are mentioned once.",
    )
    TargetFactory(mission=rivers, title="Swimmable river stretches")
    ActorFactory(organisation=organisation, name="River Basin Authority")
    CanvasBox.objects.create(
        mission=rivers,
        box_key="challenge",
        text="Farm run-off keeps rivers murky <b>all summer</b>.",
    )
    client.force_login(member("viewer"))

    page = _search(client, "rivers")
    assert "results for “rivers”" in page
    assert page.index("Clean rivers") < page.index("Healthy ageing")
    assert "<mark>rivers</mark>" in page
    assert "Swimmable river stretches" not in page  # 'simple' search: river is not rivers
    assert "Farm run-off keeps <mark>rivers</mark> murky &lt;b&gt;all summer&lt;/b&gt;" in page
    assert "<b>all summer</b>" not in page

    page = _search(client, "river")
    assert "Swimmable river stretches" in page
    assert "River Basin Authority" in page


def test_nothing_of_another_organisation_is_found(client, member, other_organisation):
    MissionFactory(organisation=other_organisation, title="Secret rivers plan")
    client.force_login(member("admin"))
    page = _search(client, "rivers")
    assert "Secret" not in page
    assert "Nothing matches “rivers”" in page


def test_search_reads_a_fixed_number_of_queries(client, member, organisation):
    client.force_login(member("viewer"))
    _search(client, "rivers")

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            _search(client, "rivers")
        return len(captured)

    before = count()
    for n in range(15):
        MissionFactory(organisation=organisation, title=f"Rivers plan {n}")
    assert count() == before


@pytest.mark.parametrize("text", ['"unclosed', "-", "&&& ||| !!!", "a" * 500, "(rivers"])
def test_odd_search_text_is_answered_not_failed(client, member, organisation, text):
    MissionFactory(organisation=organisation, title="Clean rivers")
    client.force_login(member("viewer"))
    _search(client, text)
