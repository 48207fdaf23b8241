"""Writes for the inbox: creating notifications (in bulk, in the caller's transaction), marking
them read, e-mail preferences and unsubscribing, and the two e-mail runs (immediate and the
daily digest) the Celery tasks call.

E-mail goes through `accounts.mail.send_after_commit`, so a mail server that is down is retried
by the worker and never fails the change that caused the notification. Each run claims its
notifications by setting `emailed_at` in the same transaction that queues the messages, so a
run repeated (a redelivered task, beat firing twice) sends nothing twice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.mail import mail_user
from accounts.models import User
from inbox.models import Delivery, Kind, Notification, NotificationPreference
from inbox.selectors import delivery_for

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "inbox.unsubscribe"
# An unsubscribe link keeps working for half a year: people find old e-mails.
UNSUBSCRIBE_MAX_AGE = 183 * 24 * 3600


# --- Creating notifications -------------------------------------------------------------------


def notify(
    *,
    kind: Kind,
    organisation_id: int,
    recipients: QuerySet[User] | Iterable[int],
    by: User | None,
    params: dict[str, Any],
    url: str,
    mission_id: int | None = None,
    emailed: bool = False,
) -> list[Notification]:
    """Tell `recipients` (users, or their ids) about one event: one query for the recipients
    (when a queryset is given) and one INSERT for all their notifications, however many there
    are. Once the caller's transaction commits, one task e-mails those who want it at once.
    The person who acted is never told about their own act. `emailed=True` when the event
    already sent its own e-mail (a steward's invitation): the inbox only shows it."""
    if isinstance(recipients, QuerySet):
        if by is not None:
            recipients = recipients.exclude(pk=by.pk)
        ids = set(recipients.values_list("pk", flat=True))
    else:
        ids = {pk for pk in recipients if pk is not None}
    if by is not None:
        ids.discard(by.pk)
    if not ids:
        return []
    now = timezone.now()
    created = Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=pk,
                organisation_id=organisation_id,
                mission_id=mission_id,
                kind=kind,
                actor=by,
                params=params,
                url=url,
                created_at=now,
                emailed_at=now if emailed else None,
            )
            for pk in sorted(ids)
        ]
    )
    if not emailed:
        notification_ids = [notification.pk for notification in created]
        transaction.on_commit(lambda: _queue_emails(notification_ids))
    return created


def _queue_emails(notification_ids: list[int]) -> None:
    from inbox.tasks import send_notification_emails_task

    try:
        send_notification_emails_task.delay(notification_ids)
    except Exception:
        # The broker cannot take it: the notifications are in the inbox all the same.
        logger.exception(
            "notification e-mails could not be queued", extra={"count": len(notification_ids)}
        )


# --- Reading ----------------------------------------------------------------------------------


def notification_mark_read(*, by: User, notification: Notification) -> Notification:
    """Mark one of `by`'s notifications read (again: nothing changes)."""
    if notification.recipient_id != by.pk:
        raise ValidationError(_("This notification is not yours."))
    now = timezone.now()
    if Notification.objects.filter(pk=notification.pk, recipient=by, read_at__isnull=True).update(
        read_at=now
    ):
        notification.read_at = now
    return notification


def notifications_mark_all_read(*, by: User) -> int:
    """Mark every unread notification of `by` read; returns how many were unread."""
    return Notification.objects.filter(recipient=by, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- Preferences and unsubscribing ------------------------------------------------------------


def preference_set(*, by: User, delivery: str) -> bool:
    """How `actor` wants to be e-mailed: immediately, a daily digest, or not at all. Returns
    whether anything changed; saving the default or the stored choice again writes nothing."""
    if delivery not in Delivery.values:
        raise ValidationError({"delivery": _("Choose how you want to be e-mailed.")})
    if delivery == delivery_for(by):
        return False
    NotificationPreference.objects.update_or_create(user=by, defaults={"delivery": delivery})
    return True


def unsubscribe_token(user: User) -> str:
    """A token for the unsubscribe link in every e-mail: it names the person, is signed with
    the site's secret (salted, so no other signed value of the site passes for it) and
    expires after UNSUBSCRIBE_MAX_AGE."""
    return signing.dumps({"user": user.pk}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_user(token: str) -> User | None:
    """The person an unsubscribe token names, or None for a token that was changed, has
    expired, or names nobody any more."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is one too
        return None
    user_id = data.get("user") if isinstance(data, dict) else None
    if not isinstance(user_id, int):
        return None
    return User.objects.filter(pk=user_id, is_active=True).first()


def unsubscribe(*, token: str) -> User | None:
    """Turn e-mails off for the person the token names (no sign-in needed). None for a bad or
    expired token, and then nothing changes."""
    user = unsubscribe_user(token)
    if user is not None:
        preference_set(by=user, delivery=Delivery.OFF)
    return user


# --- E-mail -----------------------------------------------------------------------------------


def absolute_url(path: str) -> str:
    """A link for an e-mail: the site's address (LODESTAR_SITE_URL) and the path."""
    return settings.LODESTAR_SITE_URL.rstrip("/") + path


def _links_for(user: User) -> dict[str, str]:
    return {
        "preferences_link": absolute_url(reverse("inbox:preferences")),
        "unsubscribe_link": absolute_url(
            reverse("inbox:unsubscribe", args=[unsubscribe_token(user)])
        ),
    }


def _wants(delivery: str) -> Q:
    """Notifications whose recipient wants e-mail `delivery` (no preference: immediately)."""
    chosen = Q(recipient__notification_preference__delivery=delivery)
    if delivery == Delivery.IMMEDIATELY:
        return chosen | Q(recipient__notification_preference__isnull=True)
    return chosen


def _claim(pending: QuerySet[Notification]) -> list[Notification]:
    """Lock what no e-mail has taken yet (skipping rows another run holds) and mark it taken."""
    claimed = list(
        pending.filter(emailed_at__isnull=True, read_at__isnull=True, recipient__is_active=True)
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("recipient")
        .order_by("recipient_id", "created_at", "pk")
    )
    if claimed:
        Notification.objects.filter(pk__in=[n.pk for n in claimed]).update(
            emailed_at=timezone.now()
        )
    return claimed


def _sentence_of(notification: Notification) -> str:
    return notification.sentence


def _digest_subject(count: int) -> str:
    return ngettext(
        "Lodestar: %(count)s new notification", "Lodestar: %(count)s new notifications", count
    ) % {"count": count}


@transaction.atomic
def emails_send_immediate(*, notification_ids: list[int]) -> int:
    """E-mail each of these notifications to its recipient if they want e-mail at once and
    have not read it yet. Returns how many e-mails were queued. Safe to run twice."""
    claimed = _claim(
        Notification.objects.filter(pk__in=notification_ids).filter(_wants(Delivery.IMMEDIATELY))
    )
    for notification in claimed:
        recipient = notification.recipient
        mail_user(
            recipient,
            subject=partial(_sentence_of, notification),
            template="inbox/email/notification.txt",
            context={
                "sentence": notification.sentence,
                "link": absolute_url(notification.url),
                **_links_for(recipient),
            },
        )
    return len(claimed)


@transaction.atomic
def emails_send_digests() -> int:
    """One e-mail per person who chose the daily digest, listing their notifications that no
    e-mail has taken and that they have not read. Returns how many e-mails were queued. Safe
    to run twice: a second run finds nothing left."""
    claimed = _claim(Notification.objects.filter(_wants(Delivery.DAILY)))
    by_person: dict[int, list[Notification]] = {}
    for notification in claimed:
        by_person.setdefault(notification.recipient_id, []).append(notification)
    for notifications in by_person.values():
        recipient, count = notifications[0].recipient, len(notifications)
        mail_user(
            recipient,
            subject=partial(_digest_subject, count),
            template="inbox/email/digest.txt",
            context={
                "items": [
                    {"sentence": n.sentence, "link": absolute_url(n.url)} for n in notifications
                ],
                "inbox_link": absolute_url(reverse("inbox:list")),
                **_links_for(recipient),
            },
        )
    return len(by_person)
