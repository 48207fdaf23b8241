"""A civil servant pastes a title that carries an invisible control character (a vertical tab,
as a word processor's line break often arrives): the form says where it is, keeps what they
typed with the character drawn as a visible sign (a page may not hold it), refuses the sign if
it is sent back, and saves once it is retyped. Everything from Home by clicking; axe and the
HTML check (make test) on each page."""

import pytest
from playwright.sync_api import Page, expect

from missions.models import Mission
from tests.a11y import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_pasted_control_character_is_found_for_the_person_and_nothing_is_lost(
    live_server, page: Page, member, organisation, sign_in
):
    sign_in(member("editor", full_name="Sam Servant"))

    page.get_by_role("link", name=organisation.name).first.click()
    page.get_by_role("main").get_by_role("link", name="Missions", exact=True).click()
    page.get_by_role("link", name="Start a mission").click()
    page.get_by_label("Grand challenge").fill("Healthy ageing")
    page.get_by_label("Mission title").fill("Five more\x0bhealthy years")
    statement = "By 2040 everyone in the country lives five more years in good health."
    page.get_by_label("Mission statement").fill(statement)
    page.get_by_role("button", name="Start the draft").click()

    error = "Mission title contains an invisible control character just after “Five more”"
    expect(page.get_by_role("alert")).to_contain_text(error)
    expect(page.locator(".govuk-error-message")).to_contain_text(error)
    expect(page.get_by_label("Mission statement")).to_have_value(statement)
    expect(page.get_by_label("Mission title")).to_have_value("Five more\u240bhealthy years")
    assert "\x0b" not in page.content()
    assert_accessible(page)
    assert not Mission.objects.exists()

    # Sent back untouched, the sign is refused too: it is no part of a title.
    page.get_by_role("button", name="Start the draft").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Mission title still holds the sign \u240b where an invisible character was, "
        "just after “Five more”"
    )
    assert not Mission.objects.exists()

    page.get_by_role("link", name="Mission title still holds").click()  # summary → field
    expect(page.get_by_label("Mission title")).to_be_focused()
    page.get_by_label("Mission title").fill("Five more healthy years")
    page.get_by_role("button", name="Start the draft").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Five more healthy years")
    assert Mission.objects.get().statement == statement
