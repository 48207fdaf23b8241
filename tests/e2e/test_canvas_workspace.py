"""The canvas as a workspace, in a browser: reached from Home, read as a board, a box opened in
the editor panel with the keyboard only and closed with Escape; two people on one canvas see
each other and each other's saves within five seconds, and the box being typed in is never
overwritten. axe runs on the board, the open panel and after the live updates."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from canvas.models import Workshop, WorkshopNote
from canvas.services import canvas_box_save
from tests.a11y import assert_accessible
from tests.e2e.test_canvas import mission as mission  # the fixture, used by its name
from tests.e2e.test_canvas import sign_in_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SAVED = re.compile(r"^Saved \d\d:\d\d")
LIVE = 5_000  # the promise: another person's save or arrival shows within 5 s


def _canvas_from_home(page: Page, title: str) -> None:
    page.get_by_role("link", name="Missions", exact=True).first.click()
    page.get_by_role("link", name=title, exact=True).click()
    page.get_by_role("link", name="Canvas", exact=True).click()
    expect(page.get_by_role("heading", name="Mission planning canvas")).to_be_visible()


def _card(page: Page, title: str):
    return page.locator("#canvas-board").get_by_role("link", name=title, exact=True)


def test_the_board_opens_a_box_by_keyboard_edits_it_and_closes_with_escape(
    page: Page, member, mission, sign_in
):
    sign_in(member("editor", full_name="Sam Servant"))
    page.set_viewport_size({"width": 1366, "height": 900})
    _canvas_from_home(page, "Healthy years")

    # The board: every box as a card, empty ones asking their first question; no editor yet.
    board = page.locator("#canvas-board")
    expect(board.locator("[data-canvas-card]")).to_have_count(12)
    expect(page.locator("#card-challenge")).to_contain_text("What societal problem")
    expect(page.locator("#card-targets")).to_contain_text("Healthy life years")
    expect(page.get_by_role("textbox", name="Challenge", exact=True)).to_be_hidden()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1366, f"the page is {width}px wide in a 1366px window"
    assert_accessible(page)

    # Keyboard only: Tab to the card, Enter opens the panel with the cursor in the text.
    card = _card(page, "Challenge")
    card.focus()
    page.keyboard.press("Enter")
    text = page.get_by_role("textbox", name="Challenge", exact=True)
    expect(text).to_be_focused()
    box = text.bounding_box()
    assert box and box["width"] >= 560, f"the editor's text area is {box and box['width']}px wide"
    assert_accessible(page)
    page.keyboard.type("Too many people live their last years in poor health.")
    page.keyboard.press("Tab")
    expect(page.locator("#box-challenge-status")).to_have_text(SAVED, timeout=5_000)

    # Escape closes the panel and puts focus back on the card, which shows the saved text.
    text.focus()
    page.keyboard.press("Escape")
    expect(text).to_be_hidden()
    expect(card).to_be_focused()
    expect(page.locator("#card-challenge")).to_contain_text(
        "Too many people live their last years in poor health.", timeout=LIVE
    )
    assert_accessible(page)

    # "Next box" walks the boxes in order; Close returns to the card of the box shown.
    card.click()
    page.locator("#box-challenge").get_by_role("link", name="Next box").click()
    expect(page.get_by_role("textbox", name="Mission statement", exact=True)).to_be_focused()
    page.locator("#box-mission_statement").get_by_role("button", name="Close").click()
    expect(_card(page, "Mission statement")).to_be_focused()


def test_two_people_see_each_other_and_each_others_saves_without_typing_being_overwritten(
    browser: Browser, live_server, page: Page, member, mission, sign_in
):
    sign_in(member("editor", full_name="Sam Servant"))
    _canvas_from_home(page, "Healthy years")
    expect(page.locator("#canvas-presence")).to_have_text("Nobody else has this canvas open.")

    context = browser.new_context(viewport={"width": 1366, "height": 900})
    try:
        other = sign_in_page(
            context.new_page(), live_server, member("editor", full_name="Ana Ortiz")
        )
        _canvas_from_home(other, "Healthy years")
        _card(other, "Why a mission?").click()

        # Sam sees Ana arrive, and which box she has open.
        expect(page.locator("#canvas-presence")).to_contain_text(
            "Ana Ortiz (in Why a mission?)", timeout=LIVE
        )
        expect(page.locator("#card-rationale")).to_contain_text(
            "Open now by Ana Ortiz", timeout=LIVE
        )
        expect(other.locator("#canvas-presence")).to_contain_text("Sam Servant", timeout=LIVE)

        # Ana types in her box and has not stopped yet; Sam saves another box meanwhile.
        rationale = other.get_by_role("textbox", name="Why a mission?", exact=True)
        rationale.press_sequentially("No single ministry", delay=5)
        _card(page, "Challenge").click()
        challenge = page.get_by_role("textbox", name="Challenge", exact=True)
        challenge.fill("Too many people live their last years in poor health.")
        challenge.press("Tab")
        expect(page.locator("#box-challenge-status")).to_have_text(SAVED, timeout=5_000)

        # Ana's board shows Sam's text within 5 s; her own box keeps what she typed and focus.
        expect(other.locator("#card-challenge")).to_contain_text(
            "Too many people live their last years in poor health.", timeout=LIVE
        )
        expect(rationale).to_have_value("No single ministry")
        expect(rationale).to_be_focused()
        rationale.press_sequentially(" can do this alone.", delay=5)
        rationale.press("Tab")
        expect(other.locator("#box-rationale-status")).to_have_text(SAVED, timeout=5_000)
        expect(page.locator("#card-rationale")).to_contain_text(
            "No single ministry can do this alone.", timeout=LIVE
        )
        assert_accessible(other)

        # A closed box someone else changed is fresh when opened: Ana opens Challenge.
        other.locator("#box-rationale").get_by_role("button", name="Close").click()
        _card(other, "Challenge").click()
        expect(other.get_by_role("textbox", name="Challenge", exact=True)).to_have_value(
            "Too many people live their last years in poor health.", timeout=LIVE
        )

        # Ana leaves: within a few seconds Sam sees nobody else.
        context.close()
        expect(page.locator("#canvas-presence")).to_have_text(
            "Nobody else has this canvas open.", timeout=15_000
        )
    finally:
        context.close()


def test_a_workshop_link_takes_notes_from_the_room_and_the_facilitator_adds_them_to_the_box(
    browser: Browser, live_server, page: Page, member, mission, sign_in
):
    sign_in(member("editor", full_name="Sam Servant"))
    _canvas_from_home(page, "Healthy years")
    page.get_by_role("link", name="Workshop mode").click()
    page.get_by_label("Workshop title").fill("Kick-off with the municipalities")
    page.get_by_label("How long the link works").select_option(label="2 hours")
    page.get_by_role("button", name="Start the workshop").click()
    expect(page.get_by_role("heading", name="Kick-off with the municipalities")).to_be_visible()
    address = page.locator(".lodestar-workshop__address a").inner_text()
    assert "/workshop/" in address
    assert_accessible(page)

    # A participant without an account opens the link on their own device and adds a note.
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        phone = context.new_page()
        phone.goto(address)
        expect(
            phone.get_by_role("heading", name="Kick-off with the municipalities")
        ).to_be_visible()
        assert_accessible(phone)
        phone.get_by_role("button", name="Add the note").click()
        expect(phone.locator(".govuk-error-summary")).to_contain_text(
            "Answer “Which box is your note about?”."
        )
        phone.get_by_label("Which box is your note about?").select_option(label="1. Challenge")
        phone.get_by_role("textbox", name="Your note").fill(
            "Older people in villages have no bus at all."
        )
        phone.get_by_label("Your name").fill("Ana from Zwolle")
        phone.get_by_role("button", name="Add the note").click()
        expect(phone.get_by_text("Your note is on the board, in Challenge.")).to_be_visible()

        # The projector shows it within a few seconds, without a reload.
        note = page.locator("#workshop-challenge .lodestar-note")
        expect(note).to_contain_text("Older people in villages have no bus at all.", timeout=LIVE)
        expect(note).to_contain_text("Ana from Zwolle")
        assert_accessible(page)

        # The link reads nothing else: the canvas asks to sign in; nothing lives under it.
        phone.goto(
            address.replace("/workshop/", "/organisations/health/missions/healthy-years/canvas/#")
        )
        expect(phone.get_by_role("heading", name="Sign in")).to_be_visible()
        assert phone.request.get(address + "canvas/").status == 404

        # The facilitator adds the note to the box's text from the canvas.
        page.get_by_role("link", name="Leave workshop mode").click()
        expect(page.locator("#card-challenge")).to_contain_text("1 new workshop note")
        _card(page, "Challenge").click()
        notes = page.locator("#box-challenge-notes")
        expect(notes).to_contain_text("Older people in villages have no bus at all.")
        assert_accessible(page)
        notes.get_by_role("button", name="Add to the text").click()
        expect(page.get_by_text("The note is now part of the box's text.")).to_be_visible()
        expect(page.get_by_role("textbox", name="Challenge", exact=True)).to_have_value(
            "Older people in villages have no bus at all."
        )
        expect(page.locator("#box-challenge-notes")).to_have_count(0)

        # When its time is up the link stops working, even on a page opened before.
        phone.goto(address)
        Workshop.objects.update(ends_at=timezone.now() - datetime.timedelta(minutes=1))
        phone.get_by_label("Which box is your note about?").select_option(label="1. Challenge")
        phone.get_by_role("textbox", name="Your note").fill("One more idea, too late.")
        phone.get_by_role("button", name="Add the note").click()
        expect(phone.get_by_text("This workshop has ended")).to_be_visible()
        expect(phone.get_by_role("button", name="Add the note")).to_have_count(0)
        assert not WorkshopNote.objects.filter(text="One more idea, too late.").exists()

        # A new workshop can be ended at once by the facilitator, which stops its link.
        page.get_by_role("link", name="Workshop mode").click()
        page.get_by_label("Workshop title").fill("Second round")
        page.get_by_role("button", name="Start the workshop").click()
        second = page.locator(".lodestar-workshop__address a").inner_text()
        page.get_by_role("button", name="End the workshop now").click()
        expect(page.get_by_text("The workshop has ended")).to_be_visible()
        phone.goto(second)
        expect(phone.get_by_text("This workshop has ended")).to_be_visible()
    finally:
        context.close()


def test_a_new_mission_starts_from_a_copy_of_the_chosen_parts_of_another(
    page: Page, member, mission, sign_in
):
    editor = member("editor", full_name="Sam Servant")
    canvas_box_save(
        by=editor,
        mission=mission,
        box_key="challenge",
        text="Too many people live their last years in poor health.",
        expected_version=0,
    )
    sign_in(editor)
    page.get_by_role("link", name="Missions", exact=True).first.click()
    page.get_by_role("link", name="Healthy years", exact=True).click()
    page.get_by_role("link", name="Start a new mission from a copy of this one").click()
    expect(page.get_by_label("Mission to copy")).to_have_value(str(mission.pk))
    assert_accessible(page)
    page.get_by_role("button", name="Start the draft from the copy").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter a title for the new mission."
    )
    page.get_by_label("Title of the new mission").fill("Healthy years in the north")
    page.get_by_label("Projects").check()
    page.get_by_role("button", name="Start the draft from the copy").click()
    expect(page.get_by_text("started as a draft from a copy")).to_be_visible()
    expect(page.get_by_role("heading", name="Healthy years in the north")).to_be_visible()
    page.get_by_role("link", name="Canvas", exact=True).click()
    expect(page.locator("#card-challenge")).to_contain_text(
        "Too many people live their last years in poor health."
    )
    expect(page.locator("#card-targets")).to_contain_text("Healthy life years")
    expect(page.locator("#card-portfolio")).to_contain_text("Neighbourhood health labs")

    # The boxes still empty can start from the worked examples, marked as such.
    filled = page.locator("#completeness-meter").get_attribute("value")
    page.get_by_role("button", name="Fill the empty boxes with worked examples to replace").click()
    expect(page.get_by_text("empty boxes now hold a worked example")).to_be_visible()
    rationale = page.locator("#card-rationale")
    expect(rationale).to_contain_text("Example: replace it")
    expect(rationale).to_contain_text("Source: Vinnova")
    assert page.locator("#completeness-meter").get_attribute("value") == filled
    assert_accessible(page)


def test_a_mission_starts_from_an_example_of_a_real_government(page: Page, member, sign_in):
    sign_in(member("editor", full_name="Sam Servant"))
    page.get_by_role("link", name="Missions", exact=True).first.click()
    page.get_by_role("link", name="Start a mission").first.click()
    page.get_by_role("link", name="from one of the example missions of real governments").click()
    page.get_by_role("link", name="A Soil Deal for Europe").click()
    expect(page.get_by_role("heading", name="A Soil Deal for Europe", level=1)).to_be_visible()
    expect(page.locator("#example-learning")).to_contain_text("75% of EU soils healthy by 2030")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert_accessible(page)
    page.get_by_label("Title of the new mission").fill("Healthy soils in our province")
    page.get_by_role("button", name="Start the draft from this example").click()
    expect(page.get_by_text("started as a draft from the example")).to_be_visible()
    page.get_by_role("link", name="Canvas", exact=True).click()
    expect(page.locator("#card-targets")).to_contain_text("Share of EU soils that are healthy")
