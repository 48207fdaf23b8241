import re

import pytest
from playwright.sync_api import Page, expect

from accounts.models import Membership, Role
from tests.a11y import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_sign_in_home_and_members_pages_pass_axe(live_server, page: Page, member, sign_in):
    admin = member("admin", full_name="Ada Admin")
    member("editor", full_name="Eddie Editor")

    page.goto(f"{live_server.url}/sign-in/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Lodestar")
    assert_accessible(page)

    sign_in(admin)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Ada")
    expect(page.get_by_text("Your role: Administrator")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Ministry of Health and Care").first.click()
    page.get_by_role("main").get_by_role("link", name="Members").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Members and roles")
    expect(page.get_by_role("cell", name="Eddie Editor", exact=True)).to_be_visible()
    assert_accessible(page)


def test_a_failed_sign_in_shows_an_error_summary_that_passes_axe(live_server, page: Page):
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Email address").fill("nobody@example.gov")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("alert")).to_contain_text("Enter a correct email address and password")
    expect(page).to_have_title(re.compile("^Error: Sign in"))
    assert_accessible(page)


def test_an_admin_changes_a_role_in_place_with_htmx(live_server, page: Page, member, sign_in):
    admin = member("admin")
    editor = member("editor", full_name="Eddie Editor")
    membership = Membership.objects.get(user=editor)
    sign_in(admin)
    page.goto(f"{live_server.url}/organisations/health/members/")

    row = page.locator(f"#member-{membership.pk}")
    row.get_by_label("Role of Eddie Editor").select_option("lead")
    row.get_by_role("button", name="Change role").click()

    expect(page.locator(f"#member-{membership.pk} [role=status]")).to_have_text("Saved: Lead")
    assert page.url.endswith("/organisations/health/members/")  # swapped in place, no reload
    assert_accessible(page)
    membership.refresh_from_db()
    assert membership.role == Role.LEAD


def test_demoting_the_last_admin_shows_the_reason_in_the_row(
    live_server, page: Page, member, sign_in
):
    admin = member("admin", full_name="Ada Admin")
    sign_in(admin)
    page.goto(f"{live_server.url}/organisations/health/members/")
    membership = Membership.objects.get(user=admin)

    row = page.locator(f"#member-{membership.pk}")
    row.get_by_label("Role of Ada Admin").select_option("viewer")
    row.get_by_role("button", name="Change role").click()

    expect(page.locator(f"#member-{membership.pk} .govuk-error-message")).to_contain_text(
        "needs at least one administrator"
    )
    assert_accessible(page)


def test_the_skip_link_is_the_first_thing_the_keyboard_reaches(live_server, page: Page):
    page.goto(f"{live_server.url}/sign-in/")
    page.keyboard.press("Tab")

    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.url.endswith("#main-content")


def test_wide_tables_scroll_in_place_instead_of_widening_the_page(
    live_server, page: Page, member, sign_in
):
    admin = member("admin", full_name="Ada Admin")
    for n in range(3):
        member("editor", full_name=f"Editor with a rather long name number {n}")
    sign_in(admin)
    page.set_viewport_size({"width": 400, "height": 800})

    page.goto(f"{live_server.url}/organisations/health/members/")

    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"the page is {width}px wide on a 400px screen"
    region = page.get_by_role("region", name="Members")
    assert region.evaluate("e => e.scrollWidth > e.clientWidth")  # the table scrolls inside
