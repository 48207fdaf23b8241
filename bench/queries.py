"""`python -m bench.queries PATH MARKER`: count the SQL queries of one GET, as JSON on stdout.

Run by bench/web.py in a process of its own with the bench database in DATABASE_URL and the
session cookie in BENCH_SESSIONID. Django's test Client calls the app in-process (no server),
and CaptureQueriesContext records every query even with DEBUG off.
"""

from __future__ import annotations

import json
import os
import sys

import django


def main() -> int:
    path, marker = sys.argv[1], sys.argv[2]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies[settings.SESSION_COOKIE_NAME] = os.environ["BENCH_SESSIONID"]
    # The first request of a process fills caches (content types, permissions, templates) that
    # a long-running gunicorn worker has filled long ago; count the steady state after it.
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    print(
        json.dumps(
            {
                "status": response.status_code,
                "marker_found": marker in response.content.decode("utf-8", errors="replace"),
                "queries": len(captured.captured_queries),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
