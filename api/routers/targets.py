"""Targets and their milestones: read, add and change them as the targets page does (the same
services: the kernel's permission, version, validation and history)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from api import schemas
from api.http import (
    ProblemResponse,
    address,
    answer,
    expected_version,
    key_in_use,
    mission_of,
    refused,
    user_of,
)
from api.problems import problem
from missions import services as mission_services
from missions.exchange.writing import number_text
from missions.models import Milestone, Mission, Target
from missions.parts import ConflictError

router = Router(tags=["Targets"])

TEXTS = ("unit", "success_condition", "geography", "notes", "description")


def _milestone(mission: Mission, target: Target, milestone: Milestone) -> dict[str, Any]:
    return {
        "year": milestone.year,
        "value": number_text(milestone.value),
        "description": milestone.description,
        "status": milestone.status,
        "actual_value": number_text(milestone.actual_value),
        "version": milestone.version,
        "links": {
            "self": address(
                "missions", mission.key, "targets", target.key, "milestones", str(milestone.year)
            )
        },
    }


def _target(mission: Mission, target: Target) -> dict[str, Any]:
    return {
        "key": target.key,
        "title": target.title,
        "is_headline": target.is_headline,
        "direction": target.direction,
        "baseline_value": number_text(target.baseline_value),
        "baseline_year": target.baseline_year,
        "target_value": number_text(target.target_value),
        "target_year": target.target_year,
        "unit": target.unit,
        "success_condition": target.success_condition,
        "geography": target.geography,
        "notes": target.notes,
        "milestones": [
            _milestone(mission, target, m)
            for m in sorted(target.milestones.all(), key=lambda m: m.year)
        ],
        "version": target.version,
        "links": {"self": address("missions", mission.key, "targets", target.key)},
    }


def _find(request: HttpRequest, mission: Mission, key: str) -> Target:
    target = mission.targets.prefetch_related("milestones").filter(key=key).first()
    if target is None:
        raise ProblemResponse(
            problem(404, _("The mission has no target “%(key)s”.") % {"key": key})
        )
    return target


def _fields(values: dict[str, Any]) -> dict[str, Any]:
    """Text fields sent as null are emptied; choice fields sent as null keep their value."""
    fields = {}
    for name, value in values.items():
        if value is None and name in TEXTS:
            fields[name] = ""
        elif value is None and name in ("direction", "status", "title", "is_headline"):
            continue
        else:
            fields[name] = value
    return fields


_CREATED_LINKS = {
    "201": {
        "links": {
            "getTarget": {
                "operationId": "getTarget",
                "parameters": {"key": "$request.path.key", "target": "$response.body#/key"},
            },
            "updateTarget": {
                "operationId": "updateTarget",
                "parameters": {"key": "$request.path.key", "target": "$response.body#/key"},
            },
        }
    }
}


@router.get(
    "/missions/{key}/targets",
    response={200: list[schemas.Target]},
    summary="The mission's targets with their milestones",
    operation_id="listTargets",
)
def list_targets(request: HttpRequest, key: str) -> Any:
    mission = mission_of(request, key)
    return [
        _target(mission, t)
        for t in mission.targets.prefetch_related("milestones").order_by("position", "key")
    ]


@router.post(
    "/missions/{key}/targets",
    response={201: schemas.Target},
    summary="Add a target to the mission",
    description="Send an Idempotency-Key so that a retry after a lost answer adds it once.",
    operation_id="createTarget",
    openapi_extra={"responses": _CREATED_LINKS},
)
def create_target(request: HttpRequest, key: str, new: schemas.TargetNew) -> Any:
    mission = mission_of(request, key)
    values = new.dict(exclude_unset=True)
    target_key = values.pop("key", None)
    if target_key and mission.targets.filter(key=target_key).exists():
        raise key_in_use(_("The mission already has a target “%(key)s”.") % {"key": target_key})
    try:
        target = mission_services.target_create(
            by=user_of(request),
            mission=mission,
            title=values.pop("title"),
            direction=values.pop("direction"),
            key=target_key,
            **_fields(values),
        )
    except (ValidationError, PermissionDenied) as error:
        refused(error)
    target = _find(request, mission, target.key)
    return answer(request, _target(mission, target), version=target.version, status=201)


@router.get(
    "/missions/{key}/targets/{target}",
    response={200: schemas.Target},
    summary="Read a target and its milestones",
    operation_id="getTarget",
)
def get_target(request: HttpRequest, key: str, target: str) -> Any:
    mission = mission_of(request, key)
    found = _find(request, mission, target)
    return answer(request, _target(mission, found), version=found.version)


@router.patch(
    "/missions/{key}/targets/{target}",
    response={200: schemas.Target},
    summary="Change a target",
    description="Send If-Match with the ETag you read; only the fields sent change.",
    operation_id="updateTarget",
)
def update_target(
    request: HttpRequest, key: str, target: str, changes: schemas.TargetChanges
) -> Any:
    mission = mission_of(request, key)
    found = _find(request, mission, target)
    version = expected_version(request)
    try:
        mission_services.target_update(
            by=user_of(request),
            target=found,
            expected_version=version,
            **_fields(changes.dict(exclude_unset=True)),
        )
    except (ConflictError, ValidationError, PermissionDenied) as error:
        refused(error, current=_target(mission, _find(request, mission, target)))
    saved = _find(request, mission, target)
    return answer(request, _target(mission, saved), version=saved.version)


def _find_milestone(request: HttpRequest, mission: Mission, target: Target, year: int) -> Milestone:
    milestone = next((m for m in target.milestones.all() if m.year == year), None)
    if milestone is None:
        raise ProblemResponse(
            problem(404, _("The target has no milestone in %(year)s.") % {"year": year})
        )
    return milestone


@router.post(
    "/missions/{key}/targets/{target}/milestones",
    response={201: schemas.Milestone},
    summary="Add a milestone to a target (one a year)",
    operation_id="createMilestone",
    openapi_extra={
        "responses": {
            "201": {
                "links": {
                    "updateMilestone": {
                        "operationId": "updateMilestone",
                        "parameters": {
                            "key": "$request.path.key",
                            "target": "$request.path.target",
                            "year": "$response.body#/year",
                        },
                    }
                }
            }
        }
    },
)
def create_milestone(request: HttpRequest, key: str, target: str, new: schemas.MilestoneNew) -> Any:
    mission = mission_of(request, key)
    found = _find(request, mission, target)
    values = new.dict(exclude_unset=True)
    try:
        milestone = mission_services.milestone_create(
            by=user_of(request),
            target=found,
            year=values.pop("year"),
            **_fields(values),
        )
    except (ValidationError, PermissionDenied) as error:
        refused(error)
    return answer(
        request, _milestone(mission, found, milestone), version=milestone.version, status=201
    )


@router.patch(
    "/missions/{key}/targets/{target}/milestones/{year}",
    response={200: schemas.Milestone},
    summary="Change a milestone, such as marking it met with its actual value",
    description="Send If-Match with the ETag you read; only the fields sent change.",
    operation_id="updateMilestone",
)
def update_milestone(
    request: HttpRequest, key: str, target: str, year: int, changes: schemas.MilestoneChanges
) -> Any:
    mission = mission_of(request, key)
    found = _find(request, mission, target)
    milestone = _find_milestone(request, mission, found, year)
    version = expected_version(request)
    try:
        saved = mission_services.milestone_update(
            by=user_of(request),
            milestone=milestone,
            expected_version=version,
            **_fields(changes.dict(exclude_unset=True)),
        )
    except (ConflictError, ValidationError, PermissionDenied) as error:
        current = _find_milestone(request, mission, _find(request, mission, target), year)
        refused(error, current=_milestone(mission, found, current))
    return answer(request, _milestone(mission, found, saved), version=saved.version)
