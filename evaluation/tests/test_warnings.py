"""Each failure-mode warning on constructed missions: fires, stays quiet, or waits for data."""

import pytest

from evaluation.criteria.rules import warning_rules
from evaluation.tests.builders import assessment_input, mission, project, target
from evaluation.tests.helpers import outcome, status


def with_projects(*projects, **fields):
    return assessment_input(mission(projects=list(projects), **fields))


def fires(data, code):
    return outcome(data, code).fires


def test_the_full_table_of_domain_warnings_is_registered():
    codes = {r.code for r in warning_rules()}
    expected = {
        "WASH_REBADGED", "WASH_NO_NEW_MONEY", "WASH_ACTIVITY_STATEMENT", "WASH_UNLINKED",
        "WASH_OUTPUT_ONLY", "LOCKIN_CORE_TEAM", "LOCKIN_CONCENTRATION", "LOCKIN_NO_NEW_ENTRANTS",
        "LOCKIN_SINGLE_PATH", "LOCKIN_NO_PRUNING", "LOCKIN_STALE_MAP", "OVER_TOO_MANY",
        "OVER_UNDERFUNDED", "OVER_UNDERSTAFFED", "OVER_STRETCH", "OVER_MILESTONE_SLIP",
        "OVER_PERSON_BOARDS", "MANDATE_MISSING", "MANDATE_SINGLE_SPONSOR", "LEGIT_NO_CITIZENS",
        "LEGIT_NO_FEEDBACK", "SILO_SINGLE_DOMAIN", "SILO_NO_COORD_BODY", "SILO_SINGLE_FUND",
        "RISK_NO_SHARING", "EVAL_NO_TOC", "EVAL_NO_BASELINE", "EVAL_NO_REVIEW", "TOPDOWN_ONLY",
        # Theory-of-change checks beyond the domain table (evaluation/tests/test_toc_rules.py).
        "EVAL_TOC_TARGET_NO_OUTCOME", "EVAL_TOC_OUTPUT_ONLY",
    }  # fmt: skip
    assert codes == expected


@pytest.mark.parametrize(
    "code",
    [
        "WASH_OUTPUT_ONLY", "LOCKIN_NO_NEW_ENTRANTS", "LOCKIN_NO_PRUNING", "LOCKIN_STALE_MAP",
        "OVER_PERSON_BOARDS", "MANDATE_SINGLE_SPONSOR", "LEGIT_NO_CITIZENS", "LEGIT_NO_FEEDBACK",
        "SILO_NO_COORD_BODY", "SILO_SINGLE_FUND", "RISK_NO_SHARING", "EVAL_NO_TOC",
        "EVAL_NO_REVIEW", "OVER_STRETCH",
    ],
)  # fmt: skip
def test_warnings_whose_data_is_not_recorded_yet_are_not_assessed_never_passed(code):
    result = outcome(assessment_input(), code)
    assert str(result.status) == "not_assessed" and not result.fires
    assert result.evidence["needs"]


def test_rebadged_warns_above_60_percent_and_is_high_above_80():
    def portfolio(old, new):
        return with_projects(
            *[project(f"old{i}", origin="pre_existing") for i in range(old)],
            *[project(f"new{i}") for i in range(new)],
        )

    assert not fires(portfolio(3, 2), "WASH_REBADGED")  # 60% is not more than 60%
    assert outcome(portfolio(7, 3), "WASH_REBADGED").severity == "warn"
    assert outcome(portfolio(9, 1), "WASH_REBADGED").severity == "high"
    assert status(assessment_input(), "WASH_REBADGED") == "not_applicable"


def test_rebadged_counts_projects_started_before_approval_and_budget_share():
    early = project("a", start_date="2018-01-01", budget="900")
    late = project("b", start_date="2020-01-01", budget="100")
    result = outcome(with_projects(early, late, approved_on="2019-04-26"), "WASH_REBADGED")
    assert result.evidence["pre_existing"] == ["a"]
    assert result.evidence["share_of_budget"] == 0.9 and result.severity == "high"


def test_no_new_money():
    old = project("a", origin="pre_existing", budget="1000000")
    assert fires(with_projects(old, committed_budget="1000000"), "WASH_NO_NEW_MONEY")
    # Extra committed money beyond the projects counts as new.
    assert not fires(with_projects(old, committed_budget="2000000"), "WASH_NO_NEW_MONEY")
    assert (
        status(with_projects(project(), committed_budget=None), "WASH_NO_NEW_MONEY")
        == "not_applicable"
    )


def test_activity_statement_needs_both_an_activity_verb_and_no_measurable_headline_target():
    activity = "Promote healthy lifestyles in the Netherlands."
    assert fires(
        assessment_input(mission(statement=activity, targets=[])), "WASH_ACTIVITY_STATEMENT"
    )
    assert not fires(assessment_input(mission(statement=activity)), "WASH_ACTIVITY_STATEMENT")
    assert not fires(assessment_input(mission(targets=[])), "WASH_ACTIVITY_STATEMENT")


def test_unlinked_projects():
    linked, loose = project("a"), project("b", contributions=[])
    assert fires(with_projects(linked, loose), "WASH_UNLINKED")  # 50% > 30%
    assert not fires(
        with_projects(linked, linked | {"key": "c"}, linked | {"key": "d"}, loose), "WASH_UNLINKED"
    )
    assert status(assessment_input(), "WASH_UNLINKED") == "not_applicable"


def test_output_only_when_indicators_exist():
    assert fires(assessment_input(indicators=[{"level": "output"}]), "WASH_OUTPUT_ONLY")
    assert not fires(
        assessment_input(indicators=[{"level": "output"}, {"level": "impact"}]), "WASH_OUTPUT_ONLY"
    )


def test_core_team_leads_everything():
    own = with_projects(
        project("a", lead="vws"), project("b", lead="health-holland"), project("c", lead="tno")
    )
    result = outcome(own, "LOCKIN_CORE_TEAM")
    assert result.fires and result.evidence["share_of_projects"] == 0.6667
    mixed = with_projects(
        project("a", lead="vws"), project("b", lead="tno"), project("c", lead="acme")
    )
    assert not fires(mixed, "LOCKIN_CORE_TEAM")
    assert status(with_projects(project()), "LOCKIN_CORE_TEAM") == "not_applicable"


def test_concentration_by_hhi_or_top_three():
    two = with_projects(
        project("a", lead="tno", budget="500"), project("b", lead="acme", budget="500")
    )
    assert fires(two, "LOCKIN_CONCENTRATION")  # HHI 0.5
    leads = ["tno", "acme", "utrecht", "ezk", "vws"]
    spread = with_projects(*(project(k, lead=k, budget="100") for k in leads))
    assert not fires(spread, "LOCKIN_CONCENTRATION")  # HHI 0.2, top three 60%
    top_heavy = with_projects(
        *(
            project(k, lead=k, budget=b)
            for k, b in zip(leads, ["300", "300", "300", "50", "50"], strict=True)
        )
    )
    assert outcome(top_heavy, "LOCKIN_CONCENTRATION").evidence["top3_share"] == 0.9
    assert fires(top_heavy, "LOCKIN_CONCENTRATION")


def test_single_path():
    assert fires(with_projects(project("a"), project("b")), "LOCKIN_SINGLE_PATH")
    assert not fires(
        with_projects(project("a"), project("b", stage="deployment")), "LOCKIN_SINGLE_PATH"
    )
    assert status(with_projects(project("a")), "LOCKIN_SINGLE_PATH") == "not_applicable"


def test_too_many_missions():
    assert not fires(assessment_input(), "OVER_TOO_MANY")
    busy_owner = assessment_input(
        organisation={"owner_active_missions": 4, "policy_domain_missions": 1}
    )
    crowded = assessment_input(
        organisation={"owner_active_missions": 1, "policy_domain_missions": 3}
    )
    assert fires(busy_owner, "OVER_TOO_MANY") and fires(crowded, "OVER_TOO_MANY")
    unknown = assessment_input(
        organisation={"owner_active_missions": None, "policy_domain_missions": None}
    )
    assert status(unknown, "OVER_TOO_MANY") == "not_applicable"


def test_underfunded_is_high():
    result = outcome(assessment_input(mission(estimated_need="3000000")), "OVER_UNDERFUNDED")
    assert result.fires and result.severity == "high" and result.evidence["share"] == 0.3333
    # No budget recorded: cannot be judged (it used to fire "Underfunded" on no data).
    nothing = outcome(assessment_input(mission(committed_budget=None)), "OVER_UNDERFUNDED")
    assert not nothing.fires and str(nothing.status) == "not_assessed"
    assert nothing.evidence["needs"] == "budget"
    no_need = outcome(assessment_input(mission(estimated_need=None)), "OVER_UNDERFUNDED")
    assert str(no_need.status) == "not_assessed"
    assert no_need.evidence["needs"] == "budget.estimated_need"
    # A committed budget recorded as zero is a fact.
    assert fires(assessment_input(mission(committed_budget="0")), "OVER_UNDERFUNDED")
    assert not fires(assessment_input(), "OVER_UNDERFUNDED")


def test_understaffed():
    assert fires(assessment_input(mission(team_fte="0.5")), "OVER_UNDERSTAFFED")
    assert status(assessment_input(mission(team_fte=None)), "OVER_UNDERSTAFFED") == "not_assessed"
    assert fires(assessment_input(mission(team_fte="0")), "OVER_UNDERSTAFFED")
    assert not fires(assessment_input(), "OVER_UNDERSTAFFED")


def test_stretch_when_a_trend_is_recorded():
    assert fires(
        assessment_input(mission(targets=[target(trend_annual_rate="0.01")])), "OVER_STRETCH"
    )
    assert not fires(
        assessment_input(mission(targets=[target(trend_annual_rate="0.2")])), "OVER_STRETCH"
    )


def test_milestone_slip():
    def milestones(*statuses):
        return [
            {"year": 2021 + i, "value": "63", "description": "", "status": s, "actual_value": None}
            for i, s in enumerate(statuses)
        ]

    assert fires(
        assessment_input(
            mission(targets=[target(milestones=milestones("met", "missed", "missed"))])
        ),
        "OVER_MILESTONE_SLIP",
    )
    assert not fires(
        assessment_input(
            mission(targets=[target(milestones=milestones("missed", "met", "missed"))])
        ),
        "OVER_MILESTONE_SLIP",
    )
    assert (
        status(assessment_input(mission(targets=[target(milestones=[])])), "OVER_MILESTONE_SLIP")
        == "not_applicable"
    )


def test_mandate_missing_fires_only_when_recorded_as_none():
    # Recorded as "no mandate yet" on a running mission: high, quoting the recorded source.
    result = outcome(
        assessment_input(
            mission(status="active", mandate_source="none", mandate_reference="", mandate_date=None)
        ),
        "MANDATE_MISSING",
    )
    assert result.fires and result.severity == "high"
    assert result.evidence["source"] == "none"
    # The same while the mission is still a draft: a warning, not high.
    draft = outcome(
        assessment_input(mission(status="draft", mandate_source="none")), "MANDATE_MISSING"
    )
    assert draft.fires and draft.severity == "warn"
    # Not recorded at all: cannot be judged, no warning.
    blank = outcome(assessment_input(mission(mandate_source="")), "MANDATE_MISSING")
    assert not blank.fires and str(blank.status) == "not_assessed"
    assert blank.evidence["needs"] == "mandate"
    # Recorded with its date missing: passes, and the date goes to "To complete".
    undated = outcome(assessment_input(mission(mandate_date=None)), "MANDATE_MISSING")
    assert not undated.fires and str(undated.status) == "passed"
    assert undated.evidence["to_complete"] == ["mandate.date"]
    assert not fires(assessment_input(), "MANDATE_MISSING")


def test_silo_single_sector():
    assert fires(with_projects(project("a"), project("b")), "SILO_SINGLE_DOMAIN")
    assert not fires(
        with_projects(project("a"), project("b", sectors=["Housing"])), "SILO_SINGLE_DOMAIN"
    )
    assert status(assessment_input(), "SILO_SINGLE_DOMAIN") == "not_applicable"


def test_no_baseline_is_to_complete_not_a_warning():
    # A baseline not filled in is missing data: "To complete", never a high warning.
    result = outcome(
        assessment_input(mission(targets=[target(baseline_year=None)])), "EVAL_NO_BASELINE"
    )
    assert not result.fires and str(result.status) == "not_assessed"
    assert result.evidence["needs"] == "targets.baseline" and result.evidence["targets"] == ["t1"]
    assert status(assessment_input(), "EVAL_NO_BASELINE") == "passed"
    binary = target(
        direction="binary", baseline_value=None, baseline_year=None, success_condition="Law adopted"
    )
    assert (
        status(assessment_input(mission(targets=[binary])), "EVAL_NO_BASELINE") == "not_applicable"
    )


def test_top_down_only():
    assert fires(with_projects(project()), "TOPDOWN_ONLY")
    assert not fires(with_projects(project(), project("b", origin="bottom_up")), "TOPDOWN_ONLY")
    assert status(assessment_input(), "TOPDOWN_ONLY") == "not_applicable"
