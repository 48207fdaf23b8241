"""Rough edges of the mission pages (issue #15, item 5): counts that agree with their noun,
forms that mark optional fields and name the field in each error, the first target as the
headline, a target unit kept as typed, and adding a project's lead actor on the way."""

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from missions import exchange
from missions.apps import DEMO_FIXTURE
from missions.models import Actor, Target
from missions.tests.factories import (
    ActorFactory,
    MissionFactory,
    MissionProjectFactory,
    TargetFactory,
)

pytestmark = pytest.mark.django_db


def url(name, mission=None, **kwargs):
    if mission is not None:
        kwargs = {"org_slug": mission.organisation.slug, "mission_key": mission.key, **kwargs}
    return reverse(f"missions:{name}", kwargs=kwargs)


# --- 1. Counts ---------------------------------------------------------------------------------


def test_the_mission_count_agrees_with_its_noun(client, viewer, organisation):
    MissionFactory(organisation=organisation, title="Clean rivers")
    MissionFactory(organisation=organisation, title="Clean air")
    MissionFactory(organisation=organisation, title="Healthy streets")
    client.force_login(viewer)
    list_url = url("list", org_slug=organisation.slug)

    one = client.get(list_url, {"q": "rivers"}).content.decode()
    two = client.get(list_url, {"q": "clean"}).content.decode()
    everything = client.get(list_url).content.decode()

    assert "1 mission matches your filters." in one
    assert "2 missions match your filters." in two
    assert "3 missions." in everything and "match your filters" not in everything


def test_an_import_counts_each_kind_in_words_that_agree():
    summary = exchange.ImportSummary()
    summary.count("created", "targets")
    summary.count("created", "projects", 2)
    summary.count("updated", "missions")
    assert str(summary) == (
        "Imported: created 2 projects, 1 target; updated 1 mission; removed nothing."
    )


# --- 2. The start-mission form -------------------------------------------------------------------


def test_the_start_form_marks_optional_fields_and_names_each_field_in_its_error(
    client, editor, organisation
):
    client.force_login(editor)
    start = url("start", org_slug=organisation.slug)

    page = client.get(start).content.decode()
    labels = dict(re.findall(r'<label[^>]*for="id_(\w+)">([^<]*)</label>', page))
    assert labels == {
        "challenge_title": "Grand challenge",
        "title": "Mission title",
        "statement": "Mission statement (optional)",
        "language": "Language of the statement (optional)",
        "deadline_year": "Deadline year (optional)",
    }

    response = client.post(start, {"challenge_title": "Healthy ageing", "title": " "})
    body = response.content.decode()
    assert response.status_code == 422
    # In the error summary, linked to the field, and under the field.
    assert '<a href="#id_title">Enter the mission title.</a>' in body
    assert body.count("Enter the mission title.") == 2
    assert "This field is required." not in body


# --- 3. The first target is the headline target ------------------------------------------------


def _headline_box(page: str) -> str:
    return re.search(r'<input type="checkbox" name="new-is_headline"[^>]*>', page).group(0)


def test_the_first_target_of_a_mission_starts_as_its_headline(client, editor, mission):
    client.force_login(editor)

    first = client.get(url("targets", mission)).content.decode()
    assert "checked" in _headline_box(first)

    client.post(
        url("targets", mission),
        {
            "new-title": "Healthy life years",
            "new-is_headline": "on",
            "new-direction": "increase",
            "new-baseline_value": "62",
            "new-baseline_year": "2018",
            "new-target_value": "67",
            "new-target_year": "2040",
            "new-unit": "years",
        },
    )
    second = client.get(url("targets", mission)).content.decode()
    assert "checked" not in _headline_box(second)


# --- 4. The target unit keeps what was typed ----------------------------------------------------


def _target_data(unit: str) -> dict[str, str]:
    return {
        "new-title": "Cyclists",
        "new-direction": "increase",
        "new-baseline_value": "10",
        "new-baseline_year": "2020",
        "new-target_value": "30",
        "new-target_year": "2030",
        "new-unit": unit,
    }


def test_a_unit_of_60_characters_is_kept_whole_and_a_longer_one_is_refused_by_name(
    client, editor, mission
):
    client.force_login(editor)
    sixty = "percent of journeys to work made by bicycle in the city area"
    assert len(sixty) == 60

    too_long = client.post(url("targets", mission), _target_data(sixty + "s"))
    body = too_long.content.decode()
    assert too_long.status_code == 422
    assert "Unit must be 60 characters or fewer; it has 61." in body
    # Shown back whole, with no maxlength for the browser to cut it at.
    assert f'value="{sixty}s"' in body
    assert 'maxlength="60"' not in body
    assert not Target.objects.exists()

    client.post(url("targets", mission), _target_data(sixty))
    assert Target.objects.get().unit == sixty


def test_an_imported_unit_keeps_60_characters_and_a_longer_one_is_refused_saying_where(
    organisation,
):
    document = json.loads(DEMO_FIXTURE.read_text(encoding="utf-8"))
    index, mission = next((i, m) for i, m in enumerate(document["missions"]) if m["targets"])
    target = mission["targets"][0]
    sixty = "percent of journeys to work made by bicycle in the city area"

    target["unit"] = sixty + "s"
    with pytest.raises(exchange.ImportRejected) as rejected:
        exchange.import_document(document=document, organisation=organisation)
    assert [str(e) for e in rejected.value.errors] == [
        f"missions[{index}].targets[0].unit: is 61 characters long; the limit is 60."
    ]

    target["unit"] = sixty
    exchange.import_document(document=document, organisation=organisation)
    assert Target.objects.get(key=target["key"], mission__key=mission["key"]).unit == sixty


# --- 7. Adding a project's lead actor on the way -----------------------------------------------


def _add_lead_link(page: str) -> str:
    match = re.search(
        r'<a class="govuk-link" href="([^"]+)">Add an actor who is not in the list', page
    )
    assert match, "no link to add a lead actor"
    return match.group(1).replace("&amp;", "&")


def test_the_project_form_adds_its_lead_actor_and_comes_back_with_it_chosen(
    client, editor, mission
):
    client.force_login(editor)
    page = client.get(url("projects", mission)).content.decode()
    link = _add_lead_link(page)
    assert "save the project first if you have typed a lot" in page
    parts = urlsplit(link)
    assert parts.path == url("actors", org_slug=mission.organisation.slug)
    back = parse_qs(parts.query)["next"][0]
    assert back == url("projects", mission) + "#add-project"

    actors = client.get(f"{parts.path}?{parts.query}").content.decode()
    assert 'id="add-actor"' in actors and f'href="{back}"' in actors
    response = client.post(
        f"{parts.path}?{parts.query}",
        {"name": "Cycling Union", "helix": "civil_society", "kind": "organisation"},
    )
    actor = Actor.objects.get(name="Cycling Union")
    assert response.status_code == 302
    assert response["Location"] == f"{url('projects', mission)}?lead={actor.pk}#add-project"

    back_on_form = client.get(response["Location"]).content.decode()
    assert re.search(rf'<option value="{actor.pk}" selected>Cycling Union</option>', back_on_form)


def test_changing_a_project_comes_back_to_the_same_project(client, editor, mission):
    project = MissionProjectFactory(mission=mission, key="labs", title="Health labs")
    known = ActorFactory(organisation=mission.organisation, name="Known actor")
    client.force_login(editor)
    edit = url("project_edit", mission, project_key=project.key)

    link = _add_lead_link(client.get(edit).content.decode())
    assert parse_qs(urlsplit(link).query)["next"] == [f"{edit}#project-labs"]

    # An actor already in the register is chosen just the same.
    response = client.post(
        link.split("#")[0], {"name": "Known actor", "helix": known.helix, "kind": known.kind}
    )
    assert response["Location"] == f"{edit}?lead={known.pk}#project-labs"
    page = client.get(response["Location"]).content.decode()
    assert re.search(rf'<option value="{known.pk}" selected>Known actor</option>', page)


def test_a_next_address_off_the_site_is_ignored(client, editor, organisation):
    client.force_login(editor)
    actors = url("actors", org_slug=organisation.slug)
    response = client.post(
        f"{actors}?next=https://evil.example/",
        {"name": "Cycling Union", "helix": "civil_society", "kind": "organisation"},
    )
    assert response["Location"] == actors


def test_someone_who_may_not_add_actors_is_not_offered_the_link(client, viewer, mission):
    client.force_login(viewer)
    page = client.get(url("projects", mission)).content.decode()
    assert "Add an actor who is not in the list" not in page


# --- 5. What a step still needs links to where it is done --------------------------------------


def test_the_overview_links_each_missing_thing_to_where_it_is_done(client, editor, organisation):
    mission = MissionFactory(organisation=organisation, key="m", statement="", deadline_year=None)
    TargetFactory(mission=mission, key="hly", title="Healthy life years", unit="")
    client.force_login(editor)

    page = client.get(url("overview", mission)).content.decode()

    base = url("overview", mission)
    assert (
        f'<a class="govuk-link" href="{base}change/basics/#id_statement">Write the mission' in page
    )
    assert f'href="{base}change/basics/#id_deadline_year">Set the deadline year' in page
    assert (
        f'href="{base}targets/hly/change/#target-hly">Target “Healthy life years” needs a unit.'
        in page
    )
