"""Writes to the audit trail that are not model saves (those django-auditlog records itself):
sign-ins and downloads. Entries are never changed or deleted by the application."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.encoding import smart_str

from accounts.models import Membership, User
from audit.models import AuditEntry, AuditEvent


def _access(
    obj: models.Model, event: str, *, by: User, organisation_id: int, **more: Any
) -> AuditEntry:
    """An entry (not saved yet) saying that `by` reached `obj`: signed in as that user, or
    downloaded a file made from it."""
    return AuditEntry(
        content_type=ContentType.objects.get_for_model(obj),
        object_pk=str(obj.pk),
        object_id=obj.pk,
        object_repr=smart_str(obj),
        action=AuditEntry.Action.ACCESS,
        event=event,
        actor=by,
        actor_email=by.email,
        organisation_id=organisation_id,
        **more,
    )


def record_sign_in(*, user: User) -> list[AuditEntry]:
    """One entry per organisation of the user: each organisation's trail is its own."""
    organisation_ids = Membership.objects.filter(user=user).values_list(
        "organisation_id", flat=True
    )
    return AuditEntry.objects.bulk_create(
        _access(user, AuditEvent.SIGN_IN, by=user, organisation_id=organisation_id)
        for organisation_id in organisation_ids
    )


def record_download(
    *,
    by: User,
    obj: models.Model,
    organisation_id: int,
    mission_id: int | None,
    filename: str,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """A file leaving Lodestar: a PDF, a CSV, a JSON export (the audit trail's own included).
    `obj` is what was exported from (the document, the mission or the organisation)."""
    entry = _access(
        obj,
        AuditEvent.DOWNLOAD,
        by=by,
        organisation_id=organisation_id,
        mission_id=mission_id,
        changes={},
        additional_data={"file": filename, **(details or {})},
    )
    entry.save(force_insert=True)
    return entry


def record_api_call(
    *, by: User, obj: models.Model, organisation_id: int, details: dict[str, Any]
) -> AuditEntry:
    """A call to the API with an organisation's token (`obj`): method, path and answer."""
    entry = _access(
        obj,
        AuditEvent.API_CALL,
        by=by,
        organisation_id=organisation_id,
        changes={},
        additional_data=details,
    )
    entry.save(force_insert=True)
    return entry
