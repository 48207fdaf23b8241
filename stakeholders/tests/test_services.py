"""Writes: deduplicated actors, history on every change, optimistic concurrency, permissions."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from missions.models import Actor, MissionChange
from missions.services import ConflictError
from stakeholders import services
from stakeholders.models import StakeholderPosition

pytestmark = pytest.mark.django_db


def test_an_existing_actor_is_reused_ignoring_case_and_spaces(add, ministry, organisation):
    stakeholder = add("  ministry   of HEALTH ", helix="")
    assert stakeholder.actor == ministry
    assert Actor.objects.filter(organisation=organisation).count() == 1
    assert stakeholder.helix == "government"  # copied from the register


def test_a_new_name_adds_the_actor_once_and_needs_a_sector(add, organisation):
    with pytest.raises(ValidationError) as caught:
        add("Patients United", helix="")
    assert "helix" in caught.value.message_dict
    stakeholder = add("Patients United", helix="civil_society", roles=["citizen_group"])
    assert stakeholder.actor.name == "Patients United"
    assert Actor.objects.filter(organisation=organisation, name="Patients United").count() == 1


def test_the_same_actor_cannot_be_on_a_map_twice(add, ministry):
    add("Ministry of Health")
    with pytest.raises(ValidationError) as caught:
        add("MINISTRY OF HEALTH")
    assert "already on this mission's map" in caught.value.message_dict["name"][0]


def test_a_named_person_stays_out_of_the_register(add, organisation):
    person = add("Dr Jane Doe", is_person=True, helix="academia", roles=["board_member"])
    assert person.actor is None and person.person_name == "Dr Jane Doe"
    assert person.is_core_team  # board members are core team automatically
    assert not Actor.objects.filter(organisation=organisation, name="Dr Jane Doe").exists()


def test_every_change_of_position_or_engagement_adds_a_history_row(add, editor):
    stakeholder = add("Acme", helix="industry")
    assert StakeholderPosition.objects.filter(stakeholder=stakeholder).count() == 1
    stakeholder = services.stakeholder_move(
        by=editor, stakeholder=stakeholder, expected_version=1, power=5, interest=4
    )
    stakeholder = services.stakeholder_update(
        by=editor,
        stakeholder=stakeholder,
        expected_version=stakeholder.version,
        engagement_now="consult",
    )
    # Only the plan text: no new position.
    stakeholder = services.stakeholder_update(
        by=editor,
        stakeholder=stakeholder,
        expected_version=stakeholder.version,
        engagement_plan="Quarterly round table.",
    )
    history = list(stakeholder.positions.order_by("recorded_at", "pk"))
    assert [(p.power, p.interest, p.engagement_now) for p in history] == [
        (3, 3, "inform"),
        (5, 4, "inform"),
        (5, 4, "consult"),
    ]
    changes = MissionChange.objects.filter(object_type="stakeholder", object_key=stakeholder.key)
    assert changes.count() == 4
    assert changes.first().changes == {"engagement_plan": ["", "Quarterly round table."]}


def test_a_stale_version_is_a_conflict_and_nothing_is_saved(add, editor):
    stakeholder = add("Acme", helix="industry")
    services.stakeholder_move(
        by=editor, stakeholder=stakeholder, expected_version=1, power=1, interest=1
    )
    with pytest.raises(ConflictError) as caught:
        services.stakeholder_move(
            by=editor, stakeholder=stakeholder, expected_version=1, power=5, interest=5
        )
    assert caught.value.current_version == 2
    stakeholder.refresh_from_db()
    assert (stakeholder.power, stakeholder.interest) == (1, 1)


def test_moves_outside_the_grid_are_refused(add, editor):
    stakeholder = add("Acme", helix="industry")
    with pytest.raises(ValidationError):
        services.stakeholder_move(
            by=editor, stakeholder=stakeholder, expected_version=1, power=6, interest=1
        )


def test_viewers_cannot_change_the_map(add, viewer, mission):
    stakeholder = add("Acme", helix="industry")
    with pytest.raises(PermissionDenied):
        services.stakeholder_move(
            by=viewer, stakeholder=stakeholder, expected_version=1, power=5, interest=5
        )
    with pytest.raises(PermissionDenied):
        services.stakeholder_create(
            by=viewer, mission=mission, name="X", helix="industry", roles=["critic"],
            power=1, interest=1,
        )  # fmt: skip


def test_changes_notify_the_criteria_engine(add, mission, django_capture_on_commit_callbacks):
    from missions import hooks

    seen = []
    hooks.on_mission_changed(seen.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            add("Acme", helix="industry")
    finally:
        hooks._listeners.remove(seen.append)
    assert mission.pk in seen


def test_logging_an_activity_moves_last_engaged_forward(add, editor, mission):
    acme = add("Acme", helix="industry")
    activity = services.activity_create(
        by=editor,
        mission=mission,
        stakeholders=[acme],
        date=datetime.date(2025, 3, 1),
        type="workshop",
        level="consult",
        participants={"industry": 4, "civil_society": 10},
        summary="Design workshop on the targets.",
        influence_on_decision="",
    )
    acme.refresh_from_db()
    assert acme.last_engaged == datetime.date(2025, 3, 1)
    assert activity.participant_total == 14 and activity.needs_feedback
    services.activity_create(
        by=editor,
        mission=mission,
        stakeholders=[acme],
        date=datetime.date(2024, 1, 1),
        type="survey",
        level="inform",
        summary="Older survey.",
    )
    acme.refresh_from_db()
    assert acme.last_engaged == datetime.date(2025, 3, 1)


def test_confirming_the_map_dates_every_stakeholder_today(add, editor, mission):
    add("Acme", helix="industry")
    add("Beta", helix="academia")
    assert services.map_confirm(by=editor, mission=mission) == 2
    assert StakeholderPosition.objects.filter(stakeholder__mission=mission).count() == 4
