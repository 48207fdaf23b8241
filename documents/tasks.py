"""Celery tasks for documents. Routed to the `pdf` queue (CELERY_TASK_ROUTES in settings), but
renders ahead of a click, which go to the low-priority `pdf_ahead` queue (documents.ahead).

Each takes an id and makes one service call, safe to run twice. A redelivered message (its
pool process died mid-render) finds the row's render lock free and takes the row over. A
pack's pieces and its assembly go to the queue its own message came from.
"""

from __future__ import annotations

from typing import Any

from celery import shared_task

from documents import services


def _queue(task: Any) -> str | None:
    return (task.request.delivery_info or {}).get("routing_key") or None


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def render_document_task(self, document_id: int) -> str:
    """Make one GeneratedDocument by id; a pack sends its missing pieces to the queue."""
    return services.document_render(document_id=document_id, queue=_queue(self))


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def render_piece_task(self, piece_id: int) -> str:
    """Make one mission's briefing piece of a pack; "skipped" if it is done or taken. The
    piece that completes a pack sends it to assembly."""
    return services.piece_render(piece_id=piece_id, queue=_queue(self))


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def assemble_pack_task(pack_id: int) -> str:
    """Merge a pack whose pieces are all made; "skipped" if it is taken or finished."""
    return services.pack_assemble(pack_id=pack_id)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def render_ahead_task(mission_id: int, change: int, tries: int = 0) -> list[str]:
    """Make again what was exported for a mission once its change `change` settled; nothing
    if a later change came (documents.ahead). On the low-priority `pdf_ahead` queue."""
    from documents import ahead

    return ahead.render_ahead(mission_id=mission_id, change=change, tries=tries)


@shared_task(ignore_result=True)
def prune_kept_task() -> dict[str, int]:
    """Nightly (CELERY_BEAT_SCHEDULE): remove kept pack pages, stamps and superseded briefing
    pieces nobody used for DOCUMENTS_KEEP_DAYS (documents.retention)."""
    pruned = services.prune_kept()
    return {"files": pruned.files, "pieces": pruned.pieces}
