"""The theory-of-change warnings: EVAL_NO_TOC, EVAL_TOC_TARGET_NO_OUTCOME and
EVAL_TOC_OUTPUT_ONLY, each firing, staying quiet, and waiting for data it does not have; and
the real assessment input carrying the section."""

from __future__ import annotations

import pytest

from evaluation.criteria.inputs import build_input
from evaluation.indicators import services as indicator_services
from evaluation.tests.builders import assessment_input, mission, target
from evaluation.tests.helpers import outcome, status
from evaluation.toc import services


def step(key, kind, target=None, indicators=()):
    return {
        "key": key,
        "kind": kind,
        "title": key.title(),
        "description": "",
        "project": None,
        "target": target,
        "indicators": list(indicators),
    }


def link(a, b):
    return {"from": a, "to": b, "assumption": "", "evidence": "weak"}


def with_toc(steps, links, *, indicators=None, targets=None):
    data = mission(targets=targets) if targets is not None else mission()
    return assessment_input(
        data, theory_of_change={"steps": steps, "links": links}, indicators=indicators
    )


FULL = [step("a", "activity"), step("o", "output"), step("c", "outcome"), step("i", "impact", "t1")]
CHAIN = [link("a", "o"), link("o", "c"), link("c", "i")]


@pytest.mark.parametrize(
    "code", ["EVAL_NO_TOC", "EVAL_TOC_TARGET_NO_OUTCOME", "EVAL_TOC_OUTPUT_ONLY"]
)
def test_without_the_section_the_rules_are_not_assessed(code):
    result = outcome(assessment_input(), code)
    assert str(result.status) == "not_assessed" and not result.fires


def test_no_toc_fires_without_steps_or_without_links_and_passes_with_a_pathway():
    # Not written yet: "To complete", not a warning (issue #16).
    empty = outcome(with_toc([], []), "EVAL_NO_TOC")
    assert not empty.fires and empty.evidence == {"needs": "theory_of_change"}
    assert outcome(with_toc(FULL, []), "EVAL_NO_TOC").fires
    assert status(with_toc(FULL, CHAIN), "EVAL_NO_TOC") == "passed"


def test_headline_target_needs_an_outcome_upstream():
    # The impact step carries the target, with an outcome leading to it: fine.
    assert status(with_toc(FULL, CHAIN), "EVAL_TOC_TARGET_NO_OUTCOME") == "passed"
    # The same impact reached only from an output: no outcome on the way.
    shortcut = [link("a", "o"), link("o", "i")]
    fired = outcome(with_toc(FULL, shortcut), "EVAL_TOC_TARGET_NO_OUTCOME")
    assert fired.fires and fired.evidence["targets"] == ["Healthy life years"]
    # An outcome step linked to the target directly is enough.
    direct = [step("c", "outcome", "t1")]
    assert status(with_toc(direct, []), "EVAL_TOC_TARGET_NO_OUTCOME") == "passed"
    # A second headline target nothing points at fires, named.
    two = [target("t1"), target("t2", title="Health gap")]
    fired = outcome(with_toc(FULL, CHAIN, targets=two), "EVAL_TOC_TARGET_NO_OUTCOME")
    assert fired.fires and fired.evidence["targets"] == ["Health gap"]


def test_target_rule_does_not_apply_without_steps_or_headline_targets():
    assert status(with_toc([], []), "EVAL_TOC_TARGET_NO_OUTCOME") == "not_applicable"
    assert (
        status(
            with_toc(FULL, CHAIN, targets=[target(is_headline=False)]), "EVAL_TOC_TARGET_NO_OUTCOME"
        )
        == "not_applicable"
    )


def test_output_only_indicators_in_the_theory_of_change():
    indicators = [{"key": "labs", "level": "output"}, {"key": "health", "level": "impact"}]
    only_outputs = [step("o", "output", indicators=["labs"]), step("i", "impact")]
    fired = outcome(with_toc(only_outputs, [], indicators=indicators), "EVAL_TOC_OUTPUT_ONLY")
    assert fired.fires and fired.evidence["indicator_levels"] == ["output"]
    # The impact indicator exists but is not in the theory of change: that is the point.
    both = [step("o", "output", indicators=["labs"]), step("i", "impact", indicators=["health"])]
    assert status(with_toc(both, [], indicators=indicators), "EVAL_TOC_OUTPUT_ONLY") == "passed"
    assert (
        status(with_toc([step("o", "output")], [], indicators=indicators), "EVAL_TOC_OUTPUT_ONLY")
        == "not_applicable"
    )
    assert status(with_toc(both, [], indicators=None), "EVAL_TOC_OUTPUT_ONLY") == "not_assessed"


def test_the_rules_read_the_stored_theory_of_change(mission, editor):
    assert status(build_input(mission), "EVAL_NO_TOC") == "not_assessed"  # none yet
    target_t1 = mission.targets.get(key="t1")
    target_t1.is_headline = True
    target_t1.save()
    labs = indicator_services.indicator_create(
        by=editor, mission=mission, name="Labs", level="output"
    )
    a = services.node_create(by=editor, mission=mission, kind="activity", title="Fund")
    o = services.node_create(
        by=editor, mission=mission, kind="output", title="Labs", indicators=[labs]
    )
    i = services.node_create(
        by=editor, mission=mission, kind="impact", title="Goal", target=target_t1
    )
    services.link_create(by=editor, mission=mission, from_node=a, to_node=o)
    services.link_create(by=editor, mission=mission, from_node=o, to_node=i)
    data = build_input(mission)
    assert "theory_of_change" not in data["mission"] and data["theory_of_change"]["steps"]
    assert status(data, "EVAL_NO_TOC") == "passed"
    assert outcome(data, "EVAL_TOC_TARGET_NO_OUTCOME").fires
    assert outcome(data, "EVAL_TOC_OUTPUT_ONLY").fires
    c = services.node_create(by=editor, mission=mission, kind="outcome", title="Change")
    services.link_create(by=editor, mission=mission, from_node=o, to_node=c)
    services.link_create(by=editor, mission=mission, from_node=c, to_node=i)
    health = indicator_services.indicator_create(
        by=editor, mission=mission, name="Health", level="outcome"
    )
    services.node_update(by=editor, node=c, expected_version=c.version, indicators=[health])
    data = build_input(mission)
    assert status(data, "EVAL_TOC_TARGET_NO_OUTCOME") == "passed"
    assert status(data, "EVAL_TOC_OUTPUT_ONLY") == "passed"


def test_the_eu_soil_demo_mission_has_a_theory_of_change_and_its_honest_warnings(organisation):
    from missions import exchange
    from missions.apps import DEMO_FIXTURE

    exchange.import_file(DEMO_FIXTURE, organisation=organisation)
    soil = organisation.missions.get(key="eu-soil")
    data = build_input(soil)
    assert len(data["theory_of_change"]["steps"]) == 7
    assert status(data, "EVAL_NO_TOC") == "passed"
    assert status(data, "EVAL_TOC_OUTPUT_ONLY") == "passed"  # an outcome indicator is in it
    # Its headline target counts living labs, which is an output: no outcome leads to it.
    fired = outcome(data, "EVAL_TOC_TARGET_NO_OUTCOME")
    assert fired.fires and fired.evidence["targets"] == ["Living labs and lighthouses"]
    cities = build_input(organisation.missions.get(key="eu-cities"))
    assert status(cities, "EVAL_NO_TOC") == "not_assessed"


def test_the_warnings_point_to_the_theory_of_change_page(mission):
    from evaluation.criteria.rules import get_rule
    from evaluation.selectors import FIX_SECTIONS, fix_url

    for code in ("EVAL_NO_TOC", "EVAL_TOC_TARGET_NO_OUTCOME", "EVAL_TOC_OUTPUT_ONLY"):
        rule = get_rule(code)
        assert rule.fix_field == "theory_of_change" and rule.hint
        assert str(FIX_SECTIONS[rule.fix_field]) == "Theory of change"
    assert fix_url(mission, "theory_of_change") == (
        "/organisations/health/missions/healthy-years/theory-of-change/"
    )
