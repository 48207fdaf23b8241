"""Consultations, ideas and answers in the exchange format: they travel to another
organisation and back unchanged, participants' personal data never goes with them, and a
snapshot comparison names what changed in plain words."""

from __future__ import annotations

import json

import pytest

from canvas.models import CanvasComment
from missions import exchange
from missions.snapshots import current_document, snapshot_compare, snapshot_take
from missions.tests.factories import MissionFactory
from participation import services
from participation.models import Idea
from participation.tests.factories import participant, published_consultation
from stakeholders.models import Stakeholder

pytestmark = pytest.mark.django_db


@pytest.fixture
def consulted(organisation, member):
    lead = member("lead")
    mission = MissionFactory(organisation=organisation, key="food")
    consultation = published_consultation(mission, lead)
    ana = participant(display_name="Ana Secret", organisation_name="Friends of School Food")
    first = services.idea_submit(
        participant=ana,
        consultation=consultation,
        title="Gardens",
        body="Grow food.",
        place="Malmö",
        on_behalf=True,
    )
    services.representative_verify(by=lead, idea=first)
    second = services.idea_submit(
        participant=participant(), consultation=consultation, title="Same", body="Gardens too."
    )
    first.refresh_from_db()
    services.idea_to_project(by=lead, idea=first)
    first.refresh_from_db()
    services.idea_to_stakeholder(by=lead, idea=first)
    first.refresh_from_db()
    services.idea_to_canvas(by=lead, idea=first, box_key="stakeholders")
    first.refresh_from_db()
    services.idea_answer(
        by=lead, idea=first, expected_version=first.version, answer="adopted", response="Yes."
    )
    services.idea_answer(
        by=lead,
        idea=second,
        expected_version=second.version,
        answer="merged",
        response="Joined.",
        merged_into=first,
    )
    return mission


def test_an_idea_becomes_a_stakeholder_and_evidence_on_the_canvas(consulted):
    idea = Idea.objects.get(mission=consulted, title="Gardens")
    stakeholder = Stakeholder.objects.get(mission=consulted)
    assert idea.stakeholder == stakeholder and "citizen_group" in stakeholder.roles
    comment = CanvasComment.objects.get(mission=consulted, box_key="stakeholders")
    assert comment.text == "From the public (idea 1, “Gardens”): Grow food."
    assert idea.canvas_box == "stakeholders"


def test_the_section_travels_without_personal_data(consulted, other_organisation):
    document = exchange.export_document(organisation=consulted.organisation)
    text = json.dumps(document, ensure_ascii=False)
    assert "Ana Secret" not in text and "@example.org" not in text
    section = next(m for m in document["missions"] if m["key"] == "food")["participation"]
    assert section["summary"]["ideas"] == 2 and section["summary"]["taken_up"] == 1

    exchange.import_document(document=document, organisation=other_organisation)
    copy = other_organisation.missions.get(key="food")
    again = current_document(copy)["participation"]

    def plain(data):  # what an import does not bring: who took part
        return {
            **data,
            "summary": {**data["summary"], "participants": None},
            "published": None,
        }

    assert plain(again) == plain(section)
    assert Idea.objects.get(mission=copy, title="Same").merged_into.title == "Gardens"


def test_a_snapshot_comparison_names_what_changed(consulted, member):
    lead = member("lead")
    snapshot = snapshot_take(by=lead, mission=consulted, name="Before")
    idea = Idea.objects.get(mission=consulted, title="Same")
    services.idea_hide(by=lead, idea=idea, reason="Duplicate.")
    services.idea_submit(
        participant=participant(),
        consultation=consulted.consultations.get(),
        title="New",
        body="Text.",
    )
    changes = snapshot_compare(snapshot.document, current_document(consulted)).changes
    assert "1 idea sent in" in changes and "Idea “Same” hidden" in changes
