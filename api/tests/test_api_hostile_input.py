"""Hostile values sent to every operation of the API, as tests/test_fuzz_urls.py sends them to
every page: in each path parameter, each query parameter, each field of each JSON body, and as
whole bodies that are not JSON or nest too deep. Never a 500, never a non-problem error, and a
refused request writes nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from api.tests import scene as scene_of_the_examples
from api.tests.test_api_permissions import OPERATIONS
from tests.test_fuzz_urls import HOSTILE, HOSTILE_JSON

pytestmark = pytest.mark.django_db

QUERY = {"listMissions": ["status", "challenge", "updated_since", "archived", "limit", "cursor"]}
QUERY_OF_ALL = ["format"]
FIXED_SEGMENTS = {
    "missions",
    "projects",
    "canvas",
    "targets",
    "milestones",
    "indicators",
    "measurements",
    "documents",
    "file",
}


# What the API writes to. Rows inserted and rolled back still count in PostgreSQL's statistics,
# so a refused request is checked by what is visible: each table's rows and its newest xmin
# (which a real insert or update moves, and a rolled-back one does not).
TABLES = [
    "missions_mission",
    "missions_missionproject",
    "missions_target",
    "missions_milestone",
    "missions_actor",
    "missions_grandchallenge",
    "missions_missionchange",
    "canvas_canvasbox",
    "evaluation_measurement",
    "documents_generateddocument",
    "api_webhookdelivery",
]


def _writes() -> list[tuple[int, int]]:
    with connection.cursor() as cursor:
        state = []
        for table in TABLES:
            cursor.execute(
                f"SELECT count(*), coalesce(max(xmin::text::bigint), 0) FROM {table}"  # noqa: S608
            )
            state.append(cursor.fetchone())
        return state


def _plain(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def test_every_operation_takes_hostile_input_without_a_500(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.API_CALLS_PER_MINUTE = 1_000_000
    built = scene_of_the_examples.build()
    client = Client(raise_request_exception=False)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {built['edit']}", "HTTP_IF_MATCH": '"1"'}
    failures: list[str] = []

    def send(label: str, method: str, path: str, body: str | None = None, **query: str) -> None:
        before = _writes()
        if body is None:
            answer = getattr(client, method)(path, query or None, **auth)
        else:
            answer = getattr(client, method)(path, body, content_type="application/json", **auth)
        status = answer.status_code
        if status >= 500:
            failures.append(f"{label} → {status}")
        elif status >= 400:
            if "json" not in answer.get("Content-Type", ""):
                failures.append(f"{label} → {status} as {answer.get('Content-Type')}")
            if _writes() != before:
                failures.append(f"{label} → {status}, yet wrote")

    for operation, (method, path, body, _ok) in OPERATIONS.items():
        path = "/api/v1" + path.replace("{document}", str(built["document"]))
        segments = path.split("/")
        for value in HOSTILE:
            text = _plain(value)[:2000]
            # Each path segment after /api/v1/ that names something (a key, a year), replaced.
            for index in range(3, len(segments)):
                if segments[index] in FIXED_SEGMENTS:
                    continue
                hostile = "/".join(
                    [*segments[:index], text.replace("/", "%2F"), *segments[index + 1 :]]
                )
                send(
                    f"{operation} path {index} {text[:20]!r}",
                    method,
                    hostile,
                    json.dumps(body) if body else None,
                )
            if method == "get":
                for name in QUERY.get(operation, QUERY_OF_ALL):
                    send(f"{operation} ?{name}={text[:20]!r}", method, path, None, **{name: text})
            for field in body or {}:
                # The 100,000-character text cut to the longest any field takes, twice over.
                shortened = value[:50_000] if isinstance(value, str) else value
                hostile_body = json.dumps({**body, field: shortened})
                send(f"{operation} body.{field}={text[:20]!r}", method, path, hostile_body)
        if method != "get":
            for whole in HOSTILE_JSON:
                send(f"{operation} body {whole[:20]!r}", method, path, whole)

    assert not failures, f"{len(failures)} hostile requests failed:\n" + "\n".join(failures[:50])
