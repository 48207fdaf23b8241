"""Two rough edges (issue #15, item 5) walked from Home by clicking, with axe on each page:

- a lead is offered "Approve" only once approving can succeed: until then the decision page
  lists what the mission lacks, each item a link to where it is done;
- an editor adds a project whose lead actor is not in the register yet, going to the actor
  page from the project form and coming back with the new actor chosen."""

import re

import pytest
from playwright.sync_api import Page, expect

from missions.models import Mission, MissionProject
from missions.tests.factories import ActorFactory, MissionFactory
from portfolios.models import ReviewDecision
from tests.a11y import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_lead_fixes_what_stops_an_approval_then_approves(
    live_server, page: Page, member, organisation, sign_in
):
    MissionFactory(
        organisation=organisation, key="green-steel", title="Green steel", status="proposed"
    )
    sign_in(member("lead"))

    page.get_by_role("link", name="Decide on “Green steel”").click()
    expect(page.get_by_role("heading", name="Decide on “Green steel”")).to_be_visible()
    expect(page.get_by_role("radio", name="Request changes")).to_be_visible()
    expect(page.get_by_role("radio", name="Approve")).to_have_count(0)
    tasks = page.locator(".govuk-task-list__link")
    expect(tasks).to_have_count(4)
    assert_accessible(page)

    # The mandate: its link opens the mandate group of the overview, at its first field.
    page.get_by_role("link", name=re.compile("^Record where the mandate comes from")).click()
    expect(page).to_have_url(re.compile(r"/change/governance/#id_mandate_source$"))
    page.get_by_label("Mandate (optional)", exact=True).select_option("government_decision")
    page.get_by_label("Mandate reference").fill("Cabinet decision 2026/3")
    page.get_by_label("Mandate date").fill("2026-03-01")
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#group-governance")).to_contain_text("Cabinet decision 2026/3")

    # Back to the decision from Home: one thing is left, the headline target.
    page.get_by_role("link", name="Home", exact=True).click()
    page.get_by_role("link", name="Decide on “Green steel”").click()
    expect(tasks).to_have_count(1)
    page.get_by_role("link", name=re.compile("^Add at least one headline target")).click()
    expect(page.get_by_role("heading", name="Add a target")).to_be_visible()
    # The mission's first target starts as its headline target.
    expect(page.get_by_label("Headline target")).to_be_checked()
    page.get_by_label("Title", exact=True).fill("Steel made with hydrogen")
    page.get_by_label("Direction").select_option("increase")
    page.get_by_label("Baseline value").fill("0")
    page.get_by_label("Baseline year").fill("2024")
    page.get_by_label("Target value").fill("100")
    page.get_by_label("Target year").fill("2035")
    page.get_by_label("Unit").fill("percent of the steel made in the region")
    assert_accessible(page)
    page.get_by_role("button", name="Add target").click()
    expect(page.get_by_text("Target “Steel made with hydrogen” added.")).to_be_visible()

    # Now Approve is offered, and succeeds.
    page.get_by_role("link", name="Home", exact=True).click()
    page.get_by_role("link", name="Decide on “Green steel”").click()
    expect(page.locator(".govuk-task-list__link")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("radio", name="Approve").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Approved: “Green steel”.")).to_be_visible()
    assert Mission.objects.get(key="green-steel").status == "approved"
    assert ReviewDecision.objects.get().decision == "approve"

    # The decision panel's comparison opens the snapshot against the mission now.
    page.get_by_role("link", name="Open the mission").click()
    page.get_by_role("link", name="Compare it with the mission now").click()
    expect(page.get_by_text(re.compile("^From “Approved decision, .*” to now$"))).to_be_visible()
    assert_accessible(page)


def test_an_editor_adds_a_lead_actor_from_the_project_form_and_comes_back_to_it(
    live_server, page: Page, member, organisation, sign_in
):
    MissionFactory(organisation=organisation, key="years", title="Five more healthy years")
    ActorFactory(organisation=organisation, name="Ministry of Health")
    sign_in(member("editor"))

    page.get_by_role("link", name=organisation.name).first.click()
    page.get_by_role("link", name="Missions", exact=True).first.click()
    page.get_by_role("link", name="Five more healthy years").click()
    page.get_by_role("link", name="Projects", exact=True).click()
    expect(page.get_by_text("save the project first if you have typed a lot")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Add an actor who is not in the list").click()
    expect(page.get_by_role("heading", name="Add an actor")).to_be_visible()
    expect(page.get_by_role("link", name="Back to the project form")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Name").fill("Neighbourhood health cooperative")
    page.get_by_label("Helix").select_option("civil_society")
    page.get_by_role("button", name="Add actor").click()

    expect(page.get_by_role("heading", name="Add a project")).to_be_visible()
    lead = page.get_by_label("Lead actor")
    expect(lead.locator("option:checked")).to_have_text("Neighbourhood health cooperative")
    assert_accessible(page)
    page.get_by_label("Title", exact=True).fill("Neighbourhood health labs")
    page.get_by_role("button", name="Add project").click()
    expect(page.get_by_text("Project “Neighbourhood health labs” added.")).to_be_visible()
    expect(page.locator("#project-" + MissionProject.objects.get().key)).to_contain_text(
        "Neighbourhood health cooperative"
    )
    assert_accessible(page)
