"""The briefing page (issue #18): the author writes a submission's parts, each optional, with
their limits refused (never cut); the briefing prints them in a submission's order with the key
figures up front and leaves empty parts out; the two-page limit is checked before a briefing is
queued, saying what to shorten; a pack's briefings carry their decisions."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from documents import services
from documents.models import BriefingNote, DocumentKind, DocumentStatus
from documents.tests import pdfstructure, pdftools
from missions.models import Mission

pytestmark = pytest.mark.django_db

FIELDS = {
    "summary": "Most cities signed contracts. A quarter lack finance. We recommend a window.",
    "recommendation": "Agree a finance window for cities with unfinanced contracts.",
    "decision": "Agree the finance window.",
    "decision_by": "2027-01-15",
    "timing": "The Mission Board meets on 20 January.",
    "background": "The mid-term review found finance is the main barrier.",
    "risks": "Delivery: slow absorption, handled by staged payments.",
    "communications": "Announce at the Mission Board.",
    "contact_officer": "Ana Pereira, Mission Manager",
    "cleared_by": "Director for Climate Neutrality",
}
ORDER = [
    "Summary",
    "Key figures",
    "Recommendation",
    "Decision requested",
    "Timing",
    "Background",
    "Risks and their handling",
    "Communications and stakeholder handling",
    "Mission statement",
    "Contact officer: Ana Pereira",
]


def url(key="eu-cities"):
    return reverse("documents:briefing_note", args=["health", key])


def briefing_pdf(user, organisation, render_now, key="eu-cities"):
    document = services.document_request(
        by=user, organisation=organisation, kind=DocumentKind.BRIEFING, missions=[key]
    )
    document = render_now(document)
    assert document.status == DocumentStatus.DONE, document.error
    return document.file.read()


def test_the_author_writes_the_briefing_and_it_prints_in_a_submissions_order(
    client, demo_missions, member, render_now
):
    editor = member("editor")
    client.force_login(editor)
    page = client.get(url())
    assert page.status_code == 200
    assert b"three sentences at most" in page.content  # guidance with each field
    response = client.post(url(), FIELDS, follow=True)
    assert b"Saved. The briefing fits on two pages." in response.content
    note = BriefingNote.objects.get(mission__key="eu-cities")
    assert note.decision_by == datetime.date(2027, 1, 15) and note.updated_by == editor

    pdf = briefing_pdf(editor, demo_missions, render_now)
    pdftools.assert_valid(pdf)
    assert pdfstructure.problems(pdf) == []
    text = " ".join(pdftools.text(pdf).split())
    # (The decision's heading is printed in capitals.)
    positions = [text.lower().find(part.lower()) for part in ORDER]
    assert -1 not in positions, dict(zip(ORDER, positions, strict=True))
    assert positions == sorted(positions)
    assert "Needed by 15 January 2027" in text
    assert "Cleared by: Director for Climate Neutrality" in text
    assert "1 headline target, not measured yet" in text or "measured headline" in text


def test_empty_parts_are_left_out_not_dashed(client, demo_missions, member, render_now):
    editor = member("editor")
    client.force_login(editor)
    client.post(url(), {"summary": "Only a summary."})
    text = " ".join(pdftools.text(briefing_pdf(editor, demo_missions, render_now)).split())
    assert "Only a summary." in text
    for heading in ("Recommendation", "Timing", "Background", "Risks and their handling"):
        assert heading not in text
    assert "Contact officer" not in text and "Cleared by" not in text
    assert "—" not in text.split("Key figures")[1].split("Mission statement")[0]


def test_a_field_over_its_limit_is_refused_with_the_limit(client, demo_missions, member):
    client.force_login(member("editor"))
    response = client.post(url(), {**FIELDS, "decision": "x" * 617})
    assert response.status_code == 422
    assert "600 characters or fewer; it has 617" in response.content.decode()
    assert not BriefingNote.objects.exists()


def test_the_summary_holds_three_sentences_at_most(client, demo_missions, member):
    client.force_login(member("editor"))
    response = client.post(url(), {"summary": "One. Two. Three. Four."})
    assert response.status_code == 422
    assert "3 sentences at most; it has 4" in response.content.decode()


def test_saving_unchanged_writes_nothing(client, demo_missions, member):
    client.force_login(member("editor"))
    response = client.post(url(), {}, follow=True)
    assert b"Nothing was changed." in response.content
    assert not BriefingNote.objects.exists()


def test_a_briefing_over_two_pages_is_refused_before_rendering(
    client, demo_missions, member, django_capture_on_commit_callbacks
):
    editor = member("editor")
    client.force_login(editor)
    long = {
        name: ("Long sentence about the mission. " * 60)[: limit - 10]
        for name, limit in BriefingNote.LIMITS.items()
        if limit > 200
    }
    long["summary"] = "A bottom line. " + "word " * 90
    response = client.post(url(), long, follow=True)
    said = response.content.decode()
    assert "Saved, but too long to export." in said
    assert "it must fit on 2." in said and "Shorten the longest parts:" in said
    assert "Background (1190 characters)" in said
    with pytest.raises(ValidationError, match="Shorten the longest parts"):
        services.document_request(
            by=editor,
            organisation=demo_missions,
            kind=DocumentKind.BRIEFING,
            missions=["eu-cities"],
        )
    # The export command refuses it too, instead of writing three pages.
    member("admin")
    with pytest.raises(CommandError, match="it must fit on 2"):
        call_command(
            "export_briefing", "--org", "health", "--mission", "eu-cities", "--out", "/dev/null"
        )


def test_the_command_refuses_a_long_decision_instead_of_cutting_it(demo_missions, member):
    member("admin")
    with pytest.raises(CommandError, match="Shorten it by 17 characters"):
        call_command(
            "export_briefing",
            "--org",
            "health",
            "--mission",
            "eu-soil",
            "--decision",
            "x" * 617,
            "--out",
            "/dev/null",
        )


def test_a_packs_briefings_carry_their_decisions(demo_missions, member, render_now):
    editor = member("editor")
    mission = Mission.objects.get(organisation=demo_missions, key="eu-soil")
    services.briefing_note_save(
        by=editor, mission=mission, fields={"decision": "Agree the soil monitoring law."}
    )
    document = services.document_request(
        by=editor,
        organisation=demo_missions,
        kind=DocumentKind.PACK,
        missions=["eu-cities", "eu-soil"],
    )
    pdf = render_now(document).file.read()
    text = " ".join(pdftools.text(pdf).split())
    assert "Agree the soil monitoring law." in text
    # Changing the note makes a new piece: the pack is not served from the stale one.
    services.briefing_note_save(
        by=editor, mission=mission, fields={"decision": "Agree the soil law in June."}
    )
    again = services.document_request(
        by=editor,
        organisation=demo_missions,
        kind=DocumentKind.PACK,
        missions=["eu-cities", "eu-soil"],
    )
    text = " ".join(pdftools.text(render_now(again).file.read()).split())
    assert "Agree the soil law in June." in text


def test_only_the_mission_team_writes_the_briefing(client, demo_missions, member):
    client.force_login(member("viewer"))
    assert client.get(url()).status_code == 403
    assert client.post(url(), FIELDS).status_code == 403
    assert not BriefingNote.objects.exists()
