from django.core.management.base import BaseCommand

from documents.management.commands._render import render_to_file


class Command(BaseCommand):
    help = (
        "Write a ministerial briefing (one --mission) or a briefing pack (several) as a PDF, "
        "or as an editable Word document when --out ends in .docx: "
        "export_briefing --org SLUG --mission KEY [--mission KEY ...] --out FILE"
    )

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="the organisation's slug")
        parser.add_argument("--mission", action="append", required=True, help="a mission's key")
        parser.add_argument(
            "--out", required=True, help="the file to write: .pdf, or .docx for Word"
        )
        parser.add_argument("--decision", default="", help="the decision requested (briefing)")
        parser.add_argument(
            "--covering-note", default="", help="what the pack is for, on its first page (pack)"
        )
        parser.add_argument("--as", dest="email", help="read as this member (default: an admin)")

    def handle(self, *args, **options):
        keys = options["mission"]
        pages, size = render_to_file(
            slug=options["org"],
            kind="briefing" if len(keys) == 1 else "pack",
            keys=keys,
            out=options["out"],
            email=options["email"],
            decision=options["decision"],
            covering_note=options["covering_note"],
        )
        if pages:
            self.stdout.write(f"Wrote {options['out']}: {pages} pages, {size} bytes.")
        else:
            self.stdout.write(f"Wrote {options['out']}: {size} bytes.")
