"""E-mail that a change causes leaves only after the change has committed, from a Celery worker.

A request never waits on (or fails because of) a mail server: the change is saved and answered,
and the message is queued once the transaction commits. The worker retries a mail server that
is down, with growing pauses; a message that cannot be queued at all (Redis down) is logged with
its subject and recipients, never a 500 for a change that was made.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts import languages
from config.inputs import single_line

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)


def send_after_commit(*, subject: str, body: str, to: list[str]) -> None:
    """Send `body` to `to` once the current transaction commits (at once outside one). The
    subject is made one line: a name holding a line break would otherwise be refused by the
    mail library as a header injection."""
    subject = single_line(subject, limit=200)
    transaction.on_commit(lambda: _queue(subject, body, to))


def mail_user(
    user: User, *, subject: Callable[[], str], template: str, context: dict[str, Any]
) -> None:
    """E-mail `user` what `template` writes with `context`, once the transaction commits, in
    the recipient's language (not the sender's): `subject` is worded in it too, so it is a
    function."""
    with translation.override(languages.for_user(user)):
        send_after_commit(
            subject=subject(), body=render_to_string(template, context), to=[user.email]
        )


def site_address(request: HttpRequest) -> str:
    """The site's address as this request reached it, for the links an e-mail holds."""
    return request.build_absolute_uri("/")[:-1]


def password_link(user: User, site: str) -> str:
    """The page where someone invited without a password chooses one (`site`: its address)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return site + reverse("accounts:password_reset_confirm", args=[uid, token])


def _queue(subject: str, body: str, to: list[str]) -> None:
    from accounts.tasks import send_mail_task

    try:
        send_mail_task.delay(subject, body, to)
    except Exception:
        # The broker cannot take it: the change stands, and the log says which mail to resend.
        logger.exception("e-mail could not be queued", extra={"subject": subject, "to": to})
