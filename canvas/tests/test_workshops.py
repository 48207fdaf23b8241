"""Workshops on the canvas: the link that takes notes and nothing else, its end, the notes a
facilitator adds to a box, moves or sets aside, and who may do what."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from canvas import services
from canvas.models import CanvasBox, CanvasBoxRevision, NoteStatus, Workshop, WorkshopNote
from missions.tests.factories import MissionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop(mission, editor):
    return services.workshop_start(by=editor, mission=mission, title="Kick-off", hours=2)


def _join(workshop: Workshop) -> str:
    return reverse("canvas:workshop_join", args=[workshop.token])


def test_a_workshop_link_is_long_random_and_ends_after_the_hours_chosen(mission, editor):
    before = timezone.now()
    first = services.workshop_start(by=editor, mission=mission, title=" Kick-off  ", hours=2)
    second = services.workshop_start(by=editor, mission=mission, title="Second", hours=1)
    assert first.title == "Kick-off"
    assert len(first.token) >= 40 and first.token != second.token
    assert before + datetime.timedelta(hours=2) <= first.ends_at
    assert first.ends_at <= timezone.now() + datetime.timedelta(hours=2)


@pytest.mark.parametrize(("title", "hours", "field"), [("", 2, "title"), ("Kick-off", 13, "hours")])
def test_a_workshop_needs_a_title_and_at_most_twelve_hours(mission, editor, title, hours, field):
    with pytest.raises(ValidationError) as refused:
        services.workshop_start(by=editor, mission=mission, title=title, hours=hours)
    assert field in refused.value.message_dict
    assert not Workshop.objects.exists()


def test_only_editors_start_or_end_a_workshop(mission, viewer, workshop):
    with pytest.raises(PermissionDenied):
        services.workshop_start(by=viewer, mission=mission, title="Mine", hours=1)
    with pytest.raises(PermissionDenied):
        services.workshop_end(by=viewer, workshop=workshop)
    workshop.refresh_from_db()
    assert workshop.ended_at is None


def test_the_link_page_takes_a_note_from_someone_without_an_account(client, mission, workshop):
    page = client.get(_join(workshop))
    assert page.status_code == 200
    assert "Kick-off" in page.text and "Healthy years" in page.text
    sent = client.post(
        _join(workshop),
        {"box_key": "challenge", "text": "  Older people   in rural areas ", "name": "Ana"},
        follow=True,
    )
    assert "Your note is on the board, in Challenge." in sent.text
    note = WorkshopNote.objects.get()
    assert (note.mission, note.box_key, note.text) == (
        mission,
        "challenge",
        "Older people in rural areas",
    )
    assert (note.author, note.author_name, note.workshop, note.status) == (
        None,
        "Ana",
        workshop,
        NoteStatus.NEW,
    )


def test_a_note_that_is_empty_too_long_or_for_no_box_is_refused_with_a_message(client, workshop):
    for fields, message in [
        ({"box_key": "challenge", "text": "  "}, "Write your note."),
        ({"box_key": "challenge", "text": "x" * 281}, "at most 280 characters"),
        ({"box_key": "nonsense", "text": "An idea"}, "Select a valid choice"),
    ]:
        answer = client.post(_join(workshop), fields)
        assert answer.status_code == 422
        assert message in answer.text
    assert not WorkshopNote.objects.exists()


def test_an_ended_or_expired_link_takes_no_more_notes(client, editor, workshop):
    services.workshop_end(by=editor, workshop=workshop)
    answer = client.post(_join(workshop), {"box_key": "challenge", "text": "Late idea"})
    assert answer.status_code == 410
    assert "This workshop has ended" in answer.text

    other = services.workshop_start(by=editor, mission=workshop.mission, title="Later", hours=1)
    Workshop.objects.filter(pk=other.pk).update(ends_at=timezone.now() - datetime.timedelta(1))
    assert client.get(_join(other)).status_code == 410
    assert not WorkshopNote.objects.exists()


def test_a_link_that_never_existed_is_not_found(client):
    assert client.get(reverse("canvas:workshop_join", args=["not-a-real-link"])).status_code == 404


def test_the_link_grants_nothing_else(client, mission, workshop):
    """Someone with only the link is sent to sign in for the canvas, and addresses under the
    link do not exist."""
    client.get(_join(workshop))
    canvas = reverse("canvas:canvas", args=[mission.organisation.slug, mission.key])
    answer = client.get(canvas)
    assert answer.status_code == 302 and "/sign-in/" in answer["Location"]
    assert client.get(_join(workshop) + "canvas/").status_code == 404


def test_a_workshop_takes_at_most_its_cap_of_notes(mission, workshop, monkeypatch):
    monkeypatch.setattr(services, "WORKSHOP_NOTE_CAP", 2)
    for text in ("One", "Two"):
        services.workshop_note_add(box_key="challenge", text=text, workshop=workshop)
    with pytest.raises(ValidationError, match="already has 2 notes"):
        services.workshop_note_add(box_key="challenge", text="Three", workshop=workshop)
    assert WorkshopNote.objects.count() == 2


def test_adding_a_note_to_the_box_appends_it_as_a_saved_revision(mission, editor, workshop):
    services.canvas_box_save(
        by=editor, mission=mission, box_key="challenge", text="Sick years.", expected_version=0
    )
    note = services.workshop_note_add(
        box_key="challenge", text="Rural areas first", workshop=workshop
    )
    saved = services.workshop_note_use(by=editor, note=note)
    assert saved.text == "Sick years.\n\nRural areas first" and saved.version == 2
    assert CanvasBox.objects.get(mission=mission, box_key="challenge").text == saved.text
    assert CanvasBoxRevision.objects.filter(mission=mission, box_key="challenge").count() == 2
    note.refresh_from_db()
    assert note.status == NoteStatus.USED


def test_a_note_moves_to_another_box_or_is_set_aside_and_back(mission, editor, workshop):
    note = services.workshop_note_add(box_key="challenge", text="Who pays?", workshop=workshop)
    services.workshop_note_sort(by=editor, note=note, box_key="instruments_resources")
    services.workshop_note_sort(by=editor, note=note, status=NoteStatus.SET_ASIDE)
    note.refresh_from_db()
    assert (note.box_key, note.status) == ("instruments_resources", NoteStatus.SET_ASIDE)
    with pytest.raises(ValidationError):
        services.workshop_note_sort(by=editor, note=note, status=NoteStatus.USED)


def test_viewers_cannot_use_notes_and_other_organisations_get_404(
    client, mission, viewer, workshop, member, other_organisation
):
    note = services.workshop_note_add(box_key="challenge", text="Idea", workshop=workshop)
    use = reverse("canvas:note_sort", args=[mission.organisation.slug, mission.key, note.pk])
    client.force_login(viewer)
    assert client.post(use, {"action": "use"}).status_code == 403
    outsider = member("editor", org=other_organisation)
    client.force_login(outsider)
    assert client.post(use, {"action": "use"}).status_code == 404
    other_mission = MissionFactory(organisation=other_organisation, key="elsewhere")
    elsewhere = reverse(
        "canvas:note_sort", args=[other_organisation.slug, other_mission.key, note.pk]
    )
    assert client.post(elsewhere, {"action": "use"}).status_code == 404
    note.refresh_from_db()
    assert note.status == NoteStatus.NEW


def test_the_board_and_its_live_updates_cost_the_same_queries_however_much_the_mission_holds(
    client, mission, editor, workshop
):
    """The page, a changed board and an unchanged one (304) each need a fixed number of
    queries, whatever the number of targets, projects, workshop notes and boxes written."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from missions.tests.factories import MissionProjectFactory, TargetFactory

    page = reverse("canvas:canvas", args=[mission.organisation.slug, mission.key])
    live = reverse("canvas:live", args=[mission.organisation.slug, mission.key])
    client.force_login(editor)

    def costs() -> tuple[int, int, int]:
        client.get(page)  # warm up
        with CaptureQueriesContext(connection) as shown:
            client.get(page)
        with CaptureQueriesContext(connection) as changed:
            etag = client.get(live)["ETag"]
        with CaptureQueriesContext(connection) as same:
            assert client.get(live, headers={"If-None-Match": etag}).status_code == 304
        return len(shown), len(changed), len(same)

    def add(numbers: range) -> None:
        for n in numbers:
            TargetFactory(mission=mission, key=f"target-{n}", title=f"Target {n}")
            MissionProjectFactory(mission=mission, key=f"project-{n}", title=f"Project {n}")
            services.workshop_note_add(workshop=workshop, box_key="challenge", text=f"Note {n}")

    # One of each first: an empty list skips its prefetch query altogether.
    add(range(1))
    services.canvas_box_save(
        by=editor, mission=mission, box_key="challenge", text="Sick years.", expected_version=0
    )
    one = costs()
    add(range(1, 8))
    services.canvas_fill_examples(by=editor, mission=mission)
    assert costs() == one
