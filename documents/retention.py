"""What the pdf workers keep only to go faster, removed once nobody has used it for a while.

Three things are kept under MEDIA_ROOT so that a later document is made from them instead of
laid out again: a pack's own pages (`documents/pack-parts/`, documents.layout.front_part), the
page-number stamps laid over a pack (`documents/stamps/`), and each mission's briefing piece
(a BriefingPiece row and its file). Without this job they would only ever grow.

- A kept page or stamp file is touched each time a pack reuses it; one untouched for
  DOCUMENTS_KEEP_DAYS is removed. If it is needed again, it is laid out again.
- A briefing piece goes when its mission has a newer finished piece, it was made more than
  DOCUMENTS_KEEP_DAYS ago, and no pack still being made holds it. A mission's latest piece
  stays: the next pack of an unchanged mission reuses it.

Generated documents (what people asked for and download from the Documents page) are not
touched here: they are the organisation's record of what was sent.
"""

from __future__ import annotations

import contextlib
import logging
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Exists, OuterRef
from django.utils import timezone

from documents.models import BriefingPiece, DocumentKind, DocumentStatus, GeneratedDocument

logger = logging.getLogger(__name__)

# Besides finished files, a kept folder may hold a temporary file a killed worker left behind
# (documents.rendering.write_file writes one, then renames it): it goes the same way.
KEPT_FOLDERS = ("documents/pack-parts", "documents/stamps")


@dataclass(frozen=True)
class Pruned:
    files: int
    pieces: int


def touch(name: str) -> None:
    """Mark a kept file as used now, so the retention job leaves it alone for another while."""
    # Gone since it was read, or a storage without local paths: at worst it is laid out again
    # after the retention period.
    with contextlib.suppress(OSError, NotImplementedError):
        os.utime(default_storage.path(name))


def prune_kept(*, now: datetime | None = None) -> Pruned:
    """Remove kept pages, stamps and briefing pieces unused for DOCUMENTS_KEEP_DAYS (see the
    module's docstring). Safe to run at any time and twice."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.DOCUMENTS_KEEP_DAYS)
    return Pruned(files=_prune_files(cutoff), pieces=_prune_pieces(cutoff))


def _prune_files(cutoff: datetime) -> int:
    removed = 0
    oldest = cutoff.timestamp()
    for folder in KEPT_FOLDERS:
        root = Path(default_storage.path(folder))
        if not root.is_dir():
            continue
        # A part's note of its length (.json) says its PDF is whole, so it goes first: a pack
        # reading the folder meanwhile lays the part out again rather than reading half of it.
        for path in sorted(root.iterdir(), key=lambda p: p.suffix != ".json"):
            try:
                if path.stat().st_mtime < oldest:
                    path.unlink()
                    removed += 1
            except FileNotFoundError:
                continue
    return removed


def _prune_pieces(cutoff: datetime) -> int:
    # A later piece of the same mission (made later: a larger id), finished.
    newer_done = BriefingPiece.objects.filter(
        mission_id=OuterRef("mission_id"), status=DocumentStatus.DONE, pk__gt=OuterRef("pk")
    )
    old = BriefingPiece.objects.filter(queued_at__lt=cutoff).filter(Exists(newer_done))
    # A pack still being made names its pieces in its context ("pieces": [ids]).
    waiting: set[int] = set()
    for pieces in GeneratedDocument.objects.filter(
        kind=DocumentKind.PACK, status__in=[DocumentStatus.QUEUED, DocumentStatus.RENDERING]
    ).values_list("context__pieces", flat=True):
        waiting.update(pieces or [])
    removed = 0
    for piece in old.exclude(pk__in=waiting).only("pk", "file"):
        name = piece.file.name
        piece.delete()
        if name:
            default_storage.delete(name)
        removed += 1
    if removed:
        logger.info("documents: removed %s briefing pieces not used since %s", removed, cutoff)
    return removed
