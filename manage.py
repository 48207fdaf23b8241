#!/usr/bin/env python
"""Django's command-line utility. On the embedded default it starts or joins the servers."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if not (os.environ.get("DATABASE_URL") or os.environ.get("DATABASE_URL_FILE")):
        # No database named: this is the embedded development set-up that `make run` uses, so
        # development settings, as there (an explicit DEBUG=0 still means production).
        os.environ.setdefault("DEBUG", "1")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:
        # A set-up mistake (a missing DATABASE_URL, a weak SECRET_KEY): one line that says what
        # to set, not a traceback through Django's internals.
        sys.exit(f"lodestar: {error}")


if __name__ == "__main__":
    main()
