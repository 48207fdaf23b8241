"""`python manage.py create_api_token --org SLUG --role ROLE --name NAME [--expires YYYY-MM-DD]`:
makes an organisation's API token and prints it once, on the last line."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import Organisation
from api import services
from api.models import TokenRole


class Command(BaseCommand):
    help = "Make an API token for an organisation; the token is printed once, on the last line."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help="The organisation's short name (slug).")
        parser.add_argument("--role", required=True, choices=TokenRole.values, help="read or edit")
        parser.add_argument("--name", required=True, help="The system that will use it.")
        parser.add_argument("--expires", help="The day it stops working (YYYY-MM-DD).")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["org"]).first()
        if organisation is None:
            raise CommandError(f"There is no organisation “{options['org']}”.")
        expires_on = None
        if options["expires"]:
            try:
                expires_on = datetime.date.fromisoformat(options["expires"])
            except ValueError:
                raise CommandError("Give --expires as a date: YYYY-MM-DD.") from None
        try:
            token, secret = services.token_create(
                by=None,
                organisation=organisation,
                name=options["name"],
                role=options["role"],
                expires_on=expires_on,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            f"Made the {token.get_role_display().lower()} token “{token.name}” for "
            f"{organisation.name}. It is shown once; keep it secret:"
        )
        self.stdout.write(secret)
