"""Journey 3 in a browser: a lead filters the portfolio to proposed missions with open
high-severity warnings, sorts, searches, bookmarks the view, compares two missions and approves
one against its snapshot; axe finds no serious problem on any page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from missions.models import Mission, MissionSnapshot
from portfolios.models import ReviewDecision
from portfolios.tests.scene import build_scene
from tests.a11y import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def rows(page: Page) -> list[str]:
    return page.locator(
        "table.lodestar-portfolio-table tbody tr td:nth-child(2) a"
    ).all_inner_texts()


@pytest.fixture
def signed_in_lead(live_server, organisation, member, sign_in):
    build_scene(organisation)
    return sign_in(member("lead", full_name="Lena Lead"))


def test_filter_sort_search_and_bookmark_the_dashboard(live_server, signed_in_lead):
    page = signed_in_lead
    page.get_by_role("link", name="Portfolio", exact=True).click()
    expect(page.get_by_role("heading", name="Portfolio review")).to_be_visible()
    assert rows(page) == ["Clean rivers", "Green steel", "Healthy ageing"]
    assert_accessible(page)

    # Proposed missions with an open high-severity warning: the lead's Monday question.
    page.get_by_label("Status").select_option("proposed")
    expect(page).to_have_url(re.compile(r"status=proposed"))
    page.get_by_label("Open warning").select_option("MANDATE_SINGLE_SPONSOR")
    expect(page.locator("#results h2")).to_have_text(re.compile(r"^1 mission matches your filters"))
    assert rows(page) == ["Healthy ageing"]

    # Sorting by a column header keeps the filters.
    page.get_by_label("Status").select_option("")
    page.get_by_label("Open warning").select_option("")
    expect(page.locator("#results h2")).to_have_text(re.compile(r"^3 missions"))
    page.locator("#results").get_by_role("link", name=re.compile(r"^Mission")).first.click()
    expect(page).to_have_url(re.compile(r"sort=-title"))
    assert rows(page) == ["Healthy ageing", "Green steel", "Clean rivers"]
    expect(page.locator('th[aria-sort="descending"]')).to_contain_text("Mission")

    # Full-text search over the statement.
    page.get_by_label("Search").fill("hydrogen")
    expect(page.locator("#results h2")).to_have_text(re.compile(r"^1 mission"))
    assert rows(page) == ["Green steel"]

    # The address is the view: open it afresh and see the same rows.
    bookmarked = page.url
    assert "q=hydrogen" in bookmarked and "sort=-title" in bookmarked
    page.goto(f"{live_server.url}/")
    page.goto(bookmarked)
    expect(page.get_by_label("Search")).to_have_value("hydrogen")
    assert rows(page) == ["Green steel"]
    assert_accessible(page)


def test_compare_two_missions_and_approve_one_against_its_snapshot(live_server, signed_in_lead):
    page = signed_in_lead
    page.goto(f"{live_server.url}/organisations/health/portfolio/?status=proposed")
    page.get_by_label("Compare Healthy ageing").check()
    page.get_by_label("Compare Green steel").check()
    page.get_by_role("button", name="Compare ticked missions").click()
    expect(page.get_by_role("heading", name="Compare missions")).to_be_visible()
    headers = page.locator("table.lodestar-compare thead th").all_inner_texts()
    assert headers == ["Green steel", "Healthy ageing"]
    # The reviewer's rating, in its words, beside a mission nobody has rated yet.
    expect(page.locator("table.lodestar-compare")).to_contain_text("Largely meets the criterion")
    expect(page.locator("table.lodestar-compare")).to_contain_text("Awaiting review")
    assert_accessible(page)

    page.get_by_role("link", name="Decide Healthy ageing").click()
    expect(page.get_by_role("heading", name="Decide on “Healthy ageing”")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Approve").check()
    page.get_by_label("Comments for the mission's owners").fill(
        "Approved for the 2027 budget round."
    )
    page.get_by_role("button", name="Record the decision").click()
    expect(
        page.locator(".govuk-notification-banner, [role=alert], .lodestar-messages").first
    ).to_contain_text("Approved: “Healthy ageing”")
    decision = ReviewDecision.objects.get()
    assert MissionSnapshot.objects.filter(
        pk=decision.snapshot_id, mission__key="healthy-ageing"
    ).exists()
    assert Mission.objects.get(key="healthy-ageing").status == "approved"

    # The mission's team sees the decision at the top of the mission page.
    page.get_by_role("link", name="Open the mission").click()
    expect(page.locator(".lodestar-decision-panel")).to_contain_text("Portfolio decision: Approved")
    expect(page.locator(".lodestar-decision-panel")).to_contain_text(
        "Approved for the 2027 budget round."
    )
    assert_accessible(page)


def test_facets_overlap_and_decisions_pages_are_accessible(live_server, signed_in_lead):
    page = signed_in_lead
    for path, heading in [
        ("facets/", "Innovation facets"),
        ("overlap/", "Actors in several missions"),
        ("decisions/", "Decision log"),
        ("portfolios/", "Named portfolios"),
    ]:
        page.goto(f"{live_server.url}/organisations/health/portfolio/{path}")
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        assert_accessible(page)
