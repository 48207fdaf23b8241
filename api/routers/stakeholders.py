"""The stakeholder map: each stakeholder's place on the power/interest grid, attitude, roles
and engagement, read, added and changed as the map does (the same services: a change of place,
attitude or engagement is recorded in its movement history)."""

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
    mission_of,
    refused,
    user_of,
)
from api.problems import problem
from missions.models import Mission
from missions.parts import ConflictError
from stakeholders import services as stakeholder_services
from stakeholders.models import Stakeholder

router = Router(tags=["Stakeholders"])


def _data(mission: Mission, stakeholder: Stakeholder) -> dict[str, Any]:
    return {
        "key": stakeholder.key,
        "name": stakeholder.name,
        "actor": stakeholder.actor.key if stakeholder.actor else None,
        "helix": stakeholder.helix,
        "roles": list(stakeholder.roles),
        "power": stakeholder.power,
        "interest": stakeholder.interest,
        "attitude": stakeholder.attitude,
        "engagement_now": stakeholder.engagement_now,
        "engagement_planned": stakeholder.engagement_planned,
        "engagement_plan": stakeholder.engagement_plan,
        "is_core_team": stakeholder.is_core_team,
        "last_engaged": stakeholder.last_engaged,
        "version": stakeholder.version,
        "links": {"self": address("missions", mission.key, "stakeholders", stakeholder.key)},
    }


def _find(mission: Mission, key: str) -> Stakeholder:
    found = mission.stakeholders.select_related("actor").filter(key=key).first()
    if found is None:
        raise ProblemResponse(
            problem(404, _("The mission has no stakeholder “%(key)s”.") % {"key": key})
        )
    return found


def _fields(values: dict[str, Any]) -> dict[str, Any]:
    fields = dict(values)
    if "engagement_plan" in fields and fields["engagement_plan"] is None:
        fields["engagement_plan"] = ""
    return {k: v for k, v in fields.items() if v is not None or k == "last_engaged"}


@router.get(
    "/missions/{key}/stakeholders",
    response={200: list[schemas.Stakeholder]},
    summary="The stakeholder map, by name",
    operation_id="listStakeholders",
)
def list_stakeholders(request: HttpRequest, key: str) -> Any:
    mission = mission_of(request, key)
    rows = sorted(
        mission.stakeholders.select_related("actor"), key=lambda s: (s.name.lower(), s.key)
    )
    return [_data(mission, s) for s in rows]


@router.post(
    "/missions/{key}/stakeholders",
    response={201: schemas.Stakeholder},
    summary="Put a stakeholder on the map",
    description=(
        "By `name`: the register's actor of that name, or a new one (give `helix`); with "
        "`is_person`, a named person kept out of the register."
    ),
    operation_id="createStakeholder",
    openapi_extra={
        "responses": {
            "201": {
                "links": {
                    "getStakeholder": {
                        "operationId": "getStakeholder",
                        "parameters": {
                            "key": "$request.path.key",
                            "stakeholder": "$response.body#/key",
                        },
                    },
                    "updateStakeholder": {
                        "operationId": "updateStakeholder",
                        "parameters": {
                            "key": "$request.path.key",
                            "stakeholder": "$response.body#/key",
                        },
                    },
                }
            }
        }
    },
)
def create_stakeholder(request: HttpRequest, key: str, new: schemas.StakeholderNew) -> Any:
    mission = mission_of(request, key)
    values = new.dict(exclude_unset=True)
    try:
        created = stakeholder_services.stakeholder_create(
            by=user_of(request), mission=mission, **_fields(values)
        )
    except (ValidationError, PermissionDenied) as error:
        refused(error)
    found = _find(mission, created.key)
    return answer(request, _data(mission, found), version=found.version, status=201)


@router.get(
    "/missions/{key}/stakeholders/{stakeholder}",
    response={200: schemas.Stakeholder},
    summary="Read a stakeholder",
    operation_id="getStakeholder",
)
def get_stakeholder(request: HttpRequest, key: str, stakeholder: str) -> Any:
    mission = mission_of(request, key)
    found = _find(mission, stakeholder)
    return answer(request, _data(mission, found), version=found.version)


@router.patch(
    "/missions/{key}/stakeholders/{stakeholder}",
    response={200: schemas.Stakeholder},
    summary="Move or change a stakeholder",
    description="Send If-Match with the ETag you read; only the fields sent change.",
    operation_id="updateStakeholder",
)
def update_stakeholder(
    request: HttpRequest, key: str, stakeholder: str, changes: schemas.StakeholderChanges
) -> Any:
    mission = mission_of(request, key)
    found = _find(mission, stakeholder)
    version = expected_version(request)
    try:
        stakeholder_services.stakeholder_update(
            by=user_of(request),
            stakeholder=found,
            expected_version=version,
            **_fields(changes.dict(exclude_unset=True)),
        )
    except (ConflictError, ValidationError, PermissionDenied) as error:
        refused(error, current=_data(mission, _find(mission, stakeholder)))
    saved = _find(mission, stakeholder)
    return answer(request, _data(mission, saved), version=saved.version)
