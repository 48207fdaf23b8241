"""Celery tasks for documents. Routed to the `pdf` queue (CELERY_TASK_ROUTES in settings)."""

from __future__ import annotations

from celery import shared_task

from documents import services


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def render_document_task(self, document_id: int) -> str:
    """Render one GeneratedDocument by id. A redelivered message (its previous worker died
    mid-render) takes over the row that worker left in "rendering". A pack sends its missing
    pieces to the queue this message came from."""
    delivery = self.request.delivery_info or {}
    return services.document_render(
        document_id=document_id,
        takeover=bool(delivery.get("redelivered")),
        queue=delivery.get("routing_key") or None,
    )


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def render_piece_task(self, piece_id: int) -> str:
    """Render one mission's briefing piece of a pack; "skipped" if it is done or taken."""
    redelivered = bool((self.request.delivery_info or {}).get("redelivered"))
    return services.piece_render(piece_id=piece_id, takeover=redelivered)
