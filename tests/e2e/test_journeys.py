"""The journeys as people meet them (docs: ../shared/ux.md): every step starts at Home after
signing in and moves only by clicking what the page shows, never by typing an address.

The editor starts a mission, fills it and proposes it; the reviewer finds it on Home, rates a
criterion and comments with an @mention; the editor sees the mention in the inbox and replies;
the lead finds the proposal on Home, decides, and makes a briefing pack; the viewer reads the
canvas. axe runs on every page and after every in-place swap."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from missions.models import Mission, MissionStatus
from missions.tests.factories import ActorFactory
from portfolios.models import ReviewDecision
from tests.a11y import assert_accessible
from tests.e2e.test_canvas import open_box

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "Five more healthy years"
# LODESTAR_SCREENSHOTS=<folder> keeps a screenshot of each step, to look at the journey whole.
SCREENSHOTS = os.environ.get("LODESTAR_SCREENSHOTS", "")


def _look(page: Page, name: str) -> None:
    assert_accessible(page)
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"))


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_label("Email address")).to_be_visible()


def _editor_starts_fills_and_proposes(page: Page) -> None:
    expect(page.get_by_text("You have not started or worked on a mission yet.")).to_be_visible()
    _look(page, "01-editor-starts-fills-and-proposes")
    page.get_by_role("link", name="Start a mission in Ministry of Health and Care").click()
    _look(page, "02-editor-starts-fills-and-proposes")
    page.get_by_label("Grand challenge").fill("Healthy ageing")
    page.get_by_label("Mission title").fill(TITLE)
    page.get_by_label("Mission statement").fill(
        "By 2040 everyone in the country lives five more years in good health."
    )
    page.get_by_label("Deadline year").fill("2040")
    page.get_by_role("button", name="Start the draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    _look(page, "03-editor-starts-fills-and-proposes")

    page.get_by_role("link", name="Targets and milestones").click()
    page.get_by_label("Title").fill("Healthy life years at birth")
    expect(page.get_by_label("Headline target")).to_be_checked()  # the first target is
    page.get_by_label("Direction").select_option("increase")
    page.get_by_label("Baseline value").fill("62")
    page.get_by_label("Baseline year").fill("2018")
    page.get_by_label("Target value").fill("67")
    page.get_by_label("Target year").fill("2040")
    page.get_by_label("Unit").fill("years of life in good health")
    page.get_by_role("button", name="Add target").click()
    expect(page.get_by_text("Target “Healthy life years at birth” added.")).to_be_visible()
    _look(page, "04-editor-starts-fills-and-proposes")

    page.get_by_role("link", name="Projects").click()
    page.get_by_label("Title", exact=True).fill("Neighbourhood health labs")
    page.get_by_label("Lead actor").select_option(label="Municipal health services")
    page.get_by_label("Instrument").select_option("grant")
    page.get_by_label("Stage").select_option("demonstration")
    page.get_by_label("Origin").select_option("open_call")
    page.get_by_role("button", name="Add project").click()
    expect(page.locator("#project-neighbourhood-health-labs")).to_be_visible()
    _look(page, "05-editor-starts-fills-and-proposes")

    page.get_by_role("link", name="Overview").click()
    page.get_by_role("button", name="Propose").click()
    expect(page.get_by_text("The mission is now proposed.")).to_be_visible()
    _look(page, "06-editor-starts-fills-and-proposes")


def _reviewer_rates_and_mentions(page: Page) -> None:
    page.get_by_role("link", name=f"Review “{TITLE}”").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    _look(page, "07-reviewer-rates-and-mentions")
    criterion = page.locator("#criterion-c2")
    criterion.get_by_text("Record your verdict on C2").click()
    criterion.get_by_label("4 – Largely meets it").check()
    criterion.get_by_label("Rationale").fill("Dated and measurable; name the data source.")
    criterion.get_by_role("button", name="Save verdict").click()
    expect(page.locator("#criterion-c2")).to_contain_text("Rated 4 out of 5")
    _look(page, "08-reviewer-rates-and-mentions")

    page.get_by_role("link", name="Canvas", exact=True).click()
    open_box(page, "Governance and mandate")
    box = page.locator("#box-governance")
    box.get_by_text("Add a comment").click()
    box.get_by_label("Your comment on Governance and mandate").fill(
        "@Sam Servant who signs the mandate?"
    )
    box.get_by_role("button", name="Add comment on Governance and mandate").click()
    expect(box.locator(".lodestar-comment")).to_have_count(1)
    _look(page, "09-reviewer-rates-and-mentions")


def _editor_reads_the_mention_and_replies(page: Page) -> None:
    expect(page.locator("#header-inbox")).to_contain_text("unread")
    page.locator("#header-inbox").click()
    _look(page, "10-editor-reads-the-mention-and-replies")
    page.get_by_role("link", name=re.compile(r"^Rae Reviewer mentioned you")).click()
    comment = page.locator(":target")
    expect(comment).to_contain_text("who signs the mandate?")
    comment.locator("summary", has_text="Reply").click()
    comment.get_by_label("Your reply to Rae Reviewer").fill("The Cabinet, in March.")
    comment.get_by_role("button", name=re.compile(r"^Send reply")).click()
    expect(page.locator("#box-governance .lodestar-comment--reply")).to_contain_text(
        "The Cabinet, in March."
    )
    _look(page, "11-editor-reads-the-mention-and-replies")


def _lead_decides_and_makes_a_pack(page: Page) -> None:
    page.get_by_role("link", name=f"Decide on “{TITLE}”").click()
    _look(page, "12-lead-decides-and-makes-a-pack")
    # Approval needs a recorded mandate: the page says so instead of offering Approve.
    expect(
        page.get_by_role("heading", name="What it needs before it can be approved")
    ).to_be_visible()
    page.get_by_label("Request changes").check()
    page.get_by_label("Comments for the mission's owners").fill(
        "Record the Cabinet's mandate, then propose it again."
    )
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-notification-banner__heading")).to_contain_text(
        f"Changes requested: “{TITLE}”"
    )
    _look(page, "13-lead-decides-and-makes-a-pack")

    page.get_by_role("link", name="Missions", exact=True).first.click()
    page.locator("#pack-five-more-healthy-years").check()
    page.get_by_role("button", name="Make a briefing pack of the chosen missions (PDF)").click()
    status = page.locator("#document-status")
    expect(status.get_by_role("link", name="Download")).to_be_visible(timeout=60000)
    _look(page, "14-lead-decides-and-makes-a-pack")


def _viewer_reads_the_canvas(page: Page) -> None:
    page.get_by_role("link", name="Missions", exact=True).first.click()
    page.get_by_role("link", name=TITLE, exact=True).click()
    page.get_by_role("link", name="Canvas", exact=True).click()
    expect(page.get_by_role("heading", name="Mission planning canvas")).to_be_visible()
    open_box(page, "Governance and mandate")
    expect(page.locator("#box-governance")).to_be_visible()
    expect(page.locator("#box-governance")).to_contain_text("who signs the mandate?")
    _look(page, "15-viewer-reads-the-canvas")


@pytest.mark.celery
def test_propose_review_mention_reply_decide_pack_and_read_from_home(
    live_server, page: Page, member, organisation, sign_in, celery_worker
):
    editor = member("editor", full_name="Sam Servant")
    reviewer = member("reviewer", full_name="Rae Reviewer")
    lead = member("lead", full_name="Lee Lead")
    viewer = member("viewer", full_name="Vic Viewer")
    ActorFactory(organisation=organisation, name="Municipal health services")

    sign_in(editor)
    _editor_starts_fills_and_proposes(page)
    _sign_out(page)

    sign_in(reviewer)
    expect(page.locator("#to-review")).to_contain_text("you have rated 0 of the five criteria")
    _reviewer_rates_and_mentions(page)
    _sign_out(page)

    sign_in(editor)
    _editor_reads_the_mention_and_replies(page)
    _sign_out(page)

    sign_in(lead)
    expect(page.locator("#to-decide")).to_contain_text(TITLE)
    _look(page, "16-lead-home")
    _lead_decides_and_makes_a_pack(page)
    _sign_out(page)

    sign_in(editor)  # the request is waiting for the editor on Home
    expect(page.locator("#changes-requested")).to_contain_text("Record the Cabinet's mandate")
    _look(page, "17-editor-home-after-the-decision")
    _sign_out(page)

    sign_in(viewer)
    _viewer_reads_the_canvas(page)

    mission = Mission.objects.get(title=TITLE)
    assert mission.status == MissionStatus.DRAFT
    assert ReviewDecision.objects.get(mission=mission).decision == "request_changes"
    assert mission.verdicts.get().rating == 4
