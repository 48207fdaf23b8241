"""An editor adds an indicator to a headline target and records values; the indicator page
shows the chart with its data table, the targets page a sparkline. axe checks every page."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from missions.tests.factories import MissionFactory, TargetFactory
from tests.a11y import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("LODESTAR_SCREENSHOTS", "")


def shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_add_an_indicator_and_values_and_see_the_chart(
    live_server, page: Page, member, organisation, sign_in
):
    editor = member("editor", full_name="Sam Servant")
    mission = MissionFactory(organisation=organisation, key="healthy-years", title="Healthy years")
    TargetFactory(
        mission=mission, key="hly", title="Healthy life years at birth", baseline_value=62,
        baseline_year=2018, target_value=67, target_year=2040, unit="years",
    )  # fmt: skip
    sign_in(editor)
    page.set_viewport_size({"width": 1280, "height": 1000})
    base = f"{live_server.url}/organisations/{organisation.slug}/missions/{mission.key}"

    page.goto(f"{base}/targets/")
    page.get_by_role("link", name="Indicators", exact=True).click()
    expect(page.get_by_text("No indicators yet.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Name").fill("Healthy life years")
    page.get_by_label("Level").select_option("impact")
    page.get_by_label("Headline target it measures").select_option(
        label="Healthy life years at birth"
    )
    page.get_by_label("Definition").fill("Years a newborn can expect to live in good health")
    page.get_by_label("Unit").fill("years")
    page.get_by_label("Data source").fill("CBS StatLine, Gezonde levensverwachting")
    page.get_by_role("button", name="Add indicator").click()
    expect(page.get_by_role("heading", level=2, name="Healthy life years")).to_be_visible()
    assert_accessible(page)

    for period, value in [("2019-12-31", "62.2"), ("2021-12-31", "62.6"), ("2023-12-31", "62.9")]:
        page.get_by_label("Period ending").fill(period)
        page.get_by_label("Value", exact=True).fill(value)
        page.get_by_role("button", name="Add value").click()
        expect(page.get_by_text("Value added.")).to_be_visible()

    chart = page.locator("#indicator-chart svg")
    expect(chart).to_be_visible()
    table = page.locator("#chart-data")
    expect(table).to_contain_text("2023-12-31")
    expect(table).to_contain_text("62.9")
    expect(page.get_by_text("On track").first).to_be_visible()
    assert_accessible(page)
    shot(page, "indicator-page")

    page.get_by_role("link", name="Targets and milestones").click()
    expect(page.locator("#target-hly-indicator svg.lodestar-sparkline")).to_be_visible()
    expect(page.locator("#target-hly-indicator table")).to_contain_text("62.9")
    assert_accessible(page)
    shot(page, "targets-sparklines")


def test_record_a_review_and_see_it_in_the_history(
    live_server, page: Page, member, organisation, sign_in
):
    from missions.tests.factories import MissionProjectFactory

    editor = member("editor", full_name="Sam Servant")
    mission = MissionFactory(organisation=organisation, key="healthy-years", title="Healthy years")
    TargetFactory(mission=mission, key="hly", title="Healthy life years at birth")
    MissionProjectFactory(mission=mission, key="field-lab", title="Vitaal in Brainport")
    sign_in(editor)
    page.goto(f"{live_server.url}/organisations/{organisation.slug}/missions/{mission.key}/")
    page.get_by_role("link", name="Reviews", exact=True).click()
    expect(page.get_by_text("No reviews yet.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Date of the review").fill("2025-06-30")
    page.get_by_label("Type").select_option("mid_term")
    page.get_by_label("Who reviewed").select_option("external")
    page.get_by_label("Findings").fill("The field lab works; scale it.")
    page.get_by_label("Decision on “Vitaal in Brainport”").select_option("scale")
    page.get_by_role("button", name="Record review").click()
    expect(page.get_by_text("Review recorded.")).to_be_visible()
    expect(page.get_by_text("Vitaal in Brainport: Scale up")).to_be_visible()
    assert_accessible(page)
    shot(page, "reviews")
