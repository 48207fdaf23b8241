"""Celery tasks for the API: sending webhook deliveries (ids in, one service call, safe to run
twice)."""

from __future__ import annotations

from celery import shared_task

from api import webhooks


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def deliver_webhook_task(delivery_pk: int, attempt: int) -> str:
    return webhooks.deliver(delivery_pk=delivery_pk, attempt=attempt)
