"""The assessment input read from the database: the exchange export plus what rules need."""

from decimal import Decimal

from evaluation.criteria.inputs import build_input, input_hash
from missions.models import MissionStatus
from missions.tests.factories import ActorFactory, MissionFactory, MissionProjectFactory


def test_input_carries_the_export_resolved_actors_and_organisation_counts(
    mission, organisation, owner
):
    tno = ActorFactory(organisation=organisation, key="tno", name="TNO", helix="academia")
    MissionProjectFactory(
        mission=mission, key="lab", lead=tno, budget=Decimal("250000"), public_funding=None
    )
    mission.status = MissionStatus.ACTIVE
    mission.policy_domain = "07"
    mission.save()
    MissionFactory(
        organisation=organisation, owner=owner, status=MissionStatus.APPROVED, policy_domain="07"
    )
    MissionFactory(organisation=organisation, owner=owner, status=MissionStatus.DRAFT)

    data = build_input(mission)

    assert data["mission"]["key"] == "healthy-years"
    assert data["mission"]["projects"][0]["budget"] == "250000"
    assert data["actors"]["tno"] == {
        "name": "TNO",
        "helix": "academia",
        "kind": "organisation",
        "government_level": "",
        "country": "",
    }
    assert data["actors"]["vws"]["name"] == "Ministry of Health"
    assert data["organisation"] == {"owner_active_missions": 2, "policy_domain_missions": 2}
    # The stakeholders app registers its exchange section: an empty map is data, not "unknown".
    assert data["stakeholders"]["stakeholders"] == [] and data["stakeholders"]["engagement"] == []
    assert data["stakeholders"]["map_stale"] is False
    # The evaluation app registers the "indicators" section: no indicators is data, too.
    assert data["indicators"] == []


def test_the_hash_changes_with_the_data_and_only_then(mission):
    first = input_hash(build_input(mission))
    assert input_hash(build_input(mission)) == first
    mission.statement = "By 2040, everyone lives five more healthy years."
    mission.save()
    assert input_hash(build_input(mission)) != first
    assert input_hash({"b": 1, "a": [1, 2]}) == input_hash({"a": [1, 2], "b": 1})
