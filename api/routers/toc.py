"""The theory of change: its steps (activity → output → outcome → impact) and the links between
them, read, added and changed as its page does (the same services: links only go rightwards,
no link twice, a step's kind may not turn a link backwards)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

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
from evaluation.toc import services as toc_services
from evaluation.toc.exchange import export_toc
from evaluation.toc.models import ToCLink, ToCNode
from missions.models import Mission
from missions.parts import ConflictError

router = Router(tags=["Theory of change"])


def _step(mission: Mission, node: ToCNode) -> dict[str, Any]:
    return {
        "key": node.key,
        "kind": node.kind,
        "title": node.title,
        "description": node.description,
        "version": node.version,
        "links": {"self": address("missions", mission.key, "theory-of-change", "steps", node.key)},
    }


def _link(link: ToCLink) -> dict[str, Any]:
    return {
        "from_step": link.from_node.key,
        "to_step": link.to_node.key,
        "assumption": link.assumption,
        "evidence": link.evidence,
        "version": link.version,
    }


def _find(mission: Mission, key: str, pointer: str | None = None) -> ToCNode:
    node = ToCNode.objects.filter(mission=mission, key=key).first()
    if node is None:
        message = _("The theory of change has no step “%(key)s”.") % {"key": key}
        if pointer:
            raise ProblemResponse(
                problem(422, message, errors=[{"pointer": pointer, "detail": message}])
            )
        raise ProblemResponse(problem(404, message))
    return node


@router.get(
    "/missions/{key}/theory-of-change",
    response={200: dict[str, Any]},
    summary="The theory of change: steps and links (the exchange format's section)",
    operation_id="getTheoryOfChange",
)
def get_theory_of_change(request: HttpRequest, key: str) -> Any:
    return export_toc(mission_of(request, key))


@router.post(
    "/missions/{key}/theory-of-change/steps",
    response={201: schemas.ToCStep},
    summary="Add a step to the theory of change",
    operation_id="createStep",
    openapi_extra={
        "responses": {
            "201": {
                "links": {
                    "updateStep": {
                        "operationId": "updateStep",
                        "parameters": {"key": "$request.path.key", "step": "$response.body#/key"},
                    }
                }
            }
        }
    },
)
def create_step(request: HttpRequest, key: str, new: schemas.ToCStepNew) -> Any:
    mission = mission_of(request, key)
    if new.key and ToCNode.objects.filter(mission=mission, key=new.key).exists():
        raise key_in_use(_("The theory of change already has a step “%(key)s”.") % {"key": new.key})
    try:
        node = toc_services.node_create(
            by=user_of(request), mission=mission, **new.dict(exclude_unset=True)
        )
    except (ValidationError, PermissionDenied) as error:
        refused(error)
    return answer(request, _step(mission, node), version=node.version, status=201)


@router.patch(
    "/missions/{key}/theory-of-change/steps/{step}",
    response={200: schemas.ToCStep},
    summary="Change a step",
    description="Send If-Match with the step's version as its ETag; only the fields sent change.",
    operation_id="updateStep",
)
def update_step(request: HttpRequest, key: str, step: str, changes: schemas.ToCStepChanges) -> Any:
    mission = mission_of(request, key)
    node = _find(mission, step)
    version = expected_version(request)
    fields = {k: v for k, v in changes.dict(exclude_unset=True).items() if v is not None}
    try:
        saved = toc_services.node_update(
            by=user_of(request), node=node, expected_version=version, **fields
        )
    except (ConflictError, ValidationError, PermissionDenied) as error:
        refused(error, current=_step(mission, _find(mission, step)))
    return answer(request, _step(mission, saved), version=saved.version)


@router.post(
    "/missions/{key}/theory-of-change/links",
    response={201: schemas.ToCLinkOut},
    summary="Say that one step leads to another",
    description="Links go rightwards only: activity → output → outcome → impact.",
    operation_id="createLink",
)
def create_link(request: HttpRequest, key: str, new: schemas.ToCLinkNew) -> Any:
    mission = mission_of(request, key)
    from_node = _find(mission, new.from_step, "/body/from_step")
    to_node = _find(mission, new.to_step, "/body/to_step")
    try:
        link = toc_services.link_create(
            by=user_of(request),
            mission=mission,
            from_node=from_node,
            to_node=to_node,
            assumption=new.assumption,
            evidence=new.evidence,
        )
    except (ValidationError, PermissionDenied) as error:
        refused(error)
    return Status(201, _link(link))
