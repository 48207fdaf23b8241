"""Reading many ideas: near-duplicates grouped by pg_trgm's measure, filters, and the CSV."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from missions.tests.factories import MissionFactory
from participation import analysis, selectors, services
from participation.demo import SCHOOL_FOOD_IDEAS
from participation.tests.factories import participant, published_consultation

pytestmark = pytest.mark.django_db


def test_trigrams_are_pg_trgm_s():
    # PostgreSQL: SELECT show_trgm('Cat!') → {"  c"," ca","at ",cat}
    assert analysis.trigrams("Cat!") == {"  c", " ca", "cat", "at "}
    # The same text, however written, is the same; unrelated texts share nothing.
    same = analysis.trigrams("School gardens")
    assert analysis.similarity(same, analysis.trigrams("school  GARDENS!")) == 1.0
    assert analysis.similarity(same, analysis.trigrams("xyz")) == 0.0


@pytest.fixture
def consultation(organisation, member):
    mission = MissionFactory(organisation=organisation, key="food")
    return published_consultation(mission, member("lead"), themes="Procurement\nWaste")


def _send(consultation, title: str, body: str, **fields):
    return services.idea_submit(
        participant=participant(), consultation=consultation, title=title, body=body, **fields
    )


def test_ideas_that_say_the_same_are_grouped_for_merging(consultation, member):
    # The demo's ideas: two say the same in other words, the others do not.
    ideas = [_send(consultation, title, body) for title, body, _place, _theme in SCHOOL_FOOD_IDEAS]
    farms, tenders = ideas[1], ideas[3]
    groups = analysis.near_duplicates(selectors.staff_ideas(consultation))
    assert [[idea.pk for idea in group] for group in groups] == [[farms.pk, tenders.pk]]
    # Once merged, the pair is no longer offered.
    editor = member("editor")
    services.idea_answer(
        by=editor,
        idea=tenders,
        expected_version=tenders.version,
        answer="merged",
        response="Same as the first.",
        merged_into=farms,
    )
    assert analysis.near_duplicates(selectors.staff_ideas(consultation)) == []


def test_filters_and_the_csv_of_every_idea(client, consultation, member):
    _send(consultation, '=HYPERLINK("http://x")', "Local food.", place="Malmö", theme="Procurement")
    hidden = _send(consultation, "Rude", "Something rude.", place="Lund", theme="Waste")
    editor = member("editor")
    services.idea_hide(by=editor, idea=hidden, reason="Insults a named person.")
    assert [i.title for i in selectors.staff_ideas(consultation, place="malm")] == [
        '=HYPERLINK("http://x")'
    ]
    assert [i.title for i in selectors.staff_ideas(consultation, status="hidden")] == ["Rude"]
    assert [i.title for i in selectors.staff_ideas(consultation, theme="Waste")] == ["Rude"]

    client.force_login(member("viewer"))
    mission = consultation.mission
    response = client.get(
        reverse(
            "participation:consultation_csv",
            args=[mission.organisation.slug, mission.key, consultation.key],
        )
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Number", "Title", "Idea"]
    assert rows[1][1] == '\'=HYPERLINK("http://x")'  # a spreadsheet shows it, never runs it
    assert rows[2][9] == "Insults a named person."
    # Nothing personal: no display name or address of who sent it.
    assert all(person not in response.content.decode() for person in ("Person ", "@example.org"))
