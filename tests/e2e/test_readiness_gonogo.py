"""The readiness check before a mission, and a reviewer's go/no-go review, in a browser."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from evaluation.models import GoNoGoReview, ReadinessCheck
from missions.models import Mission
from missions.tests.factories import MissionFactory
from tests.a11y import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("LODESTAR_SCREENSHOTS", "")


def _shot(page: Page, name: str, locator=None) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        (locator or page).screenshot(
            path=f"{SHOTS}/{name}.png", **({} if locator else {"full_page": True})
        )


def test_the_readiness_check_advises_and_a_mission_can_start_from_it(
    live_server, page: Page, member, organisation, sign_in
):
    sign_in(member("editor"))
    page.goto(f"{live_server.url}/organisations/health/start-mission/")
    page.get_by_role(
        "link", name="Not sure a mission is the right tool? Take the readiness check"
    ).click()
    expect(page.get_by_role("heading", name="Is a mission the right tool?")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="See the advice").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose an answer")
    assert_accessible(page)

    for group, answer in (
        ("1. Challenge", "Yes, clearly"),
        ("2. Support", "Partly, or not yet"),
        ("3. Objective", "Partly, or not yet"),
        ("4. Commitment", "No"),
    ):
        page.get_by_role("group", name=group).get_by_label(answer, exact=True).check()
    page.get_by_label("Note on challenge (optional)").fill("Food waste")
    page.get_by_label("Note on commitment (optional)").fill("Only one budget year so far.")
    _shot(page, "readiness-form")
    page.get_by_role("button", name="See the advice").click()
    expect(
        page.get_by_role("heading", name="Our advice: A regular programme may fit better")
    ).to_be_visible()
    expect(page.locator("body")).to_contain_text("Only one budget year so far.")
    assert_accessible(page)
    _shot(page, "readiness-result")

    page.get_by_role("link", name="Start a mission").click()
    expect(page.get_by_label("Grand challenge")).to_have_value("Food waste")
    page.get_by_label("Mission title").fill("Half the food waste")
    page.get_by_role("button", name="Start the draft").click()
    expect(page.locator("h1")).to_have_text("Half the food waste")
    mission = Mission.objects.get(title="Half the food waste")
    assert ReadinessCheck.objects.get().mission == mission


def test_a_reviewer_fills_in_the_go_no_go_review(
    live_server, page: Page, member, organisation, sign_in
):
    mission = MissionFactory(
        organisation=organisation, key="agri", title="Agriculture of the future"
    )
    sign_in(member("reviewer", full_name="Rae Reviewer"))
    page.goto(f"{live_server.url}/organisations/health/missions/{mission.key}/criteria/")
    expect(page.get_by_role("heading", name="EU-style go/no-go review")).to_be_visible()
    page.get_by_text("Fill in the go/no-go review").click()
    form = page.locator("form[action$='/go-no-go/']")
    for item in (
        "Added value",
        "Research and innovation content",
        "Buy-in",
        "Ambitious, realistic, measurable and time-bound goal",
        "Feasible implementation plan",
        "Budget",
    ):
        form.get_by_role("group", name=item).get_by_label("Unsure", exact=True).check()
    form.get_by_role("button", name="Save the review").click()
    expect(page.locator("#gonogo .govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    for textarea in form.locator("textarea").all():
        textarea.fill("Too early to tell.")
    form.get_by_role("group", name="Budget").get_by_label("No go", exact=True).check()
    form.get_by_role("button", name="Save the review").click()
    expect(page.locator("#gonogo")).to_contain_text("0 go, 1 no go, 5 unsure")
    expect(page.locator("#gonogo")).to_contain_text("Latest review by Rae Reviewer")
    assert_accessible(page)
    _shot(page, "gonogo-panel", page.locator("#gonogo"))
    assert GoNoGoReview.objects.get().answers.filter(decision="no_go").count() == 1
