"""Starting a mission from a copy of another: the chosen parts come along under a new key, the
source's decisions do not, the source is untouched, and only people who may start missions
may copy, within their organisation."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from canvas.models import CanvasBox
from canvas.services import canvas_box_save
from missions.copying import mission_copy
from missions.models import Mission, MissionStatus
from missions.tests.factories import MissionFactory, MissionProjectFactory, TargetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def source(mission, editor):
    TargetFactory(mission=mission, key="healthy-years", title="Healthy life years")
    MissionProjectFactory(mission=mission, title="Neighbourhood health labs")
    canvas_box_save(
        by=editor, mission=mission, box_key="challenge", text="Sick years.", expected_version=0
    )
    Mission.objects.filter(pk=mission.pk).update(
        status=MissionStatus.ACTIVE,
        approved_on=datetime.date(2026, 1, 5),
        mandate_source="government_decision",
        mandate_date=datetime.date(2025, 12, 1),
    )
    mission.refresh_from_db()
    return mission


def test_a_copy_takes_the_chosen_parts_as_a_new_draft(source, editor):
    copy = mission_copy(
        by=editor, source=source, title="Healthy years, the north", parts=["targets", "canvas"]
    )
    assert (copy.key, copy.title, copy.status) == (
        "healthy-years-the-north",
        "Healthy years, the north",
        MissionStatus.DRAFT,
    )
    assert (copy.approved_on, copy.mandate_source, copy.mandate_date) == (None, "", None)
    assert list(copy.targets.values_list("title", flat=True)) == ["Healthy life years"]
    assert copy.projects.count() == 0  # not chosen
    assert CanvasBox.objects.get(mission=copy, box_key="challenge").text == "Sick years."
    # The source is as it was.
    source.refresh_from_db()
    assert (source.status, source.targets.count(), source.projects.count()) == (
        MissionStatus.ACTIVE,
        1,
        1,
    )


def test_a_copy_needs_a_title_and_known_parts(source, editor):
    with pytest.raises(ValidationError):
        mission_copy(by=editor, source=source, title="  ", parts=[])
    with pytest.raises(ValidationError):
        mission_copy(by=editor, source=source, title="Copy", parts=["budget"])
    assert Mission.objects.count() == 1


def test_viewers_cannot_copy(source, viewer):
    with pytest.raises(PermissionDenied):
        mission_copy(by=viewer, source=source, title="Mine", parts=["targets"])


def test_the_copy_page_offers_only_the_organisations_missions(
    client, source, editor, other_organisation
):
    other = MissionFactory(organisation=other_organisation, key="elsewhere", title="Elsewhere")
    client.force_login(editor)
    url = reverse("missions:copy", args=[source.organisation.slug])
    page = client.get(url + f"?from={source.key}")
    assert page.status_code == 200
    assert "Elsewhere" not in page.text
    answer = client.post(url, {"source": other.pk, "title": "Stolen", "parts": ["targets"]})
    assert answer.status_code == 422  # not one of the choices
    assert not Mission.objects.filter(title="Stolen").exists()
    answer = client.post(url, {"source": source.pk, "title": "The north", "parts": ["targets"]})
    assert answer.status_code == 302
    assert Mission.objects.get(title="The north").targets.count() == 1


def test_an_example_mission_starts_a_draft_without_touching_the_organisations_register(
    organisation, editor
):
    from missions.copying import example_copy
    from missions.models import Actor

    own = Actor.objects.create(
        organisation=organisation, key="vinnova", name="Our own Vinnova", helix="government"
    )
    copy = example_copy(
        by=editor,
        organisation=organisation,
        example_key="se-healthy-streets",
        title="Healthy streets in Utrecht",
        parts=["targets", "projects"],
    )
    assert (copy.organisation, copy.status) == (organisation, MissionStatus.DRAFT)
    assert copy.targets.count() == 1 and copy.projects.count() == 1
    assert copy.owner == own  # the organisation's actor of that short name
    own.refresh_from_db()
    assert own.name == "Our own Vinnova"  # an actor with the same short name is left alone
    with pytest.raises(ValidationError):
        example_copy(by=editor, organisation=organisation, example_key="nope", title="X", parts=[])


def test_example_pages_are_for_everyone_signed_in_and_copy_only_where_one_may_start(
    client, organisation, viewer, editor, member, other_organisation
):
    page = reverse("canvas:example", args=["eu-soil"])
    client.force_login(viewer)
    listing = client.get(reverse("canvas:example_list"))
    assert "A Soil Deal for Europe" in listing.text
    read = client.get(page)
    assert read.status_code == 200
    assert "75% of EU soils healthy by 2030" in read.text  # the learning box's facts
    assert "Start the draft from this example" not in read.text  # a viewer may not start one
    assert client.get(reverse("canvas:example", args=["not-an-example"])).status_code == 404

    client.force_login(editor)
    refused = client.post(
        page, {"organisation": other_organisation.pk, "title": "Soil", "parts": ["targets"]}
    )
    assert refused.status_code == 422  # not one of the organisations offered
    answer = client.post(
        page, {"organisation": organisation.pk, "title": "Our soil", "parts": ["targets"]}
    )
    assert answer.status_code == 302
    created = Mission.objects.get(title="Our soil")
    assert created.organisation == organisation and created.targets.count() == 2
