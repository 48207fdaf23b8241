"""Create the demo organisations and users. Safe to run again: it changes only what differs."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import demo
from accounts.models import Membership, Organisation, Role, User

ORGANISATIONS = [
    ("demo-unit", "Government Mission Unit (demo)"),
    ("demo-other", "Ministry of Elsewhere (demo)"),
]

USERS = [
    ("servant@demo.example", "Sam Servant", "demo-unit", Role.EDITOR),
    ("lead@demo.example", "Lee Lead", "demo-unit", Role.LEAD),
    ("reviewer@demo.example", "Rae Reviewer", "demo-unit", Role.REVIEWER),
    ("admin@demo.example", "Ada Admin", "demo-unit", Role.ADMIN),
    ("viewer@demo.example", "Vic Viewer", "demo-unit", Role.VIEWER),
    ("outsider@demo.example", "Otto Outsider", "demo-other", Role.EDITOR),
]


class Command(BaseCommand):
    help = "Load the demo organisations and users (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load demo data even though DEBUG is off (never on a real deployment).",
        )

    @transaction.atomic
    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off, so this looks like a real deployment: demo users with a known "
                "password would be a security hole. Use --force if you really mean it."
            )
        password = settings.DEMO_PASSWORD
        organisations = {}
        for slug, name in ORGANISATIONS:
            # The language only when created: an administrator may have changed it since.
            organisations[slug], _ = Organisation.objects.update_or_create(
                slug=slug, defaults={"name": name}, create_defaults={"name": name, "language": "en"}
            )
        for email, full_name, slug, role in USERS:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(email=email, password=password, full_name=full_name)
            elif not user.check_password(password):
                user.set_password(password)
                user.save(update_fields=["password"])
            Membership.objects.update_or_create(
                user=user, organisation=organisations[slug], defaults={"role": role}
            )
        self.stdout.write(
            f"Demo data ready: {len(ORGANISATIONS)} organisations, {len(USERS)} users."
        )
        for loader in demo.loaders():
            self.stdout.write(f"  {loader(organisations)}")
        for email, _name, slug, role in USERS:
            self.stdout.write(f"  {email:<24} {Role(role).label:<14} {slug}")
