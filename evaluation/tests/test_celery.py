"""End to end with a real Celery worker: a saved mission ends up assessed, with results."""

import time

import pytest
from django.db import transaction

from evaluation.models import AssessmentState, CriterionResult, Finding, RunStatus
from missions import hooks
from missions.tests.factories import MissionFactory


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_saved_mission_is_assessed_in_the_background(celery_worker, settings, organisation):
    settings.EVALUATION_ASSESSMENT_DELAY = 0
    mission = MissionFactory(organisation=organisation, key="agri", statement="")
    with transaction.atomic():
        mission.statement = "Promote a sustainable, smart and water-efficient agriculture."
        mission.deadline_year = None
        mission.save()
        hooks.mission_changed(mission.pk)  # what the missions services call on every write

    deadline = time.monotonic() + 30
    state = None
    while time.monotonic() < deadline:
        state = AssessmentState.objects.filter(mission=mission).select_related("last_run").first()
        if state and state.last_run_id and not state.is_pending:
            break
        time.sleep(0.25)
    assert state is not None and state.last_run is not None, "no assessment within 30 s"
    assert state.last_run.status == RunStatus.DONE and not state.is_pending
    scores = dict(
        CriterionResult.objects.filter(run=state.last_run).values_list("criterion", "auto_score")
    )
    assert set(scores) == {"c1", "c2", "c3", "c4", "c5"}
    assert scores["c2"] < 40  # no target, no deadline: the direction is not clear
    assert Finding.objects.filter(mission=mission, code="WASH_ACTIVITY_STATEMENT").exists()
