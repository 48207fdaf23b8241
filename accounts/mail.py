"""E-mail that a change causes leaves only after the change has committed, from a Celery worker.

A request never waits on (or fails because of) a mail server: the change is saved and answered,
and the message is queued once the transaction commits. The worker retries a mail server that
is down, with growing pauses; a message that cannot be queued at all (Redis down) is logged with
its subject and recipients, never a 500 for a change that was made.
"""

from __future__ import annotations

import logging

from django.db import transaction

from config.inputs import single_line

logger = logging.getLogger(__name__)


def send_after_commit(*, subject: str, body: str, to: list[str]) -> None:
    """Send `body` to `to` once the current transaction commits (at once outside one). The
    subject is made one line: a name holding a line break would otherwise be refused by the
    mail library as a header injection."""
    subject = single_line(subject, limit=200)
    transaction.on_commit(lambda: _queue(subject, body, to))


def _queue(subject: str, body: str, to: list[str]) -> None:
    from accounts.tasks import send_mail_task

    try:
        send_mail_task.delay(subject, body, to)
    except Exception:
        # The broker cannot take it: the change stands, and the log says which mail to resend.
        logger.exception("e-mail could not be queued", extra={"subject": subject, "to": to})
