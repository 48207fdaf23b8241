"""Requesting and running assessments, and people's decisions, through the services."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from evaluation import selectors, services
from evaluation.models import (
    AssessmentRun,
    AssessmentState,
    CriterionResult,
    Finding,
    FindingDecision,
    FindingStatus,
    RunStatus,
)
from evaluation.services import RunOutcome
from missions import hooks


def request_and_run(mission, capture):
    with capture(execute=True):
        services.assessment_request(mission_id=mission.pk)
    return services.assessment_run(mission_id=mission.pk)


def test_ten_quick_saves_queue_one_run(mission, enqueued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(10):
            hooks.mission_changed(mission.pk)
    assert AssessmentRun.objects.filter(mission=mission).count() == 1
    assert len(enqueued) == 1
    args, options = enqueued[0]
    assert args == (mission.pk,) and options["countdown"] == services.assessment_delay_seconds()
    assert AssessmentState.objects.get(mission=mission).is_pending

    assert services.assessment_run(mission_id=mission.pk) == RunOutcome.DONE
    run = AssessmentRun.objects.get(mission=mission)
    assert run.status == RunStatus.DONE and len(run.input_hash) == 64
    assert CriterionResult.objects.filter(run=run).count() == 5
    assert not AssessmentState.objects.get(mission=mission).is_pending
    # The duplicate task a redelivery might bring finds nothing to do.
    assert services.assessment_run(mission_id=mission.pk) == RunOutcome.IDLE


def test_a_run_with_the_same_input_as_the_last_one_does_nothing(
    mission, enqueued, django_capture_on_commit_callbacks
):
    assert request_and_run(mission, django_capture_on_commit_callbacks) == RunOutcome.DONE
    first = AssessmentState.objects.get(mission=mission).last_run
    assert request_and_run(mission, django_capture_on_commit_callbacks) == RunOutcome.UNCHANGED
    state = AssessmentState.objects.get(mission=mission)
    assert state.last_run == first and not state.is_pending
    assert AssessmentRun.objects.filter(mission=mission).count() == 1

    mission.statement = "Promote healthy living."
    mission.save()
    assert request_and_run(mission, django_capture_on_commit_callbacks) == RunOutcome.DONE
    assert AssessmentState.objects.get(mission=mission).last_run != first


def test_a_failed_run_leaves_the_mission_pending_and_the_next_run_completes_it(
    mission, enqueued, django_capture_on_commit_callbacks, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_request(mission_id=mission.pk)

    def broken(*args, **kwargs):
        raise RuntimeError("rule crashed")

    monkeypatch.setattr(services, "evaluate", broken)
    assert services.assessment_run(mission_id=mission.pk) == RunOutcome.FAILED
    failed = AssessmentRun.objects.get(mission=mission)
    assert failed.status == RunStatus.FAILED and "rule crashed" in failed.error
    assert AssessmentState.objects.get(mission=mission).is_pending
    assert selectors.assessment_for(mission).failed_run == failed

    monkeypatch.undo()
    # Nothing is queued any more, but the mission is still pending: the next run finishes it.
    assert services.assessment_run(mission_id=mission.pk) == RunOutcome.DONE
    state = AssessmentState.objects.get(mission=mission)
    assert not state.is_pending and state.last_run.status == RunStatus.DONE


def test_a_run_left_running_by_a_dead_worker_is_failed_and_redone(
    mission, enqueued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_request(mission_id=mission.pk)
    # The worker claimed the run, then died: its lock went with its connection.
    AssessmentRun.objects.filter(mission=mission).update(status=RunStatus.RUNNING)
    assert services.assessment_run(mission_id=mission.pk) == RunOutcome.DONE
    statuses = sorted(
        AssessmentRun.objects.filter(mission=mission).values_list("status", flat=True)
    )
    assert statuses == ["done", "failed"]
    assert not AssessmentState.objects.get(mission=mission).is_pending


def test_a_change_during_a_run_keeps_the_mission_pending(
    mission, enqueued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_request(mission_id=mission.pk)
    AssessmentRun.objects.filter(mission=mission).update(status=RunStatus.RUNNING)
    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_request(mission_id=mission.pk)  # a save while it runs
    assert AssessmentRun.objects.filter(mission=mission, status=RunStatus.QUEUED).count() == 1
    assert len(enqueued) == 2


def test_warnings_are_upserted_then_resolved_when_no_longer_raised(
    mission, enqueued, django_capture_on_commit_callbacks
):
    mission.team_fte = Decimal("0.5")  # recorded, and too few (an empty one is not a warning)
    mission.save()
    request_and_run(mission, django_capture_on_commit_callbacks)
    finding = Finding.objects.get(mission=mission, code="OVER_UNDERSTAFFED")
    assert finding.status == FindingStatus.OPEN and finding.severity == "warn"
    first_seen = finding.first_seen

    mission.statement = "By 2040, everyone lives five more healthy years in the Netherlands."
    mission.save()
    request_and_run(mission, django_capture_on_commit_callbacks)
    finding.refresh_from_db()
    assert finding.first_seen == first_seen and finding.last_seen > first_seen
    assert Finding.objects.filter(mission=mission, code="OVER_UNDERSTAFFED").count() == 1

    mission.team_fte = 2
    mission.save()
    request_and_run(mission, django_capture_on_commit_callbacks)
    finding.refresh_from_db()
    assert finding.status == FindingStatus.RESOLVED and finding.resolved_at
    assert "OVER_UNDERSTAFFED" not in [w.finding.code for w in selectors.warnings_for(mission)]


def test_acknowledging_needs_a_reason_and_records_who_when_and_why(
    mission, editor, viewer, enqueued, django_capture_on_commit_callbacks
):
    request_and_run(mission, django_capture_on_commit_callbacks)
    finding = Finding.objects.get(mission=mission, code="MANDATE_MISSING")
    with pytest.raises(ValidationError) as error:
        services.finding_decide(by=editor, finding=finding, status="acknowledged", reason="  ")
    assert "reason" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.finding_decide(by=viewer, finding=finding, status="dismissed", reason="No.")

    services.finding_decide(
        by=editor, finding=finding, status="acknowledged", reason="Cabinet decides in May."
    )
    finding.refresh_from_db()
    assert finding.status == FindingStatus.ACKNOWLEDGED and finding.decided_by == editor
    assert finding.reason == "Cabinet decides in May." and finding.decided_at
    assert FindingDecision.objects.get(finding=finding).decided_by == editor

    # A later run that still raises it keeps the decision.
    mission.title = "Healthy years for all"
    mission.save()
    request_and_run(mission, django_capture_on_commit_callbacks)
    finding.refresh_from_db()
    assert finding.status == FindingStatus.ACKNOWLEDGED


def test_a_dismissed_warning_reopens_when_it_becomes_more_severe(
    mission, editor, enqueued, django_capture_on_commit_callbacks
):
    from missions.tests.factories import MissionProjectFactory

    for i in range(3):
        MissionProjectFactory(mission=mission, key=f"old-{i}", origin="pre_existing")
    for i in range(2):
        MissionProjectFactory(mission=mission, key=f"new-{i}")
    # 3 of 5 = 60%: not yet. One more old project: 4 of 6 = 67% → warn.
    MissionProjectFactory(mission=mission, key="old-3", origin="pre_existing")
    request_and_run(mission, django_capture_on_commit_callbacks)
    finding = Finding.objects.get(mission=mission, code="WASH_REBADGED")
    assert finding.severity == "warn"
    services.finding_decide(by=editor, finding=finding, status="dismissed", reason="Re-scoped.")
    for i in range(4, 12):
        MissionProjectFactory(mission=mission, key=f"old-{i}", origin="pre_existing")
    request_and_run(mission, django_capture_on_commit_callbacks)
    finding.refresh_from_db()
    assert finding.severity == "high" and finding.status == FindingStatus.OPEN


def test_verdicts_by_reviewers_only_with_a_rating_from_one_to_five(mission, reviewer, editor):
    with pytest.raises(PermissionDenied):
        services.verdict_record(
            by=editor, mission=mission, criterion="c2", rating=4, rationale="Fine."
        )
    with pytest.raises(ValidationError) as error:
        services.verdict_record(
            by=reviewer, mission=mission, criterion="c2", rating=6, rationale=""
        )
    assert set(error.value.message_dict) == {"rating", "rationale"}
    services.verdict_record(
        by=reviewer, mission=mission, criterion="c2", rating=4, rationale="Good indicator."
    )
    summary = {code: status for code, _name, status in selectors.criteria_summary(mission)}
    assert summary["c1"].key == "awaiting_review"
    # The reviewer's rating decides, in their words: a 4 is "largely meets" (issue #16).
    assert summary["c2"].key == "green"
    assert str(summary["c2"].label) == "Largely meets the criterion"


def test_nightly_job_requests_every_mission_that_is_not_archived(
    mission, organisation, enqueued, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from missions.tests.factories import MissionFactory

    MissionFactory(organisation=organisation, archived_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        assert services.assessment_request_all() == 1
    assert [args for args, _options in enqueued] == [(mission.pk,)]


def test_a_listener_for_a_deleted_mission_does_nothing(enqueued, db):
    services.on_mission_changed(987654)
    assert not AssessmentRun.objects.exists() and not enqueued


def _mission_with_projects(organisation, owner, key: str, projects: int):
    from missions.tests.factories import (
        ActorFactory,
        MissionFactory,
        MissionProjectFactory,
        ProjectContributionFactory,
        TargetFactory,
    )

    mission = MissionFactory(organisation=organisation, key=key, owner=owner, mandate_source="none")
    target = TargetFactory(mission=mission, key="t1")
    actors = [ActorFactory(organisation=organisation, key=f"{key}-a{n}") for n in range(3)]
    for n in range(projects):
        project = MissionProjectFactory(mission=mission, key=f"p{n}", lead=actors[n % 3])
        project.partners.set(actors)
        ProjectContributionFactory(project=project, target=target)
    return mission


def test_an_assessment_costs_the_same_queries_however_many_projects(organisation, owner, mission):
    """Reading the input and writing the results take a fixed number of queries: a mission
    with 40 projects costs what one with 2 does (bench assess_queries measures the same)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # A first assessment in this process looks up what the audit trail caches (content types).
    services.assessment_request(mission_id=mission.pk, enqueue=False)
    services.assessment_run(mission_id=mission.pk)
    counts, warnings = [], []
    for key, projects in (("few", 2), ("many", 40)):
        mission = _mission_with_projects(organisation, owner, key, projects)
        services.assessment_request(mission_id=mission.pk, enqueue=False)
        with CaptureQueriesContext(connection) as captured:
            assert services.assessment_run(mission_id=mission.pk) == RunOutcome.DONE
        counts.append(len(captured))
        warnings.append(set(mission.findings.values_list("code", flat=True)))
    assert warnings[0] == warnings[1]  # the same warnings raised, so the same rows written
    # Lock (2), claim (2), transaction (2), mission and state (2), the input (18: 16 for the
    # exchange sections, actors, the owner's other missions), the last run's results (1, to
    # tell webhooks whether anything changed), results (1), warnings (1 read, then per new
    # warning its row and audit entry), run (1), state (2). A new exchange section adds its own
    # queries here; nothing else should.
    assert counts[0] == counts[1] == 32 + 2 * len(warnings[0]), counts
