"""Indicator stewards in the browser: an editor invites a statistics office's analyst for one
indicator; the analyst signs in, finds it under "Your indicators", adds a value and sees it in
the history, fixes a wrong one, and makes a push API token. axe checks every page."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from accounts.tests.factories import UserFactory
from evaluation.indicators import services
from evaluation.indicators.models import IndicatorSteward
from missions.tests.factories import MissionFactory
from tests.a11y import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("LODESTAR_SCREENSHOTS", "")


def shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


@pytest.fixture
def indicator(member, organisation):
    editor = member("editor", full_name="Sam Servant")
    mission = MissionFactory(organisation=organisation, key="healthy-years", title="Healthy years")
    indicator = services.indicator_create(
        by=editor,
        mission=mission,
        name="Healthy life years",
        level="impact",
        definition="Years a newborn can expect to live in good health",
        unit="years",
        data_source="CBS StatLine",
    )
    indicator.editor = editor
    return indicator


def test_an_editor_invites_a_steward_from_the_indicator_page(
    live_server, page: Page, indicator, organisation, sign_in
):
    sign_in(indicator.editor)
    page.goto(
        f"{live_server.url}/organisations/{organisation.slug}/missions/healthy-years/indicators/"
        f"{indicator.key}/"
    )
    expect(page.get_by_text("No stewards.")).to_be_visible()
    page.get_by_label("Email address").fill("not an address")
    page.get_by_role("button", name="Invite steward").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Email address").fill("analyst@stats.example")
    page.get_by_label("Full name").fill("Ana Lyst")
    page.get_by_role("button", name="Invite steward").click()
    expect(page.get_by_text("analyst@stats.example can now add values")).to_be_visible()
    expect(page.locator("#steward-list")).to_contain_text("Ana Lyst")
    assert_accessible(page)
    shot(page, "indicator-stewards")


def test_a_steward_adds_a_value_and_sees_it_in_the_history(
    live_server, page: Page, indicator, sign_in
):
    steward = UserFactory(email="stella@stats.example", full_name="Stella Statistician")
    IndicatorSteward.objects.create(indicator=indicator, user=steward, invited_by=indicator.editor)
    sign_in(steward)
    page.set_viewport_size({"width": 1280, "height": 1000})

    page.get_by_role("link", name="All your indicators").click()
    expect(page.get_by_role("heading", level=1, name="Your indicators")).to_be_visible()
    assert_accessible(page)
    shot(page, "steward-your-indicators")

    page.get_by_role("link", name="Healthy life years").click()
    expect(page.get_by_text("Years a newborn can expect to live in good health")).to_be_visible()
    expect(page.get_by_text("No values recorded yet.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Period ending").fill("2024-12-31")
    page.get_by_label("Value", exact=True).fill("lots")
    page.get_by_role("button", name="Add value").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Value", exact=True).fill("63.1")
    page.get_by_label("Source reference").fill("StatLine table 71950")
    page.get_by_role("button", name="Add value").click()
    expect(page.get_by_text("Value added.")).to_be_visible()
    history = page.locator("#history")
    expect(history).to_contain_text("2024-12-31")
    expect(history).to_contain_text("63.1")
    expect(history).to_contain_text("Stella Statistician")
    assert_accessible(page)
    shot(page, "steward-indicator")

    page.get_by_role("link", name="Correct the value for 2024-12-31").click()
    page.get_by_label("Value", exact=True).fill("63.4")
    page.get_by_role("button", name="Save correction").click()
    expect(page.get_by_text("Value corrected.")).to_be_visible()
    expect(history.get_by_text("Replaced")).to_be_visible()

    page.get_by_role("link", name="Import values from CSV").click()
    expect(page.get_by_role("heading", level=1, name="Import values")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Your indicators").click()
    page.get_by_role("link", name="Send values from your own system").click()
    page.get_by_label("Token name").fill("StatLine nightly")
    page.get_by_role("button", name="Make token").click()
    expect(page.get_by_label("Your new token")).to_have_value(re.compile(r"^lsp_"))
    assert_accessible(page)
    shot(page, "steward-tokens")

    # Nothing else of the mission is open to a steward.
    response = page.goto(f"{live_server.url}/organisations/health/missions/healthy-years/")
    assert response.status == 404
