"""Writes: permissions, concurrency, history, and the actor register."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from missions import services
from missions.models import ChangeAction, Direction, GrandChallenge, Mission, MissionStatus
from missions.tests.factories import ActorFactory, MissionFactory, TargetFactory

pytestmark = pytest.mark.django_db


def test_editor_creates_a_draft_with_a_new_challenge(organisation, editor):
    mission = services.mission_create(
        by=editor,
        organisation=organisation,
        title="Healthy school food",
        challenge_title="Child health",
        statement="Every child eats good school food by 2030.",
        deadline_year=2030,
    )
    assert mission.status == MissionStatus.DRAFT
    assert mission.key == "healthy-school-food"
    assert mission.challenge.title == "Child health"
    again = services.mission_create(
        by=editor,
        organisation=organisation,
        title="Healthy school food",
        challenge_title="child health",
    )
    assert again.key == "healthy-school-food-2"
    assert GrandChallenge.objects.filter(organisation=organisation).count() == 1


def test_viewer_cannot_create_or_edit(organisation, mission, viewer):
    with pytest.raises(PermissionDenied):
        services.mission_create(
            by=viewer, organisation=organisation, title="X", challenge_title="Y"
        )
    with pytest.raises(PermissionDenied):
        services.mission_update(by=viewer, mission=mission, expected_version=1, title="New")


def test_outsider_cannot_touch_another_organisations_mission(mission, outsider):
    with pytest.raises(PermissionDenied):
        services.mission_update(by=outsider, mission=mission, expected_version=1, title="Mine")
    with pytest.raises(PermissionDenied):
        services.target_create(by=outsider, mission=mission, title="T", direction="binary")
    with pytest.raises(PermissionDenied):
        services.mission_archive(by=outsider, mission=mission)


def test_update_bumps_version_and_records_history(mission, editor):
    updated = services.mission_update(
        by=editor,
        mission=mission,
        expected_version=1,
        title="Five healthy years",
        team_fte=Decimal("2.5"),
    )
    assert updated.version == 2
    change = mission.changes.get()
    assert change.user == editor
    assert change.action == ChangeAction.UPDATED
    assert change.changes == {
        "title": ["Healthy years", "Five healthy years"],
        "team_fte": [None, "2.5"],
    }


def test_a_stale_version_is_refused_and_nothing_is_overwritten(mission, editor):
    services.mission_update(by=editor, mission=mission, expected_version=1, title="First editor")
    with pytest.raises(services.ConflictError) as caught:
        services.mission_update(
            by=editor, mission=mission, expected_version=1, title="Second editor"
        )
    assert caught.value.current_version == 2
    assert "Someone else changed this mission" in str(caught.value)
    mission.refresh_from_db()
    assert mission.title == "First editor"


def test_stale_target_edit_is_refused(mission, editor):
    target = TargetFactory(mission=mission)
    services.target_update(by=editor, target=target, expected_version=1, unit="years of life")
    with pytest.raises(services.ConflictError):
        services.target_update(by=editor, target=target, expected_version=1, unit="years")


def test_an_update_validates_what_it_changes_and_what_is_checked_with_it(mission, editor):
    """Issue #20: an update no longer validates every unchanged field again (a query for each
    foreign key and constraint), but a constraint that joins a changed field to an unchanged
    one is still checked whole, with its message, before anything is written."""
    mission = services.mission_update(
        by=editor, mission=mission, expected_version=1, start_year=2024, deadline_year=2030
    )
    with pytest.raises(ValidationError) as caught:
        services.mission_update(
            by=editor, mission=mission, expected_version=mission.version, start_year=2031
        )
    assert caught.value.messages  # said in words, not an integrity error from the database
    assert Mission.objects.get(pk=mission.pk).start_year == 2024

    with CaptureQueriesContext(connection) as captured:
        services.mission_update(
            by=editor, mission=mission, expected_version=mission.version, statement="Sooner."
        )
    checks = [q["sql"] for q in captured.captured_queries if "_check" in q["sql"]]
    assert checks == []  # none of the mission's constraints involves its statement
    assert Mission.objects.get(pk=mission.pk).statement == "Sooner."


def test_new_deadline_before_a_target_year_is_refused(mission, editor):
    TargetFactory(mission=mission, title="Healthy life years", target_year=2040)
    with pytest.raises(ValidationError) as caught:
        services.mission_update(by=editor, mission=mission, expected_version=1, deadline_year=2035)
    assert caught.value.message_dict["deadline_year"] == [
        "Target “Healthy life years” is due in 2040, after the deadline 2035."
    ]


def test_target_after_deadline_is_refused_with_a_specific_message(mission, editor):
    with pytest.raises(ValidationError) as caught:
        services.target_create(
            by=editor,
            mission=mission,
            title="Later",
            direction=Direction.INCREASE,
            target_value=Decimal(5),
            target_year=2045,
        )
    assert caught.value.message_dict["target_year"] == [
        "Target year 2045 is after the mission deadline 2040."
    ]


def test_every_part_change_is_in_the_history(mission, editor):
    target = services.target_create(
        by=editor,
        mission=mission,
        title="Healthy years",
        direction=Direction.INCREASE,
        baseline_value=Decimal(62),
        baseline_year=2020,
        target_value=Decimal(67),
        target_year=2040,
        unit="years",
        is_headline=True,
    )
    services.milestone_create(by=editor, target=target, year=2030, value=Decimal(64))
    lead_actor, _ = services.actor_get_or_create(
        by=editor, organisation=mission.organisation, name="Health~Holland", helix="industry"
    )
    project = services.project_create(
        by=editor,
        mission=mission,
        title="Field lab",
        lead=lead_actor,
        partners=[lead_actor],
        sectors=["Health care"],
    )
    services.project_contributions_set(
        by=editor, project=project, contributions={target: "Moves care home."}
    )
    services.project_delete(by=editor, project=project)
    history = [(c.action, c.object_type, c.object_key) for c in mission.changes.order_by("pk")]
    assert history == [
        ("created", "target", "healthy-years"),
        ("created", "milestone", "healthy-years@2030"),
        ("created", "project", "field-lab"),
        ("updated", "contributions", "field-lab"),
        ("deleted", "project", "field-lab"),
    ]
    assert all(c.user == editor for c in mission.changes.all())


def test_contribution_to_another_missions_target_is_refused(organisation, mission, editor):
    other_target = TargetFactory(mission=MissionFactory(organisation=organisation))
    project = services.project_create(by=editor, mission=mission, title="Lab")
    with pytest.raises(ValidationError) as caught:
        services.project_contributions_set(
            by=editor, project=project, contributions={other_target: "Because."}
        )
    assert "is a target of another mission" in caught.value.message_dict["contributions"][0]


def test_actors_are_deduplicated_by_name_ignoring_case(organisation, editor):
    first, created = services.actor_get_or_create(
        by=editor, organisation=organisation, name="Vinnova", helix="government", country="se"
    )
    assert created and first.country == "SE"
    second, created = services.actor_get_or_create(
        by=editor, organisation=organisation, name="  VINNOVA ", helix="government"
    )
    assert not created and second == first


def test_new_actor_without_helix_is_explained(organisation, editor):
    with pytest.raises(ValidationError) as caught:
        services.actor_get_or_create(by=editor, organisation=organisation, name="Pharos")
    assert "Pharos" in caught.value.message_dict["helix"][0]


def test_another_organisations_actor_cannot_lead_a_project(mission, other_organisation, editor):
    stranger = ActorFactory(organisation=other_organisation)
    with pytest.raises(ValidationError):
        services.project_create(by=editor, mission=mission, title="Lab", lead=stranger)


def test_archive_restore_and_delete_rules(organisation, mission, editor, lead):
    with pytest.raises(PermissionDenied):
        services.mission_archive(by=editor, mission=mission)
    services.mission_archive(by=lead, mission=mission)
    mission.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.mission_update(
            by=editor, mission=mission, expected_version=mission.version, title="x"
        )
    services.mission_restore(by=lead, mission=mission)
    mission.refresh_from_db()
    assert mission.archived_at is None
    assert [c.action for c in mission.changes.order_by("pk")] == ["archived", "restored"]

    mission.status = MissionStatus.ACTIVE
    mission.save()
    with pytest.raises(PermissionDenied) as caught:
        services.mission_delete_draft(by=lead, mission=mission)
    assert "Archive this mission instead" in str(caught.value)

    draft = MissionFactory(organisation=organisation)
    services.mission_delete_draft(by=editor, mission=draft)
    assert not Mission.objects.filter(pk=draft.pk).exists()
