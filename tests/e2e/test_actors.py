"""An editor corrects an actor of the register from Home by clicking: a name already taken is
refused on the field, a real correction is saved, and every mission sees it. axe on each page."""

import pytest
from playwright.sync_api import Page, expect

from missions.models import Actor
from missions.tests.factories import ActorFactory
from tests.a11y import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_editor_corrects_an_actor_of_the_register(
    live_server, page: Page, member, organisation, sign_in
):
    ActorFactory(organisation=organisation, name="Municipal health services", country="NL")
    ActorFactory(organisation=organisation, name="National Health Institute")
    sign_in(member("editor"))

    page.get_by_role("link", name=organisation.name).first.click()
    page.get_by_role("main").get_by_role("link", name="Actors").click()
    page.get_by_role("link", name="Change Municipal health services").click()
    assert_accessible(page)

    page.get_by_label("Name").fill("national health institute")
    page.get_by_role("button", name="Save actor").click()
    expect(page.get_by_role("alert")).to_contain_text("already in the actor register")
    assert_accessible(page)

    page.get_by_label("Name").fill("Municipal public health services")
    page.get_by_label("Country").fill("BE")
    page.get_by_role("button", name="Save actor").click()

    expect(page.get_by_text("“Municipal public health services” saved.")).to_be_visible()
    row = page.get_by_role("row", name="Municipal public health services")
    expect(row).to_contain_text("BE")
    assert Actor.objects.filter(name="Municipal health services").count() == 0
