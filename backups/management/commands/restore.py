"""`manage.py restore FILE [--force]`: restore a `manage.py backup` archive into an empty
database and MEDIA_ROOT (see backups/archive.py for the checks made first)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from backups.archive import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup archive into an empty database, then its documents into MEDIA_ROOT."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("archive", help="A .tar.gz written by `manage.py backup`.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace the contents of a database that is not empty.",
        )

    def handle(self, *args: Any, archive: str, force: bool, **options: Any) -> None:
        try:
            manifest = restore(Path(archive), force=force)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stderr.write(
            f"Restored the backup of {manifest['created_at']} "
            f"(Lodestar {manifest['lodestar_version']}) and {len(manifest['media'])} files."
        )
