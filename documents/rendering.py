"""Making a document in a worker: claiming its row, writing its file, recording the outcome.

A render holds a PostgreSQL advisory lock on its row for as long as it works on it (a session
lock: PostgreSQL frees it the moment the worker's connection drops, whatever killed the
process, on whichever host). So:

- claiming is taking the lock, then a conditional UPDATE of a row that is queued, or that is
  marked "rendering" although nobody holds its lock (its worker is gone: taken over);
- a row marked "rendering" whose lock nobody holds was abandoned, and the page offers a retry
  at once (`claim_is_abandoned`);
- the file is written atomically (temporary file, then rename) and the row marked done or
  failed only by the claim that rendered it.

Celery's redelivery (acks_late + reject_on_worker_lost) brings a task back when its pool
process dies; the lock tells the new attempt that nobody else is on it. (A host that vanishes
without closing its connections keeps its locks until PostgreSQL's TCP keepalive gives up on
them, as the assessments' locks do: until then its rows are only retryable once stale.)
"""

from __future__ import annotations

import contextlib
import os
import socket
import tempfile
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import F
from django.utils import timezone, translation

from config.locks import advisory_lock
from documents import layout, signals
from documents.models import BriefingPiece, DocumentKind, DocumentStatus, GeneratedDocument
from documents.pdf import html_to_pdf_with_outline, render_html

# The two kinds of row a render makes: a document, or a mission's piece of a pack.
Row = GeneratedDocument | BriefingPiece

# What a render returns when another attempt owns the row or there is nothing left to do.
SKIPPED = "skipped"
# Advisory-lock keys: a namespace per table above the row id ("LD", "LP"), so a document and a
# piece with the same id never share a lock, nor do they share one with the assessments' locks.
LOCK_NAMESPACES: dict[type, int] = {GeneratedDocument: 0x4C44 << 44, BriefingPiece: 0x4C50 << 44}


def stale_before() -> Any:
    """Claims older than this belong to a worker that is gone: no render may run longer than
    the hard time limit."""
    limit = int(getattr(settings, "CELERY_TASK_TIME_LIMIT", 360))
    return timezone.now() - timedelta(seconds=limit + 60)


def worker_name() -> str:
    """Who claimed a row, for people reading it: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


def lock_key(model: type[Row], pk: int) -> int:
    return LOCK_NAMESPACES[model] + pk


def render_lock(model: type[Row], pk: int) -> contextlib.AbstractContextManager[bool]:
    """This process's hold on a row while it works on it: True if taken, False if another
    session holds it. Released on leaving, or by PostgreSQL if the process dies first."""
    return advisory_lock(lock_key(model, pk))


def is_held(model: type[Row], pk: int) -> bool:
    """Some process works on this row now (read, never taken)."""
    return bool(_held([lock_key(model, pk)]))


def _held(keys: list[int]) -> set[int]:
    """Which of these lock keys some session of this database holds (read, never taken)."""
    if not keys:
        return set()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (classid::bigint << 32) | objid::bigint FROM pg_locks "
            "WHERE locktype = 'advisory' AND objsubid = 1 AND granted "
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
            "AND ((classid::bigint << 32) | objid::bigint) = ANY(%s)",
            [keys],
        )
        return {row[0] for row in cursor.fetchall()}


def claim_is_abandoned(row: Row) -> bool:
    """Marked "rendering" but nobody works on it: its worker is gone. A pack waiting for its
    pieces holds no lock of its own: it is abandoned when a piece it waits for is."""
    if row.status != DocumentStatus.RENDERING:
        return False
    if isinstance(row, BriefingPiece):
        return not is_held(BriefingPiece, row.pk)
    if row.kind != DocumentKind.PACK:
        return not is_held(GeneratedDocument, row.pk)
    if is_held(GeneratedDocument, row.pk):
        return False  # its pieces are being sent out, or it is being assembled
    rendering = list(
        BriefingPiece.objects.filter(
            pk__in=row.context.get("pieces", []), status=DocumentStatus.RENDERING
        ).values_list("pk", flat=True)
    )
    keys = [lock_key(BriefingPiece, pk) for pk in rendering]
    return len(_held(keys)) < len(keys)


def language_of(context: dict[str, Any]) -> str:
    """The language a document is written in: the one active when it was asked for (kept in
    its inputs, so the same mission in two languages is two documents)."""
    return context.get("language") or settings.LANGUAGE_CODE


def in_language_of(row: Any) -> contextlib.AbstractContextManager[None]:
    """Labels, dates and numbers of a stored document's pages in its own language, whichever
    language the worker or the person downloading it uses."""
    return translation.override(language_of(row.context))


def claim[R: (GeneratedDocument, BriefingPiece)](model: type[R], pk: int) -> R | None:
    """The row, claimed by this process, which holds its lock (`render_lock`): a queued row,
    or one still marked "rendering" although nobody held its lock (its worker is gone: taken
    over). None when it is done, or failed until a retry queues it again."""
    claimed_rows = model.objects.filter(
        pk=pk, status__in=(DocumentStatus.QUEUED, DocumentStatus.RENDERING)
    ).update(
        status=DocumentStatus.RENDERING,
        started_at=timezone.now(),
        claimed_by=worker_name(),
        attempts=F("attempts") + 1,
    )
    if not claimed_rows:
        return None
    rows = model.objects.filter(pk=pk)
    if model is GeneratedDocument:
        rows = rows.select_related("organisation")
    return rows.get()


@contextlib.contextmanager
def claimed[R: (GeneratedDocument, BriefingPiece)](model: type[R], pk: int) -> Iterator[R | None]:
    """The row, locked and claimed by this process for the length of the block; None when
    another process holds it or there is nothing to make."""
    with render_lock(model, pk) as held:
        row = claim(model, pk) if held else None
        if row is None:
            yield None
            return
        with in_language_of(row):
            yield row


def write_atomically(row: Row, pdf: bytes) -> str:
    """Write the row's PDF under MEDIA_ROOT without ever exposing a partial file."""
    kind = getattr(row, "kind", layout.PIECE_KIND)
    name = row.file.field.generate_filename(row, f"{kind}-{row.input_hash[:24]}.pdf")
    write_file(name, pdf, storage=row.file.storage)
    return name


def write_file(name: str, pdf: bytes, *, storage: Any = None) -> None:
    """Write `name` in the storage (MEDIA_ROOT) without ever exposing a partial file: a
    temporary file in the same folder, flushed to disk, then renamed over the final name."""
    from django.core.files.storage import default_storage

    final = Path((storage or default_storage).path(name))
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


def record_failure(row: Row, error: BaseException | str, *, seconds: float | None) -> str:
    """The claimed row failed, with the reason the page shows; a retry queues it again."""
    reason = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
    type(row).objects.filter(pk=row.pk, claimed_by=worker_name()).update(
        status=DocumentStatus.FAILED,
        error=reason[:2000],
        finished_at=timezone.now(),
        render_seconds=seconds,
    )
    return DocumentStatus.FAILED


def record_done(
    row: Row, *, name: str, pdf: bytes, pages: int, seconds: float | None, **fields: Any
) -> str:
    """The claimed row is made: its file, page count and size. A finished document tells the
    apps that listen (the inbox), once: only the claim that wrote the row does."""
    written = (
        type(row)
        .objects.filter(pk=row.pk, claimed_by=worker_name())
        .update(
            status=DocumentStatus.DONE,
            file=name,
            page_count=pages,
            size_bytes=len(pdf),
            finished_at=timezone.now(),
            render_seconds=seconds,
            error="",
            **fields,
        )
    )
    if written and isinstance(row, GeneratedDocument):
        signals.document_ready.send(sender=GeneratedDocument, document=row)
    return DocumentStatus.DONE


def document_render(*, document_id: int) -> str:
    """Render a queued canvas or briefing. Returns its final status, or "skipped" when
    another attempt owns it or it is already done. Safe to run twice."""
    with claimed(GeneratedDocument, document_id) as document:
        if document is None:
            return SKIPPED
        started = time.monotonic()
        try:
            pdf, pages = layout.document_pdf(document)
            name = write_atomically(document, pdf)
        except Exception as exc:
            return record_failure(document, exc, seconds=time.monotonic() - started)
        return record_done(
            document, name=name, pdf=pdf, pages=pages, seconds=time.monotonic() - started
        )


def piece_render(*, piece_id: int) -> str:
    """Render one mission's piece of a pack. Returns its final status, or "skipped" when
    another attempt owns it or it is done. Safe to run twice."""
    with claimed(BriefingPiece, piece_id) as piece:
        if piece is None:
            return SKIPPED
        started = time.monotonic()
        try:
            html = render_html(layout.PIECE_TEMPLATE, layout.piece_render_context(piece))
            pdf, pages, outline = html_to_pdf_with_outline(html)
            name = write_atomically(piece, pdf)
        except Exception as exc:
            return record_failure(piece, exc, seconds=time.monotonic() - started)
        return record_done(
            piece,
            name=name,
            pdf=pdf,
            pages=pages,
            seconds=time.monotonic() - started,
            outline=outline,
        )
