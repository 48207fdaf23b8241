"""Each automatic signal of C1–C5 on constructed missions: met, not met, and not checked."""

import pytest

from evaluation.criteria.engine import evaluate
from evaluation.criteria.rules import CRITERIA, all_rules
from evaluation.criteria.thresholds import DEFAULTS
from evaluation.tests.builders import assessment_input, mission, project, target
from evaluation.tests.helpers import outcome, status


def with_projects(*projects, **fields):
    return assessment_input(mission(projects=list(projects), **fields))


def test_every_rule_has_words_for_people_and_a_place_to_fix_it():
    for rule in all_rules():
        assert str(rule.label) and str(rule.explanation) and str(rule.hint), rule.code
        assert rule.fix_field, rule.code
    assert {r.criterion for r in all_rules() if r.kind == "signal"} == set(CRITERIA)
    assert all(
        code in DEFAULTS["weights"] for code in (r.code for r in all_rules() if r.kind == "signal")
    )


# --- C1 ---


def test_statement_length():
    assert status(assessment_input(), "c1_statement_length") == "passed"
    long = " ".join(["word"] * 41)
    result = outcome(assessment_input(mission(statement=long)), "c1_statement_length")
    assert str(result.status) == "not_passed" and result.evidence["words"] == 41
    # No statement yet cannot be judged (missing data never fails a check).
    empty = outcome(assessment_input(mission(statement="")), "c1_statement_length")
    assert str(empty.status) == "not_assessed" and empty.evidence["needs"] == "statement"


def test_acronyms():
    assert (
        status(
            assessment_input(mission(statement="By 2040 EU citizens live longer.")), "c1_acronyms"
        )
        == "passed"
    )
    data = assessment_input(mission(statement="By 2040 the RIVM, GGD and NZA cut waiting lists."))
    result = outcome(data, "c1_acronyms")
    assert str(result.status) == "not_passed" and result.evidence["unexplained"] == [
        "RIVM",
        "GGD",
        "NZA",
    ]
    assert status(assessment_input(mission(statement="")), "c1_acronyms") == "not_applicable"


def test_readability():
    assert status(assessment_input(), "c1_readability") == "passed"
    dense = "Operationalisation of interdisciplinary, transformative, multistakeholder implementation architectures."
    assert status(assessment_input(mission(statement=dense)), "c1_readability") == "not_passed"


def test_activity_verb_opening():
    assert status(assessment_input(), "c1_no_activity_verb") == "passed"
    data = assessment_input(mission(statement="Support healthy lifestyles by 2040."))
    assert outcome(data, "c1_no_activity_verb").evidence["verb"] == "Support"
    assert status(data, "c1_no_activity_verb") == "not_passed"


def test_sdg_from_the_mission_or_its_challenge():
    assert status(assessment_input(), "c1_sdg") == "passed"
    data = assessment_input(
        mission(sdgs=[]), challenge={"key": "c", "title": "C", "description": "", "sdgs": []}
    )
    assert status(data, "c1_sdg") == "not_assessed"


def test_affected_population_reads_the_mission_field():
    # Passes on a recorded number, fails on a recorded zero, cannot be judged when empty.
    met = outcome(
        assessment_input(mission(affected_population=17_000_000)), "c1_affected_population"
    )
    assert str(met.status) == "passed" and met.evidence["affected_population"] == 17_000_000
    assert (
        status(assessment_input(mission(affected_population=0)), "c1_affected_population")
        == "not_passed"
    )
    missing = outcome(assessment_input(mission(affected_population=None)), "c1_affected_population")
    assert str(missing.status) == "not_assessed"
    assert missing.evidence["needs"] == "affected_population"


def test_engagement_waits_for_stakeholders():
    assert status(assessment_input(), "c1_engagement") == "not_assessed"
    consulted = {"engagement": [{"type": "workshop", "iap2_level": "consult"}], "stakeholders": []}
    informed = {
        "engagement": [{"type": "public_event", "iap2_level": "inform"}],
        "stakeholders": [],
    }
    assert status(assessment_input(stakeholders=consulted), "c1_engagement") == "passed"
    assert status(assessment_input(stakeholders=informed), "c1_engagement") == "not_passed"


def test_ambition():
    # 62 → 67 healthy life years is an 8% change: business as usual by this measure.
    assert status(assessment_input(), "c1_ambition") == "not_passed"
    bold = assessment_input(mission(targets=[target(baseline_value="40", target_value="60")]))
    assert outcome(bold, "c1_ambition").evidence["targets"][0]["relative_change"] == 0.5
    assert status(bold, "c1_ambition") == "passed"
    timid = assessment_input(mission(targets=[target(baseline_value="100", target_value="105")]))
    result = outcome(timid, "c1_ambition")
    assert (
        str(result.status) == "not_passed"
        and result.evidence["targets"][0]["relative_change"] == 0.05
    )
    binary = assessment_input(
        mission(
            targets=[
                target(
                    direction="binary",
                    baseline_value=None,
                    target_value=None,
                    success_condition="Law adopted",
                )
            ]
        )
    )
    assert status(binary, "c1_ambition") == "passed"
    assert status(assessment_input(mission(targets=[])), "c1_ambition") == "not_assessed"


def test_trend_is_not_checked_until_targets_record_one():
    assert status(assessment_input(), "c1_trend") == "not_assessed"
    fast = assessment_input(mission(targets=[target(trend_annual_rate="0.1")]))
    assert status(fast, "c1_trend") == "passed"  # needs 5/22 ≈ 0.23 a year, trend 0.1
    slow = assessment_input(mission(targets=[target(trend_annual_rate="0.2")]))
    assert status(slow, "c1_trend") == "not_passed"


# --- C2 ---


def test_headline_target():
    assert status(assessment_input(), "c2_headline_target") == "passed"
    no_baseline = assessment_input(mission(targets=[target(baseline_value=None)]))
    assert outcome(no_baseline, "c2_headline_target").evidence["incomplete"] == ["t1"]
    # Details not filled in yet: cannot be judged, never "not met".
    assert status(no_baseline, "c2_headline_target") == "not_assessed"
    not_headline = assessment_input(mission(targets=[target(is_headline=False)]))
    assert status(not_headline, "c2_headline_target") == "not_assessed"


def test_deadline_horizon():
    assert outcome(assessment_input(), "c2_deadline").evidence["horizon"] == 20
    assert status(assessment_input(), "c2_deadline") == "passed"
    assert (
        status(assessment_input(mission(deadline_year=2022)), "c2_deadline") == "not_passed"
    )  # 2 years
    assert (
        status(assessment_input(mission(deadline_year=2050)), "c2_deadline") == "not_passed"
    )  # 30 years
    assert status(assessment_input(mission(deadline_year=None)), "c2_deadline") == "not_assessed"


def test_end_state_in_the_statement():
    assert status(assessment_input(), "c2_end_state") == "passed"
    assert (
        status(
            assessment_input(mission(statement="Better health for the Netherlands.")),
            "c2_end_state",
        )
        == "not_passed"
    )


def test_end_state_quotes_the_whole_measurable_phrase():
    statement = "By 2035, the cancer death rate is under 75 in every region."
    met = outcome(assessment_input(mission(statement=statement)), "c2_end_state")
    assert str(met.status) == "passed"
    # The whole phrase, not "75 in" (issue #16).
    assert met.evidence["found"] == "under 75 in every region"
    vague = outcome(assessment_input(mission(statement="Better cancer care.")), "c2_end_state")
    assert str(vague.status) == "not_passed"
    empty = outcome(assessment_input(mission(statement="")), "c2_end_state")
    assert str(empty.status) == "not_assessed" and empty.evidence["needs"] == "statement"


def test_a_clear_dated_measurable_mission_keeps_c2_without_indicator_milestone_or_geography():
    # Issue #16: missing records are "cannot be judged", never a lower C2 score.
    bare = mission(
        geography="",
        targets=[target(milestones=[], geography="")],
    )
    evaluation = evaluate(assessment_input(bare))
    c2 = evaluation.criterion("c2")
    states = {s.code: str(s.status) for s in c2.signals}
    assert states["c2_indicators"] == "not_assessed"
    assert states["c2_milestone"] == "not_assessed"
    assert states["c2_geography"] == "not_assessed"
    assert c2.auto_score == 100


def test_a_mission_without_projects_does_not_score_zero_on_c3_to_c5():
    evaluation = evaluate(assessment_input(mission(projects=[])))
    for code in ("c3", "c4", "c5"):
        for signal in evaluation.criterion(code).signals:
            if signal.rule.fix_field == "projects":
                assert str(signal.status) != "not_passed", signal.code
    # The portfolio criteria cannot be judged at all without projects (the committed budget
    # is the one C3 fact recorded here, and it is met) …
    assert evaluation.criterion("c3").auto_score == 100
    assert evaluation.criterion("c5").auto_score is None
    # … and C4 is judged only on what is recorded: one government body in charge.
    c4 = {s.code: str(s.status) for s in evaluation.criterion("c4").signals}
    assert c4["c4_government_horizontal"] == "not_passed"
    assert c4["c4_government_vertical"] == "not_assessed"
    assert c4["c4_sectors"] == c4["c4_disciplines"] == "not_assessed"


def test_indicators_wait_for_the_indicator_model():
    assert status(assessment_input(), "c2_indicators") == "not_assessed"
    good = [{"target": "t1", "level": "impact", "data_source": "CBS", "frequency": "annual"}]
    assert status(assessment_input(indicators=good), "c2_indicators") == "passed"
    assert status(assessment_input(indicators=[]), "c2_indicators") == "not_assessed"
    other = [{"target": "t9", "level": "impact", "data_source": "CBS", "frequency": "annual"}]
    assert status(assessment_input(indicators=other), "c2_indicators") == "not_passed"
    two = mission(targets=[target("t1"), target("t2")])
    assert status(assessment_input(two, indicators=good), "c2_indicators") == "partly"


def test_milestone_before_the_deadline():
    assert status(assessment_input(), "c2_milestone") == "passed"
    late = target(
        milestones=[
            {
                "year": 2040,
                "value": "67",
                "description": "",
                "status": "pending",
                "actual_value": None,
            }
        ]
    )
    assert status(assessment_input(mission(targets=[late])), "c2_milestone") == "not_passed"


def test_geography():
    assert status(assessment_input(), "c2_geography") == "passed"
    assert status(assessment_input(mission(geography="")), "c2_geography") == "not_assessed"
    from_target = mission(geography="", targets=[target(geography="Rotterdam")])
    assert status(assessment_input(from_target), "c2_geography") == "passed"


def test_statement_year_matches_the_deadline():
    assert status(assessment_input(), "c2_statement_year") == "passed"
    assert (
        status(assessment_input(mission(deadline_year=2035, start_year=2025)), "c2_statement_year")
        == "not_passed"
    )


# --- C3 ---


def test_rd_content_and_full_cycle():
    research = project("p1", stage="research")
    deploy = project("p2", stage="deployment")
    buy = project("p3", stage="development", instrument="procurement")
    assert status(with_projects(research), "c3_rd_content") == "passed"
    assert status(with_projects(deploy), "c3_rd_content") == "not_passed"
    assert status(with_projects(research), "c3_full_cycle") == "not_passed"
    assert status(with_projects(research, deploy), "c3_full_cycle") == "passed"
    assert status(with_projects(buy), "c3_full_cycle") == "passed"
    stopped = project("p4", stage="research", status="stopped")
    assert status(with_projects(stopped), "c3_rd_content") == "not_passed"


def test_budget_share_committed():
    assert status(assessment_input(), "c3_budget") == "passed"  # 1.0 m of 1.5 m
    assert status(assessment_input(mission(estimated_need="3000000")), "c3_budget") == "not_passed"
    assert status(assessment_input(mission(committed_budget=None)), "c3_budget") == "not_assessed"
    no_need = outcome(assessment_input(mission(estimated_need=None)), "c3_budget")
    assert str(no_need.status) == "not_assessed"
    assert no_need.evidence["needs"] == "budget.estimated_need"


def test_targets_covered_by_projects():
    assert status(with_projects(project()), "c3_targets_covered") == "passed"
    assert status(with_projects(project(contributions=[])), "c3_targets_covered") == "not_passed"
    assert status(assessment_input(mission(targets=[])), "c3_targets_covered") == "not_assessed"


def test_stage_spread():
    assert (
        status(with_projects(project("a"), project("b", stage="deployment")), "c3_stage_spread")
        == "passed"
    )
    assert status(with_projects(project("a"), project("b")), "c3_stage_spread") == "not_passed"


# --- C4 ---


def test_sectors_and_disciplines():
    varied = [
        project("a", sectors=["Health care"], disciplines=["Social sciences"]),
        project("b", sectors=["Housing", "Transport"], disciplines=["Engineering and technology"]),
    ]
    assert status(with_projects(*varied), "c4_sectors") == "passed"
    assert status(with_projects(*varied), "c4_disciplines") == "passed"
    assert status(with_projects(project()), "c4_sectors") == "not_passed"
    assert status(with_projects(project()), "c4_disciplines") == "not_passed"


def test_helices_wait_for_stakeholders():
    assert status(assessment_input(), "c4_helices") == "not_assessed"
    all_four = {
        "engagement": [],
        "stakeholders": [
            {"helix": h, "quadrant": "key_player", "roles": []}
            for h in ("government", "industry", "academia", "civil_society")
        ],
    }
    assert status(assessment_input(stakeholders=all_four), "c4_helices") == "passed"


def test_government_horizontal_and_vertical():
    assert (
        status(assessment_input(), "c4_government_horizontal") == "not_passed"
    )  # VWS + an industry body
    two = assessment_input(mission(coordinator="ezk"))
    assert status(two, "c4_government_horizontal") == "passed"
    # One level and no projects yet: cannot be judged; one level across recorded projects: not met.
    assert status(assessment_input(), "c4_government_vertical") == "not_assessed"
    assert status(with_projects(project(lead="tno")), "c4_government_vertical") == "not_passed"
    local = with_projects(project(lead="utrecht"))
    assert outcome(local, "c4_government_vertical").evidence["levels"] == ["local", "national"]
    assert status(local, "c4_government_vertical") == "passed"


def test_lead_concentration():
    balanced = with_projects(
        project("a", lead="tno", budget="100"), project("b", lead="acme", budget="100")
    )
    dominant = with_projects(
        project("a", lead="tno", budget="900"), project("b", lead="acme", budget="100")
    )
    assert status(balanced, "c4_lead_concentration") == "passed"
    assert status(dominant, "c4_lead_concentration") == "not_passed"
    assert status(with_projects(project()), "c4_lead_concentration") == "not_applicable"


# --- C5 ---


def test_portfolio_size_instruments_and_openness():
    five = [
        project(
            str(i),
            instrument="grant" if i % 2 else "challenge_prize",
            origin="open_call" if i == 1 else "commissioned",
        )
        for i in range(5)
    ]
    assert status(with_projects(*five), "c5_projects") == "passed"
    assert status(with_projects(*five[:4]), "c5_projects") == "not_passed"
    assert status(with_projects(*five), "c5_instruments") == "passed"
    assert status(with_projects(project()), "c5_instruments") == "not_passed"
    assert status(with_projects(*five), "c5_open_origin") == "passed"
    assert status(with_projects(project()), "c5_open_origin") == "not_passed"


def test_approaches_wait_for_tags():
    assert status(with_projects(project()), "c5_approaches") == "not_assessed"
    tagged = with_projects(
        project("a", solution_approaches=["nudging"]),
        project("b", solution_approaches=["regulation"]),
    )
    assert status(tagged, "c5_approaches") == "passed"


def test_budget_spread():
    even = with_projects(*(project(str(i), budget="100") for i in range(4)))
    lopsided = with_projects(project("a", budget="1000"), project("b", budget="10"))
    assert status(even, "c5_budget_spread") == "passed"
    assert status(lopsided, "c5_budget_spread") == "not_passed"
    assert status(with_projects(project()), "c5_budget_spread") == "not_applicable"


# --- Scores ---


def test_auto_score_is_the_weighted_share_of_passed_signals_among_assessed_ones():
    evaluation = evaluate(assessment_input(mission(projects=[])), DEFAULTS)
    c4 = evaluation.criterion("c4")
    weights = DEFAULTS["weights"]
    assessed = [s for s in c4.signals if str(s.status) in ("passed", "not_passed")]
    passed = [s for s in assessed if str(s.status) == "passed"]
    expected = round(
        100 * sum(weights[s.code] for s in passed) / sum(weights[s.code] for s in assessed)
    )
    assert c4.auto_score == expected
    # Not-assessed signals never count as passed.
    assert "c4_helices" not in [s.code for s in assessed]


def test_a_criterion_with_nothing_checkable_has_no_score():
    from evaluation.criteria.engine import auto_score

    assert (
        auto_score(
            [{"status": "not_assessed", "weight": 3}, {"status": "not_applicable", "weight": 1}]
        )
        is None
    )


@pytest.mark.parametrize("override", [{"statement_max_words": 10}])
def test_thresholds_come_from_settings(settings, override):
    from evaluation.criteria.thresholds import current

    settings.MISSION_RULES = {**override, "weights": {"c1_sdg": 5}}
    t = current()
    assert t["statement_max_words"] == 10 and t["weights"]["c1_sdg"] == 5
    assert t["weights"]["c1_acronyms"] == DEFAULTS["weights"]["c1_acronyms"]
    assert status(assessment_input(), "c1_statement_length", t) == "not_passed"
