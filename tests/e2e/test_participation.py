"""Issue #21's journey, clicked from the front door: a lead publishes a mission and opens a
consultation; a visitor with no account reads the public page, signs up with an e-mail address
she confirms from the mail she gets, sends in an idea and supports another; a civil-society
representative sends one in for her organisation, which shows once the lead has checked it; a
moderator hides an idea with a reason its author reads; staff turn an idea into a project and
publish the answer, its author gets the e-mail, and the public page says "you said, we did".
axe runs on every public page, at 1366 and at 390 px."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from missions.tests.factories import MissionFactory
from participation import services
from participation.models import Idea, Participant
from participation.tests.factories import participant
from tests.a11y import assert_accessible
from tests.e2e.conftest import sign_in_through_the_pages

pytestmark = [pytest.mark.e2e, pytest.mark.celery, pytest.mark.django_db(transaction=True)]

TITLE = "Every child eats good school food by 2030"
CONSULTATION = "What would make school lunch better?"


def _accessible_at_both_widths(page: Page) -> None:
    assert_accessible(page)
    width = page.viewport_size
    page.set_viewport_size({"width": 390, "height": 844})
    assert_accessible(page)
    if width:
        page.set_viewport_size(width)


def _link_in(mail) -> str:
    found = re.search(r"https?://\S+/public/take-part/link/\S+", mail.get_content())
    assert found, mail.get_content()
    return found.group(0)


def _take_part(page: Page, worker_mail, email: str, name: str, organisation: str = "") -> None:
    """From a page that offers it: the Take part form, then the link in the mail."""
    expect(page.get_by_role("heading", name="Take part", exact=True)).to_be_visible()
    _accessible_at_both_widths(page)
    page.get_by_label("Your e-mail address").fill(email)
    page.get_by_label("Display name").fill(name)
    if organisation:
        page.get_by_label("Civil-society organisation you represent").fill(organisation)
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    _accessible_at_both_widths(page)
    mail = next(m for m in worker_mail() if m["To"] == email)
    assert mail["Subject"] == "Your link to take part"
    page.goto(_link_in(mail))  # what clicking the link in the mail does
    expect(page.get_by_text(f"Welcome, {name}")).to_be_visible()


def _staff_idea(page: Page, title: str) -> None:
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Missions").click()
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("navigation", name="Mission sections").get_by_role(
        "link", name="Participation", exact=True
    ).click()
    page.get_by_role("link", name=CONSULTATION).click()
    page.get_by_role("link", name=re.compile(re.escape(title))).click()


@pytest.fixture
def other_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    """other_page(**context options) → a page in a browser context of its own (another
    person); every one is closed after the test, so none keeps talking to the live server
    while later tests run."""
    contexts: list[BrowserContext] = []

    def make(**options: object) -> Page:
        context = browser.new_context(**options)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def test_from_publishing_to_you_said_we_did(
    live_server, other_page, page: Page, member, organisation, worker_mail
):
    mission = MissionFactory(
        organisation=organisation,
        key="school-food",
        title=TITLE,
        statement="By 2030 every child in our schools eats a good, sustainable lunch.",
        deadline_year=2030,
    )
    lead, editor = member("lead"), member("editor")

    # --- A lead publishes the mission and opens a consultation. ---
    sign_in_through_the_pages(page, live_server.url, lead)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Missions").click()
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("navigation", name="Mission sections").get_by_role(
        "link", name="Participation", exact=True
    ).click()
    expect(
        page.get_by_text("Nobody outside the organisation can see this mission.")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Publish the mission").click()
    page.get_by_label("Introduction for the public").fill(
        "What children eat every day at school shapes a generation."
    )
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_text(f"“{TITLE}” is published")).to_be_visible()
    page.get_by_role("link", name="Open a consultation").click()
    page.get_by_label("Title").fill(CONSULTATION)
    page.get_by_label("What the input will decide").fill(
        "The ideas choose the projects of the mission's next call."
    )
    page.get_by_label("Decision expected by").fill("2099-03-01")
    page.get_by_label("Opens on").fill("2020-01-01")
    page.get_by_label("Closes on").fill("2099-01-01")
    page.get_by_label("Questions").fill("What would make pupils eat more of their lunch?")
    page.get_by_label("Themes").fill("Cooking\nProcurement")
    page.get_by_role("button", name="Save consultation").click()
    expect(page.get_by_text(f"Consultation “{CONSULTATION}” added.")).to_be_visible()
    assert_accessible(page)
    # Someone's idea is already there to be supported.
    consultation = mission.consultations.get()
    earlier = services.idea_submit(
        participant=participant(),
        consultation=consultation,
        title="Weigh and show the leftovers",
        body="A screen by the tray return shows what was thrown away.",
    )

    # --- A visitor without an account reads the page, signs up, sends in and supports. ---
    visitor = other_page(viewport={"width": 1366, "height": 900})
    visitor.goto(live_server.url + "/")
    visitor.get_by_role("link", name="missions in public").click()
    _accessible_at_both_widths(visitor)
    visitor.get_by_role("link", name=TITLE).click()
    expect(visitor.get_by_text("What children eat every day at school")).to_be_visible()
    expect(visitor.locator('meta[property="og:title"]')).to_have_attribute("content", TITLE)
    _accessible_at_both_widths(visitor)
    visitor.get_by_role("link", name=CONSULTATION).click()
    _accessible_at_both_widths(visitor)
    visitor.get_by_role("link", name="Take part to send in an idea").click()
    _take_part(visitor, worker_mail, "ana@example.org", "Ana")
    # Back on the consultation, signed in.
    visitor.get_by_role("link", name="Send in an idea").click()
    _accessible_at_both_widths(visitor)
    visitor.get_by_label("Title").fill("Let pupils cook one lunch a month")
    visitor.get_by_label("Your idea").fill("Classes take turns cooking with the kitchen staff.")
    visitor.get_by_label("Place").fill("Malmö")
    visitor.get_by_label("Theme").select_option("Cooking")
    visitor.get_by_role("button", name="Publish my idea").click()
    expect(visitor.get_by_text("Thank you: your idea is published.")).to_be_visible()
    _accessible_at_both_widths(visitor)
    visitor.get_by_role("link", name=CONSULTATION).click()
    visitor.get_by_role("link", name=earlier.title).click()
    visitor.get_by_role("button", name="Support this idea").click()
    expect(visitor.get_by_text("You support this idea", exact=True)).to_be_visible()
    ana = Participant.objects.get(email="ana@example.org")
    assert ana.is_confirmed and earlier.supports.filter(participant=ana).exists()
    # A participant never sees an internal page: it does not exist for her.
    response = visitor.goto(live_server.url + f"/organisations/{organisation.slug}/")
    assert response is not None and response.status == 404
    visitor.go_back()

    # --- A civil-society representative sends one in for her organisation. ---
    cso = other_page()
    cso.goto(live_server.url + "/public/")
    cso.get_by_role("link", name=TITLE).click()
    cso.get_by_role("link", name=CONSULTATION).click()
    cso.get_by_role("link", name="Take part to send in an idea").click()
    _take_part(cso, worker_mail, "elsa@example.org", "Elsa", "Friends of School Food")
    cso.get_by_role("link", name="Send in an idea").click()
    cso.get_by_label("Title").fill("Buy vegetables from farms near each school")
    cso.get_by_label("Your idea").fill("Reserve a share of the tenders for farms within 50 km.")
    cso.get_by_label("Send it in on behalf of Friends of School Food").check()
    cso.get_by_role("button", name="Publish my idea").click()
    byline = cso.locator("main p.govuk-body-s").first
    expect(byline).to_contain_text("Elsa")
    expect(byline).not_to_contain_text("Friends of School Food")  # not checked yet

    # --- Staff: the lead vouches for her, an editor hides one idea and answers another. ---
    page.goto(live_server.url + "/")
    _staff_idea(page, "Buy vegetables from farms")
    page.get_by_role("button", name="I checked: they represent it").click()
    expect(page.get_by_text("speaking for their organisation")).to_be_visible()
    cso.reload()
    expect(cso.locator("main p.govuk-body-s").first).to_contain_text(
        "Elsa, for Friends of School Food"
    )

    staff = other_page(viewport={"width": 1366, "height": 900})
    sign_in_through_the_pages(staff, live_server.url, editor)
    _staff_idea(staff, "Weigh and show the leftovers")
    assert_accessible(staff)
    staff.get_by_label("Why is it hidden?").fill("It names a member of staff at a school.")
    staff.get_by_role("button", name="Hide the idea").click()
    expect(staff.get_by_text("Hidden from the public: It names a member of staff")).to_be_visible()

    _staff_idea(staff, "Let pupils cook one lunch a month")
    staff.get_by_role("button", name="Add it as a project").click()
    expect(staff.get_by_text("added to the mission")).to_be_visible()
    staff.get_by_label("Taken up").check()
    staff.get_by_label("Response for the public").fill(
        "Taken up: a pilot in twelve schools from next term."
    )
    staff.get_by_role("button", name="Publish the answer").click()
    expect(staff.get_by_text("The response is published beside the idea.")).to_be_visible()
    assert_accessible(staff)
    idea = Idea.objects.get(title="Let pupils cook one lunch a month")
    assert idea.project is not None and idea.project.get_origin_display() == (
        "An idea from citizens or civil society"
    )

    # --- The author hears of it, and the public page says what came of the input. ---
    answered = next(
        m for m in worker_mail() if m["To"] == "ana@example.org" and "What came of" in m["Subject"]
    )
    assert "a pilot in twelve schools" in answered.get_content()
    visitor.get_by_role("link", name="Missions in public").first.click()
    visitor.get_by_role("link", name=TITLE).click()
    said = visitor.locator("#you-said-we-did ~ .govuk-summary-card").first
    expect(said).to_contain_text("You said: Let pupils cook one lunch a month")
    expect(said).to_contain_text("a pilot in twelve schools")
    expect(said).to_contain_text("Taken up")
    _accessible_at_both_widths(visitor)

    # The hidden idea is gone for the public, and kept with its reason (its author was told).
    assert not visitor.get_by_text("Weigh and show the leftovers").count()
    assert earlier.participant is not None
    hidden_author = Participant.objects.get(pk=earlier.participant.pk)
    assert Idea.objects.get(pk=earlier.pk).hidden_reason.startswith("It names")
    assert hidden_author.ideas.get().is_hidden
