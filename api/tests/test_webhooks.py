"""Webhooks end to end: a real Celery worker signs and sends each event to a receiver running in
the test, which checks the signature, acts on each delivery id once, and answers 500 the first
time to see the retry; an endpoint that keeps failing is switched off; "Send again" repeats a
delivery with the same id."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import threading
import time
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from api import webhooks
from api.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from missions.models import MissionStatus
from missions.services import mission_transition
from missions.tests.factories import MissionFactory, TargetFactory

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


class Receiver:
    """A system that receives Lodestar's webhooks: it verifies each signature with the secret,
    answers 500 to the first try of every delivery when `flaky`, and processes each delivery id
    once however often it comes."""

    def __init__(self, *, flaky: bool = False, always_fail: bool = False):
        self.secret = ""
        self.flaky = flaky
        self.always_fail = always_fail
        self.requests: list[dict] = []
        self.processed: list[str] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"headers": dict(self.headers), "body": body})
                if not receiver.verified(self.headers.get("Lodestar-Signature", ""), body):
                    self.send_response(400)
                elif receiver.always_fail or (
                    receiver.flaky and receiver.tries(self.headers["Lodestar-Delivery"]) == 1
                ):
                    self.send_response(500)
                else:
                    delivery = self.headers["Lodestar-Delivery"]
                    if delivery not in receiver.processed:
                        receiver.processed.append(delivery)
                    self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/events"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def tries(self, delivery: str) -> int:
        return sum(1 for r in self.requests if r["headers"]["Lodestar-Delivery"] == delivery)

    def verified(self, header: str, body: bytes) -> bool:
        parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
        timestamp = parts.get("t", "0")
        expected = hmac.new(
            self.secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256
        ).hexdigest()
        recent = abs(time.time() - int(timestamp)) < 300
        return recent and hmac.compare_digest(expected, parts.get("v1", ""))


def wait_for(condition, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("timed out")


@pytest.fixture
def receiver():
    made: list[Receiver] = []

    def make(**options) -> Receiver:
        made.append(Receiver(**options))
        return made[-1]

    yield make
    for each in made:
        each.server.shutdown()


def proposable(organisation, key="healthy-years"):
    mission = MissionFactory(
        organisation=organisation,
        key=key,
        statement="Everyone five more healthy years by 2040.",
        deadline_year=2040,
        status=MissionStatus.DRAFT,
    )
    TargetFactory(mission=mission, key="t1")
    return mission


def test_a_proposal_is_signed_retried_after_a_500_and_processed_once(
    organisation, member, receiver, celery_worker
):
    admin = member("admin")
    editor = member("editor")
    hook = receiver(flaky=True)
    endpoint = webhooks.endpoint_create(
        by=admin,
        organisation=organisation,
        url=hook.url,
        events=["mission.proposed", "mission.status_changed"],
    )
    hook.secret = endpoint.secret
    mission = proposable(organisation)

    mission_transition(by=editor, mission=mission, transition="propose")

    wait_for(lambda: len(hook.processed) == 2)
    deliveries = WebhookDelivery.objects.filter(endpoint=endpoint)
    assert sorted(d.event for d in deliveries) == ["mission.proposed", "mission.status_changed"]
    for delivery in deliveries:
        assert delivery.status == DeliveryStatus.DELIVERED
        assert [a["status"] for a in delivery.attempts] == [500, 204]
        assert hook.tries(str(delivery.delivery_id)) == 2  # the same id on the retry
    proposed = next(
        json.loads(r["body"])
        for r in hook.requests
        if r["headers"]["Lodestar-Event"] == "mission.proposed"
    )
    assert proposed["organisation"] == "health"
    assert proposed["data"]["mission"] == {
        "key": "healthy-years",
        "title": mission.title,
        "status": "proposed",
    }
    assert sorted(hook.processed) == sorted(str(d.delivery_id) for d in deliveries)

    # "Send again": the same delivery id again, which the receiver has processed already.
    first = deliveries.get(event="mission.proposed")
    webhooks.delivery_resend(by=admin, delivery=first)
    wait_for(lambda: hook.tries(str(first.delivery_id)) == 3)
    assert len(hook.processed) == 2


def test_an_endpoint_that_keeps_failing_is_switched_off_and_a_forged_signature_fails(
    organisation, member, receiver, celery_worker
):
    admin = member("admin")
    editor = member("editor")
    hook = receiver(always_fail=True)
    endpoint = webhooks.endpoint_create(
        by=admin, organisation=organisation, url=hook.url, events=["mission.status_changed"]
    )
    hook.secret = endpoint.secret
    for key in ("first", "second"):
        mission_transition(by=editor, mission=proposable(organisation, key), transition="propose")

    # Two deliveries, each tried three times (WEBHOOK_RETRY_SECONDS = [1, 2] in the tests).
    wait_for(lambda: WebhookEndpoint.objects.get(pk=endpoint.pk).disabled_at is not None)
    endpoint.refresh_from_db()
    assert endpoint.failures_in_a_row == 2
    assert "2 deliveries in a row failed" in endpoint.disabled_reason
    assert all(
        d.status == DeliveryStatus.FAILED and len(d.attempts) == 3
        for d in WebhookDelivery.objects.filter(endpoint=endpoint)
    )
    # Switched off: a new event is not even queued.
    mission_transition(by=editor, mission=proposable(organisation, "third"), transition="propose")
    assert WebhookDelivery.objects.filter(endpoint=endpoint).count() == 2

    # A receiver with another secret refuses every message: the signature is what it trusts.
    assert not hook.verified(webhooks.signature("whsec_wrong", int(time.time()), b"{}"), b"{}")


@pytest.mark.django_db
def test_each_event_becomes_a_delivery_for_the_endpoints_that_want_it(organisation, member):
    """Without a worker: the deliveries written in the change's own transaction."""
    from evaluation import services as evaluation_services
    from evaluation.indicators import services as indicator_services

    admin = member("admin")
    editor = member("editor")
    every = webhooks.endpoint_create(
        by=admin,
        organisation=organisation,
        url="https://stats.example.gov/hook",
        events=["assessment.changed", "measurement.added"],
    )
    webhooks.endpoint_create(
        by=admin,
        organisation=organisation,
        url="https://other.example.gov/hook",
        events=["document.ready"],
    )
    mission = proposable(organisation)
    indicator = indicator_services.indicator_create(
        by=editor, mission=mission, name="Healthy life years", level="impact", unit="years"
    )
    indicator_services.measurement_add(
        by=editor, indicator=indicator, period_end=datetime.date(2025, 12, 31), value=Decimal("61")
    )
    evaluation_services.assessment_run_now(mission_id=mission.pk)

    events = {d.event: d.payload for d in WebhookDelivery.objects.filter(endpoint=every)}
    assert set(events) == {"assessment.changed", "measurement.added"}
    assert events["measurement.added"]["data"]["indicator"] == indicator.key
    assert events["measurement.added"]["data"]["added"] == 1
    assert set(events["assessment.changed"]["data"]["scores"]) == {"c1", "c2", "c3", "c4", "c5"}
    # Nothing for the endpoint that wants only documents.
    assert WebhookDelivery.objects.exclude(endpoint=every).count() == 0
    # The same assessment again changes nothing, and announces nothing.
    evaluation_services.assessment_run_now(mission_id=mission.pk)
    assert WebhookDelivery.objects.filter(event="assessment.changed").count() == 1
