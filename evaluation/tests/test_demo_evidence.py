"""Done-when of issue #16 on the demo missions: no warning contradicts the data, and no mission
shows a high-severity warning that only means "missing".

A warning's evidence *is absence* when any of these holds:

- its result names missing data (`needs`): the check could not be judged;
- its evidence lists fields that are not recorded (`missing`, or a `reason` starting "no_");
- every evidence value other than a threshold (limits, minimums, shares the rule compares
  against) is empty: None, "", [] or {}.

A warning that fires must quote at least one recorded fact, so its evidence is never absence.
"""

import pytest
from django.core.management import call_command
from django.test import override_settings

from evaluation.criteria.engine import evaluate
from evaluation.criteria.inputs import build_input
from evaluation.criteria.rules import Severity
from missions import demo
from missions.models import Mission

pytestmark = pytest.mark.django_db

THRESHOLD_KEYS = {
    "limit",
    "minimum",
    "warn_above",
    "high_above",
    "hhi_limit",
    "top3_limit",
    "owner_limit",
    "policy_domain_limit",
    "months",
    "currency",
    "not_checked",
}


def is_absence(evidence: dict) -> bool:
    if evidence.get("needs"):
        return True
    if evidence.get("missing"):
        return True
    if str(evidence.get("reason") or "").startswith("no_"):
        return True
    facts = {k: v for k, v in evidence.items() if k not in THRESHOLD_KEYS}
    return all(v in (None, "", [], {}) for v in facts.values())


def test_the_definition_of_absence():
    assert is_absence({"needs": "budget"})
    assert is_absence({"missing": ["date"], "source": "government_decision"})
    assert is_absence({"reason": "no_committed_budget", "minimum": 0.5})
    assert is_absence({"committed": None, "estimated_need": None, "minimum": 0.5})
    assert not is_absence({"committed": 100, "estimated_need": 1000, "minimum": 0.5})
    assert not is_absence({"source": "none", "status": "active"})


@pytest.fixture
def demo_missions():
    with override_settings(DEBUG=True):
        call_command("seed_demo", verbosity=0)
    missions = list(
        Mission.objects.filter(organisation__slug=demo.ORGANISATION)
        .select_related("organisation", "challenge", "parent", "owner", "coordinator")
        .order_by("key")
    )
    assert len(missions) >= 5
    return [(m, build_input(m)) for m in missions]


def test_no_warning_on_a_demo_mission_only_means_missing(demo_missions):
    high = []
    for mission, data in demo_missions:
        for warning in evaluate(data).warnings:
            # Every warning that fires quotes a recorded fact …
            assert not is_absence(warning.evidence), (mission.key, warning.code, warning.evidence)
            if warning.severity == Severity.HIGH:
                high.append((mission.key, warning.code, warning.evidence))
    # … and no high-severity one is about missing data (checked above); list them for the record.
    for key, code, evidence in high:
        assert not is_absence(evidence), (key, code, evidence)


def test_no_warning_or_check_on_a_demo_mission_contradicts_the_data(demo_missions):
    for mission, data in demo_missions:
        evaluation = evaluate(data)
        fired = {w.code: w for w in evaluation.warnings}
        m = data["mission"]
        # "No recorded mandate" only when the mandate is recorded as none.
        if "MANDATE_MISSING" in fired:
            assert m["mandate_source"] == "none", mission.key
        # "Underfunded" only with both amounts recorded.
        if "OVER_UNDERFUNDED" in fired:
            assert m["committed_budget"] is not None and m["estimated_need"], mission.key
        # "Only output indicators" only with indicators.
        if "WASH_OUTPUT_ONLY" in fired:
            assert data["indicators"], mission.key
        # C4: a group that leads a project is never reported missing.
        helices = next(s for s in evaluation.criterion("c4").signals if s.code == "c4_helices")
        lead_helices = {
            data["actors"][p["lead"]]["helix"]
            for p in m["projects"]
            if p.get("lead") in data["actors"]
        }
        assert not lead_helices & set(helices.evidence.get("missing") or []), mission.key
        # The affected population is read from the field people fill in.
        population = next(
            s for s in evaluation.criterion("c1").signals if s.code == "c1_affected_population"
        )
        if m.get("affected_population"):
            assert str(population.status) == "passed", mission.key
        # No projects: C3–C5 cannot be judged on the portfolio, never a score of 0 for it.
        if not m["projects"]:
            for code in ("c3", "c4", "c5"):
                for signal in evaluation.criterion(code).signals:
                    if signal.rule.fix_field == "projects":
                        assert str(signal.status) != "not_passed", (mission.key, signal.code)
