"""Which models the audit trail records, and how an entry finds its organisation and mission.

Every model of our apps is audited unless it is listed in `NOT_AUDITED` (rows the system writes
on its own, or rows that are themselves a log), so a model another app adds later is recorded
without anyone remembering to come here (`audit/tests/test_audit.py` checks that every model
of those apps is connected or listed here).

How an object reaches its owner is found once per model from its foreign keys: directly (an
`organisation` or `mission` field), or through a parent (a milestone through its target, a
measurement through its indicator). Values of secret-looking fields (password, token, OTP secret,
any `*_hash`) are masked before they are stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from auditlog.registry import auditlog
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models

# The apps whose models people edit (the project's own apps, not Django's or libraries').
# The API app sits above the audit trail in the layers but its tokens are recorded like the rest.
AUDITED_APPS = (*settings.DOMAIN_APPS, "api")

# Models not recorded, and why. Everything else in AUDITED_APPS is.
NOT_AUDITED: dict[str, str] = {
    # Not part of any organisation; membership changes are what matter, and are recorded.
    "accounts.User": "no organisation; sign-ins and memberships are recorded instead",
    # Logs and copies of their own: recording them would record every change twice.
    "missions.MissionChange": "the mission history, itself a log",
    "canvas.CanvasBoxRevision": "the canvas revision log",
    "stakeholders.StakeholderPosition": "the stakeholder movement log, written in bulk",
    "evaluation.FindingDecision": "the decision log of a warning; the warning's change is recorded",
    "missions.ProjectContribution": "written in bulk (bulk_create skips signals); see the project",
    "evaluation.GoNoGoAnswer": "written in bulk with its review, which is recorded",
    # Written by the system, not by people.
    "evaluation.AssessmentState": "written by background assessments",
    "evaluation.AssessmentRun": "written by background assessments",
    "evaluation.CriterionResult": "written by background assessments",
    "portfolios.MissionSearch": "a search index derived from missions",
    "portfolios.PortfolioStamp": "a cache key",
    "documents.BriefingPiece": "a cache of rendered PDF pieces",
    # Members of the public: their personal data stays out of the trail, so deleting their
    # data deletes it; what staff do with their ideas is recorded on the idea.
    "participation.Participant": "personal data of a member of the public, deleted on request",
    "participation.Support": "written by members of the public, counted on the idea",
    "participation.Comment": "written by members of the public; moderation is on the idea",
    "participation.Report": "written by members of the public; the moderator's action is recorded",
    # Answers kept for retries; every call is recorded as an "API call" event instead.
    "api.IdempotentResponse": "a cache of answers for retried API calls",
    "api.WebhookDelivery": "the webhook delivery log, itself a log written by the system",
}

# Columns that change on every save (or say who saved, which the entry already says).
BOOKKEEPING_FIELDS = ("created_at", "updated_at", "created_by", "updated_by", "version")

# Per model: only these fields (big JSON copies, worker bookkeeping and the like stay out).
INCLUDE_ONLY: dict[str, list[str]] = {
    "missions.MissionSnapshot": ["name", "taken_by"],
    "evaluation.Finding": ["status", "reason", "decided_by"],
    "documents.GeneratedDocument": ["kind", "title", "mission", "requested_by"],
    # The published copy is big and the mission's own history has it; who published and when.
    "participation.Publication": ["introduction", "published_at", "published_by", "withdrawn_at"],
    # What staff did with the idea, not who sent it in.
    "participation.Idea": [
        "hidden_at",
        "hidden_reason",
        "answer",
        "response",
        "merged_into",
        "project",
    ],
}

# Many-to-many fields worth recording (who took part in an engagement activity).
M2M_FIELDS: dict[str, list[str]] = {
    "stakeholders.EngagementActivity": ["stakeholders"],
}

SECRET_NAME = re.compile(r"password|secret|token|otp|recovery|_hash$", re.IGNORECASE)
MASK = "••••••"


def mask(value: str) -> str:
    """What a masked value is stored as: nothing of the secret, not even its length."""
    return MASK if value not in ("", "None") else value


@dataclass(frozen=True)
class Owner:
    """How to reach the owners of a model's object: attribute paths, empty when not reachable."""

    organisation_path: tuple[str, ...] = ()
    mission_path: tuple[str, ...] = ()
    is_organisation: bool = False
    is_mission: bool = False
    secret_fields: list[str] = field(default_factory=list)


_owners: dict[type[models.Model], Owner] = {}


def _path_to(
    model: type[models.Model], target: type[models.Model], depth: int = 3
) -> tuple[str, ...]:
    """The shortest chain of forward foreign keys from `model` to `target` (not through users)."""
    user_model = apps.get_model("accounts", "User")
    frontier: list[tuple[type[models.Model], tuple[str, ...]]] = [(model, ())]
    for _level in range(depth):
        next_frontier = []
        for current, path in frontier:
            for fk in current._meta.concrete_fields:
                if not fk.many_to_one and not fk.one_to_one:
                    continue
                related = fk.related_model
                if related is user_model or related is None:
                    continue
                if related is target:
                    return (*path, fk.name)
                next_frontier.append((related, (*path, fk.name)))
        frontier = next_frontier
    return ()


def owner_spec(model: type[models.Model]) -> Owner:
    spec = _owners.get(model)
    if spec is None:
        organisation = apps.get_model("accounts", "Organisation")
        mission = apps.get_model("missions", "Mission")
        mission_path = _path_to(model, mission) if model is not mission else ()
        organisation_path = _path_to(model, organisation)
        # Through the mission is as good, and the usual way for a mission's parts.
        if not organisation_path and mission_path:
            organisation_path = (*mission_path, "organisation")
        spec = Owner(
            organisation_path=organisation_path,
            mission_path=mission_path,
            is_organisation=model is organisation,
            is_mission=model is mission,
            secret_fields=[
                f.name for f in model._meta.concrete_fields if SECRET_NAME.search(f.name)
            ],
        )
        _owners[model] = spec
    return spec


def _id_along(instance: models.Model, path: tuple[str, ...]) -> int | None:
    """The id at the end of `path`, reading `<last>_id` so the last hop costs no query."""
    obj: Any = instance
    try:
        for name in path[:-1]:
            obj = getattr(obj, name)
            if obj is None:
                return None
        return getattr(obj, f"{path[-1]}_id")
    except ObjectDoesNotExist:
        # A parent already deleted in the same cascade: the entry keeps no owner rather than fail.
        return None


def owner_of(instance: models.Model) -> tuple[int | None, int | None]:
    """(organisation id, mission id) of an audited object; None where it has none."""
    spec = owner_spec(type(instance))
    if spec.is_organisation:
        return instance.pk, None
    mission_id = instance.pk if spec.is_mission else None
    if spec.mission_path:
        mission_id = _id_along(instance, spec.mission_path)
    organisation_id = (
        _id_along(instance, spec.organisation_path) if spec.organisation_path else None
    )
    return organisation_id, mission_id


def audited_models() -> list[type[models.Model]]:
    return [
        model
        for label in AUDITED_APPS
        for model in apps.get_app_config(label).get_models()
        if model._meta.label not in NOT_AUDITED
    ]


def register_all() -> None:
    """Connect django-auditlog to every audited model (called once, from `AuditConfig.ready`)."""
    for model in audited_models():
        label = model._meta.label
        names = {f.name for f in model._meta.concrete_fields}
        spec = owner_spec(model)
        auditlog.register(
            model,
            include_fields=INCLUDE_ONLY.get(label),
            exclude_fields=[name for name in BOOKKEEPING_FIELDS if name in names],
            mask_fields=spec.secret_fields,
            m2m_fields=M2M_FIELDS.get(label),
        )
