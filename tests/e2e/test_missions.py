"""A civil servant starts a mission, fixes a target, adds a project and proposes it; a lead
approves. axe checks every page and every htmx swap on the way."""

import re

import pytest
from playwright.sync_api import Page, expect

from missions.models import Mission, MissionStatus
from missions.tests.factories import ActorFactory
from tests.a11y import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_start_edit_propose_and_approve_a_mission(
    live_server, page: Page, member, organisation, sign_in
):
    editor = member("editor", full_name="Sam Servant")
    lead = member("lead", full_name="Lee Lead")
    ActorFactory(organisation=organisation, name="Municipal health services")
    sign_in(editor)

    # Start the draft from the missions list.
    page.goto(f"{live_server.url}/organisations/health/missions/")
    expect(page.get_by_text("No missions yet")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Start a mission").click()
    assert_accessible(page)
    page.get_by_label("Grand challenge").fill("Healthy ageing")
    page.get_by_label("Mission title").fill("Five more healthy years")
    page.get_by_label("Mission statement").fill(
        "By 2040 everyone in the country lives five more years in good health."
    )
    page.get_by_label("Deadline year").fill("2040")
    page.get_by_role("button", name="Start the draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Five more healthy years")
    expect(page.get_by_text("Add at least one headline target")).to_be_visible()
    assert_accessible(page)

    # Inline edit with htmx: the card swaps in place, and axe is still happy after the swap.
    page.get_by_role("link", name="Change money and people").click()
    page.get_by_label("Committed budget").fill("25000000")
    page.get_by_label("Estimated budget need").fill("40000000")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#group-resources [role=status]")).to_have_text("Saved.")
    expect(page.locator("#group-resources")).to_contain_text("€25,000,000")
    assert_accessible(page)

    # A target due after the deadline is refused on the field, then fixed.
    page.get_by_role("link", name="Targets and milestones").click()
    assert_accessible(page)
    page.get_by_label("Title").fill("Healthy life years at birth")
    page.get_by_label("Headline target").check()
    page.get_by_label("Direction").select_option("increase")
    page.get_by_label("Baseline value").fill("62")
    page.get_by_label("Baseline year").fill("2018")
    page.get_by_label("Target value").fill("67")
    page.get_by_label("Target year").fill("2045")
    page.get_by_label("Unit").fill("years")
    page.get_by_role("button", name="Add target").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Target year 2045 is after the mission deadline 2040."
    )
    expect(page).to_have_title(re.compile("^Error: "))
    assert_accessible(page)
    page.get_by_label("Target year").fill("2040")
    page.get_by_role("button", name="Add target").click()
    expect(page.get_by_text("Target “Healthy life years at birth” added.")).to_be_visible()
    assert_accessible(page)

    # A project linked to the target.
    page.get_by_role("link", name="Projects").click()
    page.get_by_label("Title", exact=True).fill("Neighbourhood health labs")
    page.get_by_label("Lead actor").select_option(label="Municipal health services")
    page.get_by_label("Instrument").select_option("grant")
    page.get_by_label("Stage").select_option("demonstration")
    page.get_by_label("Origin").select_option("open_call")
    page.get_by_label("Healthy life years at birth").check()
    page.get_by_label("How it contributes").fill("Tests prevention in ten neighbourhoods.")
    page.get_by_role("button", name="Add project").click()
    expect(page.get_by_text("Tests prevention in ten neighbourhoods.")).to_be_visible()
    assert_accessible(page)

    # Propose, as the editor.
    page.get_by_role("link", name="Overview").click()
    page.get_by_role("button", name="Propose").click()
    expect(page.get_by_text("The mission is now proposed.")).to_be_visible()
    assert_accessible(page)

    # The lead records the mandate and approves.
    page.get_by_role("button", name="Sign out").click()
    sign_in(lead)
    page.goto(f"{live_server.url}/organisations/health/missions/five-more-healthy-years/")
    page.get_by_role("link", name="Change mandate and governance").click()
    page.get_by_label("Mandate (optional)", exact=True).select_option("government_decision")
    page.get_by_label("Mandate reference").fill("Cabinet decision 2024/17")
    page.get_by_label("Mandate date").fill("2024-03-01")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#group-governance")).to_contain_text("Cabinet decision 2024/17")
    page.reload()
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("The mission is now approved.")).to_be_visible()
    assert_accessible(page)

    mission = Mission.objects.get(key="five-more-healthy-years")
    assert mission.status == MissionStatus.APPROVED
    assert mission.projects.get().contributions.count() == 1


def test_map_history_and_search_pass_axe(live_server, page: Page, member, organisation, sign_in):
    from missions.tests.factories import MissionFactory, MissionProjectFactory

    mission = MissionFactory(organisation=organisation, key="clean-air", title="Clean air")
    for n in range(6):
        MissionProjectFactory(
            mission=mission, title=f"Project {n}", sectors=["Transport", "Health"]
        )
    MissionFactory(organisation=organisation, title="Healthy streets")
    sign_in(member("viewer"))

    page.goto(f"{live_server.url}/organisations/health/missions/")
    page.get_by_label("Search").fill("streets")
    expect(page.locator("#results [role=status]")).to_contain_text("1 mission")
    expect(page.locator("#results")).not_to_contain_text("Clean air")
    assert "q=streets" in page.url  # the filter state is in the address, for bookmarks
    assert_accessible(page)

    page.goto(f"{live_server.url}/organisations/health/missions/clean-air/map/")
    expect(page.locator("svg.mission-map")).to_be_visible()
    assert page.locator("svg.mission-map .mission-map__node").count() == 2 + 2 + 12
    assert_accessible(page)
    page.goto(f"{live_server.url}/organisations/health/missions/clean-air/history/")
    assert_accessible(page)
