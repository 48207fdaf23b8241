"""The criteria header panel updates live: an inline edit on the overview page (a deadline
brought within reach) makes it say "Assessing…" and then swaps in the fresh summary, with no
page reload (real worker)."""

import os
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from evaluation import services
from evaluation.models import AssessmentState
from missions.tests.factories import MissionFactory, TargetFactory
from tests.a11y import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.celery, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("LODESTAR_SCREENSHOTS", "")


def _shot(page: Page, name: str, locator=None) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        (locator or page).screenshot(path=f"{SHOTS}/{name}.png")


def _assessed(mission, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = AssessmentState.objects.filter(mission=mission).first()
        if state and state.last_run_id and not state.is_pending:
            return
        time.sleep(0.25)
    pytest.fail("the first assessment did not finish")


def test_an_inline_target_edit_updates_the_header_panel_without_a_reload(
    live_server, page: Page, member, organisation, sign_in, celery_worker
):
    mission = MissionFactory(
        organisation=organisation,
        key="cities",
        title="Climate-neutral cities",
        statement="By 2030 100 cities in Europe are climate-neutral.",
        start_year=2022,
        deadline_year=2070,  # 48 years ahead: further than a deadline within reach (C2)
        geography="Europe",
    )
    TargetFactory(
        mission=mission,
        key="neutral",
        title="Climate-neutral cities",
        baseline_value=None,
        baseline_year=None,
        target_value=100,
        target_year=2030,
        unit="cities",
    )
    services.assessment_request(mission_id=mission.pk, reason="test")
    _assessed(mission)
    sign_in(member("editor"))

    url = f"{live_server.url}/organisations/health/missions/{mission.key}/"
    page.goto(url)
    panel = page.locator("#criteria-summary")
    c2 = page.locator("#criteria-summary-c2")
    expect(c2).to_contain_text("some checks not met")
    expect(c2).to_contain_text("Awaiting review")
    page.evaluate("window.lodestarMarker = 'still here'")

    # A recorded fact that fails a check (missing data would only be "cannot be judged yet").
    group = page.locator("#group-basics")
    group.get_by_role("link", name="Change the mission").click()
    group.get_by_label("Deadline year").fill("2030")
    group.get_by_role("button", name="Save").click()
    expect(page.locator("#group-basics [role=status]")).to_have_text("Saved.")

    # The save tells the page the mission changed; the panel notices and waits for the run.
    expect(panel).to_contain_text("Assessing…", timeout=10_000)
    _shot(page, "header-assessing", page.locator(".lodestar-mission-header"))
    expect(c2).to_contain_text("checks met", timeout=30_000)
    expect(c2).not_to_contain_text("some checks not met")
    expect(panel).not_to_contain_text("Assessing…")
    expect(c2).to_contain_text("Awaiting review")  # the automatic checks are never a verdict
    _shot(page, "header-updated", page.locator(".lodestar-mission-header"))

    assert page.url == url
    assert page.evaluate("window.lodestarMarker") == "still here"
    assert panel.get_attribute("hx-trigger") == "missionChanged from:body"  # no more polling
    assert_accessible(page)
