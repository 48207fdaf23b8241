"""The organisation's register: its outside actors and its grand challenges, read and added as
the Actors page and a new mission do."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from api import schemas
from api.http import key_in_use, organisation_of, refused, user_of
from missions import services as mission_services
from missions.models import Actor, GrandChallenge

router = Router(tags=["Register"])


def _actor(actor: Actor) -> dict[str, Any]:
    return {
        "key": actor.key,
        "name": actor.name,
        "helix": actor.helix,
        "kind": actor.kind,
        "country": actor.country,
    }


@router.get(
    "/actors",
    response={200: list[schemas.Actor]},
    summary="The organisation's register of outside actors",
    operation_id="listActors",
)
def list_actors(request: HttpRequest) -> Any:
    actors = (
        Actor.objects.visible_to(user_of(request))
        .filter(organisation=organisation_of(request))
        .order_by("key")
    )
    return [_actor(a) for a in actors]


@router.post(
    "/actors",
    response={201: schemas.Actor, 200: schemas.Actor},
    summary="Add an outside actor to the register",
    description=(
        "An actor of the same name (ignoring case and spaces) is not added twice: the answer "
        "is 200 with the one already there, whose key you then use."
    ),
    operation_id="createActor",
)
def create_actor(request: HttpRequest, new: schemas.ActorNew) -> Any:
    try:
        actor, created = mission_services.actor_get_or_create(
            by=user_of(request),
            organisation=organisation_of(request),
            **new.dict(exclude_unset=True),
        )
    except (ValidationError, PermissionDenied) as error:
        refused(error)
    return Status(201 if created else 200, _actor(actor))


@router.get(
    "/challenges",
    response={200: list[schemas.Challenge]},
    summary="The organisation's grand challenges",
    operation_id="listChallenges",
)
def list_challenges(request: HttpRequest) -> Any:
    rows = (
        GrandChallenge.objects.visible_to(user_of(request))
        .filter(organisation=organisation_of(request))
        .order_by("key")
    )
    return [{"key": c.key, "title": c.title} for c in rows]


@router.post(
    "/challenges",
    response={201: schemas.Challenge},
    summary="Add a grand challenge",
    operation_id="createChallenge",
)
def create_challenge(request: HttpRequest, new: schemas.ChallengeNew) -> Any:
    values = new.dict(exclude_unset=True)
    organisation = organisation_of(request)
    if values.get("key") and organisation.challenges.filter(key=values["key"]).exists():
        raise key_in_use(
            _("The organisation already has a grand challenge “%(key)s”.") % {"key": values["key"]}
        )
    try:
        challenge = mission_services.challenge_create(
            by=user_of(request), organisation=organisation, **values
        )
    except (ValidationError, PermissionDenied) as error:
        refused(error)
    return Status(201, {"key": challenge.key, "title": challenge.title})
