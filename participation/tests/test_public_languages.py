"""A bilingual country's public page: the statement and introduction in a second language,
marked with that language, beside the mission's own words."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from missions.tests.factories import MissionFactory
from participation import services
from participation.models import Publication

pytestmark = pytest.mark.django_db


@pytest.fixture
def mission(organisation):
    return MissionFactory(
        organisation=organisation,
        key="gezond-ouder",
        title="Gezond ouder worden",
        statement="In 2040 leven alle Belgen vijf jaar langer in goede gezondheid.",
        language="nl",
    )


def test_the_public_page_shows_the_second_language_marked_as_such(client, mission, member):
    services.publish(
        by=member("lead"),
        mission=mission,
        introduction="Iedereen verdient gezonde jaren.",
        second_language="fr",
        second_statement="D’ici 2040, tous les Belges vivent cinq ans de plus en bonne santé.",
        second_introduction="Chacun mérite des années en bonne santé.",
    )
    page = client.get(reverse("public:mission", args=[mission.organisation.slug, mission.key])).text
    assert '<h1 class="govuk-heading-xl" lang="nl">Gezond ouder worden</h1>' in page
    assert '<section class="lodestar-second-language" lang="fr"' in page
    assert "Français</h2>" in page
    assert "tous les Belges vivent cinq ans de plus" in page


@pytest.mark.parametrize(
    ("language", "statement", "field"),
    [
        ("", "Un texte sans langue.", "second_language"),
        ("fr", "", "second_statement"),
        ("xx", "Texte.", "second_language"),
    ],
)
def test_a_second_text_needs_its_language_and_a_language_its_statement(
    mission, member, language, statement, field
):
    with pytest.raises(ValidationError) as refused:
        services.publish(
            by=member("lead"),
            mission=mission,
            introduction="",
            second_language=language,
            second_statement=statement,
        )
    assert field in refused.value.message_dict
    assert not Publication.objects.filter(mission=mission).exists()  # nothing half-written


def test_visitors_share_a_cached_page_only_with_visitors_of_their_language(client, mission, member):
    from django.test import Client

    services.publish(by=member("lead"), mission=mission, introduction="")
    page = reverse("public:mission", args=[mission.organisation.slug, mission.key])
    swedish = client.get(page, HTTP_ACCEPT_LANGUAGE="sv")
    assert '<html lang="sv"' in swedish.text
    german = Client().get(page, HTTP_ACCEPT_LANGUAGE="de")
    assert '<html lang="de"' in german.text  # not the Swedish copy kept a moment ago
    assert "Accept-Language" in german.headers["Vary"] and "Cookie" in german.headers["Vary"]
