"""Webhooks: endpoints, the events they hear, signed deliveries with retries, and disabling an
endpoint whose deliveries keep failing.

An event becomes one `WebhookDelivery` per endpoint that wants it, written in the transaction
of the change that caused it (so a change that rolls back announces nothing), and sent by a
Celery task once that transaction commits. Each try signs the body as Stripe and GitHub do:
`Lodestar-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. A 2xx answer
delivers it; anything else, or no answer within the timeout, is tried again after the next
wait in WEBHOOK_RETRY_SECONDS; after the last, the delivery has failed, and an endpoint with
WEBHOOK_DISABLE_AFTER failed deliveries in a row is disabled (an administrator enables it
again). The delivery id stays the same on every try and on a redelivery, so a receiver acts
on each delivery once."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import logging
import secrets
import time
import urllib.error
import urllib.request
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from api.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint, WebhookEvent

logger = logging.getLogger(__name__)

SECRET_PREFIX = "whsec_"  # noqa: S105 - a public marker that tells a secret apart, not a secret
TIMEOUT_SECONDS = 10
KEPT_ATTEMPTS = 20


def _require_admin(by: User, organisation: Organisation) -> None:
    if not by.has_perm("api.manage_tokens", organisation):
        raise PermissionDenied(_("Only administrators can manage webhooks."))


# --- Endpoints ---------------------------------------------------------------------------------


def _check_url(url: str) -> str:
    url = url.strip()
    try:
        URLValidator(schemes=["https", "http"] if settings.WEBHOOK_ALLOW_HTTP else ["https"])(url)
    except ValidationError:
        raise ValidationError(
            {"url": _("Enter the full address of the receiving system, starting with https://.")}
        ) from None
    return url


def _check_events(events: list[str]) -> list[str]:
    chosen = [e for e in WebhookEvent.values if e in set(events)]
    if not chosen or len(chosen) != len(set(events)):
        raise ValidationError({"events": _("Choose at least one event to send.")})
    return chosen


@transaction.atomic
def endpoint_create(
    *, by: User, organisation: Organisation, url: str, events: list[str]
) -> WebhookEndpoint:
    """A new endpoint with a new signing secret (shown to the administrator once)."""
    _require_admin(by, organisation)
    return WebhookEndpoint.objects.create(
        organisation=organisation,
        url=_check_url(url),
        events=_check_events(events),
        secret=SECRET_PREFIX + secrets.token_urlsafe(32),
        created_by=by,
    )


@transaction.atomic
def endpoint_enable(*, by: User, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """Start sending again to an endpoint that was disabled after failures."""
    _require_admin(by, endpoint.organisation)
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        disabled_at=None, disabled_reason="", failures_in_a_row=0
    )
    endpoint.refresh_from_db()
    return endpoint


@transaction.atomic
def endpoint_delete(*, by: User, endpoint: WebhookEndpoint) -> None:
    _require_admin(by, endpoint.organisation)
    endpoint.delete()


@transaction.atomic
def delivery_resend(*, by: User, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery again, with the same id (the receiver may have lost it)."""
    _require_admin(by, delivery.endpoint.organisation)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.PENDING, next_attempt_at=timezone.now()
    )
    _send_after_commit(delivery.pk, attempt=1)
    delivery.refresh_from_db()
    return delivery


# --- Events ------------------------------------------------------------------------------------


def publish(*, organisation_id: int, event: str, data: dict[str, Any]) -> list[WebhookDelivery]:
    """One delivery per live endpoint of the organisation that wants `event`, sent after the
    current transaction commits."""
    endpoints = WebhookEndpoint.objects.filter(
        organisation_id=organisation_id, disabled_at__isnull=True, events__contains=[event]
    ).select_related("organisation")
    deliveries = []
    for endpoint in endpoints:
        delivery_id = uuid.uuid4()
        body = {
            "id": str(delivery_id),
            "event": event,
            "created_at": timezone.now().isoformat(),
            "organisation": endpoint.organisation.slug,
            "data": data,
        }
        delivery = WebhookDelivery.objects.create(
            endpoint=endpoint,
            delivery_id=delivery_id,
            event=event,
            payload=json.loads(json.dumps(body, cls=DjangoJSONEncoder)),
            next_attempt_at=timezone.now(),
        )
        _send_after_commit(delivery.pk, attempt=1)
        deliveries.append(delivery)
    return deliveries


def _send_after_commit(delivery_pk: int, *, attempt: int, countdown: int = 0) -> None:
    from api import tasks

    transaction.on_commit(
        lambda: tasks.deliver_webhook_task.apply_async(
            args=(delivery_pk, attempt), countdown=countdown
        )
    )


# --- Signing and sending ------------------------------------------------------------------------


def signature(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not a delivery: following it would turn the POST into a GET
    to somewhere else and count it as delivered."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def _post(endpoint: WebhookEndpoint, delivery: WebhookDelivery) -> tuple[int | None, str]:
    """(HTTP status, or None when there was no answer; a short reason when it failed)."""
    body = json.dumps(delivery.payload, ensure_ascii=False).encode()
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked when the endpoint is saved
        endpoint.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Lodestar-Webhooks/1",
            "Lodestar-Event": delivery.event,
            "Lodestar-Delivery": str(delivery.delivery_id),
            "Lodestar-Signature": signature(endpoint.secret, int(time.time()), body),
        },
    )
    try:
        with _OPENER.open(request, timeout=TIMEOUT_SECONDS) as answer:
            return answer.status, ""
    except urllib.error.HTTPError as error:
        return error.code, _("The receiver answered %(status)s.") % {"status": error.code}
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        return None, _("No answer: %(reason)s") % {"reason": str(reason)[:150]}


def deliver(*, delivery_pk: int, attempt: int) -> str:
    """Try a delivery once (the task's one call); schedule the next try or settle it. Safe to
    run twice: a delivered delivery, or a try that is not the one due, is skipped."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .select_related("endpoint")
            .filter(pk=delivery_pk)
            .first()
        )
        if delivery is None or delivery.status in (DeliveryStatus.DELIVERED, DeliveryStatus.FAILED):
            return "skipped"
        if len(delivery.attempts) >= attempt and delivery.status != DeliveryStatus.PENDING:
            return "skipped"  # this try was made already (a task delivered twice)
        endpoint = delivery.endpoint
        if endpoint.disabled_at is not None:
            return "skipped"
        started = time.monotonic()
        status, error = _post(endpoint, delivery)
        ok = status is not None and 200 <= status < 300
        delivery.attempts = [
            *delivery.attempts,
            {
                "at": timezone.now().isoformat(),
                "status": status,
                "error": error,
                "ms": round((time.monotonic() - started) * 1000),
            },
        ][-KEPT_ATTEMPTS:]
        waits = settings.WEBHOOK_RETRY_SECONDS
        if ok:
            delivery.status = DeliveryStatus.DELIVERED
            delivery.delivered_at = timezone.now()
            delivery.next_attempt_at = None
            WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failures_in_a_row=0)
        elif attempt <= len(waits):
            wait = waits[attempt - 1]
            delivery.status = DeliveryStatus.RETRYING
            delivery.next_attempt_at = timezone.now() + datetime.timedelta(seconds=wait)
            _send_after_commit(delivery.pk, attempt=attempt + 1, countdown=wait)
        else:
            delivery.status = DeliveryStatus.FAILED
            delivery.next_attempt_at = None
            _count_failure(endpoint)
        delivery.save(update_fields=["attempts", "status", "delivered_at", "next_attempt_at"])
        return str(delivery.status)


def _count_failure(endpoint: WebhookEndpoint) -> None:
    locked = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    locked.failures_in_a_row += 1
    fields = ["failures_in_a_row"]
    if locked.failures_in_a_row >= settings.WEBHOOK_DISABLE_AFTER and locked.disabled_at is None:
        locked.disabled_at = timezone.now()
        locked.disabled_reason = _("%(count)s deliveries in a row failed every try.") % {
            "count": locked.failures_in_a_row
        }
        fields += ["disabled_at", "disabled_reason"]
        logger.warning("webhook endpoint %s disabled after repeated failures", locked.pk)
    locked.save(update_fields=fields)
