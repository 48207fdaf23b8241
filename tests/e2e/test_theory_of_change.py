"""An editor builds a small theory of change with the plain forms (activity → output →
outcome → impact, with an assumption), sees the diagram and its table, and is told clearly
when a link would go backwards. axe checks the page after every step."""

import re

import pytest
from playwright.sync_api import Page, expect

from missions.tests.factories import MissionFactory, MissionProjectFactory, TargetFactory
from tests.a11y import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

STEPS = [
    ("activity", "Fund neighbourhood sport coaches"),
    ("output", "Coaches working in 50 neighbourhoods"),
    ("outcome", "People in those neighbourhoods move more"),
    ("impact", "Five more healthy life years"),
]


def test_build_a_theory_of_change_with_the_forms(
    live_server, page: Page, member, organisation, sign_in
):
    editor = member("editor", full_name="Sam Servant")
    mission = MissionFactory(organisation=organisation, key="healthy-years", title="Healthy years")
    TargetFactory(mission=mission, key="hly", title="Healthy life years at birth", is_headline=True)
    MissionProjectFactory(mission=mission, key="coaches", title="Sport coaches")
    sign_in(editor)
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.goto(f"{live_server.url}/organisations/{organisation.slug}/missions/{mission.key}/")
    page.get_by_role("link", name="Theory of change", exact=True).click()
    expect(page.get_by_text("No theory of change yet.")).to_be_visible()
    assert_accessible(page)

    for kind, title in STEPS:
        page.get_by_label("Kind of step", exact=True).select_option(kind)
        page.get_by_label("Title", exact=True).fill(title)
        if kind == "activity":
            page.get_by_label(
                "Project (activities and outputs only) (optional)", exact=True
            ).select_option(label="Sport coaches")
        if kind == "impact":
            page.get_by_label(
                "Target (outcomes and impact only) (optional)", exact=True
            ).select_option(label="Healthy life years at birth")
        page.get_by_role("button", name="Add step").click()
        expect(page.get_by_text(f"Step “{title}” added.")).to_be_visible()
        assert_accessible(page)

    def add_link(start: str, end: str, assumption: str = "", evidence: str = "none") -> None:
        page.get_by_label("From step", exact=True).select_option(label=start)
        page.get_by_label("Leads to", exact=True).select_option(label=end)
        page.get_by_label("Assumption (optional)", exact=True).fill(assumption)
        page.get_by_label("Strength of evidence", exact=True).select_option(evidence)
        page.get_by_role("button", name="Add link").click()

    add_link(
        f"Activity: {STEPS[0][1]}",
        f"Output: {STEPS[1][1]}",
        "Enough qualified coaches apply",
        "strong",
    )
    expect(page.get_by_text("Link added:")).to_be_visible()
    assert_accessible(page)
    add_link(f"Output: {STEPS[1][1]}", f"Outcome: {STEPS[2][1]}", evidence="moderate")
    assert_accessible(page)
    add_link(f"Outcome: {STEPS[2][1]}", f"Impact: {STEPS[3][1]}", evidence="weak")
    assert_accessible(page)

    # A backwards link is refused, with the reason in the error summary and at the field.
    add_link(f"Impact: {STEPS[3][1]}", f"Activity: {STEPS[0][1]}")
    expect(page.get_by_role("alert")).to_contain_text(
        "The impact cannot lead to an activity: links go from activities to outputs to "
        "outcomes to impact."
    )
    expect(page).to_have_title(re.compile("^Error: Theory of change"))
    assert_accessible(page)

    diagram = page.locator("#diagram svg[role=img]")
    expect(diagram).to_be_visible()
    for _kind, title in STEPS:
        expect(diagram.locator(f"g.toc-node title:text-is('{title}')")).to_have_count(1)
    expect(diagram.locator("path.toc-link")).to_have_count(3)
    boxes = [diagram.locator(f"g.toc-node--{kind} rect").bounding_box()["x"] for kind, _t in STEPS]
    assert boxes == sorted(boxes) and len(set(boxes)) == 4  # left to right
    links = page.get_by_role("table").filter(has_text="Assumption")
    expect(links).to_contain_text("Enough qualified coaches apply")
    expect(links).to_contain_text("Strong")
    page.locator("#diagram").scroll_into_view_if_needed()
    page.screenshot(path="/tmp/toc-page.png", full_page=True)
