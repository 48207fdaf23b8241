"""`manage.py assess_mission KEY --org SLUG [--json]`."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from evaluation.models import AssessmentRun, CriterionVerdict, RunStatus
from missions.tests.factories import MissionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agri(organisation):
    return MissionFactory(
        organisation=organisation,
        key="agri",
        title="Agriculture of the future",
        statement="Promote innovation in the agri-food sector.",
        deadline_year=2030,
    )


def test_json_gives_auto_status_signals_verdict_combined_status_and_warnings(agri, capsys, member):
    CriterionVerdict.objects.create(
        mission=agri, criterion="c2", reviewer=member("reviewer"), rating=2, rationale="Vague."
    )
    call_command("assess_mission", "agri", "--org", "health", "--json")
    document = json.loads(capsys.readouterr().out)
    criteria = {c["code"]: c for c in document["criteria"]}
    assert set(criteria) == {"c1", "c2", "c3", "c4", "c5"}
    for criterion in criteria.values():
        assert criterion["auto_status"] in {"pass", "partial", "fail", "not_assessed"}
        assert criterion["signals"] and {"code", "status", "evidence"} <= set(
            criterion["signals"][0]
        )
    # No number and no year in the statement: the two statement checks are not met, the rest
    # wait for data (targets, geography …) and do not count.
    assert criteria["c2"]["auto_status"] in {"partial", "fail"}
    assert criteria["c2"]["verdict"]["rating"] == 2
    assert criteria["c2"]["status"] == "red"
    assert criteria["c1"]["verdict"] is None and criteria["c1"]["status"] == "awaiting_review"
    codes = {w["code"]: w for w in document["warnings"]}
    assert codes["WASH_ACTIVITY_STATEMENT"]["severity"] in {"info", "warn", "high"}
    assert "evidence" in codes["WASH_ACTIVITY_STATEMENT"]
    # Stored like a background run, and nothing left pending or sent to Celery.
    assert AssessmentRun.objects.filter(mission=agri, status=RunStatus.DONE).count() == 1
    assert document["pending"] is False and document["outcome"] == "done"


def test_text_output_and_a_rerun_is_unchanged(agri, capsys):
    call_command("assess_mission", "agri", "--org", "health")
    text = capsys.readouterr().out
    assert "Agriculture of the future (health/agri)" in text
    assert "C2 " in text and "Awaiting review" in text and "WASH_ACTIVITY_STATEMENT" in text
    call_command("assess_mission", "agri", "--org", "health", "--json")
    assert json.loads(capsys.readouterr().out)["outcome"] == "unchanged"
    assert AssessmentRun.objects.filter(mission=agri, status=RunStatus.DONE).count() == 1


def test_unknown_mission_or_organisation_is_one_line_and_exit_status_1(agri):
    with pytest.raises(CommandError, match="no mission 'nope'"):
        call_command("assess_mission", "nope", "--org", "health")
    with pytest.raises(CommandError, match="no organisation"):
        call_command("assess_mission", "agri", "--org", "nowhere")


def test_exit_status_from_the_shell(agri, capfd):
    from django.core.management import ManagementUtility

    utility = ManagementUtility(["manage.py", "assess_mission", "nope", "--org", "health"])
    with pytest.raises(SystemExit) as exit_info:
        utility.execute()
    assert exit_info.value.code == 1
    err = capfd.readouterr().err.strip()
    assert err.count("\n") == 0 and "nope" in err


def test_json_gives_each_checks_state_the_missing_data_and_the_combined_status_reason(
    agri, capsys, member
):
    CriterionVerdict.objects.create(
        mission=agri, criterion="c3", reviewer=member("reviewer"), rating=4, rationale="Good."
    )
    call_command("assess_mission", "agri", "--org", "health", "--json")
    document = json.loads(capsys.readouterr().out)
    criteria = {c["code"]: c for c in document["criteria"]}
    states = {"met", "partly_met", "not_met", "cannot_be_judged", "does_not_apply"}
    for criterion in criteria.values():
        assert criterion["status_reason"]
        evidence = criterion["evidence"]
        assert 0 <= evidence["judged"] <= evidence["applicable"]
        assert evidence["text"] == (
            f"{evidence['judged']} of {evidence['applicable']} checks can be judged"
        )
        for signal in criterion["signals"]:
            assert signal["state"] in states
            if signal["state"] == "cannot_be_judged":
                # The missing data is named, in a key and in words.
                assert signal["missing"]["data"] and signal["missing"]["label"]
            else:
                assert signal["missing"] is None
    # A mission with no projects: C3 cannot be judged rather than failing (issue #16).
    c3 = {s["code"]: s for s in criteria["c3"]["signals"]}
    assert c3["c3_rd_content"]["state"] == "cannot_be_judged"
    assert c3["c3_rd_content"]["missing"]["data"] == "projects"
    assert criteria["c3"]["auto_status"] == "not_assessed"
    # The reviewer's 4 decides: "largely meets", and the reason says how they combine.
    assert criteria["c3"]["status"] == "green"
    assert criteria["c3"]["status_label"] == "Largely meets the criterion"
    assert criteria["c3"]["status_reason"].startswith("The reviewer’s rating decides")
    assert criteria["c1"]["status_reason"].startswith("No reviewer has rated")
    # What is missing is a "to complete" list, not warnings.
    assert "projects" in {task["data"] for task in document["to_complete"]}
    assert not [w for w in document["warnings"] if w["severity"] == "high"]
