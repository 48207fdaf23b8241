"""Missions and their parts: the organisation's portfolio, read and changed as the pages do.

Every read starts from `visible_to(user)` (the token's user has the token's role in its
organisation only, so another organisation's mission answers 404); every write calls the same
service a page calls, so permissions, history, the audit trail and background assessments are
the same. Keys, not database ids, name things: /missions/{mission}/projects/{project}."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field as NinjaField
from ninja import Query, Router, Schema
from pydantic import field_validator

from api import schemas
from api.http import (
    ProblemResponse,
    address,
    answer,
    decode_cursor,
    encode_cursor,
    expected_version,
    key_in_use,
    mission_of,
    organisation_of,
    refused,
    user_of,
)
from api.problems import problem
from canvas import services as canvas_services
from canvas.boxes import BOXES, get_box
from canvas.models import CanvasBox
from evaluation import selectors as evaluation_selectors
from evaluation.indicators.models import Indicator
from missions import services as mission_services
from missions.exchange.core_sections import export_projects
from missions.exchange.writing import number_text
from missions.models import Actor, Mission, MissionProject
from missions.models.choices import MissionStatus
from missions.parts import ConflictError
from portfolios.models import DECISION_PAST
from portfolios.selectors import decisions as decision_selectors

router = Router(tags=["Missions"])

PAGE_SIZE = 50


SUMMARY_FIELDS = (
    "organisation_id",
    "key",
    "title",
    "statement",
    "status",
    "challenge",
    "start_year",
    "deadline_year",
    "updated_at",
    "version",
)


def _summary(mission: Mission) -> dict[str, Any]:
    return {
        "key": mission.key,
        "title": mission.title,
        "statement": mission.statement,
        "status": mission.status,
        "challenge": mission.challenge.key,
        "start_year": mission.start_year,
        "deadline_year": mission.deadline_year,
        "updated_at": mission.updated_at,
        "version": mission.version,
        "links": {"self": address("missions", mission.key)},
    }


def _detail(mission: Mission) -> dict[str, Any]:
    return {
        **_summary(mission),
        "parent": mission.parent.key if mission.parent else None,
        "language": mission.language,
        "mandate_source": mission.mandate_source,
        "mandate_reference": mission.mandate_reference,
        "mandate_date": mission.mandate_date,
        "approved_on": mission.approved_on,
        "owner": mission.owner.key if mission.owner else None,
        "coordinator": mission.coordinator.key if mission.coordinator else None,
        "committed_budget": number_text(mission.committed_budget),
        "estimated_need": number_text(mission.estimated_need),
        "currency": mission.currency,
        "geography": mission.geography,
        "notes": mission.notes,
        "archived": mission.archived_at is not None,
    }


class MissionFilters(Schema):
    status: MissionStatus | None = NinjaField(None, description="Only missions with this status.")
    challenge: schemas.Key | None = NinjaField(
        None, description="Only missions answering this grand challenge (its key)."
    )
    updated_since: datetime.datetime | None = NinjaField(
        None, description="Only missions changed at or after this time (ISO 8601)."
    )
    archived: bool = NinjaField(False, description="Archived missions instead of current ones.")

    @field_validator("updated_since")
    @classmethod
    def _in_utc(cls, value: datetime.datetime | None) -> datetime.datetime | None:
        """In UTC (a time without an offset is taken as UTC): PostgreSQL takes offsets up to
        16 hours only, and a time at the edge of the calendar has no UTC."""
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.UTC)
        try:
            return value.astimezone(datetime.UTC)
        except OverflowError:
            raise ValueError("The time is outside the calendar once in UTC.") from None

    limit: int = NinjaField(PAGE_SIZE, ge=1, le=200, description="How many per page.")
    cursor: str | None = NinjaField(
        None, max_length=400, pattern=r"^[A-Za-z0-9_-]*$", description="From `next_cursor`."
    )


@router.get(
    "/missions",
    response={200: schemas.MissionPage},
    summary="List the organisation's missions",
    description=(
        "Ordered by key, which never changes, so paging with `cursor` neither skips nor repeats "
        "a mission when others change in between."
    ),
    operation_id="listMissions",
)
def list_missions(request: HttpRequest, filters: Query[MissionFilters]) -> Any:
    after = decode_cursor(filters.cursor)
    missions = (
        Mission.objects.visible_to(user_of(request))
        .filter(organisation=organisation_of(request))
        .filter(archived_at__isnull=not filters.archived)
        .select_related("challenge")
        # Only what a summary shows; and in the order of the unique (organisation, key) index,
        # so a page is a short range scan of it, however many missions other organisations have.
        .only(*SUMMARY_FIELDS, "challenge__key")
        .order_by("organisation_id", "key")
    )
    if filters.status:
        missions = missions.filter(status=filters.status)
    if filters.challenge:
        missions = missions.filter(challenge__key=filters.challenge)
    if filters.updated_since:
        missions = missions.filter(updated_at__gte=filters.updated_since)
    if after is not None:
        missions = missions.filter(key__gt=after)
    page = list(missions[: filters.limit + 1])
    more = len(page) > filters.limit
    page = page[: filters.limit]
    return {
        "items": [_summary(m) for m in page],
        "next_cursor": encode_cursor(page[-1].key) if more else None,
    }


@router.get(
    "/missions/{key}",
    response={200: schemas.MissionDetail},
    summary="Read a mission",
    operation_id="getMission",
)
def get_mission(request: HttpRequest, key: str) -> Any:
    mission = mission_of(request, key)
    return answer(request, _detail(mission), version=mission.version)


@router.patch(
    "/missions/{key}",
    response={200: schemas.MissionDetail},
    summary="Change a mission's fields",
    description="Send If-Match with the ETag you read. Status changes go through decisions.",
    operation_id="updateMission",
)
def update_mission(request: HttpRequest, key: str, changes: schemas.MissionChanges) -> Any:
    mission = mission_of(request, key)
    version = expected_version(request)
    fields = changes.dict(exclude_unset=True)
    fields = {
        name: ("" if value is None and name in _TEXT_FIELDS else value)
        for name, value in fields.items()
    }
    try:
        mission = mission_services.mission_update(
            by=user_of(request), mission=mission, expected_version=version, **fields
        )
    except (ConflictError, ValidationError, PermissionDenied) as error:
        refused(error, current=_detail(mission_of(request, key)))
    return answer(request, _detail(mission), version=mission.version)


_TEXT_FIELDS = {"title", "statement", "mandate_reference", "geography", "notes"}


# --- Projects -----------------------------------------------------------------------------------


def _project_data(mission: Mission, key: str | None = None) -> list[dict[str, Any]]:
    rows = export_projects(mission)
    versions = dict(mission.projects.values_list("key", "version"))
    return [
        {
            **row,
            "version": versions[row["key"]],
            "links": {"self": address("missions", mission.key, "projects", row["key"])},
        }
        for row in rows
        if key is None or row["key"] == key
    ]


def _project(request: HttpRequest, mission: Mission, key: str) -> MissionProject:
    project = mission.projects.filter(key=key).first()
    if project is None:
        raise ProblemResponse(
            problem(404, _("The mission has no project “%(key)s”.") % {"key": key})
        )
    return project


def _project_fields(request: HttpRequest, values: dict[str, Any]) -> dict[str, Any]:
    fields = dict(values)
    if "lead" in fields and fields["lead"] is not None:
        lead = Actor.objects.filter(
            organisation=organisation_of(request), key=fields["lead"]
        ).first()
        if lead is None:
            raise ProblemResponse(
                problem(
                    422,
                    _("Some values were not accepted; nothing was saved."),
                    errors=[
                        {
                            "pointer": "/body/lead",
                            "detail": _("There is no actor with this key in the register."),
                        }
                    ],
                )
            )
        fields["lead"] = lead
    for name in ("description", "notes", "title"):
        if name in fields and fields[name] is None:
            fields[name] = ""
    for name in ("instrument", "stage", "origin", "status"):
        if name in fields and fields[name] is None:
            del fields[name]
    return fields


@router.get(
    "/missions/{key}/projects",
    response={200: list[schemas.Project]},
    summary="The mission's portfolio of projects",
    operation_id="listProjects",
    tags=["Projects"],
)
def list_projects(request: HttpRequest, key: str) -> Any:
    return _project_data(mission_of(request, key))


@router.post(
    "/missions/{key}/projects",
    response={201: schemas.Project},
    summary="Add a project to the mission",
    description="Send an Idempotency-Key so that a retry after a lost answer adds it once.",
    operation_id="createProject",
    tags=["Projects"],
    openapi_extra={
        "responses": {
            "201": {
                "links": {
                    "getProject": {
                        "operationId": "getProject",
                        "parameters": {
                            "key": "$request.path.key",
                            "project": "$response.body#/key",
                        },
                    },
                    "updateProject": {
                        "operationId": "updateProject",
                        "parameters": {
                            "key": "$request.path.key",
                            "project": "$response.body#/key",
                        },
                    },
                }
            }
        }
    },
)
def create_project(request: HttpRequest, key: str, new: schemas.ProjectNew) -> Any:
    mission = mission_of(request, key)
    values = new.dict(exclude_unset=True)
    title = values.pop("title")
    project_key = values.pop("key", None)
    if project_key and mission.projects.filter(key=project_key).exists():
        raise key_in_use(_("The mission already has a project “%(key)s”.") % {"key": project_key})
    try:
        project = mission_services.project_create(
            by=user_of(request),
            mission=mission,
            title=title,
            key=project_key,
            **_project_fields(request, values),
        )
    except (ValidationError, PermissionDenied) as error:
        refused(error)
    data = _project_data(mission, project.key)[0]
    return answer(request, data, version=project.version, status=201)


@router.get(
    "/missions/{key}/projects/{project}",
    response={200: schemas.Project},
    summary="Read a project",
    operation_id="getProject",
    tags=["Projects"],
)
def get_project(request: HttpRequest, key: str, project: str) -> Any:
    mission = mission_of(request, key)
    found = _project(request, mission, project)
    return answer(request, _project_data(mission, found.key)[0], version=found.version)


@router.patch(
    "/missions/{key}/projects/{project}",
    response={200: schemas.Project},
    summary="Change a project",
    description="Send If-Match with the ETag you read; only the fields sent change.",
    operation_id="updateProject",
    tags=["Projects"],
)
def update_project(
    request: HttpRequest, key: str, project: str, changes: schemas.ProjectChanges
) -> Any:
    mission = mission_of(request, key)
    found = _project(request, mission, project)
    version = expected_version(request)
    try:
        saved = mission_services.project_update(
            by=user_of(request),
            project=found,
            expected_version=version,
            **_project_fields(request, changes.dict(exclude_unset=True)),
        )
    except (ConflictError, ValidationError, PermissionDenied) as error:
        refused(error, current=_project_data(mission, found.key)[0])
    return answer(request, _project_data(mission, saved.key)[0], version=saved.version)


# --- Canvas -------------------------------------------------------------------------------------


def _boxes(mission: Mission) -> list[dict[str, Any]]:
    rows = {row.box_key: row for row in CanvasBox.objects.filter(mission=mission)}
    data = []
    for box in BOXES:
        updated: datetime.datetime | None
        if box.is_statement:
            text, version, updated = mission.statement, mission.version, mission.updated_at
        else:
            row = rows.get(box.key)
            text = row.text if row else ""
            version = row.version if row else 0
            updated = row.updated_at if row else None
        data.append(
            {
                "key": box.key,
                "number": box.number,
                "title": str(box.title),
                "text": text,
                "version": version,
                "updated_at": updated,
                "links": {"self": address("missions", mission.key, "canvas", box.key)},
            }
        )
    return data


def _box(request: HttpRequest, mission: Mission, key: str) -> dict[str, Any]:
    box = get_box(key)
    if box is None:
        raise ProblemResponse(problem(404, _("The canvas has no box “%(key)s”.") % {"key": key}))
    return next(item for item in _boxes(mission) if item["key"] == box.key)


@router.get(
    "/missions/{key}/canvas",
    response={200: list[schemas.CanvasBox]},
    summary="The mission planning canvas, box by box",
    operation_id="listCanvasBoxes",
    tags=["Canvas"],
)
def list_canvas(request: HttpRequest, key: str) -> Any:
    return _boxes(mission_of(request, key))


@router.get(
    "/missions/{key}/canvas/{box}",
    response={200: schemas.CanvasBox},
    summary="Read one canvas box",
    operation_id="getCanvasBox",
    tags=["Canvas"],
)
def get_canvas_box(request: HttpRequest, key: str, box: str) -> Any:
    data = _box(request, mission_of(request, key), box)
    return answer(request, data, version=data["version"])


@router.put(
    "/missions/{key}/canvas/{box}",
    response={200: schemas.CanvasBox},
    summary="Replace the text of a canvas box",
    description=(
        "Send If-Match with the ETag you read. If someone saved the box since, the answer is "
        "412 with the current text, as the canvas page shows a conflict."
    ),
    operation_id="updateCanvasBox",
    tags=["Canvas"],
)
def update_canvas_box(request: HttpRequest, key: str, box: str, body: schemas.CanvasText) -> Any:
    mission = mission_of(request, key)
    current = _box(request, mission, box)
    version = expected_version(request)
    try:
        canvas_services.canvas_box_save(
            by=user_of(request),
            mission=mission,
            box_key=current["key"],
            text=body.text,
            expected_version=version,
        )
    except (ConflictError, ValidationError, PermissionDenied) as error:
        refused(error, current=_box(request, mission_of(request, key), box))
    data = _box(request, mission_of(request, key), box)
    return answer(request, data, version=data["version"])


# --- Indicators, stakeholders, theory of change ---------------------------------------------------


@router.get(
    "/missions/{key}/indicators",
    response={200: list[schemas.Indicator]},
    summary="The mission's indicators, each with its latest measurement",
    operation_id="listIndicators",
    tags=["Indicators"],
)
def list_indicators(request: HttpRequest, key: str) -> Any:
    mission = mission_of(request, key)
    indicators = (
        Indicator.objects.filter(mission=mission).select_related("target").order_by("name", "pk")
    )
    latest = _latest_measurements([i.pk for i in indicators])
    return [
        {
            "key": indicator.key,
            "name": indicator.name,
            "unit": indicator.unit,
            "target": indicator.target.key if indicator.target else None,
            "latest": latest.get(indicator.pk),
            "links": {
                "self": address(
                    "missions", mission.key, "indicators", indicator.key, "measurements"
                )
            },
        }
        for indicator in indicators
    ]


def measurement_data(row: Any) -> dict[str, Any]:
    return {
        "period": row.period_end,
        "value": number_text(row.value),
        "quality": row.quality,
        "source_reference": row.source_ref,
        "entered_at": row.entered_at,
    }


def _latest_measurements(ids: list[int]) -> dict[int, dict[str, Any]]:
    from evaluation.indicators.models import Measurement

    rows = (
        Measurement.objects.filter(indicator_id__in=ids, is_current=True)
        .order_by("indicator_id", "-period_end", "-entered_at", "-pk")
        .distinct("indicator_id")
    )
    return {row.indicator_id: measurement_data(row) for row in rows}


# --- Assessment and decisions ---------------------------------------------------------------------


@router.get(
    "/missions/{key}/assessment",
    response={200: schemas.Assessment},
    summary="How the mission fares against the five criteria, and its warnings",
    operation_id="getAssessment",
    tags=["Assessment"],
)
def get_assessment(request: HttpRequest, key: str) -> Any:
    assessment = evaluation_selectors.assessment_for(mission_of(request, key))
    return {
        "assessed_at": assessment.last_run.finished_at if assessment.last_run else None,
        "pending": assessment.is_pending,
        "criteria": [
            {
                "code": row.code,
                "name": str(row.criterion.name),
                "status": str(row.status.label),
                "score": row.auto_score,
                "reviewer_rating": row.verdict.rating if row.verdict else None,
                "signals": [
                    {
                        "code": signal.rule.code,
                        "label": str(signal.rule.label),
                        "status": signal.status,
                        "status_label": str(signal.status_label),
                    }
                    for signal in row.signals
                ],
            }
            for row in assessment.criteria
        ],
        "warnings": [
            {
                "code": warning.finding.code,
                "label": str(warning.rule.label) if warning.rule else warning.finding.code,
                "severity": warning.finding.severity,
                "status": warning.finding.status,
                "explanation": str(warning.rule.explanation) if warning.rule else "",
                "hint": str(warning.rule.hint) if warning.rule else "",
                "first_seen": warning.finding.first_seen,
                "decision_reason": warning.finding.reason,
            }
            for warning in assessment.warnings
        ],
    }


@router.get(
    "/missions/{key}/decisions",
    response={200: list[schemas.Decision]},
    summary="The leads' decisions on the mission, newest first",
    operation_id="listDecisions",
    tags=["Decisions"],
)
def list_decisions(request: HttpRequest, key: str) -> Any:
    mission = mission_of(request, key)
    rows = decision_selectors.decisions(
        user=user_of(request), organisation=organisation_of(request), mission=mission
    )
    return [
        {
            "decided_at": row.decided_at,
            "outcome": row.decision,
            "outcome_label": str(DECISION_PAST.get(row.decision, row.decision)),
            "reason": row.comments,
            "decided_by": row.decided_by.full_name or row.decided_by.email
            if row.decided_by
            else "",
        }
        for row in rows
    ]
