"""The rules that read the stakeholder map: C1 engagement, C4 helices, LOCKIN_CORE_TEAM,
LOCKIN_STALE_MAP, LEGIT_NO_CITIZENS, LEGIT_NO_FEEDBACK and SILO_SINGLE_DOMAIN — each fires and
clears on constructed cases, and on the real demo missions."""

import datetime

import pytest

from evaluation.criteria.inputs import map_is_stale
from evaluation.tests.builders import ACTORS, assessment_input, demo_input, mission, project
from evaluation.tests.helpers import outcome, status


def person(key, helix="government", roles=("supporter",), power=3, interest=3, **fields):
    quadrant = (
        ("key_player" if interest >= 3 else "keep_satisfied")
        if power >= 3
        else ("keep_informed" if interest >= 3 else "monitor")
    )
    data = {
        "key": key,
        "actor": key,
        "actor_name": key.title(),
        "person_name": "",
        "helix": helix,
        "roles": list(roles),
        "power": power,
        "interest": interest,
        "quadrant": quadrant,
        "attitude": 0,
        "engagement_now": "inform",
        "engagement_planned": "consult",
        "engagement_plan": "",
        "core_team": bool({"owner", "coordinator", "board_member"} & set(roles)),
        "last_engaged": None,
        "history": [],
    }
    data.update(fields)
    return data


def activity(key="a1", level="consult", date="2019-03-01", feedback="It changed the target.",
             participants=None, stakeholders=()):  # fmt: skip
    return {
        "key": key,
        "date": date,
        "type": "workshop",
        "iap2_level": level,
        "participants": participants or {},
        "participant_total": sum((participants or {}).values()),
        "stakeholders": list(stakeholders),
        "summary": "A workshop.",
        "influence_on_decision": feedback,
        "feedback_given": bool(feedback),
    }


def section(people=(), engagement=(), stale=False, last="2025-01-01"):
    return {
        "stakeholders": list(people),
        "engagement": list(engagement),
        "summary": {"map_last_updated": last},
        "map_stale": stale,
    }


def with_map(people=(), engagement=(), mission_data=None, **kwargs):
    return assessment_input(mission_data, stakeholders=section(people, engagement, **kwargs))


FOUR = [
    person("vws", "government", ["owner"], 5, 5),
    person("acme", "industry", ["project_lead"], 3, 4),
    person("tno", "academia", ["knowledge_provider"], 3, 3),
    person("patients", "civil_society", ["citizen_group"], 3, 5, engagement_now="consult"),
]


def test_helices_pass_with_all_four_beyond_monitor_and_fail_otherwise():
    assert status(with_map(FOUR), "c4_helices") == "passed"
    in_monitor = [*FOUR[:3], {**FOUR[3], "power": 1, "interest": 1, "quadrant": "monitor"}]
    result = outcome(with_map(in_monitor), "c4_helices")
    # Three of the four groups: partly met, naming the one missing.
    assert str(result.status) == "partly" and result.evidence["missing"] == ["civil_society"]
    only_critic = [*FOUR[:3], {**FOUR[3], "roles": ["critic"]}]
    assert status(with_map(only_critic), "c4_helices") == "partly"
    two = outcome(with_map(FOUR[:2]), "c4_helices")
    assert str(two.status) == "not_passed"
    assert two.evidence["missing"] == ["academia", "civil_society"]


def test_helices_count_the_project_leads_as_well_as_stakeholders():
    # The stakeholder map names government and industry; the projects are led by a research
    # institute and a patients' association: all four take part (issue #16).
    actors = {
        **ACTORS,
        "patients-nl": {
            "name": "Patients NL",
            "helix": "civil_society",
            "kind": "organisation",
            "government_level": "",
            "country": "NL",
        },
    }
    projects = [project("a", lead="tno"), project("b", lead="patients-nl")]
    data = with_map(FOUR[:2], mission_data=mission(projects=projects))
    data["actors"] = actors
    result = outcome(data, "c4_helices")
    assert str(result.status) == "passed", result.evidence
    assert result.evidence["actors"]["helix_civil_society"] == ["Patients NL"]
    # Without a stakeholder map, the leads alone are evidence.
    leads_only = assessment_input(mission(projects=projects), actors=actors)
    assert str(outcome(leads_only, "c4_helices").status) == "not_passed"
    # Neither a map nor project leads: cannot be judged.
    nothing = outcome(assessment_input(), "c4_helices")
    assert str(nothing.status) == "not_assessed" and nothing.evidence["needs"] == "stakeholders"


def test_engagement_signal_needs_consult_or_above():
    assert status(with_map(FOUR, [activity(level="inform")]), "c1_engagement") == "not_passed"
    assert status(with_map(FOUR, [activity(level="involve")]), "c1_engagement") == "passed"


def test_core_team_counts_board_members_from_the_map():
    projects = [project("a", lead="tno"), project("b", lead="tno"), project("c", lead="acme")]
    data = assessment_input(mission(projects=projects))
    assert not outcome(data, "LOCKIN_CORE_TEAM").fires
    assert "not_checked" in outcome(data, "LOCKIN_CORE_TEAM").evidence
    board = [person("tno", "academia", ["board_member"])]
    fired = outcome(with_map(board, mission_data=mission(projects=projects)), "LOCKIN_CORE_TEAM")
    assert fired.fires and fired.evidence["share_of_projects"] == 0.6667
    assert "not_checked" not in fired.evidence
    # Not a board member after all: clears.
    cleared = [person("tno", "academia", ["knowledge_provider"])]
    assert not outcome(with_map(cleared, mission_data=mission(projects=projects)),
                       "LOCKIN_CORE_TEAM").fires  # fmt: skip


def test_stale_map_fires_after_twelve_months_and_clears_when_reviewed():
    assert status(assessment_input(), "LOCKIN_STALE_MAP") == "not_assessed"
    assert status(with_map([]), "LOCKIN_STALE_MAP") == "not_applicable"
    fired = outcome(with_map(FOUR, stale=True, last="2024-01-01"), "LOCKIN_STALE_MAP")
    assert fired.fires and fired.evidence["map_last_updated"] == "2024-01-01"
    assert not outcome(with_map(FOUR, stale=False), "LOCKIN_STALE_MAP").fires


def test_staleness_is_measured_in_calendar_months():
    today = datetime.date(2026, 3, 15)
    assert not map_is_stale("2025-03-15", today, 12)
    assert map_is_stale("2025-03-14", today, 12)
    assert not map_is_stale(None, today, 12)
    assert map_is_stale("2024-02-29T10:00:00", datetime.date(2025, 3, 1), 12)


@pytest.mark.parametrize(
    ("people", "engagement", "reasons"),
    [
        (FOUR[:3], [activity()], ["no_citizen_group", "citizens_only_informed"]),
        (FOUR, [], ["no_consultation_during_design"]),
        # consulted, but only after approval (2019-04-26): not during design
        (FOUR, [activity(date="2020-01-01")], ["no_consultation_during_design"]),
        (
            [*FOUR[:3], {**FOUR[3], "engagement_now": "inform"}],
            [activity(level="inform", date="2019-01-01"), activity("a2", date="2019-02-01")],
            ["citizens_only_informed"],
        ),
    ],
)
def test_no_citizens_fires_for_each_missing_part(people, engagement, reasons):
    result = outcome(with_map(people, engagement), "LEGIT_NO_CITIZENS")
    assert result.fires and result.evidence["reasons"] == reasons


def test_no_citizens_clears_with_a_citizen_group_consulted_during_design():
    result = outcome(with_map(FOUR, [activity()]), "LEGIT_NO_CITIZENS")
    assert not result.fires and result.evidence["citizens_engaged"] == ["patients"]
    informed_but_in_a_panel = [*FOUR[:3], {**FOUR[3], "engagement_now": "inform"}]
    panel = activity(participants={"civil_society": 30})
    assert not outcome(with_map(informed_but_in_a_panel, [panel]), "LEGIT_NO_CITIZENS").fires
    assert status(assessment_input(), "LEGIT_NO_CITIZENS") == "not_assessed"


def test_no_feedback_fires_for_consultations_without_recorded_effect():
    assert status(with_map(FOUR, [activity(level="inform", feedback="")]),
                  "LEGIT_NO_FEEDBACK") == "not_applicable"  # fmt: skip
    result = outcome(with_map(FOUR, [activity(), activity("a2", feedback=" ")]),
                     "LEGIT_NO_FEEDBACK")  # fmt: skip
    assert result.fires and result.evidence["without_feedback"] == ["a2"]
    assert not outcome(with_map(FOUR, [activity()]), "LEGIT_NO_FEEDBACK").fires


def test_silo_single_domain_checks_the_governing_organisations():
    projects = [project("a", sectors=["Health"]), project("b", sectors=["Housing"])]
    alone = [person("vws", roles=["owner"])]
    result = outcome(with_map(alone, mission_data=mission(projects=projects)),
                     "SILO_SINGLE_DOMAIN")  # fmt: skip
    assert result.fires and result.evidence["problems"] == ["one_governing_organisation"]
    pair = [*alone, person("ezk", roles=["co_owner"])]
    assert not outcome(with_map(pair, mission_data=mission(projects=projects)),
                       "SILO_SINGLE_DOMAIN").fires  # fmt: skip


def test_demo_missions_show_a_meaningful_map():
    cities = demo_input("eu-cities")
    assert status(cities, "c4_helices") == "passed"
    assert status(cities, "c1_engagement") == "passed"
    assert not outcome(cities, "LEGIT_NO_CITIZENS").fires
    # The 2021 citizen engagement has no recorded effect on decisions (illustrative).
    assert outcome(cities, "LEGIT_NO_FEEDBACK").fires
    dutch = demo_input("nl-healthy-life-years")
    assert status(dutch, "c4_helices") == "passed"
    assert outcome(dutch, "LEGIT_NO_FEEDBACK").evidence["without_feedback"] == [
        "2022-field-lab-session"
    ]
