"""Public-value terms and reward conditions: recorded through the kernel (history, versions,
refusals), read by the public-money warning (fires, stays quiet, cannot be judged yet), carried
whole by the exchange format, and described by snapshot comparisons."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from evaluation.criteria.inputs import build_input
from evaluation.tests.helpers import outcome
from missions import exchange
from missions.models import MissionChange
from missions.parts import ConflictError
from missions.tests.factories import MissionFactory, MissionProjectFactory
from rewards import services, snapshots
from rewards.canvas_facts import rewards_facts
from rewards.exchange import export_rewards
from rewards.models import ProjectTerms, RewardCondition

pytestmark = pytest.mark.django_db


@pytest.fixture
def vaccines(organisation):
    """A mission with two projects the public mostly pays for (a firm and a university)."""
    mission = MissionFactory(organisation=organisation, key="vaccines", currency="EUR")
    firm = MissionProjectFactory(
        mission=mission,
        key="mrna-platform",
        title="mRNA platform",
        budget=Decimal("10000000"),
        public_funding=Decimal("8000000"),
    )
    lab = MissionProjectFactory(
        mission=mission,
        key="trial-network",
        title="Trial network",
        budget=Decimal("4000000"),
        public_funding=Decimal("3000000"),
    )
    return mission, firm, lab


def _warning(mission):
    return outcome(build_input(mission), "RISK_NO_SHARING")


def _signal(mission):
    return outcome(build_input(mission), "c4_shared_rewards")


def test_the_warning_cannot_be_judged_until_terms_are_recorded(vaccines):
    mission, _firm, _lab = vaccines
    result = _warning(mission)
    assert str(result.status) == "not_assessed" and not result.fires
    assert result.evidence["needs"] == "rewards.terms"
    # Nor does the signal count against the mission: it is left out of C4's score.
    assert str(_signal(mission).status) == "not_assessed"


def test_terms_without_the_projects_public_funding_cannot_be_judged_either(vaccines, member):
    mission, firm, _lab = vaccines
    type(firm).objects.filter(mission=mission).update(public_funding=None)
    firm.refresh_from_db()
    services.terms_save(by=member("editor"), project=firm, private_money=Decimal("2000000"))
    result = _warning(mission)
    assert str(result.status) == "not_assessed"
    assert result.evidence["needs"] == "rewards.public_money"
    facts = rewards_facts(mission, {"rewards": export_rewards(mission), "currency": "EUR"})
    assert facts[0] == "Public money at risk: not recorded for the projects with terms"


def test_public_money_carrying_most_of_the_risk_without_conditions_fires_with_its_figures(
    vaccines, member
):
    mission, firm, lab = vaccines
    editor = member("editor")
    services.terms_save(by=editor, project=firm, private_money=Decimal("2000000"))
    services.terms_save(
        by=editor, project=lab, philanthropic_money=Decimal("500000"), public_risk="loan"
    )
    # A direction condition is not a share of the reward: it still fires.
    services.condition_create(
        by=editor, project=firm, kind="green", description="Production runs on green power."
    )
    result = _warning(mission)
    assert result.fires
    # The C4 signal asks the same: not passed, and it lowers the criterion's score.
    assert str(_signal(mission).status) == "not_passed"
    # 11 million public against 2.5 million from others: 81%.
    assert result.evidence["public_money"] == "€11,000,000"
    assert result.evidence["share"] == 0.81
    assert result.evidence["reward_conditions"] == 0 and result.evidence["projects"] == 2

    # An access condition on the firm's project clears it.
    services.condition_create(
        by=editor,
        project=firm,
        kind="price_cap",
        description="Doses for the national programme at cost plus 10%.",
        reference="Grant agreement, article 12",
    )
    assert str(_warning(mission).status) == "passed"
    assert str(_signal(mission).status) == "passed"


def test_it_stays_quiet_when_others_carry_most_of_the_money(vaccines, member):
    mission, firm, _lab = vaccines
    services.terms_save(by=member("editor"), project=firm, private_money=Decimal("9000000"))
    result = _warning(mission)
    assert str(result.status) == "passed" and result.evidence["share"] == 0.47


def test_terms_go_through_the_kernel_history_versions_and_refusals(vaccines, member):
    mission, firm, _lab = vaccines
    editor = member("editor")
    terms = services.terms_save(by=editor, project=firm, private_money=Decimal("1000"))
    assert terms.version == 1
    unchanged = services.terms_save(
        by=editor, project=firm, expected_version=1, private_money=Decimal("1000.00")
    )
    assert unchanged.version == 1  # the same amount written differently is no change
    changed = services.terms_save(
        by=editor, project=firm, expected_version=1, private_money=Decimal("2000")
    )
    assert changed.version == 2
    with pytest.raises(ConflictError):
        services.terms_save(
            by=editor, project=firm, expected_version=1, private_money=Decimal("3000")
        )
    # A page that showed no terms does not replace terms recorded since.
    with pytest.raises(ConflictError):
        services.terms_save(by=editor, project=firm, private_money=Decimal("4000"))
    entries = MissionChange.objects.filter(mission=mission, object_type="public-value terms")
    assert [e.action for e in entries.order_by("pk")] == ["created", "updated"]
    with pytest.raises(PermissionDenied):
        services.terms_save(by=member("viewer"), project=firm, private_money=Decimal("1"))
    with pytest.raises(ValidationError) as refused:
        services.terms_save(
            by=editor, project=firm, expected_version=2, private_money=Decimal("-5")
        )
    assert "private_money" in refused.value.message_dict


def test_a_condition_found_met_or_breached_needs_the_date_it_was_checked(vaccines, member):
    _mission, firm, _lab = vaccines
    editor = member("editor")
    with pytest.raises(ValidationError) as refused:
        services.condition_create(
            by=editor, project=firm, kind="royalty", description="2% royalty.", status="met"
        )
    assert "checked_on" in refused.value.message_dict
    condition = services.condition_create(
        by=editor, project=firm, kind="royalty", description="2% royalty."
    )
    checked = services.condition_update(
        by=editor,
        condition=condition,
        expected_version=condition.version,
        status="breached",
        checked_on="2026-11-30",
        status_note="No royalty paid for 2025.",
    )
    assert checked.version == 2 and checked.get_status_display() == "Checked and breached"


def test_the_exchange_format_carries_the_section_whole(vaccines, member, organisation):
    mission, firm, lab = vaccines
    editor = member("editor")
    services.terms_save(
        by=editor,
        project=firm,
        private_money=Decimal("2000000"),
        in_kind_value=Decimal("150000.50"),
        public_risk="advance_market",
        expected_return="Lower prices for the health service.",
        source="Advance purchase agreement, 2021",
        source_unverified=True,
    )
    services.condition_create(
        by=editor,
        project=lab,
        kind="open_access",
        description="Trial results published openly within 12 months.",
        reference="Call text, section 5",
        status="met",
        checked_on="2026-06-01",
        status_note="All three trials published.",
    )
    document = json.loads(
        exchange.dumps(
            exchange.export_document(organisation=organisation, mission_keys=[mission.key])
        )
    )
    section = document["missions"][0]["rewards"]
    # 8 million public against 2,150,000.50 from the firm: 79%.
    assert section["summary"]["public_percent"] == 79
    # Into an organisation that has nothing: the same section comes back.
    other = MissionFactory().organisation
    exchange.import_document(document=document, organisation=other)
    copy = other.missions.get(key="vaccines")
    assert export_rewards(copy) == export_rewards(mission)
    assert ProjectTerms.objects.filter(mission=copy).count() == 1
    assert RewardCondition.objects.get(mission=copy).status_note == "All three trials published."


def test_a_condition_naming_a_project_the_mission_lacks_is_refused_with_its_path(
    vaccines, organisation
):
    mission, _firm, _lab = vaccines
    document = json.loads(
        exchange.dumps(
            exchange.export_document(organisation=organisation, mission_keys=[mission.key])
        )
    )
    document["missions"][0]["rewards"] = {
        "terms": [],
        "conditions": [
            {"key": "c1", "project": "no-such-project", "kind": "royalty", "description": "x"}
        ],
    }
    with pytest.raises(exchange.ImportRejected) as rejected:
        exchange.import_document(document=document, organisation=organisation)
    paths = [error.path for error in rejected.value.errors]
    assert "missions[0].rewards.conditions[0].project" in paths


def test_snapshots_and_the_canvas_say_what_changed_in_plain_words(vaccines, member):
    mission, firm, _lab = vaccines
    editor = member("editor")
    before = export_rewards(mission)
    services.terms_save(by=editor, project=firm, private_money=Decimal("2000000"))
    condition = services.condition_create(
        by=editor, project=firm, kind="price_cap", description="Fair price."
    )
    middle = export_rewards(mission)
    lines = snapshots.describe(before, middle)
    assert "Public-value terms recorded for “mRNA platform”" in lines
    assert "Condition “Price cap or fair price” added to mrna-platform" in lines
    services.condition_update(
        by=editor,
        condition=condition,
        expected_version=1,
        status="met",
        checked_on="2026-12-01",
    )
    after = export_rewards(mission)
    assert snapshots.describe(middle, after) == [
        "Condition “Price cap or fair price” of mrna-platform: Agreed, not checked yet → "
        "Checked and met"
    ]
    facts = rewards_facts(mission, {"rewards": after, "currency": "EUR"})
    assert facts[0] == "Public money at risk: €8,000,000 in 1 project with terms recorded"
    assert "80%" in facts[1]
    assert facts[-1] == "1 reward or access condition (1 met, 0 breached)"
