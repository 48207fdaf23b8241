"""Render ahead: once a change to a mission settles, make again the documents already exported
for it, so the next click finds its file made.

- `on_mission_changed` is a `missions.hooks` listener (after the change commits). A mission
  nobody exported (no canvas or briefing row, no pack piece) costs two indexed reads and
  nothing else. Otherwise it counts the change in Redis (`INCR`) and sends `render_ahead_task`
  to the low-priority `pdf_ahead` queue with a countdown: only the task carrying the latest
  count renders, so a burst of autosaves makes one render, after the last save.
- `render_ahead` (that task's call) makes what a click would make now: the mission's latest
  canvas and briefing, as asked for by whoever asked last (the same inputs, so the same input
  hash a click computes), and the mission's briefing piece when a pack held it before. Each
  is looked up first: a document whose inputs did not change is found and left alone.
- It never keeps a person waiting: it renders in the task itself (never on `pdf`), one at a
  time across all workers (an advisory lock; the other pdf processes stay free for clicks),
  yields to any click waiting on the `pdf` queue before each render, and waits for the
  mission's assessment first when one is on its way (the briefing prints its outcome).

A click always computes its own inputs, so a render ahead that missed something (made before
the assessment changed the criteria, say) is only a miss: the click renders as before.
"""

from __future__ import annotations

import logging
import random
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import translation

from config.locks import advisory_lock
from documents import packs, queueing, rendering, selectors
from documents.models import BriefingPiece, DocumentKind, DocumentStatus, GeneratedDocument
from missions.models import Mission

logger = logging.getLogger(__name__)

QUEUE = "pdf_ahead"
# Where clicks wait (CELERY_TASK_ROUTES): an ahead render yields while anything waits there.
CLICK_QUEUE = "pdf"
COUNTER_KEY = "lodestar:documents:ahead:{mission_id}"
COUNTER_TTL = 24 * 3600
# One ahead render at a time, whichever worker: "LA" above the namespaces documents.rendering
# and the assessments use.
SLOT_LOCK = 0x4C41 << 44
# How long to wait before asking again when the slot is taken, a click waits or an assessment
# is on its way (plus up to as much again at random, so many missions changed at once, as by an
# import, do not all ask at the same moment); and how many times to ask (about ten minutes)
# before leaving this change to the next click.
RETRY_SECONDS = 2.0
MAX_TRIES = 200
# What the task returns, besides the statuses of what it rendered.
SUPERSEDED = "superseded"
LATER = "later"
NOTHING = "nothing"
KINDS = (DocumentKind.CANVAS, DocumentKind.BRIEFING)


def delay_seconds() -> float:
    """How long a change must stay the latest before its documents are made again: longer
    than a pause between autosaves, and than the assessment's own delay."""
    return float(getattr(settings, "LODESTAR_RENDER_AHEAD_SECONDS", 5))


def _redis() -> Any:
    from config.health import redis_client

    return redis_client()


def was_exported(mission_id: int) -> bool:
    """A canvas or briefing of the mission was asked for, or a pack held it."""
    return (
        GeneratedDocument.objects.filter(mission_id=mission_id, kind__in=KINDS).exists()
        or BriefingPiece.objects.filter(mission_id=mission_id).exists()
    )


def on_mission_changed(mission_id: int) -> None:
    """The `missions.hooks` listener. Never fails the save that called it: without Redis the
    next click renders, as it did before render-ahead."""
    try:
        if not was_exported(mission_id):
            return
        key = COUNTER_KEY.format(mission_id=mission_id)
        client = _redis()
        change = int(client.incr(key))
        client.expire(key, COUNTER_TTL)
        _send(mission_id, change, countdown=delay_seconds())
    except Exception:
        logger.exception("Could not schedule rendering ahead for mission %s", mission_id)


def on_missions_changed(mission_ids: list[int]) -> None:
    """`on_mission_changed` for many missions at once (a bulk import): only those with
    documents to make again are looked at one by one, found in two queries."""
    try:
        exported = set(
            GeneratedDocument.objects.filter(
                mission_id__in=mission_ids, kind__in=KINDS
            ).values_list("mission_id", flat=True)
        ) | set(
            BriefingPiece.objects.filter(mission_id__in=mission_ids).values_list(
                "mission_id", flat=True
            )
        )
    except Exception:
        logger.exception("Could not schedule rendering ahead for %s missions", len(mission_ids))
        return
    for mission_id in sorted(exported):
        on_mission_changed(mission_id)


def _send(mission_id: int, change: int, *, countdown: float, tries: int = 0) -> None:
    from documents.tasks import render_ahead_task

    # At the lowest priority, behind every click and pack piece: CELERY_TASK_ROUTES.
    render_ahead_task.apply_async((mission_id, change, tries), countdown=countdown, queue=QUEUE)


def is_latest(mission_id: int, change: int) -> bool:
    value = _redis().get(COUNTER_KEY.format(mission_id=mission_id))
    return value is not None and int(value) == change


def clicks_waiting() -> bool:
    """A click's render (or a pack's piece) waits on the pdf queue."""
    try:
        client = _redis()
        return any(client.llen(key) for key in queueing.queue_keys(CLICK_QUEUE))
    except Exception:
        return False


def assessment_on_its_way(mission_id: int) -> bool:
    """The mission's assessment is queued or running: the briefing prints what it finds."""
    try:
        from evaluation.models import AssessmentRun, RunStatus
    except ImportError:
        return False
    return AssessmentRun.objects.filter(
        mission_id=mission_id, status__in=(RunStatus.QUEUED, RunStatus.RUNNING)
    ).exists()


def render_ahead(*, mission_id: int, change: int, tries: int = 0) -> list[str]:
    """Make again what was exported for the mission (the task's one call). Returns what
    happened to each document, or why nothing was done."""
    if not is_latest(mission_id, change):
        return [SUPERSEDED]  # a later change sent its own task
    mission = Mission.objects.select_related("organisation").filter(pk=mission_id).first()
    if mission is None:
        return [NOTHING]
    if assessment_on_its_way(mission_id) and tries < MAX_TRIES:
        return _later(mission_id, change, tries)
    with advisory_lock(SLOT_LOCK) as held:
        if not held:
            return _later(mission_id, change, tries)
        done: list[str] = []
        with translation.override(settings.LANGUAGE_CODE):
            for prepare in (*(_canvas_or_briefing(kind) for kind in KINDS), _piece):
                # Checked before a row is made: a row left queued would keep a click waiting.
                if clicks_waiting() and tries < MAX_TRIES:
                    return [*done, *_later(mission_id, change, tries)]
                make = prepare(mission)
                if make is not None:
                    done.append(make())
    return done or [NOTHING]


def _later(mission_id: int, change: int, tries: int) -> list[str]:
    if tries >= MAX_TRIES:
        return [NOTHING]
    countdown = RETRY_SECONDS * (1 + random.random())  # noqa: S311 (spreading, not secrecy)
    _send(mission_id, change, countdown=countdown, tries=tries + 1)
    return [LATER]


def _canvas_or_briefing(kind: str) -> Any:
    """For `kind`: a function that, given the mission, queues its document as it was last
    asked for and returns how to make it, or None when it never was asked for or its inputs
    did not change since."""
    return lambda mission: _prepare_single(mission, kind)


def _prepare_single(mission: Mission, kind: str) -> Any:
    latest = (
        GeneratedDocument.objects.filter(mission=mission, kind=kind)
        .select_related("requested_by")
        .order_by("-queued_at", "-pk")
        .first()
    )
    if latest is None or latest.requested_by is None:
        return None
    try:
        with transaction.atomic(), rendering.in_language_of(latest):
            document = queueing.single_request(
                by=latest.requested_by,
                organisation=mission.organisation,
                kind=kind,
                missions=[mission.key],
                decision=latest.context.get("decision", ""),
                enqueue=False,
            )
    except (Http404, PermissionDenied, ValidationError) as exc:
        # Its requester lost access, or the briefing grew too long: a click says why.
        logger.info("documents: no %s ahead for mission %s: %s", kind, mission.pk, exc)
        return None
    if document.status != DocumentStatus.QUEUED:
        return None  # unchanged (done), or a click's render has it
    return lambda: rendering.document_render(document_id=document.pk)


def _piece(mission: Mission) -> Any:
    """A function making the mission's briefing piece again when a pack held the mission,
    for whoever asked for the latest such pack; None when its rows did not change."""
    if not BriefingPiece.objects.filter(mission=mission).exists():
        return None
    pack = (
        GeneratedDocument.objects.filter(
            organisation_id=mission.organisation_id,
            kind=DocumentKind.PACK,
            mission_ids__contains=[mission.pk],
        )
        .select_related("requested_by")
        .order_by("-queued_at", "-pk")
        .first()
    )
    if pack is None or pack.requested_by is None:
        return None
    fingerprint = selectors.briefing_fingerprints([mission.pk]).get(mission.pk, "")
    with rendering.in_language_of(pack):
        key = packs.piece_key(fingerprint) if fingerprint else ""
    if (
        key
        and BriefingPiece.objects.filter(
            organisation_id=mission.organisation_id, fingerprint=key
        ).exists()
    ):
        return None
    try:
        with transaction.atomic(), rendering.in_language_of(pack):
            piece = packs.new_piece(
                by=pack.requested_by,
                organisation=mission.organisation,
                key=mission.key,
                fingerprint=key,
            )
    except (Http404, PermissionDenied) as exc:
        logger.info("documents: no piece ahead for mission %s: %s", mission.pk, exc)
        return None
    if piece.status != DocumentStatus.QUEUED:
        return None
    return lambda: packs.render_piece(piece_id=piece.pk)
