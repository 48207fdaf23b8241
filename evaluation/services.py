"""Writes of the criteria engine: asking for an assessment, running one, and people's decisions
about warnings and criteria.

How background assessment stays correct under bursts, crashes and reruns:

1. `assessment_request` (called after every committed mission change, by the nightly job, or
   from the page) marks the mission pending and creates a *queued* run — unless one is already
   queued, in which case the change simply joins it (a partial unique index allows one queued
   run per mission). Only a newly queued run enqueues the Celery task, after commit and after a
   short delay, so ten quick saves make one run. A run still queued EVALUATION_RESEND_AFTER
   seconds later lost its message (a Redis restart): the next request sends it again.
2. `assessment_run` (the task's service) takes a per-mission PostgreSQL advisory lock: one run
   per mission at a time, and a lock that dies with its worker's connection. Under the lock it
   marks runs left "running" by a dead worker as failed, claims the queued run by conditional
   UPDATE (or resumes a pending mission with nothing queued), and assesses the *current* data.
3. An input identical (by hash) to the last completed run's does nothing. A run that fails
   leaves the mission pending; the next request, the redelivered task or the nightly job
   completes it.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from config.locks import advisory_lock
from evaluation import signals
from evaluation.criteria import thresholds as threshold_settings
from evaluation.criteria.engine import ENGINE_VERSION, Evaluation, evaluate
from evaluation.criteria.inputs import build_input, input_hash
from evaluation.criteria.rules import SEVERITY_ORDER, Severity
from evaluation.models import (
    AssessmentRun,
    AssessmentState,
    CriterionCode,
    CriterionResult,
    CriterionVerdict,
    Finding,
    FindingDecision,
    FindingStatus,
    GoNoGoAnswer,
    GoNoGoDecision,
    GoNoGoItem,
    GoNoGoReview,
    ReadinessCheck,
    RunStatus,
)
from missions.models import Mission

logger = logging.getLogger(__name__)

LOCK_NAMESPACE = 0x4C45 << 44  # "LE": keeps our advisory-lock keys apart from other users'


class RunOutcome(StrEnum):
    DONE = "done"  # assessed and stored
    UNCHANGED = "unchanged"  # same input as the last completed run: nothing to do
    IDLE = "idle"  # nothing queued and nothing pending (a duplicate task)
    BUSY = "busy"  # another worker holds the mission's lock
    FAILED = "failed"  # the run raised; the mission stays pending
    MISSING = "missing"  # the mission no longer exists


def assessment_delay_seconds() -> int:
    """How long a queued run waits before it starts, so a burst of saves lands in one run."""
    return int(getattr(settings, "EVALUATION_ASSESSMENT_DELAY", 3))


def resend_after_seconds() -> int:
    """How long a queued run may wait before the next request sends its task again."""
    return int(getattr(settings, "EVALUATION_RESEND_AFTER", 120))


def busy_retry_seconds() -> int:
    return int(getattr(settings, "EVALUATION_BUSY_RETRY", 5))


# --- Asking for an assessment ------------------------------------------------------------------


@transaction.atomic
def assessment_request(
    *, mission_id: int, reason: str = "change", enqueue: bool = True
) -> AssessmentRun | None:
    """Mark the mission's assessment pending and make sure one run is queued for it. Returns
    the queued run (new, or the one this request joined), or None if the mission is gone.
    `enqueue=False` (the `assess_mission` command) leaves running it to the caller."""
    now = timezone.now()
    pending = AssessmentState.objects.filter(mission_id=mission_id)
    marks = {"pending_since": Coalesce(F("pending_since"), Value(now)), "requested_at": now}
    # One UPDATE in the usual case (the nightly job asks for every mission): a state row exists
    # only while its mission does, so only a mission never asked about before needs more.
    if not pending.update(**marks):
        if not Mission.objects.filter(pk=mission_id).exists():
            return None
        AssessmentState.objects.get_or_create(mission_id=mission_id)
        pending.update(**marks)
    queued = AssessmentRun.objects.filter(mission_id=mission_id, status=RunStatus.QUEUED).first()
    if queued is not None:
        if enqueue and _due_for_resend(queued, now):
            _send(mission_id, run_id=None)
        return queued  # coalesced: that run will read the data as it is when it starts
    try:
        with transaction.atomic():
            run = AssessmentRun.objects.create(
                mission_id=mission_id, status=RunStatus.QUEUED, reason=reason[:20]
            )
    except IntegrityError:
        # A concurrent request queued one a moment ago; join it.
        return AssessmentRun.objects.filter(mission_id=mission_id, status=RunStatus.QUEUED).first()
    if not enqueue:
        return run
    _send(mission_id, run_id=run.pk)
    return run


def _due_for_resend(queued: AssessmentRun, now: Any) -> bool:
    """A run still queued long after it should have started lost its message (Redis restarted
    empty, or the worker holding it lost its connection). Sending the task again is safe (runs
    are claimed, not repeated); the conditional UPDATE lets one request of a burst do it, and
    moves "queued" on so the next resend is another interval away."""
    cutoff = now - datetime.timedelta(seconds=resend_after_seconds())
    if queued.created_at >= cutoff:
        return False
    return bool(
        AssessmentRun.objects.filter(
            pk=queued.pk, status=RunStatus.QUEUED, created_at__lt=cutoff
        ).update(created_at=now)
    )


def _send(mission_id: int, *, run_id: int | None) -> None:
    """Send the task once the transaction commits. `run_id`: the run this request created."""
    from evaluation.tasks import assess_mission_task

    def send() -> None:
        try:
            assess_mission_task.apply_async(
                args=(mission_id,), countdown=assessment_delay_seconds()
            )
        except Exception:
            # The broker (Redis) is down. A queued run whose message was never sent would make
            # every later change join it and wait for nothing: drop it, so the next change
            # queues (and sends) a new one. The mission stays pending for the nightly job.
            # Not raised: this runs after the caller's commit, and its save stands.
            logger.exception("Could not queue an assessment of mission %s", mission_id)
            if run_id is not None:
                AssessmentRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).delete()

    transaction.on_commit(send)


def on_mission_changed(mission_id: int) -> None:
    """The listener registered with `missions.hooks`: runs after a mission change commits. A
    failure here must never undo or break the user's save; the nightly job catches up."""
    try:
        assessment_request(mission_id=mission_id, reason="change")
    except Exception:
        logger.exception("Could not queue an assessment of mission %s", mission_id)


def on_missions_changed(mission_ids: list[int]) -> None:
    """`on_mission_changed` for many missions at once (a bulk import), registered as its `many`
    form: each is marked pending and given a queued run in a few queries, and one message
    (`send_assessments_task`) sends their tasks once the transaction commits. A mission that
    already has a queued run (or gets one concurrently) goes the one-at-a-time way."""
    try:
        now = timezone.now()
        with transaction.atomic():
            ids = list(Mission.objects.filter(pk__in=mission_ids).values_list("pk", flat=True))
            AssessmentState.objects.bulk_create(
                [AssessmentState(mission_id=pk) for pk in ids], ignore_conflicts=True
            )
            AssessmentState.objects.filter(mission_id__in=ids).update(
                pending_since=Coalesce(F("pending_since"), Value(now)), requested_at=now
            )
            queued = set(
                AssessmentRun.objects.filter(
                    mission_id__in=ids, status=RunStatus.QUEUED
                ).values_list("mission_id", flat=True)
            )
            fresh = [pk for pk in ids if pk not in queued]
            try:
                with transaction.atomic():
                    runs = AssessmentRun.objects.bulk_create(
                        AssessmentRun(mission_id=pk, status=RunStatus.QUEUED, reason="change")
                        for pk in fresh
                    )
            except IntegrityError:  # a concurrent request queued some: one at a time, then
                runs, queued = [], set(ids)
        for mission_id in sorted(queued):
            on_mission_changed(mission_id)
    except Exception:
        logger.exception("Could not queue assessments of %s missions", len(mission_ids))
        return
    if not runs:
        return
    from evaluation.tasks import send_assessments_task

    def send() -> None:
        try:
            send_assessments_task.delay(
                [run.mission_id for run in runs], assessment_delay_seconds()
            )
        except Exception:
            # As in `_send`: the broker is down; runs whose message was never sent are dropped.
            logger.exception("Could not queue assessments of %s missions", len(runs))
            AssessmentRun.objects.filter(
                pk__in=[run.pk for run in runs], status=RunStatus.QUEUED
            ).delete()

    transaction.on_commit(send)


def assessment_request_by(*, by: User, mission: Mission) -> AssessmentRun | None:
    """A person asks for the mission to be assessed again (e.g. after a failed run)."""
    if not by.has_perm("evaluation.request_assessment", mission):
        raise PermissionDenied(_("You cannot ask for an assessment of this mission."))
    return assessment_request(mission_id=mission.pk, reason="request")


def assessment_request_all(*, reason: str = "nightly") -> int:
    """Queue an assessment of every mission that is not archived; returns how many."""
    count = 0
    ids = (
        Mission.objects.filter(archived_at__isnull=True).order_by("pk").values_list("pk", flat=True)
    )
    for mission_id in ids.iterator():
        if assessment_request(mission_id=mission_id, reason=reason) is not None:
            count += 1
    return count


# --- Running one -------------------------------------------------------------------------------


def _mission_lock(mission_id: int) -> contextlib.AbstractContextManager[bool]:
    """A session-level advisory lock for one mission; PostgreSQL frees it if the process dies."""
    return advisory_lock(LOCK_NAMESPACE + mission_id)


def assessment_run(*, mission_id: int) -> RunOutcome:
    """Assess one mission now, if an assessment is queued or pending. Safe to call any number
    of times, from any number of workers."""
    with _mission_lock(mission_id) as acquired:
        if not acquired:
            return RunOutcome.BUSY
        return _run_locked(mission_id)


def _claim(mission_id: int) -> AssessmentRun | None:
    now = timezone.now()
    # One read for both kinds of unfinished run; this mission's runs change only under its lock
    # (which we hold) or by a request queuing one, which the conditional UPDATE below allows for.
    unfinished = list(
        AssessmentRun.objects.filter(
            mission_id=mission_id, status__in=(RunStatus.RUNNING, RunStatus.QUEUED)
        ).order_by("pk")
    )
    if any(run.status == RunStatus.RUNNING for run in unfinished):
        # We hold the mission's lock, so a run still marked running has lost its worker.
        AssessmentRun.objects.filter(mission_id=mission_id, status=RunStatus.RUNNING).update(
            status=RunStatus.FAILED,
            finished_at=now,
            error="The assessment stopped before it finished (its worker was interrupted).",
        )
    queued = next((run for run in unfinished if run.status == RunStatus.QUEUED), None)
    if queued is not None:
        claimed = AssessmentRun.objects.filter(pk=queued.pk, status=RunStatus.QUEUED).update(
            status=RunStatus.RUNNING, started_at=now
        )
        if claimed:
            # What the UPDATE wrote; nothing else of the row is read or written by this run.
            queued.status = RunStatus.RUNNING
            queued.started_at = now
            return queued
        return None
    if AssessmentState.objects.filter(mission_id=mission_id, pending_since__isnull=False).exists():
        # Pending with nothing queued: an earlier run failed or its worker died. Finish the job.
        return AssessmentRun.objects.create(
            mission_id=mission_id, status=RunStatus.RUNNING, started_at=now, reason="resume"
        )
    return None


def _run_locked(mission_id: int) -> RunOutcome:
    run = _claim(mission_id)
    if run is None:
        # A deleted mission's runs and state went with it, so there was nothing to claim.
        exists = Mission.objects.filter(pk=mission_id).exists()
        return RunOutcome.IDLE if exists else RunOutcome.MISSING
    try:
        with transaction.atomic():
            return _assess(run)
    except (OperationalError, InterfaceError):
        _fail(run, "The database was unavailable; the assessment will be tried again.")
        raise  # transient: the task retries
    except Exception as exc:
        logger.exception("Assessment run %s of mission %s failed", run.pk, mission_id)
        _fail(run, f"{type(exc).__name__}: {exc}"[:2000])
        return RunOutcome.FAILED


def _fail(run: AssessmentRun, error: str) -> None:
    AssessmentRun.objects.filter(pk=run.pk).update(
        status=RunStatus.FAILED, finished_at=timezone.now(), error=error
    )


def run_fingerprint(data: dict[str, Any], thresholds: dict[str, Any]) -> str:
    """The hash that decides whether a run has anything new to assess: the input, the
    thresholds and the engine version."""
    return input_hash({"input": data, "thresholds": thresholds, "engine": ENGINE_VERSION})


def _assess(run: AssessmentRun) -> RunOutcome:
    # Read after the claim: a change committed from here on queues a run of its own.
    mission = Mission.objects.select_related("challenge", "parent", "owner", "coordinator").get(
        pk=run.mission_id
    )
    # Locked until commit: a request marking the mission pending meanwhile waits for us, so
    # _settle never clears "pending" under a run queued after this one.
    state = AssessmentState.objects.select_for_update().get_or_create(mission=mission)[0]
    thresholds = threshold_settings.current()
    data = build_input(mission, thresholds=thresholds)
    digest = run_fingerprint(data, thresholds)
    now = timezone.now()
    if state.last_run_id and state.last_hash == digest:
        run.delete()
        _settle(state.mission_id, checked_at=now)
        return RunOutcome.UNCHANGED
    evaluation = evaluate(data, thresholds)
    # What the last run said, to tell listeners only when this one says something else.
    scores_before: dict[str, int | None] = (
        dict(
            CriterionResult.objects.filter(run_id=state.last_run_id).values_list(
                "criterion", "auto_score"
            )
        )
        if state.last_run_id
        else {}
    )
    CriterionResult.objects.bulk_create(
        CriterionResult(
            run=run,
            criterion=c.criterion,
            auto_score=c.auto_score,
            signals=c.signals_json(),
        )
        for c in evaluation.criteria
    )
    warnings_before = _upsert_findings(mission, evaluation, now)
    run.input_hash = digest
    run.checks = {check.code: _check_json(check) for check in evaluation.checks}
    run.status = RunStatus.DONE
    # When the work ended (not when the input was read), so the run's duration is all of it.
    run.finished_at = timezone.now()
    run.save(update_fields=["input_hash", "checks", "status", "finished_at"])
    _settle(state.mission_id, last_hash=digest, last_run=run, checked_at=now)
    scores = {c.criterion: c.auto_score for c in evaluation.criteria}
    warnings = sorted(w.code for w in evaluation.warnings)
    if (scores, warnings) != (scores_before, warnings_before):
        signals.assessment_changed.send(
            sender=AssessmentRun, mission=mission, scores=scores, warnings=warnings
        )
    return RunOutcome.DONE


def _settle(mission_id: int, **values: Any) -> None:
    """Store what the run leaves behind, and clear "pending" unless a newer request already
    queued another run. Only the given fields are written: the caller holds the state row's
    lock, and a request waiting on it must find its own marks intact."""
    if not AssessmentRun.objects.filter(mission_id=mission_id, status=RunStatus.QUEUED).exists():
        values["pending_since"] = None
    AssessmentState.objects.filter(pk=mission_id).update(**values)


def _upsert_findings(mission: Mission, evaluation: Evaluation, now: Any) -> list[str]:
    """Raise, refresh, reopen and resolve the mission's warnings; returns the codes of those
    that were current before."""
    existing = {f.code: f for f in Finding.objects.select_for_update().filter(mission=mission)}
    current_before = sorted(c for c, f in existing.items() if f.status != FindingStatus.RESOLVED)
    raised = {w.code: w for w in evaluation.warnings}
    refreshed: list[Finding] = []
    for code, outcome in raised.items():
        finding = existing.get(code)
        if finding is None:
            # One by one, through save(): the audit trail records each warning raised.
            Finding.objects.create(
                mission=mission,
                code=code,
                severity=str(outcome.severity),
                evidence=outcome.evidence,
                first_seen=now,
                last_seen=now,
            )
            continue
        escalated = SEVERITY_ORDER[outcome.severity] < SEVERITY_ORDER.get(
            Severity(finding.severity), 9
        )
        reopen = finding.status == FindingStatus.RESOLVED or (
            # A decision about a milder warning does not cover a more severe one.
            finding.status in (FindingStatus.ACKNOWLEDGED, FindingStatus.DISMISSED) and escalated
        )
        finding.severity = str(outcome.severity)
        finding.evidence = outcome.evidence
        finding.last_seen = now
        if reopen:
            finding.status = FindingStatus.OPEN
            finding.resolved_at = None
            finding.save()  # a change of status: recorded in the audit trail
        else:
            refreshed.append(finding)
    if refreshed:
        # Still raised, status unchanged: none of these fields is audited, so one UPDATE.
        Finding.objects.bulk_update(refreshed, ["severity", "evidence", "last_seen"])
    for code, finding in existing.items():
        if code not in raised and finding.status != FindingStatus.RESOLVED:
            finding.status = FindingStatus.RESOLVED
            finding.resolved_at = now
            finding.save(update_fields=["status", "resolved_at"])
    return current_before


# --- People's decisions ------------------------------------------------------------------------

DECISIONS = {FindingStatus.ACKNOWLEDGED, FindingStatus.DISMISSED}


@transaction.atomic
def finding_decide(*, by: User, finding: Finding, status: str, reason: str) -> Finding:
    """Acknowledge ("we know, and accept it for now") or dismiss ("this does not apply to us")
    a warning. A reason is always required; who, when and why are kept."""
    mission = finding.mission
    if not by.has_perm("evaluation.decide_finding", mission):
        raise PermissionDenied(_("You cannot decide about warnings on this mission."))
    if status not in DECISIONS:
        raise ValidationError({"decision": _("Choose whether to acknowledge or dismiss it.")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why, so others can follow the decision.")})
    if len(reason) > 1000:
        raise ValidationError({"reason": _("Keep the reason under 1,000 characters.")})
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    if finding.status == FindingStatus.RESOLVED:
        raise ValidationError(
            {"decision": _("This warning no longer applies, so there is nothing to decide.")}
        )
    now = timezone.now()
    finding.status = status
    finding.reason = reason
    finding.decided_by = by
    finding.decided_at = now
    finding.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    FindingDecision.objects.create(finding=finding, status=status, reason=reason, decided_by=by)
    return finding


@transaction.atomic
def verdict_record(
    *, by: User, mission: Mission, criterion: str, rating: int, rationale: str
) -> CriterionVerdict:
    """Record a reviewer's rating (1–5) and rationale for one criterion."""
    if not by.has_perm("evaluation.record_verdict", mission):
        raise PermissionDenied(_("Only reviewers, leads and administrators can record verdicts."))
    errors: dict[str, str] = {}
    if criterion not in CriterionCode.values:
        errors["criterion"] = _("Choose one of the five criteria.")
    if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
        errors["rating"] = _("Choose a rating from 1 to 5.")
    rationale = (rationale or "").strip()
    if not rationale:
        errors["rationale"] = _("Explain your rating, so the team knows what to improve.")
    elif len(rationale) > 2000:
        errors["rationale"] = _("Keep the rationale under 2,000 characters.")
    if errors:
        raise ValidationError(errors)
    return CriterionVerdict.objects.create(
        mission=mission, criterion=criterion, reviewer=by, rating=rating, rationale=rationale
    )


# --- Before the canvas: readiness check and go/no-go review ------------------------------------


def _readiness_answers(answers: dict[str, Any]) -> dict[str, dict[str, Any]]:
    from evaluation.readiness import NOTE_LIMIT, STEPS

    cleaned: dict[str, dict[str, Any]] = {}
    errors: dict[str, str] = {}
    for step in STEPS:
        answer = answers.get(step) or {}
        score = answer.get("score")
        if not isinstance(score, int) or isinstance(score, bool) or score not in (0, 1, 2):
            errors[f"{step}_score"] = _("Choose an answer to this question.")
            continue
        note = str(answer.get("note") or "").strip()
        if len(note) > NOTE_LIMIT:
            errors[f"{step}_note"] = _("Keep the note under 500 characters.")
        cleaned[step] = {"score": score, "note": note}
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def readiness_check_record(
    *,
    by: User,
    organisation: Any,
    answers: dict[str, Any],
    mission: Mission | None = None,
) -> ReadinessCheck:
    """Store a readiness check, on its own (before a mission exists) or for a mission. The
    advice is computed here and stored with the answers; it never blocks anything."""
    from evaluation.readiness import advise

    target = mission if mission is not None else organisation
    if mission is not None and mission.organisation_id != organisation.pk:
        raise PermissionDenied(_("This mission belongs to another organisation."))
    if not by.has_perm("evaluation.take_readiness_check", target):
        raise PermissionDenied(_("You cannot take the readiness check here."))
    cleaned = _readiness_answers(answers)
    return ReadinessCheck.objects.create(
        organisation=organisation,
        mission=mission,
        answers=cleaned,
        advice=advise(cleaned),
        taken_by=by,
    )


@transaction.atomic
def readiness_check_attach(*, by: User, check: ReadinessCheck, mission: Mission) -> ReadinessCheck:
    """Attach a check taken before the mission existed to the mission started from it."""
    if check.organisation_id != mission.organisation_id or check.mission_id not in (
        None,
        mission.pk,
    ):
        raise ValidationError(_("This readiness check belongs elsewhere."))
    if not by.has_perm("evaluation.take_readiness_check", mission):
        raise PermissionDenied(_("You cannot take the readiness check here."))
    ReadinessCheck.objects.filter(pk=check.pk, mission__isnull=True).update(mission=mission)
    check.refresh_from_db()
    return check


@transaction.atomic
def gonogo_record(
    *, by: User, mission: Mission, answers: dict[str, tuple[str, str]]
) -> GoNoGoReview:
    """Record a reviewer's go/no-go review: all six items, each go / no go / unsure with why.
    Every review is kept (who and when); the newest is shown."""
    if not by.has_perm("evaluation.record_gonogo", mission):
        raise PermissionDenied(
            _("Only reviewers, leads and administrators can fill in the go/no-go review.")
        )
    errors: dict[str, str] = {}
    rows = []
    for item in GoNoGoItem:
        decision, rationale = answers.get(item.value, ("", ""))
        rationale = (rationale or "").strip()
        if decision not in GoNoGoDecision.values:
            errors[f"{item.value}_decision"] = _("Choose go, no go or unsure.")
        if not rationale:
            errors[f"{item.value}_rationale"] = _("Say why, so the team knows what to improve.")
        elif len(rationale) > 2000:
            errors[f"{item.value}_rationale"] = _("Keep the rationale under 2,000 characters.")
        rows.append((item.value, decision, rationale))
    if errors:
        raise ValidationError(errors)
    review = GoNoGoReview.objects.create(mission=mission, reviewer=by)
    GoNoGoAnswer.objects.bulk_create(
        GoNoGoAnswer(review=review, item=item, decision=decision, rationale=rationale)
        for item, decision, rationale in rows
    )
    return review


def assessment_run_now(*, mission_id: int, wait_seconds: float = 30) -> RunOutcome:
    """Assess one mission now, in this process (the `assess_mission` command): queue a run
    without sending it to Celery, then run it. If a worker holds the mission's lock, wait for
    it and try again; the result stored is the same either way."""
    import time

    assessment_request(mission_id=mission_id, reason="command", enqueue=False)
    deadline = time.monotonic() + wait_seconds
    while True:
        outcome = assessment_run(mission_id=mission_id)
        if outcome != RunOutcome.BUSY or time.monotonic() > deadline:
            return outcome
        time.sleep(0.5)


def _check_json(check: Any) -> Any:
    """A warning check as the run stores it: its status, or, when it names missing data (what
    it needs, or details to complete), {"status", "needs", "to_complete"}."""
    needs = check.evidence.get("needs", "")
    more = list(check.evidence.get("to_complete") or [])
    if not needs and not more:
        return str(check.status)
    return {"status": str(check.status), "needs": needs, "to_complete": more}
