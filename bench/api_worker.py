"""Run by bench/api.py in a Django process of its own, on the bench database.

    python -m bench.api_worker SLUG   # a read-only API token of organisation SLUG

Revokes the tokens earlier runs made there, makes a new one, and counts the SQL queries of
`GET /api/v1/missions?limit=50` (the first page and a page from its cursor) in-process, as
bench/queries.py counts a page's. Prints one JSON line on stdout: secret, queries_first,
queries_later.
"""

from __future__ import annotations

import json
import os
import sys

import django

TOKEN_NAME = "Benchmark client"  # noqa: S105 - the token's label, not its secret
FIRST_PAGE = "/api/v1/missions?limit=50"


def run(slug: str) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import Organisation
    from api import services
    from api.models import ApiToken

    organisation = Organisation.objects.get(slug=slug)
    for old in ApiToken.objects.filter(
        organisation=organisation, name=TOKEN_NAME, revoked_at__isnull=True
    ):
        services.token_revoke(by=None, token=old)
    _token, secret = services.token_create(
        by=None, organisation=organisation, name=TOKEN_NAME, role="read"
    )

    client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {secret}")
    # The first request of a process fills caches a long-running gunicorn worker has filled.
    first = client.get(FIRST_PAGE)
    if first.status_code != 200:
        raise SystemExit(f"GET {FIRST_PAGE} answered {first.status_code}: {first.content[:200]!r}")
    later_page = f"{FIRST_PAGE}&cursor={first.json()['next_cursor']}"
    counts = {}
    for name, path in (("queries_first", FIRST_PAGE), ("queries_later", later_page)):
        with CaptureQueriesContext(connection) as captured:
            answer = client.get(path)
        if answer.status_code != 200:
            raise SystemExit(f"GET {path} answered {answer.status_code}")
        counts[name] = len(captured.captured_queries)
    return {"secret": secret, **counts}


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    print(json.dumps(run(sys.argv[1])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
