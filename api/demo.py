"""Demo data of the API (seed_demo): the demo unit's token for an illustrative budget system and
a webhook to it, with a delivery that got through on its second try and one that failed every
try, so the token list and the delivery log have something to show. The addresses end in
.invalid: nothing is ever sent anywhere. Written once: a second run leaves them alone."""

from __future__ import annotations

import datetime
import uuid

from django.utils import timezone

from accounts.models import Organisation, User
from api import services, webhooks
from api.models import ApiToken, DeliveryStatus, WebhookDelivery

SYSTEM = "Budget system (illustrative)"
ADDRESS = "https://budget.invalid/lodestar-events"


def load_demo_api(organisations: dict[str, Organisation]) -> str:
    organisation = organisations["demo-unit"]
    admin = User.objects.filter(email="admin@demo.example").first()
    if admin is None:
        return "Demo API: skipped (the demo administrator is missing)."
    if ApiToken.objects.filter(organisation=organisation, name=SYSTEM).exists():
        return "Demo API: already there."
    # The secret is not kept: the token is shown in the list, as one made earlier would be.
    services.token_create(by=None, organisation=organisation, name=SYSTEM, role="read")
    endpoint = webhooks.endpoint_create(
        by=admin,
        organisation=organisation,
        url=ADDRESS,
        events=["mission.decided", "document.ready"],
    )
    now = timezone.now()

    def attempt(minutes_ago: int, status: int | None, error: str) -> dict[str, object]:
        at = now - datetime.timedelta(minutes=minutes_ago)
        return {"at": at.isoformat(), "status": status, "error": error, "ms": 140}

    WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(
                endpoint=endpoint,
                delivery_id=uuid.uuid4(),
                event="mission.decided",
                payload={"illustrative": True},
                status=DeliveryStatus.DELIVERED,
                attempts=[
                    attempt(90, 503, "The receiver answered 503."),
                    attempt(89, 204, ""),
                ],
                created_at=now - datetime.timedelta(minutes=90),
                delivered_at=now - datetime.timedelta(minutes=89),
            ),
            WebhookDelivery(
                endpoint=endpoint,
                delivery_id=uuid.uuid4(),
                event="document.ready",
                payload={"illustrative": True},
                status=DeliveryStatus.FAILED,
                attempts=[attempt(60 - i, None, "No answer: timed out") for i in range(3)],
                created_at=now - datetime.timedelta(minutes=60),
            ),
        ]
    )
    return "Demo API: a read-only token and a webhook with two deliveries."
