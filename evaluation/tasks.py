"""Background work for the criteria engine. Tasks take ids, call one service, and are safe to
run twice (the service claims work by conditional UPDATE under a per-mission lock, and skips
input it has already assessed)."""

from __future__ import annotations

from celery import shared_task
from celery.contrib.django.task import DjangoTask
from django.conf import settings
from django.db import InterfaceError, OperationalError

from evaluation import services


@shared_task(
    base=DjangoTask,
    bind=True,
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    retry_backoff_max=settings.CELERY_LONGEST_COUNTDOWN,
    max_retries=5,
    ignore_result=True,
)
def assess_mission_task(self, mission_id: int) -> str:
    """Assess one mission. If another worker is assessing it right now, try again shortly:
    that worker may have started before the latest change."""
    outcome = services.assessment_run(mission_id=mission_id)
    if outcome == services.RunOutcome.BUSY:
        raise self.retry(countdown=services.busy_retry_seconds(), max_retries=30)
    return str(outcome)


@shared_task(base=DjangoTask, acks_late=True, ignore_result=True)
def reassess_missions_task() -> int:
    """Nightly: ask for an assessment of every mission that is not archived. Missions whose
    input has not changed are skipped cheaply by the run itself."""
    return services.assessment_request_all(reason="nightly")


@shared_task(base=DjangoTask, acks_late=True, ignore_result=True)
def mark_overdue_indicators_task() -> int:
    """Nightly: flag indicators whose next value is overdue for their frequency (and clear the
    flag on those that caught up). Safe to run twice."""
    from evaluation.indicators import overdue

    return overdue.mark_overdue()


@shared_task(base=DjangoTask, acks_late=True, ignore_result=True)
def send_assessments_task(mission_ids: list[int], countdown: int) -> int:
    """Send `assess_mission_task` for each of many missions whose runs are already queued (a
    bulk import): one message from the importer, the many sent from here."""
    with assess_mission_task.app.producer_or_acquire() as producer:
        for mission_id in mission_ids:
            assess_mission_task.apply_async(
                args=(mission_id,), countdown=countdown, producer=producer
            )
    return len(mission_ids)
