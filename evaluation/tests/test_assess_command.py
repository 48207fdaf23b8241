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
    assert criteria["c2"]["auto_status"] == "fail"
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
