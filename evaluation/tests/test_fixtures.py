"""The reference cases of docs/domain.md §7.6 on the real demo missions (docs/domain.md §6)."""

from evaluation.criteria.engine import auto_band, evaluate
from evaluation.criteria.thresholds import DEFAULTS
from evaluation.tests.builders import assessment_input, demo_input, mission, project


def test_spain_2021_agriculture_is_an_activity_statement_and_fails_c2():
    evaluation = evaluate(demo_input("es-agri-2021"), DEFAULTS)
    warning = evaluation.warning("WASH_ACTIVITY_STATEMENT")
    assert warning is not None and warning.evidence["verb"] == "Promote"
    c2 = evaluation.criterion("c2")
    assert auto_band(c2.auto_score, DEFAULTS) == "fails"
    # What the statement says is judged (no measurable end state); what is not recorded (no
    # headline target, no deadline) cannot be judged yet and does not count (issue #16).
    states = {s.code: str(s.status) for s in c2.signals}
    assert states["c2_end_state"] == "not_passed"
    assert states["c2_headline_target"] == "not_assessed"
    assert states["c2_deadline"] == "not_assessed"


def test_eu_cities_passes_c2():
    evaluation = evaluate(demo_input("eu-cities"), DEFAULTS)
    c2 = evaluation.criterion("c2")
    assert c2.auto_score == 100 and auto_band(c2.auto_score, DEFAULTS) == "meets"
    # The fixture gives its headline target an indicator with a data source and frequency.
    assert {s.code: str(s.status) for s in c2.signals}["c2_indicators"] == "passed"
    assert evaluation.warning("WASH_OUTPUT_ONLY") is None  # it has an impact indicator
    assert evaluation.warning("WASH_ACTIVITY_STATEMENT") is None


def test_demo_missions_carry_indicator_series():
    soil = demo_input("eu-soil")["indicators"]
    labs = next(i for i in soil if i["key"] == "living-labs")
    assert [(m["period_end"], m["value"]) for m in labs["measurements"]] == [
        ("2021-12-31", "0"),
        ("2024-12-31", "25"),
    ]
    years = demo_input("nl-healthy-life-years")["indicators"]
    assert {i["target"] for i in years} == {"health-gap", "healthy-life-years"}


def test_rebadged_mission_with_nine_of_ten_pre_existing_projects_is_high():
    projects = [project(f"old-{i}", origin="pre_existing") for i in range(9)] + [project("new")]
    evaluation = evaluate(assessment_input(mission(projects=projects)), DEFAULTS)
    warning = evaluation.warning("WASH_REBADGED")
    assert warning is not None and warning.severity == "high"
    assert warning.evidence["share_of_projects"] == 0.9
    assert evaluation.warnings[0].severity == "high"  # most severe first
