"""Issue #23's journey: an editor records who puts what into two projects; the lead finds, on
the portfolio's risks-and-rewards view, the mission whose public money carries most of the risk
with no reward condition; a condition is recorded and the flag and the criteria warning clear.
Every step starts at Home and moves by clicking; axe runs on every page."""

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from missions.tests.factories import ActorFactory, MissionFactory, MissionProjectFactory
from tests.a11y import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.celery, pytest.mark.django_db(transaction=True)]

WARNING = "Public money carries the risk without a share in the rewards"


@pytest.fixture
def vaccines(organisation):
    mission = MissionFactory(
        organisation=organisation,
        key="vaccines",
        title="Vaccines for the next pandemic within 100 days",
        deadline_year=2030,
    )
    for key, title, lead, public in (
        ("mrna-platform", "mRNA platform", "Nordic Biotech AB", "8000000"),
        ("trial-network", "Trial network", "University Hospital Trials", "3000000"),
    ):
        MissionProjectFactory(
            mission=mission,
            key=key,
            title=title,
            lead=ActorFactory(organisation=organisation, name=lead),
            budget=Decimal("20000000"),
            public_funding=Decimal(public),
        )
    return mission


def _to_the_mission(page: Page, title: str) -> None:
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Missions").click()
    page.get_by_role("link", name=title).click()


def _section(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Mission sections").get_by_role(
        "link", name=name, exact=True
    ).click()


def _record_terms(page: Page, project: str, fill: dict[str, str], risk: str) -> None:
    page.get_by_role("link", name=f"Record terms of {project}").click()
    assert_accessible(page)
    for label, value in fill.items():
        page.get_by_label(label).fill(value)
    page.get_by_label(risk).check()
    page.get_by_role("button", name="Save terms").click()
    expect(page.get_by_text(f"Terms of “{project}” saved.")).to_be_visible()


def test_the_lead_sees_public_risk_without_reward_and_it_clears_with_a_condition(
    live_server, page: Page, member, organisation, sign_in, celery_worker, vaccines
):
    editor, lead = member("editor"), member("lead")
    sign_in(editor)
    _to_the_mission(page, vaccines.title)
    _section(page, "Risks and rewards")
    expect(page.get_by_text("No public-value terms are recorded")).to_be_visible()
    assert_accessible(page)

    _record_terms(page, "mRNA platform", {"Private money": "2000000"}, "Grant (not repaid)")
    _record_terms(
        page,
        "Trial network",
        {"Philanthropic money": "500000", "Where the terms are written": "Grant letter 2025"},
        "Loan",
    )
    # 11 million public against 2.5 million from others.
    expect(page.locator(".govuk-warning-text")).to_contain_text("81%")
    expect(page.locator("#project-trial-network")).to_contain_text("Grant letter 2025")
    assert_accessible(page)
    # Canvas box 11 shows the same picture beside its text.
    _section(page, "Canvas")
    expect(page.locator("body")).to_contain_text(
        "Public money at risk: €11,000,000 in 2 projects with terms recorded"
    )
    page.get_by_role("button", name="Sign out").click()

    sign_in(lead)
    page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Risks and rewards"
    ).click()
    row = page.get_by_role("row").filter(has_text=vaccines.title)
    expect(row).to_contain_text("Public risk, no reward conditions")
    expect(row).to_contain_text("11,000,000")
    expect(page.get_by_role("row").filter(has_text="Nordic Biotech AB")).to_contain_text(
        "8,000,000"
    )
    assert_accessible(page)

    # The criteria say the same, once the mission is assessed in the background.
    row.get_by_role("link", name=vaccines.title).click()
    _section(page, "Criteria")
    expect(page.get_by_text("Up to date.")).to_be_visible(timeout=30_000)
    expect(page.locator("body")).to_contain_text(WARNING)

    # The lead records the price condition agreed with the firm.
    _section(page, "Risks and rewards")
    page.get_by_role("link", name="Add a condition to mRNA platform").click()
    page.get_by_label("Condition").select_option(label="Price cap or fair price")
    page.get_by_label("What it says").fill("Doses for the national programme at cost plus 10%.")
    page.get_by_label("Reference").fill("Grant agreement, article 12")
    assert_accessible(page)
    page.get_by_role("button", name="Save condition").click()
    expect(page.get_by_text("Condition added to “mRNA platform”.")).to_be_visible()
    expect(page.locator(".govuk-warning-text")).to_have_count(0)
    expect(page.locator("#project-mrna-platform")).to_contain_text("Agreed, not checked yet")

    page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Risks and rewards"
    ).click()
    expect(page.get_by_role("row").filter(has_text=vaccines.title)).to_contain_text(
        "No concern found"
    )
    page.get_by_role("row").filter(has_text=vaccines.title).get_by_role(
        "link", name=vaccines.title
    ).click()
    _section(page, "Criteria")
    expect(page.get_by_text("Up to date.")).to_be_visible(timeout=30_000)
    expect(page.locator("body")).not_to_contain_text(WARNING)
    assert_accessible(page)
