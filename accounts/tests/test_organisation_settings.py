"""An organisation's settings: its name and the language its new missions start in."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts import services
from accounts.models import Organisation
from missions import exchange
from missions.apps import DEMO_FIXTURE
from missions.models import Mission

pytestmark = pytest.mark.django_db


def test_an_administrator_records_the_language_and_an_unchanged_save_changes_nothing(
    organisation, member
):
    admin = member("admin")
    assert services.organisation_update(
        by=admin, organisation=organisation, name=organisation.name, language="de"
    )
    assert Organisation.objects.get(pk=organisation.pk).language == "de"
    assert not services.organisation_update(
        by=admin, organisation=organisation, name=organisation.name, language="de"
    )


@pytest.mark.parametrize("role", ["viewer", "reviewer", "editor", "lead"])
def test_only_administrators_change_the_settings(organisation, member, role):
    with pytest.raises(PermissionDenied):
        services.organisation_update(
            by=member(role), organisation=organisation, name="Renamed", language="fr"
        )
    assert Organisation.objects.get(pk=organisation.pk).name == "Ministry of Health and Care"


def test_a_language_outside_the_list_is_refused_with_a_message(client, organisation, member):
    client.force_login(member("admin"))
    url = reverse("accounts:organisation_settings", kwargs={"org_slug": organisation.slug})
    response = client.post(url, {"name": organisation.name, "language": "xx"})
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert Organisation.objects.get(pk=organisation.pk).language == ""


def test_the_start_form_offers_the_organisations_language(client, organisation, member):
    Organisation.objects.filter(pk=organisation.pk).update(language="nl")
    client.force_login(member("editor"))
    page = client.get(reverse("missions:start", kwargs={"org_slug": organisation.slug}))
    assert '<option value="nl" selected>' in page.content.decode()


def test_an_imported_mission_without_a_language_takes_the_organisations(organisation):
    document = json.loads(DEMO_FIXTURE.read_text(encoding="utf-8"))
    for mission in document["missions"]:
        mission.pop("language", None)
    Organisation.objects.filter(pk=organisation.pk).update(language="sv")
    organisation.refresh_from_db()
    exchange.import_document(document=document, organisation=organisation)
    assert set(Mission.objects.values_list("language", flat=True)) == {"sv"}

    # A file from before the field does not erase the language a mission has now.
    Mission.objects.filter(organisation=organisation).update(language="fr")
    Organisation.objects.filter(pk=organisation.pk).update(language="de")
    organisation.refresh_from_db()
    exchange.import_document(document=document, organisation=organisation)
    assert set(Mission.objects.values_list("language", flat=True)) == {"fr"}
