"""A worker killed in the middle of an assessment: the mission stays pending, and once a new
worker runs, the assessment completes exactly once."""

import os
import signal
import time

import pytest

from evaluation import services
from evaluation.models import AssessmentRun, AssessmentState, CriterionResult, RunStatus
from evaluation.tasks import assess_mission_task
from missions.tests.factories import MissionFactory

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


def _wait_for(predicate, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"{what} did not happen within {seconds:.0f} s")


def test_a_worker_killed_mid_assessment_leaves_it_pending_and_the_next_run_completes_it_once(
    killable_worker, organisation
):
    mission = MissionFactory(
        organisation=organisation,
        key="agri",
        statement="Promote innovation in the agri-food sector.",
        deadline_year=2030,
    )
    # A queue of this test's own, so no other worker of the session takes its tasks.
    queue = f"crash-test-{os.getpid()}-{time.time_ns()}"
    services.assessment_request(mission_id=mission.pk, reason="test", enqueue=False)

    # The first worker holds every run for a minute while it is marked running.
    doomed = killable_worker("doomed", queue, LODESTAR_TEST_ASSESSMENT_PAUSE="60")
    assess_mission_task.apply_async(args=(mission.pk,), queue=queue)
    running = _wait_for(
        lambda: AssessmentRun.objects.filter(mission=mission, status=RunStatus.RUNNING).first(),
        30,
        "the run starting",
    )
    os.killpg(doomed.pid, signal.SIGKILL)  # the worker and its pool process, mid-run
    doomed.wait(timeout=10)

    # Nothing finished it: the run is still marked running and the mission still pending.
    time.sleep(1)
    running.refresh_from_db()
    assert running.status == RunStatus.RUNNING
    assert AssessmentState.objects.get(mission=mission).is_pending
    assert not CriterionResult.objects.filter(run__mission=mission).exists()

    # A new worker starts. The next change queues a run; the same task also arrives twice
    # more (as a redelivery and the nightly job would send it).
    killable_worker("fresh", queue)
    services.assessment_request(mission_id=mission.pk, reason="change", enqueue=False)
    for _ in range(3):
        assess_mission_task.apply_async(args=(mission.pk,), queue=queue)

    state = _wait_for(
        lambda: AssessmentState.objects.filter(
            mission=mission, pending_since__isnull=True, last_run__isnull=False
        ).first(),
        30,
        "the assessment completing",
    )
    time.sleep(2)  # let the duplicate tasks run too: they must find nothing to do

    runs = list(AssessmentRun.objects.filter(mission=mission).order_by("pk"))
    done = [r for r in runs if r.status == RunStatus.DONE]
    assert len(done) == 1, [(r.pk, r.status, r.reason) for r in runs]
    assert done[0].input_hash and state.last_run_id == done[0].pk
    assert (
        AssessmentRun.objects.filter(
            mission=mission, input_hash=done[0].input_hash, status=RunStatus.DONE
        ).count()
        == 1
    )
    # The interrupted run is recorded as interrupted; nothing is left queued or running.
    running.refresh_from_db()
    assert running.status == RunStatus.FAILED and "interrupted" in running.error
    assert not AssessmentRun.objects.filter(
        mission=mission, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]
    ).exists()
    assert CriterionResult.objects.filter(run=done[0]).count() == 5
    assert not AssessmentState.objects.get(mission=mission).is_pending
