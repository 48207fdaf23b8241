"""Exports (CSV and XLSX, every column, drafts only when asked), compare, overlap, named
portfolios, and who may see any of it."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from missions.tests.factories import ActorFactory, MissionProjectFactory
from portfolios import services
from portfolios.exports import dashboard_header
from portfolios.models import Portfolio

pytestmark = pytest.mark.django_db


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode().lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text)))


def test_the_dashboard_downloads_as_csv_with_every_column(client, member, organisation, scene):
    client.force_login(member("lead"))
    base = reverse("portfolios:dashboard", args=[organisation.slug])
    response = client.get(base + "?format=csv&sort=-title")
    assert response["Content-Disposition"] == 'attachment; filename="health-portfolio.csv"'
    rows = _csv(response)
    header = rows[0]
    assert header == [str(h) for h in dashboard_header()]
    assert "C2 Clear direction: targeted, measurable and time-bound" in header
    assert [r[0] for r in rows[1:]] == ["Healthy ageing", "Green steel", "Clean rivers"]
    ageing = dict(zip(header, rows[1], strict=True))
    assert ageing["Status"] == "Proposed"
    assert ageing["Owner"] == "Ministry of Health"
    assert ageing["Open warnings: high"] == "1"
    assert ageing["Committed as % of need"] == "50"
    assert ageing["Headline target progress"] == "No data yet"
    drafts = _csv(client.get(base + "?format=csv&drafts=1"))
    assert "Draft idea" in [r[0] for r in drafts[1:]]


def test_the_dashboard_downloads_as_xlsx_with_the_filtered_rows(
    client, member, organisation, scene
):
    from openpyxl import load_workbook

    client.force_login(member("admin"))
    response = client.get(
        reverse("portfolios:dashboard", args=[organisation.slug]) + "?format=xlsx&status=proposed"
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert list(values[0]) == [str(h) for h in dashboard_header()]
    assert [row[0] for row in values[1:]] == ["Green steel", "Healthy ageing"]


def test_compare_puts_two_missions_side_by_side(client, member, organisation, scene):
    client.force_login(member("lead"))
    url = reverse("portfolios:compare", args=[organisation.slug])
    page = client.get(url + "?mission=healthy-ageing&mission=clean-rivers").content.decode()
    assert page.index("Healthy ageing") < page.index("Clean rivers")
    assert "Healthy life years" in page and "Progress: no data yet" in page
    assert "Partly meets the criterion" in page and "Meets the criterion" in page
    assert "€5,000,000" in page
    one = client.get(url + "?mission=healthy-ageing").content.decode()
    assert "Choose at least two missions to compare" in one


def test_overlap_lists_actors_in_several_missions_and_their_roles(
    client, member, organisation, scene
):
    partner = ActorFactory(organisation=organisation, key="uni", name="Delft University")
    for mission in (scene["ageing"], scene["steel"]):
        project = MissionProjectFactory(mission=mission, public_funding=None)
        project.partners.add(partner)
    client.force_login(member("lead"))
    page = client.get(reverse("portfolios:overlap", args=[organisation.slug])).content.decode()
    page = page.split("<tbody", 1)[1]
    assert "Delft University" in page and "project partner" in page
    # The Water Agency owns two missions.
    assert "Water Agency" in page and "Clean rivers</a>: owner" in page
    assert "Ministry of Health" not in page  # owns only one


def test_a_named_portfolio_narrows_the_dashboard(client, member, organisation, scene):
    lead = member("lead")
    client.force_login(lead)
    response = client.post(
        reverse("portfolios:portfolios", args=[organisation.slug]),
        {"name": "Minister's Monday", "description": "For the briefing."},
    )
    portfolio = Portfolio.objects.get()
    assert response.status_code == 302 and portfolio.slug == "ministers-monday"
    client.post(
        reverse("portfolios:portfolio_add", args=[organisation.slug, portfolio.slug]),
        {"mission_keys": "healthy-ageing\nclean-rivers\nnot-a-mission"},
    )
    page = client.get(
        reverse("portfolios:dashboard", args=[organisation.slug]) + "?portfolio=" + portfolio.slug
    )
    body = page.content.decode()
    assert "Minister&#x27;s Monday" in body and "2 missions" in body
    assert "Green steel" not in body.split("<tbody", 1)[-1]
    services.portfolio_update(
        by=lead, portfolio=portfolio, name="Monday", missions=[scene["rivers"]]
    )
    assert list(portfolio.missions.values_list("key", flat=True)) == ["clean-rivers"]


PAGES = [
    ("portfolios:dashboard", []),
    ("portfolios:portfolios", []),
    ("portfolios:facets", []),
    ("portfolios:compare", []),
    ("portfolios:overlap", []),
    ("portfolios:decisions", []),
    ("portfolios:decide", ["healthy-ageing"]),
    ("portfolios:facet_edit", ["green-steel", "h2-lab"]),
    ("portfolios:initiative_add", []),
]


@pytest.mark.parametrize("role", ["viewer", "editor", "reviewer"])
def test_other_roles_are_refused_every_portfolio_page(client, member, organisation, scene, role):
    client.force_login(member(role))
    for name, args in PAGES:
        url = reverse(name, args=[organisation.slug, *args])
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"decision": "approve", "name": "x"}).status_code == 403, url
    assert scene["ageing"].decisions.count() == 0
    home = client.get("/").content.decode()
    assert "Portfolio" not in home.split("</nav>", 1)[0].split('id="navigation"', 1)[-1]


@pytest.mark.parametrize("role", ["lead", "admin"])
def test_leads_and_administrators_see_every_portfolio_page(
    client, member, organisation, scene, role
):
    client.force_login(member(role))
    for name, args in PAGES:
        url = reverse(name, args=[organisation.slug, *args])
        assert client.get(url).status_code == 200, url
    home = client.get("/").content.decode()
    assert reverse("portfolios:dashboard", args=[organisation.slug]) in home


def test_another_organisations_lead_gets_404(
    client, member, other_organisation, organisation, scene
):
    client.force_login(member("lead", org=other_organisation))
    for name, args in PAGES:
        url = reverse(name, args=[organisation.slug, *args])
        assert client.get(url).status_code == 404, url
