"""`manage.py backup --out FILE`: the database and the generated documents in one archive
(see backups/archive.py for what is in it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from backups.archive import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump) and MEDIA_ROOT into one .tar.gz with a manifest."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--out", required=True, help="The archive to write (.tar.gz).")

    def handle(self, *args: Any, out: str, **options: Any) -> None:
        try:
            manifest = backup(Path(out))
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stderr.write(
            f"Backed up the database ({manifest['database']['size']:,} bytes) and "
            f"{len(manifest['media'])} files to {out}."
        )
