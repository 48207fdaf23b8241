"""When a milestone's year is over, the team marks it met or missed with the value reached: from
Home by clicking, and the targets page then shows it. axe on each page."""

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from missions.models import Milestone
from missions.tests.factories import MilestoneFactory, MissionFactory, TargetFactory
from tests.a11y import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_editor_marks_a_milestone_met_with_the_value_reached(
    live_server, page: Page, member, organisation, sign_in
):
    mission = MissionFactory(
        organisation=organisation, key="years", title="Five more healthy years"
    )
    target = TargetFactory(mission=mission, key="hly", title="Healthy life years", unit="years")
    MilestoneFactory(target=target, year=2024, value=Decimal(63))
    sign_in(member("editor"))

    page.get_by_role("link", name=organisation.name).first.click()
    page.get_by_role("main").get_by_role("link", name="Missions", exact=True).click()
    page.get_by_role("link", name="Five more healthy years").click()
    page.get_by_role("link", name="Targets and milestones").click()
    page.get_by_role("link", name="Change milestone 2024").click()
    expect(page.get_by_role("heading", name="Milestone 2024")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Status").select_option(label="Met")
    page.get_by_label("Actual value").fill("63.4")
    page.get_by_role("button", name="Save milestone").click()

    expect(page.get_by_text("Milestone 2024 saved.")).to_be_visible()
    expect(page.locator("#target-hly")).to_contain_text("Met: 63.4 years reached")
    assert_accessible(page)
    milestone = Milestone.objects.get()
    assert (milestone.status, milestone.actual_value) == ("met", Decimal("63.4"))

    # Saving it again unchanged says so and writes nothing.
    page.get_by_role("link", name="Change milestone 2024").click()
    page.get_by_role("button", name="Save milestone").click()
    expect(page.get_by_text("Nothing was changed.")).to_be_visible()
    assert Milestone.objects.get().version == milestone.version
