"""The status workflow: what each step needs, who may take it, and the task list."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from missions import services
from missions.models import MandateSource, MissionStatus
from missions.tests.factories import MissionFactory, TargetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bare(organisation):
    """A draft with nothing filled in."""
    return MissionFactory(organisation=organisation, statement="", deadline_year=None)


@pytest.fixture
def ready(organisation):
    """A draft that can be proposed and, with its mandate, approved."""
    mission = MissionFactory(
        organisation=organisation,
        mandate_source=MandateSource.GOVERNMENT_DECISION,
        mandate_reference="Cabinet decision 2019/26",
        mandate_date=datetime.date(2019, 4, 26),
    )
    TargetFactory(mission=mission)
    return mission


def test_proposing_an_empty_draft_lists_every_missing_thing(bare, editor):
    with pytest.raises(ValidationError) as caught:
        services.mission_transition(by=editor, mission=bare, transition="propose")
    assert caught.value.messages == [
        "Write the mission statement: what will be true, for whom, and by when.",
        "Set the deadline year by which the mission should be achieved.",
        "Add at least one headline target with a baseline and a target value, "
        "or a yes/no success condition.",
    ]
    bare.refresh_from_db()
    assert bare.status == MissionStatus.DRAFT


def test_an_incomplete_headline_target_says_what_it_lacks(organisation, editor):
    mission = MissionFactory(organisation=organisation)
    TargetFactory(mission=mission, title="Healthy years", baseline_value=None, unit="")
    with pytest.raises(ValidationError) as caught:
        services.mission_transition(by=editor, mission=mission, transition="propose")
    assert caught.value.messages == [
        "Target “Healthy years” needs a baseline value and year and a unit."
    ]


def test_editor_proposes_and_lead_approves(ready, editor, lead):
    mission = services.mission_transition(by=editor, mission=ready, transition="propose")
    assert mission.status == MissionStatus.PROPOSED
    mission = services.mission_transition(by=lead, mission=mission, transition="approve")
    assert mission.status == MissionStatus.APPROVED
    assert mission.approved_on is not None


def test_editor_cannot_approve(ready, editor):
    services.mission_transition(by=editor, mission=ready, transition="propose")
    with pytest.raises(PermissionDenied):
        services.mission_transition(by=editor, mission=ready, transition="approve")


def test_viewer_cannot_propose(ready, viewer):
    with pytest.raises(PermissionDenied):
        services.mission_transition(by=viewer, mission=ready, transition="propose")


def test_approval_needs_a_mandate(organisation, editor, lead):
    mission = MissionFactory(organisation=organisation)
    TargetFactory(mission=mission)
    services.mission_transition(by=editor, mission=mission, transition="propose")
    with pytest.raises(ValidationError) as caught:
        services.mission_transition(by=lead, mission=mission, transition="approve")
    assert len(caught.value.messages) == 3
    assert "mandate" in caught.value.messages[0]


def test_a_step_from_the_wrong_status_is_refused(ready, lead):
    with pytest.raises(ValidationError) as caught:
        services.mission_transition(by=lead, mission=ready, transition="complete")
    assert "cannot take the step" in caught.value.messages[0]


def test_pause_returns_to_where_it_was(ready, editor, lead):
    services.mission_transition(by=editor, mission=ready, transition="propose")
    for step in ("approve", "activate", "start_review", "pause"):
        mission = services.mission_transition(by=lead, mission=ready, transition=step)
    assert mission.status == MissionStatus.PAUSED
    mission = services.mission_transition(by=lead, mission=mission, transition="resume")
    assert mission.status == MissionStatus.UNDER_REVIEW
    mission = services.mission_transition(by=lead, mission=mission, transition="pause")
    mission = services.mission_transition(by=lead, mission=mission, transition="activate")
    assert mission.status == MissionStatus.ACTIVE
    mission = services.mission_transition(by=lead, mission=mission, transition="complete")
    assert mission.status == MissionStatus.COMPLETED


def test_task_list_shows_available_steps_and_unmet_requirements(bare, editor, lead):
    options = services.mission_transitions(mission=bare, user=editor)
    assert [o.name for o in options] == ["propose"]
    assert options[0].allowed and not options[0].ready
    assert len(options[0].unmet) == 3
    bare.status = MissionStatus.PROPOSED
    by_name = {o.name: o for o in services.mission_transitions(mission=bare, user=editor)}
    assert not by_name["approve"].allowed
    assert by_name["withdraw"].ready
    assert {o.name for o in services.mission_transitions(mission=bare, user=lead)} == {
        "withdraw",
        "approve",
        "retire",
    }


def test_archived_mission_offers_no_steps_and_refuses_them(ready, lead, editor):
    services.mission_archive(by=lead, mission=ready)
    ready.refresh_from_db()
    assert services.mission_transitions(mission=ready, user=lead) == []
    with pytest.raises(PermissionDenied):
        services.mission_transition(by=editor, mission=ready, transition="propose")


def test_outsider_cannot_move_another_organisations_mission(ready, outsider):
    with pytest.raises(PermissionDenied):
        services.mission_transition(by=outsider, mission=ready, transition="propose")
