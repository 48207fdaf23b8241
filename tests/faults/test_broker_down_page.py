"""In the browser: a PDF asked for while Redis is down says why it failed, and Retry works once
Redis is back (the broker's refusal is kombu's exception; test_outages.py stops a real Redis)."""

import pytest
from kombu.exceptions import OperationalError
from playwright.sync_api import Page, expect

from documents.tasks import render_document_task
from missions.tests.factories import MissionFactory
from tests.a11y import assert_accessible
from tests.e2e.conftest import sign_in  # noqa: F401 - the fixture

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_pdf_asked_for_while_redis_is_down_says_so_and_retry_queues_it(
    live_server,
    page: Page,
    organisation,
    member,
    sign_in,  # noqa: F811 - the fixture imported above
    monkeypatch,
):
    mission = MissionFactory(organisation=organisation, key="resilience", title="Resilience")
    sent: list[int] = []
    broker = {"down": True}

    def delay(document_id: int) -> None:
        if broker["down"]:
            raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
        sent.append(document_id)

    monkeypatch.setattr(render_document_task, "delay", delay)
    sign_in(member("editor"))

    page.goto(f"{live_server.url}/organisations/{organisation.slug}/missions/{mission.key}/")
    page.get_by_role("button", name="Export canvas (PDF)").click()
    status = page.locator("#export-status #document-status")
    expect(status).to_contain_text("Failed")
    expect(status).to_contain_text("The PDF could not be queued")
    assert_accessible(page)
    page.screenshot(path="/tmp/fault-pdf-not-queued.png", full_page=True)

    broker["down"] = False
    status.get_by_role("button", name="Retry").click()
    expect(page.locator("#document-status")).to_contain_text("Queued")
    assert_accessible(page)
    assert len(sent) == 1
