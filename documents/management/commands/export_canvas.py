from django.core.management.base import BaseCommand

from documents.management.commands._render import render_to_file


class Command(BaseCommand):
    help = "Write a mission's canvas as an A3 PDF: export_canvas KEY --org SLUG --out FILE"

    def add_arguments(self, parser):
        parser.add_argument("key", help="the mission's key")
        parser.add_argument("--org", required=True, help="the organisation's slug")
        parser.add_argument("--out", required=True, help="the PDF file to write")
        parser.add_argument("--as", dest="email", help="read as this member (default: an admin)")

    def handle(self, *args, **options):
        pages, size = render_to_file(
            slug=options["org"],
            kind="canvas",
            keys=[options["key"]],
            out=options["out"],
            email=options["email"],
        )
        self.stdout.write(f"Wrote {options['out']}: {pages} pages, {size} bytes.")
