"""Briefing packs: one piece per mission, rendered in parallel by the `pdf` workers, assembled
with one merge.

A piece is a mission's briefing as it appears in a pack, keyed by its own inputs, so every pack
that holds the mission unchanged reuses it. How a pack is made, without any process waiting on
another:

1. The request sends each piece it makes to the `pdf` queue as a task of its own, as soon as it
   is made. The pack's task (`pack_start`) claims the pack and, in the same transaction, gives
   the pieces that failed before another chance and reads which are still to be made. None: it
   assembles the pack at once. Otherwise it sends the pieces it gave another chance (on a later
   attempt, every missing piece) as tasks of their own (behind the pack's own task, which is
   sent at a higher priority once the request has made the pieces: CELERY_TASK_ROUTES), lays
   out the pack's own pages that do not wait for the pieces (documents.layout.pack_parts_ahead), and renders pieces too, from the last one
   backwards: the claims share the pieces out, so on a one-process worker (or in a test, where
   no worker runs) this task makes them all.
2. Whoever finishes a piece (`render_piece`) settles the packs waiting for it, each under its
   row lock: a failed piece fails the pack (retryable, saying which mission's briefing failed),
   and the piece that completes the set sends the pack to assembly (`pack_assemble`, a task),
   unless the pack is locked (being assembled, or its own task is reading its pieces afresh).
   The pack's own task assembles it itself when its pieces are all made by the end of its run.
3. `pack_assemble` takes the pack's render lock, checks every piece is made and merges them
   behind the pack's own pages. A second message for the same pack finds it locked or done.

Every step is safe to run twice: claims are conditional, pieces and packs are looked up again
under their locks, and a finished row is never made again.

Why not a Celery chord whose callback merges: a piece is shared by every pack that holds its
mission unchanged, so a pack may wait for a piece that another pack's task is making, which its
own chord would count as done; and a chord counts its parts in Redis (lost with it, counted twice
for a redelivered part), while the pieces' own rows in PostgreSQL already say which are made.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import languages
from accounts.models import Organisation, User
from documents import assemble, layout, queueing, rendering, selectors
from documents.models import BriefingPiece, DocumentKind, DocumentStatus, GeneratedDocument
from documents.pdf import html_to_pdf_with_outline, protective_marking, render_html

# Bump when briefing_fingerprints changes what it reads: every pack then looks its pieces up
# by their full contexts once more.
FINGERPRINT_VERSION = "4"

logger = logging.getLogger(__name__)


class PieceFailed(RuntimeError):
    """A mission's piece could not be made: the pack fails too, and is retryable."""


# --- Asking for a pack: its pieces found by fingerprint, or built --------------------------


def piece_key(fingerprint: str) -> str:
    """The cheap lookup key of a mission's piece: its rows' fingerprint plus everything else
    a piece's pages depend on (templates, marking, language)."""
    payload = [
        FINGERPRINT_VERSION,
        layout.TEMPLATE_VERSION,
        protective_marking(),
        translation.get_language(),
        fingerprint,
    ]
    return hashlib.sha256(json.dumps(payload).encode()).hexdigest()


def new_piece(
    *, by: User, organisation: Organisation, key: str, fingerprint: str, send: bool = False
) -> BriefingPiece:
    """The piece of a mission whose fingerprint is not known yet: its briefing context built
    and hashed; the piece made from the same context is reused (and learns the fingerprint).
    `send`: a new piece goes to the pdf workers once it is committed (at once outside a
    transaction), so they render it while the request builds the next mission's."""
    context: dict[str, Any] = {
        "organisation": organisation.name,
        "language": languages.current(),
        "mission": selectors.mission_context(
            user=by, organisation=organisation, key=key, kind=DocumentKind.BRIEFING
        ),
    }
    digest = queueing.input_hash(layout.PIECE_KIND, context)
    extras = {
        "prepared_on": selectors.today_text(timezone.localdate()),
        **queueing.since_previous(context["mission"], digest, context["language"]),
    }
    piece, created = BriefingPiece.objects.get_or_create(
        organisation=organisation,
        input_hash=digest,
        defaults={
            "mission_id": context["mission"]["id"],
            "context": context,
            "extras": extras,
            "fingerprint": fingerprint,
        },
    )
    if not created and fingerprint and piece.fingerprint != fingerprint:
        BriefingPiece.objects.filter(pk=piece.pk).update(fingerprint=fingerprint)
    if created and send:
        _send("render_piece_task", [piece.pk], None)
    return piece


def pack_pieces(*, by: User, organisation: Organisation, keys: list[str]) -> list[BriefingPiece]:
    """The pieces of a pack of these missions, in order. Missions whose rows are unchanged
    since a piece was made are found by fingerprint in a few queries, with no context built;
    only the others are built, and each sent to the pdf workers as soon as it is (called
    outside a transaction, as a pack request is, they render while the rest is built)."""
    mission_ids = selectors.pack_mission_ids(user=by, organisation=organisation, keys=keys)
    fingerprints = {
        pk: piece_key(value) for pk, value in selectors.briefing_fingerprints(mission_ids).items()
    }
    known = {
        piece.fingerprint: piece
        for piece in BriefingPiece.objects.filter(
            organisation=organisation, fingerprint__in=set(fingerprints.values())
        )
    }
    pieces = []
    for key, mission_id in zip(keys, mission_ids, strict=True):
        fingerprint = fingerprints.get(mission_id, "")
        piece = known.get(fingerprint) if fingerprint else None
        if piece is None:
            piece = new_piece(
                by=by, organisation=organisation, key=key, fingerprint=fingerprint, send=True
            )
        pieces.append(piece)
    return pieces


def pack_request(
    *, by: User, organisation: Organisation, keys: list[str], covering_note: str = ""
) -> GeneratedDocument:
    """The pack of these missions (checked keys) with this covering note: the one made from
    the same pieces, or a new one queued. The pieces are made outside the pack's transaction,
    so the workers start on them while the request is still building the others."""
    pieces = pack_pieces(by=by, organisation=organisation, keys=keys)
    with transaction.atomic():
        return _pack_row(
            by=by, organisation=organisation, pieces=pieces, covering_note=covering_note
        )


def _pack_row(
    *, by: User, organisation: Organisation, pieces: list[BriefingPiece], covering_note: str
) -> GeneratedDocument:
    """The pack of these pieces with this covering note: the one made before, or a new one
    queued (in the caller's transaction)."""
    language = languages.current()
    context: dict[str, Any] = {
        "organisation": organisation.name,
        "language": language,
        "missions": [layout.pack_summary(piece.context["mission"]) for piece in pieces],
        "pieces": [piece.pk for piece in pieces],
        "covering_note": covering_note,
    }
    # The pack's hash is made of its pieces' hashes (each covers its mission's whole context)
    # and its covering note.
    digest = queueing.input_hash(
        DocumentKind.PACK,
        {
            "organisation": organisation.name,
            "language": language,
            "pieces": [piece.input_hash for piece in pieces],
            "covering_note": covering_note,
        },
    )
    existing = queueing.find_existing(organisation, DocumentKind.PACK, digest)
    if existing is not None:
        return queueing.reuse(by, existing)
    return queueing.create_or_join(
        by,
        organisation,
        DocumentKind.PACK,
        digest,
        mission_ids=[m["id"] for m in context["missions"]],
        title=layout.title(DocumentKind.PACK, context),
        context=context,
        extras=queueing.requested_extras(by),
    )


# --- Making a pack in the workers ----------------------------------------------------------


def _send(task_name: str, ids: list[int], queue: str | None) -> None:
    """Send one task per id once this state is visible, to the queue the pack's work came
    from (the pdf queue unless a test runs workers of its own)."""
    from documents import tasks

    task = getattr(tasks, task_name)
    # (A piece's lower priority comes with its route: CELERY_TASK_ROUTES.)
    options = {"queue": queue} if queue else {}

    def send() -> None:
        try:
            for pk in ids:
                task.apply_async((pk,), **options)
        except Exception:
            # The broker is down: the pack's own task still makes every piece itself, and a
            # pack left waiting becomes retryable once stale.
            logger.exception("Could not queue %s for %s", task_name, ids)

    transaction.on_commit(send)


def _waiting_for(pack: GeneratedDocument) -> list[int]:
    """The pack's pieces not made yet, in order; PieceFailed when one failed or is gone."""
    ids = list(dict.fromkeys(pack.context["pieces"]))
    rows = {
        pk: (status, error, title)
        for pk, status, error, title in BriefingPiece.objects.filter(pk__in=ids).values_list(
            "pk", "status", "error", "context__mission__title"
        )
    }
    if len(rows) != len(ids):
        raise PieceFailed(_("A mission's briefing is no longer there; ask again."))
    for status, error, title in rows.values():
        if status == DocumentStatus.FAILED:
            raise PieceFailed(
                _("The briefing on %(title)s failed: %(error)s") % {"title": title, "error": error}
            )
    return [pk for pk in ids if rows[pk][0] != DocumentStatus.DONE]


def pack_start(*, pack_id: int, queue: str | None = None) -> str:
    """Make a queued pack (its `pdf` task's call), as described at the top of this module.
    Returns its status ("rendering" while other workers still make its pieces), or "skipped"
    when another attempt owns it or it is finished."""
    with rendering.render_lock(GeneratedDocument, pack_id) as held:
        if not held:
            return rendering.SKIPPED
        with transaction.atomic():
            pack = rendering.claim(GeneratedDocument, pack_id)
            if pack is None:
                return rendering.SKIPPED
            # A new attempt gives the pieces that failed before another chance. In the claim's
            # transaction, so no piece settling meanwhile finds the pack started but not reset.
            retried = set(
                BriefingPiece.objects.filter(
                    pk__in=pack.context["pieces"], status=DocumentStatus.FAILED
                ).values_list("pk", flat=True)
            )
            BriefingPiece.objects.filter(pk__in=retried).update(
                status=DocumentStatus.QUEUED, error="", claimed_by="", started_at=None
            )
            failure: PieceFailed | None = None
            try:
                missing = _waiting_for(pack)
            except PieceFailed as exc:
                missing, failure = [], exc
        if failure is not None:
            return rendering.record_failure(pack, str(failure), seconds=None)
        # The pack's own pages in its language, whichever the worker runs in.
        with rendering.in_language_of(pack):
            if not missing:
                return _assemble(pack)
            _send("render_piece_task", _to_send(pack, missing, retried), queue)
            # While other workers make the missing pieces, this task lays out the pack's own
            # pages: the cover and the summary, which print no page numbers, and the contents
            # too if it can tell the numbers (each missing piece as long as its mission's last
            # one). Still under the pack's lock, so a piece finished meanwhile leaves the
            # assembly to this task, which checks its pieces again below, once the lock is let
            # go.
            _parts_ahead(pack, _pieces_with_pages_guessed(pack, missing))
    for piece_id in reversed(missing):
        render_piece(piece_id=piece_id, queue=queue, besides=pack_id)
    # Checked without the pack's lock: a piece another worker still makes is settled by that
    # worker, which must not find the pack locked, and sends the pack on.
    with contextlib.suppress(PieceFailed):  # recorded by pack_assemble
        if _waiting_for(pack):
            return DocumentStatus.RENDERING
    return pack_assemble(pack_id=pack_id)


def _to_send(pack: GeneratedDocument, missing: list[int], retried: set[int]) -> list[int]:
    """The missing pieces a pack's task sends to the workers. Its request sent each piece it
    made, so a first attempt sends only those it gave another chance: sending every missing
    piece again put twenty messages behind the pieces, each finding its piece made, on the
    workers the pack's last pieces and its assembly wait for. A later attempt (the first died,
    or its request's messages were lost with the broker) sends every piece still missing. A
    piece nobody sent is made all the same: this task makes the missing pieces too."""
    if pack.attempts > 1:
        return missing
    return [pk for pk in missing if pk in retried]


def _pieces_with_pages_guessed(
    pack: GeneratedDocument, missing: list[int]
) -> list[BriefingPiece] | None:
    """The pack's pieces, in order, each missing one given the page count of its mission's
    latest piece; None when a missing piece's mission has none (its length is unknown)."""
    # Their lengths only: not the contexts they were made from.
    rows = BriefingPiece.objects.filter(pk__in=pack.context["pieces"])
    pieces = {p.pk: p for p in rows.only("pk", "mission_id", "page_count")}
    wanted = {
        mission_id
        for pk in missing
        if pk in pieces and (mission_id := pieces[pk].mission_id) is not None
    }
    earlier = dict(
        BriefingPiece.objects.filter(
            mission_id__in=wanted, status=DocumentStatus.DONE, page_count__isnull=False
        )
        .order_by("mission_id", "-finished_at", "-pk")
        .distinct("mission_id")
        .values_list("mission_id", "page_count")
    )
    ordered = []
    for pk in pack.context["pieces"]:
        piece = pieces.get(pk)
        if piece is None:
            return None
        if pk in missing:
            if piece.mission_id not in earlier:
                return None
            piece.page_count = earlier[piece.mission_id]  # a guess, on this copy only
        ordered.append(piece)
    return ordered


def _parts_ahead(pack: GeneratedDocument, pieces: list[BriefingPiece] | None) -> None:
    try:
        layout.pack_parts_ahead(pack, pieces)
    except Exception:
        # The assembly lays them out again, and fails the pack if they still cannot be.
        logger.exception("pack %s: its own pages could not be laid out ahead", pack.pk)


def render_piece(*, piece_id: int, queue: str | None = None, besides: int | None = None) -> str:
    """Make one mission's piece (its task's call, or a pack's own task helping), then settle
    the packs waiting for it (but `besides`, the pack whose task is making it). Returns the
    piece's status, or "skipped" when another attempt owns it or it is done."""
    status = rendering.piece_render(piece_id=piece_id)
    # Settled even when skipped: a piece made by an attempt that died before settling, or a
    # duplicate message, must not leave a pack waiting.
    piece_settled(piece_id=piece_id, queue=queue, besides=besides)
    return status


def piece_settled(*, piece_id: int, queue: str | None = None, besides: int | None = None) -> None:
    """A piece was made (or failed): each pack waiting for it, under its row lock, fails with
    it or, when it was the last piece missing, goes to assembly."""
    waiting = GeneratedDocument.objects.filter(
        kind=DocumentKind.PACK,
        status=DocumentStatus.RENDERING,
        context__pieces__contains=[piece_id],
    )
    if besides is not None:
        waiting = waiting.exclude(pk=besides)
    for pack_id in list(waiting.order_by("pk").values_list("pk", flat=True)):
        with transaction.atomic():
            pack = (
                GeneratedDocument.objects.select_for_update()
                .filter(pk=pack_id, status=DocumentStatus.RENDERING)
                .first()
            )
            if pack is None:
                continue
            try:
                missing = _waiting_for(pack)
            except PieceFailed as exc:
                GeneratedDocument.objects.filter(pk=pack_id).update(
                    status=DocumentStatus.FAILED,
                    error=str(exc)[:2000],
                    finished_at=timezone.now(),
                )
                continue
            # A pack locked is being assembled, or its own task is starting it and reads its
            # pieces afresh: sending it on again would only queue a task that finds it taken.
            if not missing and not rendering.is_held(GeneratedDocument, pack_id):
                _send("assemble_pack_task", [pack_id], queue)


def pack_assemble(*, pack_id: int) -> str:
    """Assemble a pack whose pieces are all made (the assembly task's call). Returns its
    status, or "skipped" if another attempt holds the pack or it is no longer waiting.
    ("rendering" if a piece is not made yet: only a stray message finds that, as the pack is
    sent here once its pieces are made, and made pieces stay made.)"""
    with rendering.render_lock(GeneratedDocument, pack_id) as held:
        if not held:
            return rendering.SKIPPED
        pack = (
            GeneratedDocument.objects.select_related("organisation")
            .filter(pk=pack_id, kind=DocumentKind.PACK, status=DocumentStatus.RENDERING)
            .first()
        )
        if pack is None:
            return rendering.SKIPPED
        try:
            missing = _waiting_for(pack)
        except PieceFailed as exc:
            return rendering.record_failure(_take(pack), str(exc), seconds=None)
        if missing:
            return DocumentStatus.RENDERING
        with rendering.in_language_of(pack):
            return _assemble(_take(pack))


def _take(pack: GeneratedDocument) -> GeneratedDocument:
    """The pack, claimed by this process (which holds its lock) to finish it."""
    pack.claimed_by = rendering.worker_name()
    GeneratedDocument.objects.filter(pk=pack.pk).update(claimed_by=pack.claimed_by)
    return pack


def _assemble(pack: GeneratedDocument) -> str:
    """The pack's own pages and its pieces' files, merged and written (its lock held)."""
    try:
        pieces = {
            piece.pk: piece for piece in BriefingPiece.objects.filter(pk__in=pack.context["pieces"])
        }
        ordered = [pieces[pk] for pk in pack.context["pieces"]]
        files = []
        for piece in ordered:
            with piece.file.open("rb") as handle:
                files.append(handle.read())
        pdf, pages = _merge(pack, ordered, files)
        name = rendering.write_atomically(pack, pdf)
    except Exception as exc:
        return rendering.record_failure(pack, exc, seconds=_since_started(pack))
    return rendering.record_done(
        pack, name=name, pdf=pdf, pages=pages, seconds=_since_started(pack)
    )


def _since_started(pack: GeneratedDocument) -> float | None:
    """A pack's render time: from its task's claim to now, its pieces' renders included."""
    if pack.started_at is None:
        return None
    return (timezone.now() - pack.started_at).total_seconds()


def _merge(
    pack: GeneratedDocument,
    pieces: list[BriefingPiece],
    files: list[bytes],
    *,
    keep: bool = True,
) -> tuple[bytes, int]:
    """The pack's own pages laid out around its pieces (found made if laid out ahead), and the
    pieces merged behind them. `keep=False`: nothing stored (export_briefing)."""
    front = layout.pack_front(pack, pieces, keep=keep)
    total = front.pages + sum(piece.page_count or 0 for piece in pieces)
    return assemble.merge(
        front=[assemble.Part(pdf=part.pdf, pages=part.pages) for part in front.parts],
        stamps=layout.pack_stamps_pdf(2, total),
        pieces=[
            assemble.Piece(
                title=piece.context["mission"]["title"],
                pdf=data,
                pages=piece.page_count or 0,
                outline=piece.outline,
            )
            for piece, data in zip(pieces, files, strict=True)
        ],
        title=pack.title,
        language=languages.current(),
        front_outline=front.outline(),
        # documents/tests/test_structure.py checks the assembled tree (PDF/UA-1).
        pdf_ua=True,
    )


# --- A pack made now, in this process, nothing stored (export_briefing) ---------------------


def _pack_now(
    *, by: User, organisation: Organisation, keys: list[str], covering_note: str = ""
) -> tuple[GeneratedDocument, list[BriefingPiece]]:
    """A pack and its pieces built in this process from contexts made now, nothing stored:
    the same data a worker's pack is made from."""
    keys = queueing.checked_keys(DocumentKind.PACK, keys)
    covering_note = queueing.check_covering_note(covering_note)
    today = selectors.today_text(timezone.localdate())
    pieces = []
    for key in keys:
        context = {
            "organisation": organisation.name,
            "mission": selectors.mission_context(
                user=by, organisation=organisation, key=key, kind=DocumentKind.BRIEFING
            ),
        }
        extras = {"prepared_on": today, "previous_date": "", "changes": []}
        pieces.append(BriefingPiece(organisation=organisation, context=context, extras=extras))
    pack_context = {
        "organisation": organisation.name,
        "missions": [layout.pack_summary(piece.context["mission"]) for piece in pieces],
        "covering_note": covering_note,
    }
    pack = GeneratedDocument(
        organisation=organisation,
        kind=DocumentKind.PACK,
        context=pack_context,
        title=layout.title(DocumentKind.PACK, pack_context),
        extras=queueing.requested_extras(by),
    )
    return pack, pieces


def pack_pdf_now(
    *, by: User, organisation: Organisation, keys: list[str], covering_note: str = ""
) -> tuple[bytes, int]:
    """A briefing pack rendered in this process without storing anything (export_briefing):
    the same pieces, pack pages and assembly as a worker's, from contexts built now."""
    pack, pieces = _pack_now(
        by=by, organisation=organisation, keys=keys, covering_note=covering_note
    )
    files = []
    for piece in pieces:
        html = render_html(layout.PIECE_TEMPLATE, layout.piece_render_context(piece))
        pdf, piece.page_count, piece.outline = html_to_pdf_with_outline(html)
        files.append(pdf)
    return _merge(pack, pieces, files, keep=False)


def pack_docx_now(
    *, by: User, organisation: Organisation, keys: list[str], covering_note: str = ""
) -> bytes:
    """The same pack as an editable Word document (export_briefing --out *.docx)."""
    from documents import word

    pack, pieces = _pack_now(
        by=by, organisation=organisation, keys=keys, covering_note=covering_note
    )
    return word.pack_docx(
        pack=layout.render_context(pack),
        briefings=[layout.piece_render_context(p) for p in pieces],
    )
