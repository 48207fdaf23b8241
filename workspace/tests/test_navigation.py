"""Nobody is stranded: every member's organisation page lists the sections their role may open,
with what each holds, and the primary navigation carries the same sections, the current one
marked. Another organisation's page answers 404."""

import re

import pytest
from django.urls import reverse

from missions.tests.factories import MissionFactory

pytestmark = pytest.mark.django_db


def _nav(page: str) -> list[str]:
    menu = page[page.index('id="navigation"') : page.index("</ul>", page.index('id="navigation"'))]
    return [
        re.sub(r"<[^>]+>", "", label).strip()
        for label in re.findall(
            r'class="govuk-service-navigation__link"[^>]*>(.*?)</a>', menu, re.S
        )
    ]


@pytest.mark.parametrize(
    ("role", "sections", "navigation"),
    [
        (
            "viewer",
            ["Missions", "Documents", "Risks and rewards", "Participation", "Actors", "Members"],
            ["Missions", "Documents", "Actors"],
        ),
        (
            "editor",
            [
                "Missions",
                "Readiness check",
                "Documents",
                "Risks and rewards",
                "Participation",
                "Actors",
                "Members",
            ],
            ["Missions", "Documents", "Actors"],
        ),
        (
            "reviewer",
            ["Missions", "Documents", "Risks and rewards", "Participation", "Actors", "Members"],
            ["Missions", "Documents", "Actors"],
        ),
        (
            "lead",
            [
                "Missions",
                "Readiness check",
                "Portfolio",
                "Documents",
                "Risks and rewards",
                "Participation",
                "Actors",
                "Import",
                "Members",
            ],
            [
                "Missions",
                "Portfolio",
                "Documents",
                "Risks and rewards",
                "Participation",
                "Actors",
                "Import",
            ],
        ),
        (
            "admin",
            [
                "Missions",
                "Readiness check",
                "Portfolio",
                "Documents",
                "Risks and rewards",
                "Participation",
                "Actors",
                "Import",
                "Members",
                "Audit trail",
                "Settings",
                "API tokens",
                "Webhooks",
            ],
            [
                "Missions",
                "Portfolio",
                "Documents",
                "Risks and rewards",
                "Participation",
                "Actors",
                "Import",
                "Members",
            ],
        ),
    ],
)
def test_the_organisation_page_and_navigation_list_what_the_role_may_open(
    client, member, organisation, role, sections, navigation
):
    MissionFactory(organisation=organisation)
    MissionFactory(organisation=organisation)
    client.force_login(member(role))
    page = client.get(reverse("accounts:organisation", args=[organisation.slug])).content.decode()
    landing = page[page.index('id="organisation-sections"') :]
    headings = re.findall(
        r'<h2 class="govuk-heading-m lodestar-card__title"><a [^>]*>(.*?)</a>', landing
    )
    assert headings == sections
    assert "2 missions" in landing
    assert _nav(page) == ["Home", organisation.name, *navigation]
    # The organisation's own entry is the current page here.
    assert (
        f'aria-current="page"><strong class="govuk-service-navigation__active-fallback">{organisation.name}'
        in page
    )


def test_the_section_of_a_deep_page_is_marked_current(client, member, organisation):
    mission = MissionFactory(organisation=organisation)
    client.force_login(member("viewer"))
    page = client.get(
        reverse("canvas:canvas", args=[organisation.slug, mission.key])
    ).content.decode()
    current = re.findall(r'aria-current="page"><strong[^>]*>(.*?)</strong>', page)
    assert current[0] == "Missions"


def test_another_organisations_landing_page_is_not_found(client, member, other_organisation):
    client.force_login(member("admin"))
    response = client.get(reverse("accounts:organisation", args=[other_organisation.slug]))
    assert response.status_code == 404
