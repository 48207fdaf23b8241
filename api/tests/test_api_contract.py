"""The API against its own description, tested from the outside by Schemathesis: every
operation, with a read-only and an editor token, generated requests (valid and invalid),
examples and the description's links followed statefully. It finds no server error, no answer
that breaks the description, and no broken link between operations.

Bounded (a few examples per operation) so it fits in `make test`; for a long run:
`schemathesis run <server>/api/v1/openapi.json -H "Authorization: Bearer <token>" -n 200`."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from api.tests import scene

pytestmark = pytest.mark.django_db(transaction=True)

SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"
# What the issue asks of the contract: no 5xx, status codes, content types, headers and bodies
# as described, and resources that stay reachable and gone when deleted (stateful links).
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
        "use_after_free",
        "ensure_resource_availability",
    ]
)


@pytest.mark.parametrize("role", ["read", "edit"])
def test_schemathesis_finds_nothing_against_the_description(role, live_server, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    tokens = scene.build()
    with override_settings(API_CALLS_PER_MINUTE=100_000):
        run = subprocess.run(
            [
                str(SCHEMATHESIS),
                "run",
                f"{live_server.url}/api/v1/openapi.json",
                "--header",
                f"Authorization: Bearer {tokens[role]}",
                "--checks",
                CHECKS,
                "--phases",
                "examples,coverage,fuzzing,stateful",
                "--max-examples",
                "8",
                "--seed",
                "20261207",
                "--workers",
                "1",
                "--generation-database",
                "none",
                "--request-timeout",
                "30",
                "--no-color",
            ],
            capture_output=True,
            text=True,
            timeout=600,
            cwd=tmp_path,
        )
    summary = run.stdout[-6000:]
    assert run.returncode == 0, summary
    # Every operation of the description was tested, and none failed in any phase.
    assert re.search(r"Operations:\s+(\d+) selected / \1 total", summary), summary
    assert "❌" not in summary, summary
