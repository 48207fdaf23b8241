"""Writes for documents: ask for a PDF, make it (in a worker), retry it; the briefing page.

The work is split by job, and this module keeps the calls the rest of the code base makes:

- documents.queueing: the inputs a canvas or briefing is made from, their hash, the one row
  per inputs, the `pdf` queue and retries;
- documents.layout: what a document prints (templates, contexts, the pack's own pages);
- documents.rendering: claiming a row in a worker, writing its file, recording the outcome;
- documents.packs: briefing packs, one piece per mission, made in parallel and merged;
- documents.retention: what the workers keep only to go faster, removed once unused.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from documents import packs, queueing, rendering
from documents.layout import (
    BRIEFING_MAX_PAGES,
    PIECE_TEMPLATE,
    TEMPLATE_VERSION,
    TEMPLATES,
    briefing_pages,
    check_briefing_length,
    piece_render_context,
    render_context,
    too_long_message,
)
from documents.models import BriefingNote, BriefingPiece, DocumentKind, GeneratedDocument
from documents.packs import pack_assemble, pack_docx_now, pack_pdf_now
from documents.queueing import (
    COVERING_NOTE_MAX_LENGTH,
    DECISION_MAX_LENGTH,
    PACK_MAX_MISSIONS,
    build_context,
    check_covering_note,
    check_decision,
    document_mark_failed,
    document_retry,
    input_hash,
)
from documents.retention import prune_kept

# The names other modules (views, commands, the benchmarks, tests) read from here.
__all__ = [
    "BRIEFING_MAX_PAGES",
    "COVERING_NOTE_MAX_LENGTH",
    "DECISION_MAX_LENGTH",
    "PACK_MAX_MISSIONS",
    "PIECE_TEMPLATE",
    "TEMPLATES",
    "TEMPLATE_VERSION",
    "WORD_KINDS",
    "briefing_length_problem",
    "briefing_note_save",
    "build_context",
    "check_briefing_length",
    "check_covering_note",
    "check_decision",
    "document_mark_failed",
    "document_render",
    "document_request",
    "document_retry",
    "document_word",
    "input_hash",
    "pack_assemble",
    "pack_docx_now",
    "pack_pdf_now",
    "piece_render",
    "piece_render_context",
    "prune_kept",
    "render_context",
    "word_filename",
]


def document_request(
    *,
    by: User,
    organisation: Organisation,
    kind: str,
    missions: list[str],
    decision: str = "",
    covering_note: str = "",
) -> GeneratedDocument:
    """Ask for a PDF. The document made from the same inputs is returned as it is (done, or
    still on its way; a failed one is queued again); otherwise a new row is queued and the
    render task is sent to the `pdf` queue once its transaction commits. A pack may carry a
    covering note (what it is for), printed on its first page; its missions' pieces are
    committed and sent to the workers one by one as they are built (documents.packs)."""
    queueing.check_member(by, organisation)
    decision = check_decision(decision)
    if kind == DocumentKind.PACK:
        covering_note = check_covering_note(covering_note)
        return packs.pack_request(
            by=by,
            organisation=organisation,
            keys=queueing.checked_keys(kind, missions),
            covering_note=covering_note,
        )
    with transaction.atomic():
        return queueing.single_request(
            by=by, organisation=organisation, kind=kind, missions=missions, decision=decision
        )


def document_render(*, document_id: int, queue: str | None = None) -> str:
    """Make a queued document (the `pdf` task's one call). Returns its status ("rendering"
    while a pack's pieces are still being made elsewhere), or "skipped" when another attempt
    owns it or it is already done. Safe to run twice. A pack sends its missing pieces to
    `queue` (the pdf queue by default)."""
    if GeneratedDocument.objects.filter(pk=document_id, kind=DocumentKind.PACK).exists():
        return packs.pack_start(pack_id=document_id, queue=queue)
    return rendering.document_render(document_id=document_id)


def piece_render(*, piece_id: int, queue: str | None = None) -> str:
    """Make one mission's piece of a pack (its task's one call) and settle the packs waiting
    for it. Returns its status, or "skipped" when another attempt owns it or it is done."""
    return packs.render_piece(piece_id=piece_id, queue=queue)


# --- Word copies: the same briefing or pack, editable -----------------------------------

WORD_KINDS = (DocumentKind.BRIEFING, DocumentKind.PACK)


def document_word(document: GeneratedDocument) -> bytes:
    """An editable Word copy of a briefing or pack document, made now from the inputs stored
    with it (the same data its PDF was made from; a pack's from its missions' pieces)."""

    with rendering.in_language_of(document):
        return _word(document)


def _word(document: GeneratedDocument) -> bytes:
    from documents import word

    if document.kind == DocumentKind.BRIEFING:
        return word.briefing_docx(render_context(document))
    if document.kind != DocumentKind.PACK:
        raise ValueError(f"no Word copy of a {document.kind}")
    ids = list(document.context.get("pieces", []))
    pieces = {piece.pk: piece for piece in BriefingPiece.objects.filter(pk__in=ids)}
    if len(pieces) != len(set(ids)):
        raise BriefingPiece.DoesNotExist("a mission's briefing is no longer there")
    return word.pack_docx(
        pack=render_context(document),
        briefings=[piece_render_context(pieces[pk]) for pk in ids],
    )


def word_filename(document: GeneratedDocument) -> str:
    return document.filename().removesuffix(".pdf") + ".docx"


# --- The briefing page: what the author writes for a mission's briefing -----------------


@transaction.atomic
def briefing_note_save(*, by: User, mission: Any, fields: dict[str, Any]) -> BriefingNote:
    """Store what the author wrote for the mission's briefing (the mission team may)."""
    if not by.has_perm("missions.change_mission", mission):
        raise PermissionDenied(_("Only the mission team can write its briefing."))
    note = BriefingNote.objects.select_for_update().filter(mission=mission).first()
    note = note or BriefingNote(mission=mission)
    for name, value in fields.items():
        setattr(note, name, value.strip() if isinstance(value, str) else value)
    note.updated_by = by
    note.full_clean(exclude=["mission"])
    note.save()
    return note


def briefing_length_problem(*, by: User, organisation: Organisation, key: str) -> str:
    """What to shorten if the mission's briefing, as it would be printed now, takes more than
    two pages; empty when it fits."""
    context = build_context(
        by=by, organisation=organisation, kind=DocumentKind.BRIEFING, missions=[key]
    )
    pages = briefing_pages(context)
    if pages <= BRIEFING_MAX_PAGES:
        return ""
    return too_long_message(pages, context["mission"].get("note", {}))
