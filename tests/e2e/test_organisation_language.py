"""An administrator records the organisation's language from Home; a new mission then starts in
it, and the author can still choose another. Moves only by clicking what the pages show."""

import pytest
from playwright.sync_api import Page, expect

from accounts.models import Organisation
from missions.models import Mission
from tests.a11y import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_administrator_sets_german_and_a_new_mission_starts_in_german(
    live_server, page: Page, member, organisation, sign_in
):
    admin = member("admin", full_name="Ada Admin")
    editor = member("editor", full_name="Sam Servant")

    sign_in(admin)
    page.get_by_role("link", name="Ministry of Health and Care").first.click()
    settings = page.get_by_role("main").get_by_role("link", name="Settings")
    expect(page.get_by_role("main")).to_contain_text("No language recorded")
    settings.click()
    expect(page.get_by_role("heading", name="Organisation settings")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("combobox", name="Language").select_option(label="German")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("The organisation's settings are saved.")).to_be_visible()
    page.get_by_role("button", name="Save settings").click()  # again, unchanged
    expect(page.get_by_text("Nothing was changed.")).to_be_visible()
    page.get_by_label("Name", exact=True).fill("")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("alert")).to_contain_text("name")
    assert_accessible(page)
    assert Organisation.objects.get(pk=organisation.pk).name == "Ministry of Health and Care"
    page.get_by_role("button", name="Sign out").click()

    sign_in(editor)
    page.get_by_role("link", name="Start a mission in Ministry of Health and Care").click()
    language = page.get_by_label("Language of the statement")
    expect(language.locator("option:checked")).to_have_text("German")
    page.get_by_label("Grand challenge").fill("Krebs")
    page.get_by_label("Mission title").fill("Krebs besiegen")
    page.get_by_label("Mission statement").fill(
        "Bis 2030 wollen wir die Lebensqualität von drei Millionen Menschen verbessern."
    )
    page.get_by_role("button", name="Start the draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Krebs besiegen")
    assert Mission.objects.get(title="Krebs besiegen").language == "de"

    # The author may still choose otherwise for one mission.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Missions").click()
    page.get_by_role("link", name="Start a mission").click()
    expect(page.get_by_label("Language of the statement").locator("option:checked")).to_have_text(
        "German"
    )
    page.get_by_label("Language of the statement").select_option(label="English")
    page.get_by_label("Grand challenge").fill("Krebs")
    page.get_by_label("Mission title").fill("Cancer in English")
    page.get_by_role("button", name="Start the draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cancer in English")
    assert Mission.objects.get(title="Cancer in English").language == "en"
