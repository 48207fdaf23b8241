import os
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import connection

from accounts.models import Organisation


@shared_task
def worker_probe_task() -> dict:
    """Report what a worker sees: its database and the organisations in it, and the CPU
    priority it runs at. Operators run it from `manage.py shell` to prove a worker reaches both
    the broker and the database."""
    return {
        "database": connection.settings_dict["NAME"],
        "organisations": sorted(Organisation.objects.values_list("slug", flat=True)),
        "niceness": os.nice(0),
    }


@shared_task(
    acks_late=True,
    ignore_result=True,
    # A mail server that is down or refuses for now: try again, waiting longer each time
    # (up to ten minutes), about an hour in all. Anything else is logged by Celery as failed.
    autoretry_for=(OSError, SMTPException),
    retry_backoff=True,
    retry_backoff_max=settings.CELERY_LONGEST_COUNTDOWN,
    max_retries=8,
)
def send_mail_task(subject: str, body: str, to: list[str]) -> None:
    """Send one message queued by accounts.mail.send_after_commit."""
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
