"""Assess one mission now, synchronously, and print the result.

    python manage.py assess_mission KEY --org SLUG [--json]

The assessment is the one the background workers run (stored the same way). Exit status 0
whatever the verdict; 1, with one line on stderr, for an unknown organisation or mission.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Organisation
from evaluation import selectors, services
from missions.models import Mission

# The automatic result alone, as the JSON names it (never a verdict).
AUTO_STATUS = {"meets": "pass", "partly": "partial", "fails": "fail", "unknown": "not_assessed"}

# Each check's state, as the JSON names it.
STATES = {
    "passed": "met",
    "partly": "partly_met",
    "not_passed": "not_met",
    "not_assessed": "cannot_be_judged",
    "not_applicable": "does_not_apply",
}


def _missing(needs: str) -> dict[str, str] | None:
    if not needs:
        return None
    return {"data": needs, "label": str(selectors.NEEDS_LABELS.get(needs, needs))}


def _verdict(row: selectors.CriterionRow) -> dict[str, Any] | None:
    verdict = row.verdict
    if verdict is None:
        return None
    return {
        "rating": verdict.rating,
        "rationale": verdict.rationale,
        "reviewer": verdict.reviewer.email if verdict.reviewer else None,
        "at": verdict.at.isoformat(),
    }


def assessment_document(assessment: selectors.Assessment, outcome: str) -> dict[str, Any]:
    mission = assessment.mission
    run = assessment.last_run
    return {
        "format": "lodestar.assessment-result/1",
        "organisation": mission.organisation.slug,
        "mission": mission.key,
        "title": mission.title,
        "outcome": outcome,
        "run": {
            "id": run.pk,
            "finished_at": run.finished_at.isoformat() if run.finished_at else None,
            "input_hash": run.input_hash,
        }
        if run
        else None,
        "pending": assessment.is_pending,
        "criteria": [
            {
                "code": row.code,
                "name": str(row.criterion.name),
                "auto_status": AUTO_STATUS[row.auto_band],
                "auto_score": row.auto_score,
                "evidence": {
                    "judged": row.judged_count,
                    "applicable": row.applicable_count,
                    "text": f"{row.judged_count} of {row.applicable_count} checks can be judged",
                },
                "signals": [
                    {
                        "code": signal.rule.code,
                        "label": str(signal.rule.label),
                        "status": signal.status,
                        "state": STATES.get(signal.status, signal.status),
                        "missing": _missing(signal.evidence.get("needs", "")),
                        "weight": signal.weight,
                        "evidence": signal.evidence,
                        "fix_field": signal.fix_field,
                    }
                    for signal in row.signals
                ],
                "verdict": _verdict(row),
                "status": row.status.key,
                "status_label": str(row.status.label),
                "status_reason": row.status_reason,
            }
            for row in assessment.criteria
        ],
        "to_complete": [
            {
                "data": task.needs,
                "label": str(task.label),
                "checks": [rule.code for rule in task.checks],
            }
            for task in assessment.to_complete
        ],
        "warnings": [
            {
                "code": w.finding.code,
                "label": str(w.rule.label) if w.rule else w.finding.code,
                "severity": w.finding.severity,
                "status": w.finding.status,
                "evidence": w.finding.evidence,
                "first_seen": w.finding.first_seen.isoformat(),
                "last_seen": w.finding.last_seen.isoformat(),
            }
            for w in assessment.warnings
        ],
    }


def assessment_text(document: dict[str, Any]) -> str:
    lines = [f"{document['title']} ({document['organisation']}/{document['mission']})"]
    if document["run"]:
        lines.append(f"Assessed: {document['run']['finished_at']} ({document['outcome']})")
    else:
        lines.append(f"Not assessed ({document['outcome']})")
    lines.append("")
    lines.append("Criteria (status combines the automatic checks with the reviewer's verdict):")
    for criterion in document["criteria"]:
        verdict = criterion["verdict"]
        lines.append(
            f"  {criterion['code'].upper()} {criterion['name']}: {criterion['status_label']}"
            f" — automatic checks: {criterion['auto_status']}"
            + (f"; reviewer rated {verdict['rating']}/5" if verdict else "; no review yet")
        )
        lines.append(f"      {criterion['status_reason']} ({criterion['evidence']['text']})")
        for signal in criterion["signals"]:
            if signal["status"] in ("not_passed", "partly"):
                state = signal["state"].replace("_", " ")
                lines.append(f"      {state}: {signal['label']} ({signal['code']})")
            elif signal["missing"]:
                lines.append(
                    f"      cannot be judged: {signal['label']} ({signal['code']})"
                    f" — missing {signal['missing']['label']}"
                )
    if document["to_complete"]:
        lines.append("")
        lines.append("To complete:")
        lines.extend(f"  - {task['label']}" for task in document["to_complete"])
    lines.append("")
    warnings = document["warnings"]
    lines.append(f"Warnings: {len(warnings)}")
    for warning in warnings:
        evidence = ", ".join(
            f"{key}={value}" for key, value in warning["evidence"].items() if key != "needs"
        )
        lines.append(
            f"  [{warning['severity']}] {warning['code']} {warning['label']}"
            f" ({warning['status']}){': ' + evidence if evidence else ''}"
        )
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Assess one mission against the five criteria now and print the result."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("key", help="The mission's key.")
        parser.add_argument("--org", required=True, help="The organisation's slug.")
        parser.add_argument("--json", action="store_true", help="Print JSON instead of text.")

    def handle(self, *args: Any, key: str, org: str, json: bool, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=org).first()
        if organisation is None:
            raise CommandError(f"There is no organisation with the slug {org!r}.")
        mission = (
            Mission.objects.filter(organisation=organisation, key=key)
            .select_related("organisation")
            .first()
        )
        if mission is None:
            raise CommandError(f"There is no mission {key!r} in organisation {org!r}.")
        outcome = services.assessment_run_now(mission_id=mission.pk)
        document = assessment_document(selectors.assessment_for(mission), str(outcome))
        if json:
            self.stdout.write(_dumps(document))
        else:
            self.stdout.write(assessment_text(document))


def _dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2, default=str)
