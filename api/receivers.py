"""What in the organisation becomes a webhook event: receivers of the lower apps' signals, each
turning its arguments into the event's data (keys, not database ids)."""

from __future__ import annotations

from typing import Any

from api.models import WebhookEvent
from api.webhooks import publish
from documents import signals as document_signals
from evaluation import signals as evaluation_signals
from missions import signals as mission_signals
from missions.models import Mission
from portfolios import signals as portfolio_signals


def _mission(mission: Mission) -> dict[str, Any]:
    return {"key": mission.key, "title": mission.title, "status": mission.status}


def on_mission_transitioned(
    *, mission: Mission, transition: str, status_before: str, **_: Any
) -> None:
    data = {"mission": _mission(mission), "status_before": status_before, "step": transition}
    publish(
        organisation_id=mission.organisation_id,
        event=WebhookEvent.MISSION_STATUS_CHANGED,
        data=data,
    )
    if transition == "propose":
        publish(
            organisation_id=mission.organisation_id,
            event=WebhookEvent.MISSION_PROPOSED,
            data=data,
        )


def on_decision_recorded(*, decision: Any, **_: Any) -> None:
    mission = decision.mission
    publish(
        organisation_id=mission.organisation_id,
        event=WebhookEvent.MISSION_DECIDED,
        data={
            "mission": _mission(mission),
            "decision": decision.decision,
            "comments": decision.comments,
            "status_before": decision.status_before,
            "status_after": decision.status_after,
            "decided_at": decision.decided_at,
        },
    )


def on_assessment_changed(
    *, mission: Mission, scores: dict[str, int | None], warnings: list[str], **_: Any
) -> None:
    publish(
        organisation_id=mission.organisation_id,
        event=WebhookEvent.ASSESSMENT_CHANGED,
        data={
            "mission": _mission(mission),
            "scores": scores,
            "warnings": warnings,
            "links": {"assessment": f"/api/v1/missions/{mission.key}/assessment"},
        },
    )


def on_measurements_added(*, indicator: Any, added: int, corrected: int, **_: Any) -> None:
    mission = indicator.mission
    publish(
        organisation_id=mission.organisation_id,
        event=WebhookEvent.MEASUREMENT_ADDED,
        data={
            "mission": _mission(mission),
            "indicator": indicator.key,
            "added": added,
            "corrected": corrected,
            "links": {
                "measurements": f"/api/v1/missions/{mission.key}/indicators/{indicator.key}/measurements"
            },
        },
    )


def on_document_ready(*, document: Any, **_: Any) -> None:
    ids = list(document.mission_ids or ([document.mission_id] if document.mission_id else []))
    keys = list(Mission.objects.filter(pk__in=ids).values_list("key", flat=True))
    publish(
        organisation_id=document.organisation_id,
        event=WebhookEvent.DOCUMENT_READY,
        data={
            "document": document.pk,
            "kind": document.kind,
            "title": document.title,
            "missions": sorted(keys),
            "links": {
                "self": f"/api/v1/documents/{document.pk}",
                "pdf": f"/api/v1/documents/{document.pk}/file",
            },
        },
    )


def connect() -> None:
    mission_signals.mission_transitioned.connect(
        on_mission_transitioned, dispatch_uid="api.mission_transitioned"
    )
    portfolio_signals.decision_recorded.connect(
        on_decision_recorded, dispatch_uid="api.decision_recorded"
    )
    evaluation_signals.assessment_changed.connect(
        on_assessment_changed, dispatch_uid="api.assessment_changed"
    )
    evaluation_signals.measurements_added.connect(
        on_measurements_added, dispatch_uid="api.measurements_added"
    )
    document_signals.document_ready.connect(on_document_ready, dispatch_uid="api.document_ready")
