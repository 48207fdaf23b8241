"""What the services do when the broker (Redis) refuses a task, and with a queued assessment whose
message Redis lost. test_outages.py shows the same with a real Redis stopped and restarted; here
the refusal is the exception kombu raises, so each rule is checked on its own, quickly."""

from __future__ import annotations

import datetime

import pytest
from kombu.exceptions import OperationalError

from documents import services as documents
from documents.models import DocumentStatus
from documents.tasks import render_document_task
from evaluation import services as evaluation
from evaluation.models import AssessmentRun, AssessmentState, RunStatus
from evaluation.tasks import assess_mission_task
from missions import hooks
from missions.tests.factories import MissionFactory

pytestmark = pytest.mark.django_db


class Broker:
    """Stands in for the broker connection: refuses while `down`, else records what was sent."""

    def __init__(self) -> None:
        self.down = False
        self.sent: list[tuple] = []

    def send(self, *args, **kwargs) -> None:
        if self.down:
            raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
        self.sent.append((args, kwargs))


@pytest.fixture
def broker(monkeypatch) -> Broker:
    broker = Broker()
    monkeypatch.setattr(assess_mission_task, "apply_async", broker.send)
    monkeypatch.setattr(render_document_task, "delay", broker.send)
    return broker


@pytest.fixture
def mission(organisation):
    return MissionFactory(organisation=organisation, key="resilience")


def test_an_assessment_that_cannot_be_queued_is_not_left_queued_and_the_next_change_sends_it(
    mission, broker, django_capture_on_commit_callbacks
):
    broker.down = True
    with django_capture_on_commit_callbacks(execute=True):
        hooks.mission_changed(mission.pk)  # the save itself is not disturbed

    assert not AssessmentRun.objects.filter(mission=mission).exists()
    assert AssessmentState.objects.get(mission=mission).is_pending
    assert broker.sent == []

    broker.down = False
    with django_capture_on_commit_callbacks(execute=True):
        hooks.mission_changed(mission.pk)

    assert AssessmentRun.objects.get(mission=mission).status == RunStatus.QUEUED
    assert len(broker.sent) == 1


def test_a_run_queued_too_long_ago_is_sent_again_by_one_request_of_a_burst(
    mission, broker, settings, django_capture_on_commit_callbacks
):
    settings.EVALUATION_RESEND_AFTER = 60
    with django_capture_on_commit_callbacks(execute=True):
        run = evaluation.assessment_request(mission_id=mission.pk)
    with django_capture_on_commit_callbacks(execute=True):
        evaluation.assessment_request(mission_id=mission.pk)
    assert len(broker.sent) == 1  # a fresh queued run is joined, not sent again

    # Redis restarted empty: the message is gone, the run is still queued a while later.
    long_ago = run.created_at - datetime.timedelta(seconds=61)
    AssessmentRun.objects.filter(pk=run.pk).update(created_at=long_ago)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            assert evaluation.assessment_request(mission_id=mission.pk).pk == run.pk

    assert len(broker.sent) == 2
    assert AssessmentRun.objects.get(pk=run.pk).created_at > long_ago
    assert evaluation.assessment_run(mission_id=mission.pk) == evaluation.RunOutcome.DONE


def test_a_pdf_that_cannot_be_queued_says_so_and_retry_queues_it(
    organisation, member, mission, broker, django_capture_on_commit_callbacks
):
    editor = member("editor")
    broker.down = True
    with django_capture_on_commit_callbacks(execute=True):
        document = documents.document_request(
            by=editor, organisation=organisation, kind="canvas", missions=[mission.key]
        )

    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert document.error.startswith("The PDF could not be queued")
    assert document.can_retry

    broker.down = False
    with django_capture_on_commit_callbacks(execute=True):
        retried = documents.document_retry(by=editor, document=document)

    assert retried.status == DocumentStatus.QUEUED and retried.error == ""
    assert broker.sent == [((document.pk,), {})]
