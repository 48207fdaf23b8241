"""Saving canvas boxes: versions, conflicts, revisions, limits and permissions."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from canvas.models import CanvasBox, CanvasBoxRevision
from canvas.services import CanvasConflict, canvas_box_save
from missions import hooks
from missions.models import Mission
from missions.services import ConflictError

pytestmark = pytest.mark.django_db


def test_a_first_save_creates_the_box_at_version_1_and_records_a_revision(mission, editor):
    saved = canvas_box_save(
        by=editor,
        mission=mission,
        box_key="challenge",
        text="Too many sick years.",
        expected_version=0,
    )
    assert (saved.text, saved.version, saved.updated_by) == ("Too many sick years.", 1, editor)
    box = CanvasBox.objects.get(mission=mission, box_key="challenge")
    assert (box.text, box.version, box.updated_by) == ("Too many sick years.", 1, editor)
    revision = CanvasBoxRevision.objects.get(mission=mission, box_key="challenge")
    assert (revision.version, revision.text, revision.user) == (1, "Too many sick years.", editor)


def test_every_save_is_a_revision_with_who_when_and_what(mission, editor, other_editor):
    canvas_box_save(by=editor, mission=mission, box_key="rationale", text="One", expected_version=0)
    canvas_box_save(
        by=other_editor, mission=mission, box_key="rationale", text="One two", expected_version=1
    )
    revisions = list(
        CanvasBoxRevision.objects.filter(mission=mission, box_key="rationale").order_by("version")
    )
    assert [(r.version, r.text, r.user) for r in revisions] == [
        (1, "One", editor),
        (2, "One two", other_editor),
    ]
    assert all(r.at <= timezone.now() for r in revisions)


def test_a_save_based_on_an_old_version_is_refused_with_the_newer_text(
    mission, editor, other_editor
):
    canvas_box_save(
        by=editor,
        mission=mission,
        box_key="governance",
        text="Ministry A owns it.",
        expected_version=0,
    )
    with pytest.raises(ConflictError) as caught:  # the missions' ConflictError, for every caller
        canvas_box_save(
            by=other_editor,
            mission=mission,
            box_key="governance",
            text="Ministry B owns it.",
            expected_version=0,
        )
    conflict = caught.value
    assert isinstance(conflict, CanvasConflict)
    assert (conflict.expected_version, conflict.current_version) == (0, 1)
    assert conflict.current_text == "Ministry A owns it."
    assert conflict.updated_by == editor
    assert (
        CanvasBox.objects.get(mission=mission, box_key="governance").text == "Ministry A owns it."
    )


def test_saving_the_same_text_again_is_not_a_conflict_and_changes_nothing(mission, editor):
    canvas_box_save(
        by=editor, mission=mission, box_key="learning", text="Review yearly.", expected_version=0
    )
    again = canvas_box_save(
        by=editor, mission=mission, box_key="learning", text="Review yearly.", expected_version=0
    )
    assert (again.version, again.changed) == (1, False)
    assert CanvasBoxRevision.objects.filter(mission=mission, box_key="learning").count() == 1


def test_the_statement_box_is_the_missions_statement(mission, editor):
    version = mission.version
    saved = canvas_box_save(
        by=editor,
        mission=mission,
        box_key="mission_statement",
        text="By 2040 everyone lives five more healthy years.",
        expected_version=version,
    )
    mission.refresh_from_db()
    assert mission.statement == "By 2040 everyone lives five more healthy years."
    assert saved.version == mission.version == version + 1
    assert not CanvasBox.objects.filter(mission=mission).exists()  # one source of truth
    assert mission.changes.filter(object_type="mission").exists()  # in the mission's history too
    assert (
        CanvasBoxRevision.objects.get(mission=mission, box_key="mission_statement").version
        == mission.version
    )


def test_the_statement_conflicts_on_an_old_mission_version(mission, editor, other_editor):
    version = mission.version
    canvas_box_save(
        by=editor,
        mission=mission,
        box_key="mission_statement",
        text="By 2040 A.",
        expected_version=version,
    )
    with pytest.raises(CanvasConflict) as caught:
        canvas_box_save(
            by=other_editor,
            mission=mission,
            box_key="mission_statement",
            text="By 2040 B.",
            expected_version=version,
        )
    assert caught.value.current_text == "By 2040 A."
    assert Mission.objects.get(pk=mission.pk).statement == "By 2040 A."


def test_over_long_text_is_refused_naming_the_limit(mission, editor):
    with pytest.raises(ValidationError) as caught:
        canvas_box_save(
            by=editor, mission=mission, box_key="challenge", text="x" * 3001, expected_version=0
        )
    assert caught.value.message_dict["text"] == [
        "Challenge can be at most 3,000 characters long; this text has 3,001. "
        "Shorten it by 1 character and it will save."
    ]
    with pytest.raises(ValidationError) as caught:
        canvas_box_save(
            by=editor,
            mission=mission,
            box_key="mission_statement",
            text="y" * 301,
            expected_version=mission.version,
        )
    assert "at most 300 characters" in caught.value.message_dict["text"][0]
    assert not CanvasBox.objects.exists()


def test_line_breaks_are_stored_as_typed_and_counted_once(mission, editor):
    saved = canvas_box_save(
        by=editor,
        mission=mission,
        box_key="challenge",
        text="a\r\nb" + "c" * 2997,
        expected_version=0,
    )
    assert saved.text.startswith("a\nb") and len(saved.text) == 3000


def test_viewers_and_reviewers_cannot_save(mission, viewer, member):
    for user in (viewer, member("reviewer")):
        with pytest.raises(PermissionDenied):
            canvas_box_save(
                by=user, mission=mission, box_key="challenge", text="No", expected_version=0
            )
    assert not CanvasBox.objects.exists()


def test_an_archived_mission_cannot_be_changed(mission, editor):
    Mission.objects.filter(pk=mission.pk).update(archived_at=timezone.now())
    mission.refresh_from_db()
    with pytest.raises(PermissionDenied):
        canvas_box_save(
            by=editor, mission=mission, box_key="challenge", text="No", expected_version=0
        )


def test_a_save_tells_the_criteria_engine_after_commit(
    mission, editor, django_capture_on_commit_callbacks
):
    heard = []
    listener = heard.append
    hooks.on_mission_changed(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            canvas_box_save(
                by=editor, mission=mission, box_key="portfolio", text="Labs", expected_version=0
            )
    finally:
        hooks._listeners.remove(listener)
    assert heard == [mission.pk]
