"""Writes for documents: ask for a PDF, render it (in a worker), retry it.

`document_request` builds the plain-data context through selectors, hashes it with the print
templates' version, and either returns the document already made from the same inputs or
queues a new one on the `pdf` queue after commit. `document_render` (the task's one call)
claims the row with a conditional UPDATE, renders from the stored context, writes the file
atomically (temporary file, then rename) and marks it done or failed. A row left "rendering" by
a worker that died is taken over by the next attempt: a redelivery of the message (acks_late +
reject_on_worker_lost), a retry from the page, or any attempt once the claim is stale.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import socket
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import Organisation, User
from documents import canvas_print, selectors, signals
from documents.models import (
    BriefingNote,
    BriefingPiece,
    DocumentKind,
    DocumentStatus,
    GeneratedDocument,
)
from documents.pdf import (
    html_to_pdf_with_outline,
    page_count,
    protective_marking,
    render_html,
    render_pdf,
)

# Bump when a print template or its CSS changes what a document looks like: every document
# is then rendered afresh the next time it is asked for.
TEMPLATE_VERSION = "2026-12-06.2"  # bump when a print template changes what is printed
TEMPLATES = {
    DocumentKind.CANVAS: "documents/print/canvas.html",
    DocumentKind.BRIEFING: "documents/print/briefing.html",
    DocumentKind.PACK: "documents/print/pack.html",
}
PIECE_TEMPLATE = "documents/print/pack_piece.html"
PIECE_KIND = "piece"
# Bump when briefing_fingerprints changes what it reads: every pack then looks its pieces up
# by their full contexts once more.
FINGERPRINT_VERSION = "2"
# How often a pack render looks at pieces other workers are rendering.
PIECE_POLL_SECONDS = 0.05
PACK_MAX_MISSIONS = 50
DECISION_MAX_LENGTH = 600
# The pack's covering note: what the pack is for, in the requester's words. Long enough for a
# paragraph or two, short enough to leave the first page to the decisions each mission asks for.
COVERING_NOTE_MAX_LENGTH = 1200
BRIEFING_MAX_PAGES = 2

logger = logging.getLogger(__name__)


def stale_before() -> Any:
    """Claims older than this belong to a worker that is gone: no render may run longer than
    the hard time limit."""
    limit = int(getattr(settings, "CELERY_TASK_TIME_LIMIT", 360))
    return timezone.now() - timedelta(seconds=limit + 60)


def input_hash(kind: str, context: dict[str, Any]) -> str:
    payload = json.dumps(
        {
            "kind": kind,
            "template": TEMPLATE_VERSION,
            "marking": protective_marking(),
            "context": context,
        },
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _check_member(actor: User, organisation: Organisation) -> None:
    # Exporting is reading: every member may, whatever their role.
    if not actor.has_perm("missions.export_missions", organisation):
        raise PermissionDenied(_("Only members of this organisation can export its missions."))


def build_context(
    *,
    actor: User,
    organisation: Organisation,
    kind: str,
    missions: list[str],
    decision: str = "",
) -> dict[str, Any]:
    """The plain data a document is rendered from (and hashed over)."""
    keys = _checked_keys(kind, missions)
    if kind == DocumentKind.PACK:
        return {
            "organisation": organisation.name,
            "missions": selectors.pack_missions(user=actor, organisation=organisation, keys=keys),
        }
    if len(keys) != 1:
        raise ValidationError(_("A canvas or briefing is about one mission."))
    context: dict[str, Any] = {
        "organisation": organisation.name,
        "mission": selectors.mission_context(
            user=actor, organisation=organisation, key=keys[0], kind=kind
        ),
    }
    if kind == DocumentKind.BRIEFING:
        context["decision"] = decision.strip()
    return context


def _checked_keys(kind: str, missions: list[str]) -> list[str]:
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


def _title(kind: str, context: dict[str, Any]) -> str:
    if kind == DocumentKind.PACK:
        count = len(context["missions"])
        return ngettext(
            "Briefing pack: %(count)s mission", "Briefing pack: %(count)s missions", count
        ) % {"count": count}
    label = DocumentKind(kind).label
    return f"{label}: {context['mission']['title']}"[:250]


def describe_changes(previous: dict[str, Any], current: dict[str, Any]) -> list[str]:
    """What changed in a mission between two briefing contexts, in sentences."""
    changes: list[str] = []

    def moved(label: str, before: Any, after: Any) -> None:
        if before != after:
            changes.append(
                _("%(what)s: %(before)s → %(after)s")
                % {"what": label, "before": before or "—", "after": after or "—"}
            )

    moved(_("Status"), previous.get("status_label"), current.get("status_label"))
    if previous.get("statement") != current.get("statement"):
        changes.append(_("The mission statement was reworded."))
    moved(_("Owner"), previous.get("owner"), current.get("owner"))
    before_budget, after_budget = previous.get("budget", {}), current.get("budget", {})
    moved(_("Committed budget"), before_budget.get("committed"), after_budget.get("committed"))
    moved(_("Estimated need"), before_budget.get("need"), after_budget.get("need"))
    before_targets = {t["title"]: t for t in previous.get("targets", [])}
    after_targets = {t["title"]: t for t in current.get("targets", [])}
    for title in after_targets.keys() - before_targets.keys():
        changes.append(_("New target: %(title)s") % {"title": title})
    for title in before_targets.keys() - after_targets.keys():
        changes.append(_("Target removed: %(title)s") % {"title": title})
    for title in sorted(after_targets.keys() & before_targets.keys()):
        old, new = before_targets[title], after_targets[title]
        for field, label in (("target", _("target")), ("latest", _("latest value"))):
            if old.get(field) != new.get(field):
                changes.append(
                    _("%(title)s, %(what)s: %(before)s → %(after)s")
                    % {
                        "title": title,
                        "what": label,
                        "before": old.get(field),
                        "after": new.get(field),
                    }
                )
    before_criteria = {c["code"]: c for c in previous.get("criteria", [])}
    for item in current.get("criteria", []):
        old = before_criteria.get(item["code"])
        if old and old["status_label"] != item["status_label"]:
            changes.append(
                _("%(code)s %(name)s: %(before)s → %(after)s")
                % {
                    "code": item["code"],
                    "name": item["name"],
                    "before": old["status_label"],
                    "after": item["status_label"],
                }
            )
    before_warnings = {w["code"]: w for w in previous.get("warnings", [])}
    after_warnings = {w["code"]: w for w in current.get("warnings", [])}
    for code in sorted(after_warnings.keys() - before_warnings.keys()):
        changes.append(_("New warning: %(label)s") % {"label": after_warnings[code]["label"]})
    for code in sorted(before_warnings.keys() - after_warnings.keys()):
        changes.append(
            _("No longer among the top warnings: %(label)s")
            % {"label": before_warnings[code]["label"]}
        )
    return changes


def _since_previous(mission_data: dict[str, Any], digest: str) -> dict[str, Any]:
    previous = selectors.previous_briefing(mission_id=mission_data["id"], before_hash=digest)
    if previous is None:
        return {"previous_date": "", "changes": []}
    old = previous.context.get("mission") or next(
        (m for m in previous.context.get("missions", []) if m.get("id") == mission_data["id"]),
        {},
    )
    return {
        "previous_date": selectors.today_text(timezone.localdate(previous.queued_at)),
        "changes": describe_changes(old, mission_data),
    }


def check_decision(decision: str) -> str:
    """The decision requested, stripped; refused (never cut) when longer than the limit."""
    decision = decision.strip()
    if len(decision) > DECISION_MAX_LENGTH:
        # Refused, never cut: a briefing must not print half of what the person wrote.
        raise ValidationError(
            ngettext(
                "The decision requested can be at most %(limit)s characters long; it has "
                "%(length)s. Shorten it by %(over)s character.",
                "The decision requested can be at most %(limit)s characters long; it has "
                "%(length)s. Shorten it by %(over)s characters.",
                len(decision) - DECISION_MAX_LENGTH,
            )
            % {
                "limit": DECISION_MAX_LENGTH,
                "length": len(decision),
                "over": len(decision) - DECISION_MAX_LENGTH,
            }
        )
    return decision


def check_covering_note(note: str) -> str:
    """The pack's covering note, stripped; refused (never cut) when longer than the limit."""
    note = note.strip()
    over = len(note) - COVERING_NOTE_MAX_LENGTH
    if over > 0:
        raise ValidationError(
            ngettext(
                "The covering note can be at most %(limit)s characters long; it has "
                "%(length)s. Shorten it by %(over)s character.",
                "The covering note can be at most %(limit)s characters long; it has "
                "%(length)s. Shorten it by %(over)s characters.",
                over,
            )
            % {"limit": COVERING_NOTE_MAX_LENGTH, "length": len(note), "over": over},
            code="covering_note",
        )
    return note


@transaction.atomic
def document_request(
    *,
    actor: User,
    organisation: Organisation,
    kind: str,
    missions: list[str],
    decision: str = "",
    covering_note: str = "",
) -> GeneratedDocument:
    """Ask for a PDF. The document made from the same inputs is returned as it is (done, or
    still on its way; a failed one is queued again); otherwise a new row is queued and the
    render task is sent to the `pdf` queue once this transaction commits. A pack may carry a
    covering note (what it is for), printed on its first page."""
    _check_member(actor, organisation)
    decision = check_decision(decision)
    if kind == DocumentKind.PACK:
        covering_note = check_covering_note(covering_note)
        return _pack_request(
            actor=actor,
            organisation=organisation,
            keys=_checked_keys(kind, missions),
            covering_note=covering_note,
        )
    context = build_context(
        actor=actor, organisation=organisation, kind=kind, missions=missions, decision=decision
    )
    digest = input_hash(kind, context)
    existing = _existing(organisation, kind, digest)
    if existing is not None:
        return _reuse(actor, existing)
    extras: dict[str, Any] = {
        "prepared_on": selectors.today_text(timezone.localdate()),
        "requested_by": actor.get_full_name() or actor.email,
    }
    if kind == DocumentKind.BRIEFING:
        extras.update(_since_previous(context["mission"], digest))
        check_briefing_length(context, extras)
    mission_id = context["mission"]["id"] if "mission" in context else None
    return _create_or_join(
        actor,
        organisation,
        kind,
        digest,
        mission_id=mission_id,
        mission_ids=[m["id"] for m in context.get("missions", [])],
        title=_title(kind, context),
        context=context,
        extras=extras,
    )


NOTE_LABELS = {
    "summary": gettext_lazy("Summary"),
    "recommendation": gettext_lazy("Recommendation"),
    "decision": gettext_lazy("Decision requested"),
    "timing": gettext_lazy("Timing"),
    "background": gettext_lazy("Background"),
    "risks": gettext_lazy("Risks and their handling"),
    "communications": gettext_lazy("Communications and stakeholder handling"),
}


def briefing_pages(context: dict[str, Any], extras: dict[str, Any] | None = None) -> int:
    """How many pages the briefing of this context takes, laid out but not written."""
    document = GeneratedDocument(
        kind=DocumentKind.BRIEFING,
        context=context,
        title=_title(DocumentKind.BRIEFING, context),
        extras={
            "prepared_on": selectors.today_text(timezone.localdate()),
            "previous_date": "",
            "changes": [],
            **(extras or {}),
        },
    )
    return page_count(render_html(TEMPLATES[DocumentKind.BRIEFING], render_context(document)))


def too_long_message(pages: int, note: dict[str, Any]) -> str:
    """What to shorten when a briefing takes more than two pages: the longest parts the
    author wrote, longest first, or the mission's own text when they wrote little."""
    written = sorted(
        ((len(note.get(name) or ""), label) for name, label in NOTE_LABELS.items()),
        key=lambda item: -item[0],
    )
    longest = [
        _("%(part)s (%(length)s characters)") % {"part": label, "length": length}
        for length, label in written[:3]
        if length >= 200
    ]
    head = _("The briefing takes %(pages)s pages; it must fit on %(limit)s.") % {
        "pages": pages,
        "limit": BRIEFING_MAX_PAGES,
    }
    if longest:
        return " ".join(
            [head, _("Shorten the longest parts: %(parts)s.") % {"parts": ", ".join(longest)}]
        )
    return " ".join(
        [
            head,
            _(
                "Shorten the mission statement, the headline targets or the reviewers' "
                "rationales, which the briefing prints in full."
            ),
        ]
    )


def check_briefing_length(context: dict[str, Any], extras: dict[str, Any] | None = None) -> None:
    """Refuse a briefing longer than two pages before it is queued, saying what to shorten."""
    pages = briefing_pages(context, extras)
    if pages > BRIEFING_MAX_PAGES:
        note = {**context["mission"].get("note", {})}
        if context.get("decision"):
            note["decision"] = context["decision"]
        raise ValidationError(too_long_message(pages, note))


def _create_or_join(
    actor: User, organisation: Organisation, kind: str, digest: str, **fields: Any
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
                requested_by=actor,
                **fields,
            )
    except IntegrityError:
        existing = _existing(organisation, kind, digest)
        if existing is None:
            raise
        return _reuse(actor, existing)
    _enqueue(document)
    return document


def _existing(organisation: Organisation, kind: str, digest: str) -> GeneratedDocument | None:
    return (
        GeneratedDocument.objects.select_for_update()
        .filter(organisation=organisation, kind=kind, input_hash=digest)
        .first()
    )


def _reuse(actor: User, existing: GeneratedDocument) -> GeneratedDocument:
    if existing.can_retry:
        return document_retry(actor=actor, document=existing)
    return existing


# --- Briefing packs: pieces keyed by their own inputs, rendered in parallel, assembled ------


def _piece_key(fingerprint: str) -> str:
    """The cheap lookup key of a mission's piece: its rows' fingerprint plus everything else
    a piece's pages depend on (templates, marking, language)."""
    payload = [
        FINGERPRINT_VERSION,
        TEMPLATE_VERSION,
        protective_marking(),
        translation.get_language(),
        fingerprint,
    ]
    return hashlib.sha256(json.dumps(payload).encode()).hexdigest()


def _new_piece(
    *, actor: User, organisation: Organisation, key: str, fingerprint: str
) -> BriefingPiece:
    """The piece of a mission whose fingerprint is not known yet: its briefing context built
    and hashed; the piece made from the same context is reused (and learns the fingerprint)."""
    context = {
        "organisation": organisation.name,
        "mission": selectors.mission_context(
            user=actor, organisation=organisation, key=key, kind=DocumentKind.BRIEFING
        ),
    }
    digest = input_hash(PIECE_KIND, context)
    extras = {
        "prepared_on": selectors.today_text(timezone.localdate()),
        **_since_previous(context["mission"], digest),
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
    return piece


def pack_pieces(*, actor: User, organisation: Organisation, keys: list[str]) -> list[BriefingPiece]:
    """The pieces of a pack of these missions, in order. Missions whose rows are unchanged
    since a piece was made are found by fingerprint in a few queries, with no context built;
    only the others are built (and rendered later, once)."""
    mission_ids = selectors.pack_mission_ids(user=actor, organisation=organisation, keys=keys)
    fingerprints = {
        pk: _piece_key(value) for pk, value in selectors.briefing_fingerprints(mission_ids).items()
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
            piece = _new_piece(
                actor=actor, organisation=organisation, key=key, fingerprint=fingerprint
            )
        pieces.append(piece)
    return pieces


SUMMARY_ROWS_PER_PAGE = 14
SUMMARY_FIELDS = ("id", "key", "title", "owner", "status_label", "open_warning_total")


def _summary(mission: dict[str, Any]) -> dict[str, Any]:
    """What the pack's own pages print of a mission (cover, contents, summary table)."""
    return {
        **{field: mission.get(field) for field in SUMMARY_FIELDS},
        "criteria": [
            {k: c.get(k) for k in ("code", "name", "status", "status_short")}
            for c in mission.get("criteria", [])
        ],
        "budget": {k: mission.get("budget", {}).get(k) for k in ("committed", "need")},
        # The covering note lists the decision each mission asks for, and by when.
        "decision": (mission.get("note") or {}).get("decision", ""),
        "decision_by": (mission.get("note") or {}).get("decision_by", ""),
    }


def decisions_line(missions: list[dict[str, Any]]) -> str:
    """The covering note's count of what the pack asks the minister: how many of its missions
    ask for a decision, or that all are for information."""
    asking = sum(1 for m in missions if m.get("decision"))
    if not asking:
        return _("Every briefing in this pack is for information: none asks for a decision.")
    return ngettext(
        "%(asking)s of the %(count)s missions asks for a decision.",
        "%(asking)s of the %(count)s missions ask for a decision.",
        asking,
    ) % {"asking": asking, "count": len(missions)}


def _pack_request(
    *, actor: User, organisation: Organisation, keys: list[str], covering_note: str = ""
) -> GeneratedDocument:
    pieces = pack_pieces(actor=actor, organisation=organisation, keys=keys)
    context = {
        "organisation": organisation.name,
        "missions": [_summary(piece.context["mission"]) for piece in pieces],
        "pieces": [piece.pk for piece in pieces],
        "covering_note": covering_note,
    }
    # The pack's hash is made of its pieces' hashes (each covers its mission's whole context)
    # and its covering note.
    digest = input_hash(
        DocumentKind.PACK,
        {
            "organisation": organisation.name,
            "pieces": [piece.input_hash for piece in pieces],
            "covering_note": covering_note,
        },
    )
    existing = _existing(organisation, DocumentKind.PACK, digest)
    if existing is not None:
        return _reuse(actor, existing)
    return _create_or_join(
        actor,
        organisation,
        DocumentKind.PACK,
        digest,
        mission_ids=[m["id"] for m in context["missions"]],
        title=_title(DocumentKind.PACK, context),
        context=context,
        extras={
            "prepared_on": selectors.today_text(timezone.localdate()),
            "requested_by": actor.get_full_name() or actor.email,
        },
    )


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
def document_retry(*, actor: User, document: GeneratedDocument) -> GeneratedDocument:
    """Queue a failed (or abandoned) document again: the same row, rendered afresh."""
    _check_member(actor, document.organisation)
    # A render that never started after so long lost its message: sending another is safe, as
    # the first worker to claim the row renders it and any other message finds it claimed.
    retryable = (
        Q(status=DocumentStatus.FAILED)
        | Q(status=DocumentStatus.RENDERING, started_at__lt=stale_before())
        | Q(status=DocumentStatus.QUEUED, queued_at__lt=stale_before())
    )
    if document.status == DocumentStatus.RENDERING and claim_is_abandoned(document):
        # Its worker was killed on this host: conditional on that same claim.
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


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def claim_is_abandoned(document: GeneratedDocument | BriefingPiece) -> bool:
    """The process that claimed this row is gone: on this host and no longer running."""
    host, _sep, pid = document.claimed_by.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return _is_zombie(int(pid))


def _is_zombie(pid: int) -> bool:
    """A killed process nobody has reaped yet (a pool process whose worker was killed too,
    left to an init that does not reap): it still answers kill(0) but will never run."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[:1] == ["Z"]


def _claim(
    document_id: int,
    *,
    takeover: bool,
    model: type[GeneratedDocument] | type[BriefingPiece] = GeneratedDocument,
) -> bool:
    now = timezone.now()
    claim = {"status": DocumentStatus.RENDERING, "started_at": now, "claimed_by": worker_name()}
    rows = model.objects.filter(pk=document_id)
    if rows.filter(status=DocumentStatus.QUEUED).update(**claim):
        return True
    current = rows.filter(status=DocumentStatus.RENDERING).first()
    if current is None:
        return False
    if takeover or current.is_stale or claim_is_abandoned(current):
        # Conditional on the claim we looked at, so two takers never both win.
        return bool(
            rows.filter(status=DocumentStatus.RENDERING, claimed_by=current.claimed_by).update(
                **claim
            )
        )
    return False


def render_context(document: GeneratedDocument) -> dict[str, Any]:
    """What the print template gets: the stored inputs plus the printed-only details."""
    context = {**document.context, **document.extras}
    context["kind"] = document.kind
    context["title"] = document.title
    context["document_id"] = document.pk
    if document.kind == DocumentKind.CANVAS:
        mission = document.context["mission"]
        context["boxes"], context["continued"] = canvas_print.layout(mission["boxes"])
        # The mission map and the stakeholder grid: the same drawings as their pages, in the
        # document's font, with the map's titles wrapped and the map given in words too.
        context.update(canvas_print.figures(mission))
    if document.kind == DocumentKind.PACK:
        context["decisions_line"] = decisions_line(document.context.get("missions", []))
    if document.kind == DocumentKind.BRIEFING:
        context["mission"] = {
            **document.context["mission"],
            "previous_date": document.extras.get("previous_date", ""),
            "changes": document.extras.get("changes", []),
        }
    return context


def _write_atomically(document: GeneratedDocument | BriefingPiece, pdf: bytes) -> str:
    """Write the PDF under MEDIA_ROOT without ever exposing a partial file: a temporary file
    in the same folder, flushed to disk, then renamed over the final name."""
    kind = getattr(document, "kind", PIECE_KIND)
    name = document.file.field.generate_filename(document, f"{kind}-{document.input_hash[:24]}.pdf")
    storage = document.file.storage
    final = Path(storage.path(name))
    final.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=final.parent, prefix=".partial-", suffix=".pdf")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(pdf)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, final)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return name


def document_render(*, document_id: int, takeover: bool = False, queue: str | None = None) -> str:
    """Render a queued document (the `pdf` worker's one call). Returns its final status, or
    "skipped" when another attempt owns it or it is already done. Safe to run twice. A pack
    sends its missing pieces to `queue` (the pdf queue by default) for other workers."""
    if not _claim(document_id, takeover=takeover):
        return "skipped"
    document = GeneratedDocument.objects.select_related("organisation").get(pk=document_id)
    GeneratedDocument.objects.filter(pk=document_id).update(attempts=document.attempts + 1)
    started = time.monotonic()
    try:
        if document.kind == DocumentKind.PACK:
            pdf, pages = pack_render(document, queue=queue)
        else:
            pdf, pages = render_pdf(TEMPLATES[document.kind], render_context(document))
        name = _write_atomically(document, pdf)
    except Exception as exc:
        GeneratedDocument.objects.filter(pk=document_id, claimed_by=worker_name()).update(
            status=DocumentStatus.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
            render_seconds=time.monotonic() - started,
        )
        return DocumentStatus.FAILED
    if GeneratedDocument.objects.filter(pk=document_id, claimed_by=worker_name()).update(
        status=DocumentStatus.DONE,
        file=name,
        page_count=pages,
        size_bytes=len(pdf),
        finished_at=timezone.now(),
        render_seconds=time.monotonic() - started,
        error="",
    ):
        signals.document_ready.send(sender=GeneratedDocument, document=document)
    return DocumentStatus.DONE


def document_mark_failed(*, document_id: int, reason: str) -> None:
    """For the task's failure handler (time limit, lost worker): failed, retryable."""
    GeneratedDocument.objects.filter(
        pk=document_id, status__in=[DocumentStatus.QUEUED, DocumentStatus.RENDERING]
    ).update(status=DocumentStatus.FAILED, error=reason[:2000], finished_at=timezone.now())


# --- Pieces and packs in the worker ---------------------------------------------------------


class PieceFailed(RuntimeError):
    """A mission's piece could not be rendered: the pack fails too, and is retryable."""


def piece_render_context(piece: BriefingPiece) -> dict[str, Any]:
    mission = piece.context["mission"]
    return {
        **piece.context,
        "prepared_on": piece.extras.get("prepared_on", ""),
        "title": mission["title"],
        "mission": {
            **mission,
            "previous_date": piece.extras.get("previous_date", ""),
            "changes": piece.extras.get("changes", []),
        },
    }


def piece_render(*, piece_id: int, takeover: bool = False) -> str:
    """Render one mission's piece (a `pdf` worker, or a pack render helping). Returns its
    final status, or "skipped" when another attempt owns it or it is done. Safe to run twice:
    claimed by a conditional UPDATE, written atomically like every document."""
    if not _claim(piece_id, takeover=takeover, model=BriefingPiece):
        return "skipped"
    rows = BriefingPiece.objects.filter(pk=piece_id)
    piece = rows.get()
    rows.update(attempts=piece.attempts + 1)
    started = time.monotonic()
    try:
        html = render_html(PIECE_TEMPLATE, piece_render_context(piece))
        pdf, pages, outline = html_to_pdf_with_outline(html)
        name = _write_atomically(piece, pdf)
    except Exception as exc:
        rows.filter(claimed_by=worker_name()).update(
            status=DocumentStatus.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
            render_seconds=time.monotonic() - started,
        )
        return DocumentStatus.FAILED
    rows.filter(claimed_by=worker_name()).update(
        status=DocumentStatus.DONE,
        file=name,
        page_count=pages,
        size_bytes=len(pdf),
        outline=outline,
        finished_at=timezone.now(),
        render_seconds=time.monotonic() - started,
        error="",
    )
    return DocumentStatus.DONE


def _fan_out(piece_ids: list[int], queue: str | None) -> None:
    """Send the pieces to the pdf queue for the other workers, once this state is visible."""
    from documents.tasks import render_piece_task

    options = {"queue": queue} if queue else {}

    def send() -> None:
        for piece_id in piece_ids:
            render_piece_task.apply_async((piece_id,), **options)

    transaction.on_commit(send)


def pack_pieces_done(pack: GeneratedDocument, *, queue: str | None = None) -> list[BriefingPiece]:
    """Every piece of the pack, rendered. Pieces already made are reused as they are. The
    missing ones go to the pdf queue (one task each, so other workers render them in
    parallel) while this render takes them too, from the last one backwards; then it waits
    for pieces other workers hold, taking over any whose worker is gone. Never waits on a
    piece nobody is rendering, so packs cannot deadlock each other."""
    ids = list(pack.context["pieces"])
    unique = list(dict.fromkeys(ids))
    # A new attempt gives the pieces that failed before another chance.
    BriefingPiece.objects.filter(pk__in=unique, status=DocumentStatus.FAILED).update(
        status=DocumentStatus.QUEUED, error="", claimed_by="", started_at=None
    )
    statuses = dict(BriefingPiece.objects.filter(pk__in=unique).values_list("pk", "status"))
    missing = [pk for pk in unique if statuses.get(pk) != DocumentStatus.DONE]
    if len(missing) > 1:
        _fan_out(missing, queue)
    for piece_id in reversed(missing):
        piece_render(piece_id=piece_id)
    deadline = time.monotonic() + int(getattr(settings, "CELERY_TASK_TIME_LIMIT", 360))
    while True:
        pieces = {p.pk: p for p in BriefingPiece.objects.filter(pk__in=unique)}
        if len(pieces) != len(unique):
            raise PieceFailed(_("A mission's briefing is no longer there; ask again."))
        pending = [pieces[pk] for pk in unique if pieces[pk].status != DocumentStatus.DONE]
        if not pending:
            return [pieces[pk] for pk in ids]
        for piece in pending:
            if piece.status == DocumentStatus.FAILED:
                raise PieceFailed(
                    _("The briefing on %(title)s failed: %(error)s")
                    % {"title": piece, "error": piece.error}
                )
            if piece.status == DocumentStatus.QUEUED or piece.is_stale or claim_is_abandoned(piece):
                piece_render(piece_id=piece.pk)
        if time.monotonic() > deadline:
            raise PieceFailed(_("The missions' briefings took too long."))
        time.sleep(PIECE_POLL_SECONDS)


def _front_pdf(
    pack: GeneratedDocument, pieces: list[BriefingPiece]
) -> tuple[bytes, int, list[list[Any]]]:
    """The pack's own pages (cover, contents, summary) knowing where each piece starts,
    followed by one stamp page per briefing page. The contents' numbers depend on how many
    pages the pack's own part takes: guessed, and laid out again if the guess was wrong."""
    context = render_context(pack)
    piece_pages = sum(p.page_count or 0 for p in pieces)
    # Cover and contents, then the summary table: about 14 missions a page.
    front_pages = 2 + max(1, -(-len(pieces) // SUMMARY_ROWS_PER_PAGE))
    for _attempt in range(4):
        start = front_pages + 1
        missions = []
        for summary, piece in zip(pack.context["missions"], pieces, strict=True):
            missions.append({**summary, "start_page": start})
            start += piece.page_count or 0
        html = render_html(
            TEMPLATES[DocumentKind.PACK],
            {
                **context,
                "missions": missions,
                "briefings_page": front_pages + 1,
                "stamp_pages": range(piece_pages),
            },
        )
        pdf, pages, outline = html_to_pdf_with_outline(html)
        if pages - piece_pages == front_pages:
            return pdf, front_pages, outline
        front_pages = pages - piece_pages
    raise RuntimeError("the pack's contents did not settle on a page count")


def pack_render(pack: GeneratedDocument, *, queue: str | None = None) -> tuple[bytes, int]:
    """A pack: its pieces (reused or rendered in parallel), its own pages, merged."""
    from documents import assemble

    pieces = pack_pieces_done(pack, queue=queue)
    front, front_pages, front_outline = _front_pdf(pack, pieces)
    parts = []
    for piece in pieces:
        with piece.file.open("rb") as handle:
            data = handle.read()
        parts.append(
            assemble.Piece(
                title=piece.context["mission"]["title"],
                pdf=data,
                pages=piece.page_count or 0,
                outline=piece.outline,
            )
        )
    return assemble.merge(
        front=front,
        front_pages=front_pages,
        pieces=parts,
        title=pack.title,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        front_outline=front_outline,
        # documents/tests/test_structure.py checks the assembled tree (PDF/UA-1).
        pdf_ua=True,
    )


def _pack_now(
    *, actor: User, organisation: Organisation, keys: list[str], covering_note: str = ""
) -> tuple[GeneratedDocument, list[BriefingPiece]]:
    """A pack and its pieces built in this process from contexts made now, nothing stored
    (export_briefing): the same data a worker's pack is made from."""
    keys = _checked_keys(DocumentKind.PACK, keys)
    covering_note = check_covering_note(covering_note)
    today = selectors.today_text(timezone.localdate())
    pieces = []
    for key in keys:
        context = {
            "organisation": organisation.name,
            "mission": selectors.mission_context(
                user=actor, organisation=organisation, key=key, kind=DocumentKind.BRIEFING
            ),
        }
        extras = {"prepared_on": today, "previous_date": "", "changes": []}
        pieces.append(BriefingPiece(organisation=organisation, context=context, extras=extras))
    pack_context = {
        "organisation": organisation.name,
        "missions": [_summary(piece.context["mission"]) for piece in pieces],
        "covering_note": covering_note,
    }
    pack = GeneratedDocument(
        organisation=organisation,
        kind=DocumentKind.PACK,
        context=pack_context,
        title=_title(DocumentKind.PACK, pack_context),
        extras={"prepared_on": today, "requested_by": actor.get_full_name() or actor.email},
    )
    return pack, pieces


def pack_pdf_now(
    *, actor: User, organisation: Organisation, keys: list[str], covering_note: str = ""
) -> tuple[bytes, int]:
    """A briefing pack rendered in this process without storing anything (export_briefing):
    the same pieces, pack pages and assembly as a worker's, from contexts built now."""
    from documents import assemble

    pack, pieces = _pack_now(
        actor=actor, organisation=organisation, keys=keys, covering_note=covering_note
    )
    parts = []
    for piece in pieces:
        html = render_html(PIECE_TEMPLATE, piece_render_context(piece))
        pdf, piece.page_count, piece.outline = html_to_pdf_with_outline(html)
        parts.append(
            assemble.Piece(
                title=piece.context["mission"]["title"],
                pdf=pdf,
                pages=piece.page_count,
                outline=piece.outline,
            )
        )
    front, front_pages, front_outline = _front_pdf(pack, pieces)
    return assemble.merge(
        front=front,
        front_pages=front_pages,
        pieces=parts,
        title=pack.title,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        front_outline=front_outline,
        # documents/tests/test_structure.py checks the assembled tree (PDF/UA-1).
        pdf_ua=True,
    )


def pack_docx_now(
    *, actor: User, organisation: Organisation, keys: list[str], covering_note: str = ""
) -> bytes:
    """The same pack as an editable Word document (export_briefing --out *.docx)."""
    from documents import word

    pack, pieces = _pack_now(
        actor=actor, organisation=organisation, keys=keys, covering_note=covering_note
    )
    return word.pack_docx(
        pack=render_context(pack), briefings=[piece_render_context(p) for p in pieces]
    )


# --- Word copies: the same briefing or pack, editable -----------------------------------

WORD_KINDS = (DocumentKind.BRIEFING, DocumentKind.PACK)


def document_word(document: GeneratedDocument) -> bytes:
    """An editable Word copy of a briefing or pack document, made now from the inputs stored
    with it (the same data its PDF was made from; a pack's from its missions' pieces)."""
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
def briefing_note_save(*, actor: User, mission: Any, fields: dict[str, Any]) -> BriefingNote:
    """Store what the author wrote for the mission's briefing (the mission team may)."""
    if not actor.has_perm("missions.change_mission", mission):
        raise PermissionDenied(_("Only the mission team can write its briefing."))
    note = BriefingNote.objects.select_for_update().filter(mission=mission).first()
    note = note or BriefingNote(mission=mission)
    for name, value in fields.items():
        setattr(note, name, value.strip() if isinstance(value, str) else value)
    note.updated_by = actor
    note.full_clean(exclude=["mission"])
    note.save()
    return note


def briefing_length_problem(*, actor: User, organisation: Organisation, key: str) -> str:
    """What to shorten if the mission's briefing, as it would be printed now, takes more than
    two pages; empty when it fits."""
    context = build_context(
        actor=actor, organisation=organisation, kind=DocumentKind.BRIEFING, missions=[key]
    )
    pages = briefing_pages(context)
    if pages <= BRIEFING_MAX_PAGES:
        return ""
    return too_long_message(pages, context["mission"].get("note", {}))
