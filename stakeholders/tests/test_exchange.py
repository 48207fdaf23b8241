"""The "stakeholders" exchange section: export, validate, import, and round trip."""

import datetime

import pytest
from django.utils import timezone

from accounts.tests.factories import OrganisationFactory
from missions import exchange
from missions.models import Actor, Mission
from stakeholders import services
from stakeholders.models import EngagementActivity, Stakeholder

pytestmark = pytest.mark.django_db


@pytest.fixture
def mapped(add, editor, mission, ministry):
    vws = add("Ministry of Health", roles=["owner"], power=5, interest=5, attitude=2)
    patients = add(
        "Patients United", helix="civil_society", roles=["citizen_group"], power=2, interest=5
    )
    add("Prof. Ada", is_person=True, helix="academia", roles=["knowledge_provider"])
    services.stakeholder_move(
        by=editor, stakeholder=patients, expected_version=1, power=3, interest=5
    )
    services.activity_create(
        by=editor,
        mission=mission,
        stakeholders=[vws, Stakeholder.objects.get(pk=patients.pk)],
        date=datetime.date(2025, 3, 1),
        type="citizen_assembly",
        level="involve",
        participants={"civil_society": 40, "government": 3},
        summary="Citizens' panel on priorities.",
        influence_on_decision="Prevention moved up to the first target.",
    )
    return mission


def test_the_section_carries_what_the_rules_need(mapped):
    section = exchange.export_mission(mapped)["stakeholders"]
    people = {s["key"]: s for s in section["stakeholders"]}
    vws = people["vws"]
    assert vws["actor"] == "vws" and vws["core_team"] and vws["quadrant"] == "key_player"
    assert people["patients-united"]["history"][0]["power"] == 2
    assert people["patients-united"]["history"][-1]["power"] == 3
    assert people["prof-ada"]["actor"] is None and people["prof-ada"]["person_name"] == "Prof. Ada"
    activity = section["engagement"][0]
    assert activity["iap2_level"] == "involve" and activity["feedback_given"]
    assert activity["participants"] == {"civil_society": 40, "government": 3}
    assert sorted(activity["stakeholders"]) == ["patients-united", "vws"]
    summary = section["summary"]
    assert summary["citizens_at_consult_or_above"] == []
    assert summary["core_team"] == ["vws"]
    assert summary["map_last_updated"] == timezone.now().date().isoformat()


def test_round_trip_into_another_organisation(mapped, organisation):
    document = exchange.export_document(organisation=organisation, mission_keys=[mapped.key])
    # A selection's actor list has no stakeholders' actors: the section brings their names.
    assert "vws" not in {a["key"] for a in document["actors"]}
    elsewhere = OrganisationFactory(slug="elsewhere")
    exchange.import_document(document=document, organisation=elsewhere)
    copy = Mission.objects.get(organisation=elsewhere, key=mapped.key)
    before = exchange.export_mission(mapped)["stakeholders"]
    after = exchange.export_mission(copy)["stakeholders"]
    assert after == before
    assert Actor.objects.get(organisation=elsewhere, key="vws").name == "Ministry of Health"
    # Importing again changes nothing.
    summary = exchange.import_document(document=document, organisation=elsewhere)
    assert "stakeholders" not in summary.created and "stakeholders" not in summary.updated
    assert exchange.export_mission(copy)["stakeholders"] == before


def test_import_updates_removes_and_records_moves(mapped, organisation):
    document = exchange.export_document(organisation=organisation, mission_keys=[mapped.key])
    section = document["missions"][0]["stakeholders"]
    section["stakeholders"] = [s for s in section["stakeholders"] if s["key"] != "prof-ada"]
    for s in section["stakeholders"]:
        if s["key"] == "vws":
            s["power"], s["history"] = 1, []
    exchange.import_document(document=document, organisation=organisation)
    assert not Stakeholder.objects.filter(mission=mapped, key="prof-ada").exists()
    vws = Stakeholder.objects.get(mission=mapped, key="vws")
    assert vws.power == 1 and vws.positions.order_by("-recorded_at").first().power == 1


def test_bad_sections_are_refused_with_paths_and_nothing_written(mapped, organisation):
    document = exchange.export_document(organisation=organisation, mission_keys=[mapped.key])
    section = document["missions"][0]["stakeholders"]
    section["stakeholders"][0]["power"] = 9
    section["stakeholders"][1]["roles"] = ["overlord"]
    section["stakeholders"][2]["actor"] = "nobody"
    section["stakeholders"][2]["actor_name"] = ""
    section["engagement"][0]["stakeholders"] = ["ghost"]
    section["engagement"][0]["participants"] = {"martians": 3}
    with pytest.raises(exchange.ImportRejected) as caught:
        exchange.import_document(document=document, organisation=organisation)
    paths = {e.path for e in caught.value.errors}
    base = "missions[0].stakeholders"
    assert f"{base}.stakeholders[0].power" in paths
    assert f"{base}.stakeholders[1].roles[0]" in paths
    assert f"{base}.engagement[0].stakeholders[0]" in paths
    assert f"{base}.engagement[0].participants.martians" in paths
    assert EngagementActivity.objects.filter(mission=mapped).count() == 1
    assert Stakeholder.objects.get(mission=mapped, key="vws").power == 5


def test_snapshot_comparison_describes_the_map(mapped, editor):
    from missions import snapshots

    old = snapshots.current_document(mapped)
    vws = Stakeholder.objects.get(mission=mapped, key="vws")
    services.stakeholder_move(
        by=editor, stakeholder=vws, expected_version=vws.version, power=2, interest=2
    )
    comparison = snapshots.snapshot_compare(old, snapshots.current_document(mapped))
    text = (
        " ".join(comparison.changes)
        if isinstance(comparison.changes, list)
        else str(comparison.changes)
    )
    assert "Ministry of Health" in text and "power 5 → 2" in text
