"""The canvas in a browser: autosave, nothing lost when the session ends, no silent overwrite
when two people edit the same box, and axe on every state."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from canvas.models import CanvasBox
from canvas.services import canvas_box_save
from missions import snapshots
from missions.models import Mission
from missions.tests.factories import MissionFactory, MissionProjectFactory, TargetFactory
from tests.a11y import assert_accessible
from tests.e2e.conftest import sign_in_through_the_pages

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SAVED = re.compile(r"^Saved \d\d:\d\d")


@pytest.fixture
def mission(organisation):
    mission = MissionFactory(organisation=organisation, key="healthy-years", title="Healthy years")
    TargetFactory(mission=mission, title="Healthy life years", target_value=67, unit="years")
    MissionProjectFactory(mission=mission, title="Neighbourhood health labs")
    return mission


def canvas_url(live_server, mission):
    return f"{live_server.url}/organisations/health/missions/{mission.key}/canvas/"


def sign_in_page(page: Page, live_server, user) -> Page:
    return sign_in_through_the_pages(page, live_server.url, user)


def open_box(page: Page, title: str) -> None:
    """Choose a box on the board, as a person does: its editor opens beside the board (with
    JavaScript the editors stay hidden until one is chosen)."""
    page.locator("#canvas-board").get_by_role("link", name=title, exact=True).click()


def test_autosave_shows_saved_and_the_text_survives_a_reload(
    live_server, page: Page, member, mission, sign_in
):
    sign_in(member("editor", full_name="Sam Servant"))
    page.goto(canvas_url(live_server, mission))
    expect(page.get_by_role("heading", name="Mission planning canvas")).to_be_visible()
    expect(page.locator(".lodestar-canvas-source")).to_contain_text("Based on OECD guidance")
    expect(page.locator("#card-targets")).to_contain_text("Healthy life years (headline): from")
    expect(page.locator("#card-targets")).to_contain_text("to 67 years")
    assert_accessible(page)

    open_box(page, "Challenge")
    challenge = page.get_by_role("textbox", name="Challenge", exact=True)
    expect(challenge).to_be_focused()
    challenge.click()
    challenge.press_sequentially("Too many people live their last years in poor health.", delay=5)
    status = page.locator("#box-challenge-status")
    expect(status).to_have_text(SAVED, timeout=10_000)
    expect(page.locator("#box-challenge-editor .govuk-character-count__status")).to_contain_text(
        "characters remaining"
    )
    assert_accessible(page)  # after the htmx swap

    # Keyboard only: choose the card, type, then Tab away – leaving the box saves it at once.
    page.locator("#canvas-board").get_by_role("link", name="Why a mission?", exact=True).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("textbox", name="Why a mission?", exact=True)).to_be_focused()
    page.keyboard.type("No single ministry can do this alone.")
    page.keyboard.press("Tab")
    expect(page.locator("#box-rationale-status")).to_have_text(SAVED, timeout=5_000)

    page.reload()
    open_box(page, "Challenge")
    expect(challenge).to_have_value("Too many people live their last years in poor health.")
    open_box(page, "Why a mission?")
    expect(page.get_by_role("textbox", name="Why a mission?", exact=True)).to_have_value(
        "No single ministry can do this alone."
    )
    expect(page.get_by_text("5 of 12 boxes filled")).to_be_visible()
    assert (
        page.evaluate(
            "Object.keys(localStorage).filter(k => k.startsWith('lodestar:canvas:')).length"
        )
        == 0
    )


def test_a_save_after_signing_out_keeps_the_draft_and_offers_it_back(
    live_server, page: Page, member, mission, sign_in
):
    editor = member("editor", full_name="Sam Servant")
    sign_in(editor)
    page.goto(canvas_url(live_server, mission))
    open_box(page, "Governance and mandate")
    box = page.get_by_role("textbox", name="Governance and mandate", exact=True)
    box.fill("The Ministry of Health owns the mission.")
    expect(page.locator("#box-governance-status")).to_have_text(SAVED, timeout=10_000)

    # The session ends in another tab.
    other = page.context.new_page()
    other.goto(f"{live_server.url}/")
    other.get_by_role("button", name="Sign out").click()
    expect(other.get_by_role("heading", name="Sign in")).to_be_visible()
    # The other tab stays open, as it would for a person; closing a tab while its
    # sign-out navigation settles hung Playwright for ten minutes in one CI run.
    page.bring_to_front()

    box.press_sequentially(" A cabinet decision of March 2024 gives the mandate.", delay=5)
    expect(page.locator("#box-governance-status")).to_contain_text(
        "Not saved – you are signed out", timeout=10_000
    )
    expect(page.get_by_role("button", name="Try again Governance and mandate")).to_be_visible()
    drafts = page.evaluate(
        "Object.keys(localStorage).filter(k => k.includes(':governance:')).map(k => JSON.parse(localStorage[k]).text)"
    )
    assert drafts == [
        "The Ministry of Health owns the mission. A cabinet decision of March 2024 gives the mandate."
    ]
    assert (
        CanvasBox.objects.get(box_key="governance").text
        == "The Ministry of Health owns the mission."
    )

    # Back again: the draft is offered, restored and saved.
    sign_in(editor)
    page.goto(canvas_url(live_server, mission))
    expect(page.locator("#box-governance")).to_contain_text("You have unsaved text from")
    open_box(page, "Governance and mandate")
    assert_accessible(page)
    page.get_by_role("button", name="Restore it").click()
    expect(page.locator("#box-governance-status")).to_have_text(SAVED, timeout=10_000)
    page.reload()  # the address still names the box, so it opens again
    expect(page.get_by_role("textbox", name="Governance and mandate", exact=True)).to_have_value(
        "The Ministry of Health owns the mission. A cabinet decision of March 2024 gives the mandate."
    )
    expect(page.locator("#box-governance")).not_to_contain_text("You have unsaved text")


def test_two_people_editing_one_box_get_the_conflict_panel_and_can_merge(
    live_server, browser: Browser, page: Page, member, mission, sign_in
):
    sam = member("editor", full_name="Sam Servant")
    alex = member("editor", full_name="Alex Author")
    sign_in(sam)
    page.goto(canvas_url(live_server, mission))
    # Sam opens the box first: it stays as Sam's browser loaded it while Sam is in it.
    open_box(page, "Risks and rewards")
    other_context = browser.new_context()
    try:
        alex_page = sign_in_page(other_context.new_page(), live_server, alex)
        alex_page.goto(canvas_url(live_server, mission))
        open_box(alex_page, "Risks and rewards")

        # Both start from the same (empty) version; Alex saves first.
        alex_page.get_by_role("textbox", name="Risks and rewards", exact=True).fill(
            "Delivery risk: too few labs."
        )
        expect(alex_page.locator("#box-risks_rewards-status")).to_have_text(SAVED, timeout=10_000)

        page.get_by_role("textbox", name="Risks and rewards", exact=True).fill(
            "Public support may fade."
        )
        panel = page.locator("#box-risks_rewards-editor")
        expect(panel).to_contain_text(
            "Someone else changed this box while you were writing.", timeout=10_000
        )
        expect(panel).to_contain_text("Alex Author saved a newer version")
        expect(panel.locator(".lodestar-conflict__text").first).to_have_text(
            "Public support may fade."
        )
        expect(panel.locator(".lodestar-conflict__text").last).to_have_text(
            "Delivery risk: too few labs."
        )
        assert CanvasBox.objects.get(box_key="risks_rewards").text == "Delivery risk: too few labs."
        assert_accessible(page)

        merged = page.get_by_label("Or merge the two")
        expect(merged).to_have_value("Delivery risk: too few labs.\n\nPublic support may fade.")
        merged.fill("Delivery risk: too few labs. Public support may fade.")
        page.get_by_role("button", name="Save the merged text").click()
        expect(page.get_by_role("textbox", name="Risks and rewards", exact=True)).to_have_value(
            "Delivery risk: too few labs. Public support may fade."
        )
        assert_accessible(page)

        alex_page.reload()  # the address still names the box, so it opens again
        expect(
            alex_page.get_by_role("textbox", name="Risks and rewards", exact=True)
        ).to_have_value("Delivery risk: too few labs. Public support may fade.")
        box = CanvasBox.objects.get(box_key="risks_rewards")
        assert (box.version, box.updated_by) == (2, sam)
    finally:
        other_context.close()


def test_history_and_snapshot_comparison_read_well_and_pass_axe(
    live_server, page: Page, member, mission, sign_in
):
    sam = member("editor", full_name="Sam Servant")
    canvas_box_save(
        by=sam,
        mission=mission,
        box_key="learning",
        text="Review every year.",
        expected_version=0,
    )
    snapshots.snapshot_take(by=sam, mission=mission, name="Cabinet submission v3")
    canvas_box_save(
        by=sam,
        mission=mission,
        box_key="learning",
        text="Review every two years.",
        expected_version=1,
    )
    fresh = Mission.objects.get(pk=mission.pk)
    canvas_box_save(
        by=sam,
        mission=fresh,
        box_key="mission_statement",
        text="By 2040 everyone lives five more healthy years.",
        expected_version=fresh.version,
    )
    sign_in(sam)

    page.goto(canvas_url(live_server, mission))
    open_box(page, "Learning and review")
    page.get_by_role("link", name="History of Learning and review").click()
    expect(
        page.get_by_role("heading", name="History of box 12: Learning and review")
    ).to_be_visible()
    expect(page.locator(".lodestar-revision").first).to_contain_text("Version 2, saved")
    expect(page.locator(".lodestar-revision ins").first).to_contain_text("two")
    assert_accessible(page)

    page.get_by_role("link", name="Snapshots").click()
    expect(page.get_by_role("cell", name="Cabinet submission v3", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Compare with now").click()
    expect(page.get_by_text("From “Cabinet submission v3” to now")).to_be_visible()
    learning = page.locator(".lodestar-diff-block", has_text="12. Learning and review")
    expect(learning.locator("ins")).to_contain_text("two")
    statement = page.locator(".lodestar-diff-block", has_text="2. Mission statement")
    expect(statement.locator("del")).to_contain_text("in good health")
    assert_accessible(page)


def test_viewers_read_the_canvas_without_text_boxes(
    live_server, page: Page, member, mission, sign_in
):
    canvas_box_save(
        by=member("editor"),
        mission=mission,
        box_key="challenge",
        text="Sick years.",
        expected_version=0,
    )
    sign_in(member("viewer"))
    page.goto(canvas_url(live_server, mission))
    expect(page.locator("#card-challenge")).to_contain_text("Sick years.")
    open_box(page, "Challenge")
    expect(page.locator("#box-challenge")).to_be_visible()
    expect(page.locator("#box-challenge")).to_contain_text("Sick years.")
    expect(page.locator("textarea")).to_have_count(0)
    expect(page.get_by_text("You can read this canvas.")).to_be_visible()
    assert_accessible(page)
