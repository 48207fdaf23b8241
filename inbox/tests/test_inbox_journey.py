"""A reviewer @mentions the editor in a comment on a canvas box; the editor sees it in the header
("Inbox (1 unread)"), opens it from the inbox, lands on the comment and replies; the reviewer's
inbox then shows the reply. Only links and buttons a person sees are clicked; axe on every page."""

import re

import pytest
from playwright.sync_api import Page, expect

from missions.tests.factories import MissionFactory
from tests.a11y import assert_accessible
from tests.e2e.conftest import sign_in_through_the_pages
from tests.e2e.test_canvas import open_box

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sign_in(live_server, page: Page):
    """sign_in(user) → the browser is signed in and on the home page (tests/e2e's helper)."""
    return lambda user: sign_in_through_the_pages(page, live_server.url, user)


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_label("Email address")).to_be_visible()


def test_a_mention_reaches_the_editor_who_replies_and_the_reviewer_sees_the_reply(
    live_server, page: Page, member, organisation, sign_in
):
    MissionFactory(organisation=organisation, key="healthy-years", title="Healthy years")
    reviewer = member("reviewer", full_name="Rita Reviewer")
    editor = member("editor", full_name="Sam Servant")

    # The reviewer finds the canvas from Home and mentions the editor on a box.
    sign_in(reviewer)
    expect(page.locator("#header-inbox")).to_have_text("Inbox")
    assert_accessible(page)
    page.get_by_role("link", name="Ministry of Health and Care").first.click()
    assert_accessible(page)
    page.get_by_role("main").get_by_role("link", name="Missions", exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name="Healthy years", exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name="Canvas", exact=True).click()
    expect(page.get_by_role("heading", name="Mission planning canvas")).to_be_visible()
    assert_accessible(page)
    open_box(page, "Governance and mandate")
    box = page.locator("#box-governance")
    box.get_by_text("Add a comment").click()
    expect(box.get_by_text("write @ and their full name").first).to_be_visible()
    box.get_by_label("Your comment on Governance and mandate").fill(
        "@sam servant who signs off on the budget?"
    )
    box.get_by_role("button", name="Add comment on Governance and mandate").click()
    expect(box.locator(".lodestar-comment")).to_have_count(1)
    assert_accessible(page)
    sign_out(page)

    # The editor: the header says so in words; the inbox leads straight to the comment.
    sign_in(editor)
    inbox_link = page.locator("#header-inbox")
    expect(inbox_link).to_have_text("Inbox (1 unread)")
    assert_accessible(page)
    inbox_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inbox")
    expect(page.get_by_text("Unread", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role(
        "link",
        name="Rita Reviewer mentioned you in a comment on Governance and mandate in "
        "“Healthy years”.",
    ).click()
    expect(page).to_have_url(re.compile(r"/canvas/#comment-\d+$"))
    comment = page.locator(":target")
    expect(comment).to_contain_text("@sam servant who signs off on the budget?")
    expect(page.locator("#header-inbox")).to_have_text("Inbox")  # read now
    assert_accessible(page)
    comment.locator("summary", has_text="Reply").click()
    comment.get_by_label("Your reply to Rita Reviewer").fill("The Treasury <and> the Cabinet.")
    comment.get_by_role("button", name=re.compile(r"^Send reply to the comment by Rita")).click()
    reply = page.locator("#box-governance .lodestar-comment--reply")
    expect(reply).to_contain_text("The Treasury <and> the Cabinet.")
    expect(page.locator("#box-governance-comments-status")).to_have_text(
        "Reply added on Governance and mandate."
    )
    # A reply is part of its comment's discussion, not another open comment.
    expect(page.locator("#box-governance-comment-count")).to_have_text(
        "1 open comment on Governance and mandate"
    )
    assert_accessible(page)
    sign_out(page)

    # The reviewer's inbox shows the reply.
    sign_in(reviewer)
    expect(page.locator("#header-inbox")).to_have_text("Inbox (1 unread)")
    page.locator("#header-inbox").click()
    expect(
        page.get_by_role(
            "link",
            name="Sam Servant replied to your comment on Governance and mandate in "
            "“Healthy years”.",
        )
    ).to_be_visible()
    assert_accessible(page)
