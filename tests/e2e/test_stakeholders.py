"""The stakeholder map in a real browser: drag across a quadrant line and reload, the same with
the keyboard only, filters, and axe on the map pages (also after a drag and after a swap)."""

import os

import pytest
from playwright.sync_api import Page, expect

from missions.tests.factories import ActorFactory, MissionFactory
from stakeholders import services
from stakeholders.models import Stakeholder
from tests.a11y import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("LODESTAR_SCREENSHOTS")  # a folder: save screenshots of the map there


@pytest.fixture
def scene(member, organisation):
    editor = member("editor", full_name="Sam Servant")
    mission = MissionFactory(organisation=organisation, key="healthy-years", title="Healthy years")
    ActorFactory(organisation=organisation, key="vws", name="Ministry of Health")
    people = [
        ("Ministry of Health", "government", ["owner"], 5, 5, 2),
        ("Acme Care", "industry", ["project_lead"], 2, 2, 1),  # monitor: the one we move
        ("Patients United", "civil_society", ["citizen_group"], 2, 5, 0),
        ("TNO", "academia", ["knowledge_provider"], 4, 2, -1),
    ]
    for name, helix, roles, power, interest, attitude in people:
        services.stakeholder_create(
            by=editor, mission=mission, name=name, helix=helix, roles=roles,
            power=power, interest=interest, attitude=attitude,
        )  # fmt: skip
    return editor, mission


def map_url(live_server, mission):
    return f"{live_server.url}/organisations/{mission.organisation.slug}/missions/{mission.key}/stakeholders/"


def marker(page: Page, key: str):
    return page.locator(f"#map-marker-{key}")


def test_drag_a_stakeholder_across_a_quadrant_line_and_it_stays(
    live_server, page: Page, scene, sign_in
):
    editor, mission = scene
    sign_in(editor)
    page.set_viewport_size({"width": 1280, "height": 1100})
    page.goto(map_url(live_server, mission))
    assert_accessible(page)
    acme = marker(page, "acme-care")
    acme.evaluate("m => m.scrollIntoView({block: 'center', behavior: 'instant'})")
    # The marker's centre and the centre of the cell power 4, interest 4, on screen.
    start, end = page.evaluate(
        """() => {
          const m = document.getElementById('map-marker-acme-care');
          const svg = m.ownerSVGElement;
          const r = svg.getBoundingClientRect(), v = svg.viewBox.baseVal;
          const at = (x, y) => [r.left + (x - v.x) * r.width / v.width,
                                r.top + (y - v.y) * r.height / v.height];
          const cell = Number(svg.dataset.cell), left = Number(svg.dataset.left),
                top = Number(svg.dataset.top);
          return [at(Number(m.dataset.cx), Number(m.dataset.cy)),
                  at(left + 3.5 * cell, top + 1.5 * cell)];
        }"""
    )
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move((start[0] + end[0]) / 2, (start[1] + end[1]) / 2, steps=5)
    page.mouse.move(*end, steps=10)
    page.mouse.up()
    expect(page.locator("#row-acme-care")).to_contain_text("Key players")
    moved = Stakeholder.objects.get(key="acme-care")
    assert (moved.power, moved.interest) == (4, 4)
    expect(marker(page, "acme-care")).to_be_focused()
    assert_accessible(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/map-after-drag.png", full_page=True)
    page.reload()
    expect(page.locator("#row-acme-care")).to_contain_text("Key players")
    expect(marker(page, "acme-care")).to_have_attribute("data-power", "4")


def test_move_with_the_keyboard_only(live_server, page: Page, scene, sign_in):
    editor, mission = scene
    sign_in(editor)
    page.goto(map_url(live_server, mission))
    acme = marker(page, "acme-care")
    acme.focus()
    page.keyboard.press("ArrowUp")
    expect(page.locator("#stakeholder-announcer")).to_contain_text("power 3, interest 2")
    page.keyboard.press("Escape")  # cancel: nothing saved
    expect(page.locator("#stakeholder-announcer")).to_contain_text("Move cancelled")
    assert Stakeholder.objects.get(key="acme-care").power == 2
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowRight")
    expect(page.locator("#stakeholder-announcer")).to_contain_text(
        "power 3, interest 3, Key players"
    )
    page.keyboard.press("Enter")
    expect(page.locator("#row-acme-care")).to_contain_text("Key players")
    expect(marker(page, "acme-care")).to_be_focused()
    expect(page.locator("#stakeholder-announcer")).to_contain_text("Acme Care moved to power 3")
    assert_accessible(page)
    page.reload()
    expect(marker(page, "acme-care")).to_have_attribute("data-interest", "3")


def test_filters_and_the_plain_form(live_server, page: Page, scene, sign_in):
    editor, mission = scene
    sign_in(editor)
    page.goto(map_url(live_server, mission))
    page.get_by_label("Sector").select_option("civil_society")
    page.get_by_role("button", name="Apply").click()
    assert "sector=civil_society" in page.url
    expect(page.locator("#row-patients-united")).to_be_visible()
    expect(page.locator("#row-tno")).to_have_count(0)
    expect(marker(page, "tno")).to_have_count(0)
    assert_accessible(page)
    page.goto(map_url(live_server, mission) + "?quadrant=keep_satisfied")
    expect(page.locator("#row-tno")).to_be_visible()
    expect(page.locator("#row-acme-care")).to_have_count(0)
    # Without dragging: the stakeholder's page has power and interest selects.
    page.get_by_role("link", name="TNO").click()
    assert_accessible(page)
    page.get_by_label("Power").first.select_option("2")
    page.get_by_role("button", name="Move", exact=True).click()
    expect(page.get_by_text("TNO moved to power 2, interest 2")).to_be_visible()
    assert Stakeholder.objects.get(key="tno").power == 2


def test_add_with_suggestions_and_the_log_are_accessible(live_server, page: Page, scene, sign_in):
    editor, mission = scene
    ActorFactory(organisation=mission.organisation, key="ezk", name="Ministry of Economy")
    sign_in(editor)
    page.goto(map_url(live_server, mission) + "add/")
    page.get_by_label("Name of the organisation or person").press_sequentially("ministry of e")
    expect(page.get_by_label("Ministry of Economy")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Ministry of Economy").check()
    expect(page.get_by_label("Name of the organisation or person")).to_have_value(
        "Ministry of Economy"
    )
    page.get_by_label("Co-owner").check()
    page.get_by_role("button", name="Add to the map").click()
    expect(page.locator("#row-ezk")).to_be_visible()
    assert Stakeholder.objects.get(key="ezk").actor.name == "Ministry of Economy"
    page.get_by_role("link", name="Engagement log").click()
    assert_accessible(page)


@pytest.mark.parametrize("count", [10, 60])
def test_the_map_shows_every_stakeholder_wide_and_narrow(
    live_server, page: Page, member, organisation, sign_in, count, tmp_path
):
    """Every marker is drawn and axe is clean at 10 and 60 stakeholders, on a wide and a narrow
    screen. Screenshots go to LODESTAR_SCREENSHOTS (a folder) when set, for looking at."""
    import random

    editor = member("editor", full_name="Sam Servant")
    mission = MissionFactory(organisation=organisation, key="shots", title="Healthy years")
    rng = random.Random(count)
    names = ["Ministry of Health", "NetZeroCities consortium", "Patients United", "TNO",
             "City of Utrecht", "Acme Care", "Pharos", "Health~Holland", "ZonMw", "Eurocities"]  # fmt: skip
    helices = ["government", "industry", "academia", "civil_society", "environment"]
    for n in range(count):
        services.stakeholder_create(
            by=editor, mission=mission, name=f"{names[n % 10]} {n // 10 or ''}".strip(),
            helix=helices[n % 5], roles=["supporter"], power=rng.randint(1, 5),
            interest=rng.randint(1, 5), attitude=rng.randint(-2, 2),
        )  # fmt: skip
    sign_in(editor)
    for width, label in ((1280, "wide"), (390, "narrow")):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(map_url(live_server, mission))
        expect(page.locator("svg.stakeholder-grid g.stakeholder-marker")).to_have_count(count)
        assert_accessible(page)
        page.screenshot(path=f"{SHOTS or tmp_path}/map-{count}-{label}.png", full_page=True)
