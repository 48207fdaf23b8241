"""Export an organisation's missions as a lodestar.missions/1 document."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Organisation
from missions import exchange


class Command(BaseCommand):
    help = "Export missions of an organisation to JSON (lodestar.missions/1)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--org", required=True, help="The organisation's slug.")
        parser.add_argument(
            "--mission",
            action="append",
            dest="missions",
            metavar="KEY",
            help="Export only this mission (repeatable); its parent mission comes along.",
        )
        parser.add_argument("--out", help="Write to this file instead of standard output.")

    def handle(
        self, *args: Any, org: str, missions: list[str] | None, out: str | None, **options: Any
    ) -> None:
        organisation = Organisation.objects.filter(slug=org).first()
        if organisation is None:
            raise CommandError(f"There is no organisation with the slug {org!r}.")
        try:
            document = exchange.export_document(organisation=organisation, mission_keys=missions)
        except LookupError as error:
            raise CommandError(str(error)) from None
        text = exchange.dumps(document)
        if out:
            Path(out).write_text(text, encoding="utf-8")
            self.stderr.write(
                f"Exported {len(document['missions'])} missions, {len(document['actors'])} actors "
                f"and {len(document['challenges'])} challenges to {out}."
            )
        else:
            self.stdout.write(text, ending="")
