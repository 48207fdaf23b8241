"""The demo missions' public-value terms (missions/fixtures/demo_missions.json, "rewards"):
imported through the exchange importer, two missions carry terms from public sources, one
where public money carries the risk with no reward condition (the warning fires in the demo)
and one with Horizon Europe conditions recorded (agreed, none checked yet)."""

import json

import pytest

from missions import exchange
from missions.apps import DEMO_FIXTURE
from missions.models import Mission
from rewards import figures, selectors
from rewards.models import ConditionStatus, ProjectTerms, PublicRisk, RewardCondition

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(organisation):
    exchange.import_file(DEMO_FIXTURE, organisation=organisation)
    return organisation


def picture_of(organisation, key) -> figures.Picture:
    mission = Mission.objects.get(organisation=organisation, key=key)
    _rows, picture = selectors.mission_projects(mission)
    return picture


def test_school_food_public_money_carries_the_risk_with_no_reward_condition(demo):
    terms = ProjectTerms.objects.get(
        mission__organisation=demo, project__key="new-recipe-school-meals"
    )
    assert terms.public_risk == PublicRisk.GRANT
    assert "Vinnova" in terms.source and terms.source_unverified
    # Nothing else is in our sources: left empty, not guessed.
    assert (terms.private_money, terms.philanthropic_money, terms.in_kind_value) == (None,) * 3
    assert not RewardCondition.objects.filter(mission=terms.mission).exists()
    picture = picture_of(demo, "se-school-food")
    assert picture.public == 21_800_000 and picture.public_percent == 100
    assert picture.flagged
    assert [p.key for p in picture.unconditioned] == ["new-recipe-school-meals"]


def test_soil_living_labs_carry_horizon_europe_conditions_agreed(demo):
    terms = ProjectTerms.objects.get(mission__organisation=demo, project__key="soil-living-labs")
    assert "Horizon Europe Model Grant Agreement" in terms.source
    conditions = RewardCondition.objects.filter(mission=terms.mission).order_by("key")
    assert [(c.key, c.kind, c.status) for c in conditions] == [
        ("soil-labs-eu-policy-use", "public_rights", ConditionStatus.AGREED),
        ("soil-labs-open-data", "open_access", ConditionStatus.AGREED),
        # Agreed, not checked: the demo claims no check that nobody made.
        ("soil-labs-open-publications", "open_access", ConditionStatus.AGREED),
    ]
    for condition in conditions:
        assert condition.project.key == "soil-living-labs"
        assert condition.reference.startswith("Horizon Europe Model Grant Agreement")
        condition.full_clean()  # a check has its date
    picture = picture_of(demo, "eu-soil")
    assert (picture.reward_conditions, picture.met, picture.breached) == (3, 0, 0)
    assert not picture.flagged and not picture.unconditioned


def test_only_these_two_missions_have_terms_and_the_files_summaries_agree(demo):
    assert sorted(
        ProjectTerms.objects.filter(mission__organisation=demo).values_list(
            "mission__key", flat=True
        )
    ) == ["eu-soil", "se-school-food"]
    # The fixture is in exported form: its derived summaries are what the figures compute.
    document = json.loads(DEMO_FIXTURE.read_text(encoding="utf-8"))
    for item in document["missions"]:
        mission = Mission.objects.get(organisation=demo, key=item["key"])
        assert item["rewards"] == exchange.export_mission(mission, only=["rewards"])["rewards"]


def test_importing_the_demo_again_changes_nothing(demo):
    before = list(RewardCondition.objects.order_by("pk").values("pk", "version"))
    exchange.import_file(DEMO_FIXTURE, organisation=demo)
    assert list(RewardCondition.objects.order_by("pk").values("pk", "version")) == before
    assert ProjectTerms.objects.filter(mission__organisation=demo).count() == 2
