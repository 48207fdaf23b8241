"""Celery tasks for the inbox: ids in, one service call, safe to run twice."""

from __future__ import annotations

from celery import shared_task

from inbox import services


@shared_task(acks_late=True, ignore_result=True)
def send_notification_emails_task(notification_ids: list[int]) -> int:
    """E-mail the notifications of one event to those who want e-mail at once."""
    return services.emails_send_immediate(notification_ids=notification_ids)


@shared_task(acks_late=True, ignore_result=True)
def send_daily_digests_task() -> int:
    """The daily digest: one e-mail per person who chose it (Celery beat, every morning)."""
    return services.emails_send_digests()
