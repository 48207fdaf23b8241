"""The briefing's sentence on what the public said (issue #21), in the PDF and the Word copy,
from the participation summary the criteria read; nothing for a mission never consulted; and a
new idea makes the mission's briefing fingerprint change, so a pack never reuses a stale one."""

import pytest

from documents import selectors
from documents.tests.test_briefing_rewards import briefing_text, word_document
from missions.models import Mission
from participation import services
from participation.tests.factories import participant, published_consultation

pytestmark = pytest.mark.django_db

LABEL = "What the public said:"


@pytest.fixture
def consulted(demo_missions, member):
    mission = Mission.objects.get(organisation=demo_missions, key="se-school-food")
    consultation = published_consultation(mission, member("lead"))
    for place, title in (("Malmö", "Cook once a month"), ("Umeå", "Show the leftovers")):
        services.idea_submit(
            participant=participant(),
            consultation=consultation,
            title=title,
            body="Text.",
            place=place,
        )
    voice = participant(organisation_name="Friends of School Food")
    idea = services.idea_submit(
        participant=voice,
        consultation=consultation,
        title="Local farms",
        body="Text.",
        on_behalf=True,
    )
    services.representative_verify(by=member("lead"), idea=idea)
    services.idea_support(participant=participant(), idea=idea)
    return mission


def test_the_briefing_says_what_the_public_said(consulted, member, render_now, tmp_path):
    viewer = member("viewer")
    text = briefing_text(viewer, consulted.organisation, consulted.key, render_now)
    assert (
        f"{LABEL} 3 ideas from the public (4 people taking part, from 2 places); "
        "1 civil-society organisation among them. 0 answered in public, 0 taken up."
    ) in text
    word = word_document(consulted.organisation, consulted.key, tmp_path / "b.docx")
    assert any(p.text.startswith(LABEL) for p in word.paragraphs)


def test_a_mission_never_consulted_has_no_such_line(demo_missions, member, render_now):
    text = briefing_text(member("viewer"), demo_missions, "eu-soil", render_now)
    assert LABEL not in text


def test_a_new_idea_changes_the_briefing_fingerprint(consulted):
    before = selectors.briefing_fingerprints([consulted.pk])[consulted.pk]
    consultation = consulted.consultations.get()
    services.idea_submit(
        participant=participant(), consultation=consultation, title="One more", body="Text."
    )
    assert selectors.briefing_fingerprints([consulted.pk])[consulted.pk] != before
