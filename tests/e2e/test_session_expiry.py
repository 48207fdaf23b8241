"""A session that ends on the server while someone types on the canvas loses nothing, also for a
lead who must pass two-factor authentication again on the way back."""

import re

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import Page, expect

from canvas.models import CanvasBox
from missions.tests.factories import MissionFactory
from tests.a11y import assert_accessible
from tests.e2e.test_canvas import open_box

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SAVED = re.compile(r"^Saved \d\d:\d\d")
TEXT = "The Ministry of Health owns the mission."
MORE = " A cabinet decision of March 2024 gives the mandate."


def test_an_expired_session_keeps_the_typing_and_saves_it_after_signing_in_again(
    live_server, page: Page, member, organisation, sign_in
):
    lead = member("lead", full_name="Lee Lead")
    mission = MissionFactory(organisation=organisation, key="healthy-years")
    canvas = f"{live_server.url}/organisations/health/missions/{mission.key}/canvas/"
    sign_in(lead)
    page.goto(canvas)
    open_box(page, "Governance and mandate")
    box = page.get_by_role("textbox", name="Governance and mandate", exact=True)
    box.fill(TEXT)
    expect(page.locator("#box-governance-status")).to_have_text(SAVED, timeout=10_000)

    # The session ends on the server (expiry, or an administrator ending it): the row is gone,
    # the browser still sends its cookie.
    Session.objects.all().delete()
    box.press_sequentially(MORE, delay=5)

    expect(page.locator("#box-governance-status")).to_contain_text(
        "Not saved – you are signed out", timeout=10_000
    )
    assert CanvasBox.objects.get(mission=mission, box_key="governance").text == TEXT

    sign_in(lead)  # password and a code from the authenticator app
    page.goto(canvas)
    expect(page.locator("#box-governance")).to_contain_text("You have unsaved text from")
    open_box(page, "Governance and mandate")
    assert_accessible(page)
    page.get_by_role("button", name="Restore it").click()
    expect(page.locator("#box-governance-status")).to_have_text(SAVED, timeout=10_000)
    assert CanvasBox.objects.get(mission=mission, box_key="governance").text == TEXT + MORE
