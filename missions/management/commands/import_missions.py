"""Import a lodestar.missions/1 document into an organisation, all or nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import ngettext

from accounts.models import Organisation
from missions import exchange
from missions.exchange.bulk import analyze


class Command(BaseCommand):
    help = (
        "Import missions from a JSON file (lodestar.missions/1). Nothing is written if the file "
        "has any problem; each problem is printed on its own line and the exit status is 1."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="Path of the JSON document.")
        parser.add_argument("--org", required=True, help="The organisation's slug.")

    def handle(self, *args: Any, file: str, org: str, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=org).first()
        if organisation is None:
            raise CommandError(f"There is no organisation with the slug {org!r}.")
        try:
            summary = exchange.import_file(file, organisation=organisation)
        except FileNotFoundError:
            raise CommandError(f"There is no file {file!r}.") from None
        except exchange.ImportRejected as rejected:
            for error in rejected.errors:
                self.stderr.write(str(error))
            count = len(rejected.errors)
            self.stderr.write(
                ngettext(
                    "Nothing was imported: %(count)s problem.",
                    "Nothing was imported: %(count)s problems.",
                    count,
                )
                % {"count": count}
            )
            raise SystemExit(1) from None
        # The import wrote in bulk: statistics for the planner, now that it has committed.
        analyze(summary.tables)
        for warning in summary.warnings:
            self.stderr.write(f"warning: {warning}")
        self.stdout.write(str(summary))
