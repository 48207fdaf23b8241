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
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
