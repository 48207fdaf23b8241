"""An administrator lets another government system in (#22): from Home to the organisation, a
token made with the form the page shows, its secret used once by the other system, then
revoked; a webhook added and its delivery log; the API's documentation page. Moves only by
clicking what the pages show; axe at 1366 and 390 px."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

from api import webhooks
from api.models import ApiToken, WebhookEndpoint
from missions.tests.factories import MissionFactory
from tests.a11y import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def api_get(secret: str, path: str) -> int:
    """The other system's call, with the token the administrator gave it."""
    return Client().get(path, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code


def test_an_administrator_makes_a_token_the_system_uses_it_and_it_is_revoked(
    live_server, page: Page, member, organisation, sign_in
):
    admin = member("admin", full_name="Ada Admin")
    MissionFactory(organisation=organisation, key="school-meals", title="School meals")

    sign_in(admin)
    page.get_by_role("link", name="Ministry of Health and Care").first.click()
    page.get_by_role("main").get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", name="API tokens", level=1)).to_be_visible()
    expect(page.get_by_text("The organisation has no API tokens yet.")).to_be_visible()

    # Sent without a name: the page says what is missing, beside the field.
    page.get_by_role("button", name="Make the token").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the name")
    assert_accessible(page)

    page.get_by_label("Name").fill("Budget system")
    page.get_by_label("Editor: also change missions").check()
    page.get_by_role("button", name="Make the token").click()
    expect(page.get_by_role("heading", name="Token “Budget system” made")).to_be_visible()
    secret = page.get_by_label("The token").input_value()
    assert secret.startswith("lsa_")
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)
    page.set_viewport_size({"width": 1366, "height": 900})

    # The budget system reads the portfolio with it.
    assert api_get(secret, "/api/v1/missions/school-meals") == 200
    page.get_by_role("link", name="Back to the API tokens").click()
    row = page.locator("#tokens tbody tr", has_text="Budget system")
    expect(row).to_contain_text("Editor")
    expect(row).not_to_contain_text("Never")  # it was used just now
    assert secret not in page.content()  # shown once, never again

    row.get_by_role("button", name="Revoke").click()
    expect(page.get_by_text("The token “Budget system” is revoked")).to_be_visible()
    expect(page.locator("#tokens tbody tr", has_text="Budget system")).to_contain_text("Revoked")
    assert api_get(secret, "/api/v1/missions/school-meals") == 401
    assert ApiToken.objects.get(name="Budget system").revoked_at is not None

    # The documentation the page links to.
    page.get_by_role("link", name="Read the API documentation").click()
    expect(page.get_by_role("heading", name="The Lodestar API")).to_be_visible()
    expect(page.get_by_text("Replace the text of a canvas box")).to_be_visible()
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)


def test_an_administrator_adds_a_webhook_and_sends_a_delivery_again(
    live_server, page: Page, member, organisation, sign_in
):
    admin = member("admin", full_name="Ada Admin")
    sign_in(admin)
    page.get_by_role("link", name="Ministry of Health and Care").first.click()
    page.get_by_role("main").get_by_role("link", name="Webhooks").click()
    expect(page.get_by_role("heading", name="Webhooks", level=1)).to_be_visible()

    page.get_by_label("Address").fill("not an address")
    page.get_by_role("button", name="Add the webhook").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a valid URL")
    assert_accessible(page)

    page.get_by_label("Address").fill("https://budget.invalid/lodestar-events")
    page.get_by_label("A mission is proposed for approval").check()
    page.get_by_label("A lead decides on a mission").check()
    page.get_by_role("button", name="Add the webhook").click()
    expect(page.get_by_role("heading", name="Webhook added")).to_be_visible()
    secret = page.get_by_label("Signing secret").input_value()
    endpoint = WebhookEndpoint.objects.get()
    assert secret == endpoint.secret and secret.startswith("whsec_")
    assert endpoint.events == ["mission.proposed", "mission.decided"]

    # Something happened that the webhook wants (no worker here: it waits to be sent).
    webhooks.publish(
        organisation_id=organisation.pk,
        event="mission.proposed",
        data={"mission": {"key": "school-meals"}},
    )
    page.get_by_role("link", name="See the webhook and its deliveries").click()
    row = page.locator("#deliveries tbody tr").first
    expect(row).to_contain_text("A mission is proposed for approval")
    # Waiting, or (when a worker runs alongside) tried once: .invalid never answers.
    expect(row).to_contain_text(re.compile("Waiting to be sent|will be tried again"))
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)
    page.set_viewport_size({"width": 1366, "height": 900})
    row.get_by_role("button", name="Send again").click()
    expect(page.get_by_text("The delivery will be sent again")).to_be_visible()

    page.get_by_role("button", name="Delete the webhook").click()
    expect(page.get_by_text("The webhook is deleted")).to_be_visible()
    expect(page.get_by_text("The organisation has no webhooks yet.")).to_be_visible()
