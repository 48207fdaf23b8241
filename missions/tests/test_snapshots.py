"""Snapshots: named immutable copies of a whole mission, and readable comparisons."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from missions import services, snapshots
from missions.models import MissionSnapshot
from missions.tests.factories import MissionProjectFactory, TargetFactory

pytestmark = pytest.mark.django_db


def test_a_snapshot_keeps_the_whole_mission_with_every_section(mission, editor):
    TargetFactory(mission=mission, key="hly", title="Healthy life years")
    MissionProjectFactory(mission=mission, key="labs", title="Health labs")
    snapshot = snapshots.snapshot_take(
        by=editor, mission=mission, name="  Cabinet   submission v3 "
    )
    assert snapshot.name == "Cabinet submission v3"
    assert snapshot.taken_by == editor
    document = snapshot.document
    assert document["key"] == mission.key
    assert [t["key"] for t in document["targets"]] == ["hly"]
    assert [p["key"] for p in document["projects"]] == ["labs"]
    assert "canvas" in document  # sections registered by other apps come along


def test_snapshots_are_immutable_and_names_unique(mission, editor):
    snapshot = snapshots.snapshot_take(by=editor, mission=mission, name="Draft 1")
    snapshot.name = "Changed"
    with pytest.raises(ValueError, match="immutable"):
        snapshot.save()
    with pytest.raises(ValidationError) as caught:
        snapshots.snapshot_take(by=editor, mission=mission, name="draft 1")
    assert "already a snapshot called" in caught.value.message_dict["name"][0]
    with pytest.raises(ValidationError):
        snapshots.snapshot_take(by=editor, mission=mission, name="   ")


def test_viewers_cannot_take_snapshots(mission, viewer):
    with pytest.raises(PermissionDenied):
        snapshots.snapshot_take(by=viewer, mission=mission, name="Mine")
    assert not MissionSnapshot.objects.exists()


def test_word_diff_marks_removed_and_added_words():
    assert snapshots.word_diff(
        "By 2040 all people live longer", "By 2045 all citizens live longer"
    ) == [
        ("equal", "By "),
        ("delete", "2040 "),
        ("insert", "2045 "),
        ("equal", "all "),
        ("delete", "people "),
        ("insert", "citizens "),
        ("equal", "live longer"),
    ]


def test_compare_gives_word_diffs_per_text_and_structured_changes_in_plain_words(mission, editor):
    target = TargetFactory(
        mission=mission, key="hly", title="Healthy life years", baseline_year=2019
    )
    TargetFactory(mission=mission, key="care", title="Care gap", position=1)
    before = snapshots.snapshot_take(by=editor, mission=mission, name="Before")
    services.target_update(
        by=editor,
        target=target,
        expected_version=target.version,
        baseline_year=2020,
        target_value=Decimal("68"),
    )
    MissionProjectFactory(mission=mission, key="labs", title="Health labs")
    services.mission_update(
        by=editor,
        mission=mission,
        expected_version=mission.version,
        statement="By 2045 everyone lives five more years in good health.",
        deadline_year=2045,
    )
    comparison = snapshots.snapshot_compare(before.document, snapshots.current_document(mission))
    assert "Deadline year: 2040 → 2045" in comparison.changes
    assert "Target 1 “Healthy life years”: baseline year 2019 → 2020" in comparison.changes
    assert "Target 1 “Healthy life years”: target value 67 → 68" in comparison.changes
    assert "Project “Health labs” added." in comparison.changes
    statement = next(t for t in comparison.texts if t.key == "statement")
    assert (
        statement.changed
        and ("delete", "2040 ") in statement.parts
        and ("insert", "2045 ") in statement.parts
    )
    assert [t.key for t in comparison.changed_texts] == ["statement"]


def test_the_snapshot_pages_take_and_compare(client, mission, editor):
    client.force_login(editor)
    url = reverse("missions:snapshots", args=["health", mission.key])
    response = client.post(url, {"name": ""})
    assert response.status_code == 422
    assert "Give the snapshot a name" in response.content.decode()
    response = client.post(url, {"name": "Cabinet submission v3"}, follow=True)
    assert "Snapshot “Cabinet submission v3” taken." in response.content.decode()
    services.mission_update(
        by=editor, mission=mission, expected_version=mission.version, title="Healthier years"
    )
    compare = reverse("missions:snapshot_compare", args=["health", mission.key])
    response = client.get(compare, follow=True)
    html = response.content.decode()
    assert "From “Cabinet submission v3” to now" in html
    assert "Title: Healthy years → Healthier years" in html
