"""Asking for a document: the inputs it is made from, their hash, and the queue.

A canvas or briefing is built as plain data through selectors and hashed with the print
templates' version: the same inputs find the document already made (done, or still on its
way; a failed one is queued again), otherwise a new row is queued and the render task is sent
to the `pdf` queue once the transaction commits. Two people asking at once share one row (the
unique (organisation, kind, input hash) refuses the second insert, which joins the first).
Packs are asked for through documents.packs, which uses the same rows and queue.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import languages
from accounts.models import Organisation, User
from documents import layout, selectors
from documents.models import DocumentKind, DocumentStatus, GeneratedDocument
from documents.pdf import protective_marking
from documents.rendering import claim_is_abandoned, stale_before

PACK_MAX_MISSIONS = 50
DECISION_MAX_LENGTH = 600
# The pack's covering note: what the pack is for, in the requester's words. Long enough for a
# paragraph or two, short enough to leave the first page to the decisions each mission asks for.
COVERING_NOTE_MAX_LENGTH = 1200

logger = logging.getLogger(__name__)


def queue_keys(queue: str) -> list[str]:
    """The Redis lists that hold `queue`'s waiting messages: one per priority step."""

    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    return [
        queue if step == 0 else f"{queue}{options['sep']}{step}"
        for step in options["priority_steps"]
    ]


def input_hash(kind: str, context: dict[str, Any]) -> str:
    payload = json.dumps(
        {
            "kind": kind,
            "template": layout.TEMPLATE_VERSION,
            "marking": protective_marking(),
            "context": context,
        },
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def check_member(by: User, organisation: Organisation) -> None:
    # Exporting is reading: every member may, whatever their role.
    if not by.has_perm("missions.export_missions", organisation):
        raise PermissionDenied(_("Only members of this organisation can export its missions."))


def checked_keys(kind: str, missions: list[str]) -> list[str]:
    if kind not in DocumentKind.values:
        raise ValidationError(_("Choose a canvas, a briefing or a pack."))
    keys = list(dict.fromkeys(k for k in missions if k))
    if not keys:
        raise ValidationError(_("Choose at least one mission."))
    if kind == DocumentKind.PACK and len(keys) > PACK_MAX_MISSIONS:
        raise ValidationError(
            _("A pack holds at most %(limit)s missions; you chose %(count)s.")
            % {"limit": PACK_MAX_MISSIONS, "count": len(keys)}
        )
    return keys


def build_context(
    *,
    by: User,
    organisation: Organisation,
    kind: str,
    missions: list[str],
    decision: str = "",
) -> dict[str, Any]:
    """The plain data a canvas or briefing is rendered from (and hashed over). A pack is
    made of its missions' pieces instead (documents.packs)."""
    keys = checked_keys(kind, missions)
    if kind == DocumentKind.PACK or len(keys) != 1:
        raise ValidationError(_("A canvas or briefing is about one mission."))
    context: dict[str, Any] = {
        "organisation": organisation.name,
        "language": languages.current(),
        "mission": selectors.mission_context(
            user=by, organisation=organisation, key=keys[0], kind=kind
        ),
    }
    if kind == DocumentKind.BRIEFING:
        context["decision"] = decision.strip()
    return context


def since_previous(mission_data: dict[str, Any], digest: str, language: str) -> dict[str, Any]:
    """The date of the mission's previous briefing in `language` and what changed since, for
    printing."""
    previous = selectors.previous_briefing(
        mission_id=mission_data["id"], before_hash=digest, language=language
    )
    if previous is None:
        return {"previous_date": "", "changes": []}
    old: dict[str, Any] = previous.context.get("mission") or next(
        (m for m in previous.context.get("missions", []) if m.get("id") == mission_data["id"]),
        {},
    )
    return {
        "previous_date": selectors.today_text(timezone.localdate(previous.queued_at)),
        "changes": layout.describe_changes(old, mission_data),
    }


def _within(text: str, limit: int, too_long: Callable[[int], str], code: str | None = None) -> str:
    """The text, stripped; refused (never cut) when longer than the limit: a document must not
    print half of what the person wrote. `too_long(over)` words the refusal."""
    text = text.strip()
    over = len(text) - limit
    if over > 0:
        raise ValidationError(
            too_long(over) % {"limit": limit, "length": len(text), "over": over}, code=code
        )
    return text


def check_decision(decision: str) -> str:
    """The decision requested, stripped; refused (never cut) when longer than the limit."""
    return _within(
        decision,
        DECISION_MAX_LENGTH,
        lambda over: ngettext(
            "The decision requested can be at most %(limit)s characters long; it has "
            "%(length)s. Shorten it by %(over)s character.",
            "The decision requested can be at most %(limit)s characters long; it has "
            "%(length)s. Shorten it by %(over)s characters.",
            over,
        ),
    )


def check_covering_note(note: str) -> str:
    """The pack's covering note, stripped; refused (never cut) when longer than the limit."""
    return _within(
        note,
        COVERING_NOTE_MAX_LENGTH,
        lambda over: ngettext(
            "The covering note can be at most %(limit)s characters long; it has "
            "%(length)s. Shorten it by %(over)s character.",
            "The covering note can be at most %(limit)s characters long; it has "
            "%(length)s. Shorten it by %(over)s characters.",
            over,
        ),
        code="covering_note",
    )


def requested_extras(by: User) -> dict[str, Any]:
    """Printed on every document asked for now, never hashed: the day and who asked."""
    return {
        "prepared_on": selectors.today_text(timezone.localdate()),
        "requested_by": by.get_full_name() or by.email,
    }


def single_request(
    *,
    by: User,
    organisation: Organisation,
    kind: str,
    missions: list[str],
    decision: str,
    enqueue: bool = True,
) -> GeneratedDocument:
    """A canvas or briefing of one mission: the one made from the same inputs, or a new one
    queued. A briefing over two pages is refused, saying what to shorten. `enqueue=False`
    leaves a new row's render to the caller (documents.ahead renders it in its own task)."""
    context = build_context(
        by=by, organisation=organisation, kind=kind, missions=missions, decision=decision
    )
    digest = input_hash(kind, context)
    existing = find_existing(organisation, kind, digest)
    if existing is not None:
        return reuse(by, existing)
    extras = requested_extras(by)
    if kind == DocumentKind.BRIEFING:
        extras.update(since_previous(context["mission"], digest, context["language"]))
        layout.check_briefing_length(context, extras)
    return create_or_join(
        by,
        organisation,
        kind,
        digest,
        mission_id=context["mission"]["id"],
        title=layout.title(kind, context),
        context=context,
        extras=extras,
        enqueue=enqueue,
    )


def create_or_join(
    by: User,
    organisation: Organisation,
    kind: str,
    digest: str,
    *,
    enqueue: bool = True,
    **fields: Any,
) -> GeneratedDocument:
    """A new queued document, or the one someone asked for a moment ago from the same inputs.
    Two people exporting the same mission at once both find no document, both insert, and
    the unique (organisation, kind, input_hash) refuses the second: it joins the first
    (found by the load benchmark, where it answered 500)."""
    try:
        with transaction.atomic():
            document = GeneratedDocument.objects.create(
                organisation=organisation,
                kind=kind,
                input_hash=digest,
                requested_by=by,
                **fields,
            )
    except IntegrityError:
        existing = find_existing(organisation, kind, digest)
        if existing is None:
            raise
        return reuse(by, existing)
    if enqueue:
        _enqueue(document)
    return document


def find_existing(organisation: Organisation, kind: str, digest: str) -> GeneratedDocument | None:
    return (
        GeneratedDocument.objects.select_for_update()
        .filter(organisation=organisation, kind=kind, input_hash=digest)
        .first()
    )


def reuse(by: User, existing: GeneratedDocument) -> GeneratedDocument:
    if existing.can_retry:
        return document_retry(by=by, document=existing)
    return existing


def _enqueue(document: GeneratedDocument) -> None:
    from documents.tasks import render_document_task

    document_id = document.pk

    def send() -> None:
        try:
            render_document_task.delay(document_id)
        except Exception:
            # The broker (Redis) is down. Left "queued", the row would wait forever for a
            # message that was never sent, and every identical request would join it: mark it
            # failed instead, so the page says so and Retry (or the same request) queues it anew.
            logger.exception("Could not queue document %s", document_id)
            document_mark_failed(
                document_id=document_id,
                reason=_("The PDF could not be queued (the background service is unavailable).")
                + " "
                + _("Try again in a minute."),
            )

    transaction.on_commit(send)


@transaction.atomic
def document_retry(*, by: User, document: GeneratedDocument) -> GeneratedDocument:
    """Queue a failed (or abandoned) document again: the same row, rendered afresh."""
    check_member(by, document.organisation)
    # A render that never started after so long lost its message: sending another is safe, as
    # the first worker to claim the row renders it and any other message finds it claimed.
    retryable = (
        Q(status=DocumentStatus.FAILED)
        | Q(status=DocumentStatus.RENDERING, started_at__lt=stale_before())
        | Q(status=DocumentStatus.QUEUED, queued_at__lt=stale_before())
    )
    if claim_is_abandoned(document):
        # Its worker is gone: conditional on that same claim.
        retryable |= Q(status=DocumentStatus.RENDERING, claimed_by=document.claimed_by)
    updated = (
        GeneratedDocument.objects.filter(pk=document.pk)
        .filter(retryable)
        .update(
            status=DocumentStatus.QUEUED,
            queued_at=timezone.now(),
            error="",
            claimed_by="",
            started_at=None,
        )
    )
    document.refresh_from_db()
    if updated:
        _enqueue(document)
    return document


def document_mark_failed(*, document_id: int, reason: str) -> None:
    """A document whose render could not be sent (the broker is down): failed, retryable."""
    GeneratedDocument.objects.filter(
        pk=document_id, status__in=[DocumentStatus.QUEUED, DocumentStatus.RENDERING]
    ).update(status=DocumentStatus.FAILED, error=reason[:2000], finished_at=timezone.now())
