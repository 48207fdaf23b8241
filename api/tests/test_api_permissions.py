"""The API's permission matrix: every operation of the description, for no token, a read-only
token, an editor token, and an editor token of another organisation. Reads answer a read-only
token; writes answer it 403 and write nothing; another organisation's token gets 404 for
anything of ours (and lists only its own); no token gets 401."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import Client

from api.tests import scene as scene_of_the_examples

pytestmark = pytest.mark.django_db

M = "/missions/school-meals"
# operationId → (method, path, body or None, answer for our own editor token)
OPERATIONS = {
    "listMissions": ("get", "/missions", None, 200),
    "getMission": ("get", M, None, 200),
    "updateMission": ("patch", M, {"geography": "Wales"}, 200),
    "listTargets": ("get", M + "/targets", None, 200),
    "createTarget": (
        "post",
        M + "/targets",
        {"title": "Meals eaten", "direction": "increase", "target_value": 100},
        201,
    ),
    "getTarget": ("get", M + "/targets/meals-target", None, 200),
    "updateTarget": ("patch", M + "/targets/meals-target", {"unit": "meals"}, 200),
    "createMilestone": (
        "post",
        M + "/targets/meals-target/milestones",
        {"year": 2028, "value": 80},
        201,
    ),
    "updateMilestone": (
        "patch",
        M + "/targets/meals-target/milestones/2027",
        {"status": "met", "actual_value": 3},
        200,
    ),
    "listProjects": ("get", M + "/projects", None, 200),
    "createProject": ("post", M + "/projects", {"title": "Cooks trained"}, 201),
    "getProject": ("get", M + "/projects/kitchen-pilot", None, 200),
    "updateProject": ("patch", M + "/projects/kitchen-pilot", {"notes": "Going well."}, 200),
    "listCanvasBoxes": ("get", M + "/canvas", None, 200),
    "getCanvasBox": ("get", M + "/canvas/rationale", None, 200),
    "updateCanvasBox": ("put", M + "/canvas/rationale", {"text": "Children eat better."}, 200),
    "listIndicators": ("get", M + "/indicators", None, 200),
    "listMeasurements": ("get", M + "/indicators/meals-served/measurements", None, 200),
    "addMeasurements": (
        "post",
        M + "/indicators/meals-served/measurements",
        {"measurements": [{"period": "2025-12-31", "value": 3}]},
        201,
    ),
    "listStakeholders": ("get", M + "/stakeholders", None, 200),
    "createStakeholder": (
        "post",
        M + "/stakeholders",
        {
            "name": "Parents' council",
            "helix": "civil_society",
            "roles": ["supporter"],
            "power": 2,
            "interest": 5,
        },
        201,
    ),
    "getStakeholder": ("get", M + "/stakeholders/school-caterers", None, 200),
    "updateStakeholder": ("patch", M + "/stakeholders/school-caterers", {"power": 5}, 200),
    "getTheoryOfChange": ("get", M + "/theory-of-change", None, 200),
    "createStep": (
        "post",
        M + "/theory-of-change/steps",
        {"kind": "impact", "title": "Healthier children"},
        201,
    ),
    "updateStep": (
        "patch",
        M + "/theory-of-change/steps/kitchen-staff-trained",
        {"title": "Cooks trained"},
        200,
    ),
    "createLink": (
        "post",
        M + "/theory-of-change/links",
        {"from_step": "kitchen-staff-trained", "to_step": "healthier-lunches"},
        201,
    ),
    "getAssessment": ("get", M + "/assessment", None, 200),
    "listDecisions": ("get", M + "/decisions", None, 200),
    "listActors": ("get", "/actors", None, 200),
    "listChallenges": ("get", "/challenges", None, 200),
    "createActor": (
        "post",
        "/actors",
        {"name": "Kitchen equipment makers", "helix": "industry"},
        201,
    ),
    "createChallenge": ("post", "/challenges", {"title": "Childhood obesity"}, 201),
    "requestDocument": (
        "post",
        "/documents",
        {"kind": "canvas", "missions": ["school-meals"]},
        202,
    ),
    "getDocument": ("get", "/documents/{document}", None, 200),
    "downloadDocument": ("get", "/documents/{document}/file", None, 200),
}
# Asking for a PDF is reading (any member may, on the pages too), so it is not among these.
WRITES = {
    "updateMission",
    "createTarget",
    "updateTarget",
    "createMilestone",
    "updateMilestone",
    "createProject",
    "updateProject",
    "updateCanvasBox",
    "addMeasurements",
    "createStakeholder",
    "updateStakeholder",
    "createStep",
    "updateStep",
    "createLink",
    "createActor",
    "createChallenge",
}
# The organisation as a whole: another organisation's token lists its own (empty) register and
# adds actors and challenges to it, never to ours.
OWN = {
    "listMissions": 200,
    "listActors": 200,
    "listChallenges": 200,
    "createActor": 201,
    "createChallenge": 201,
}


@pytest.fixture
def scene(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    built = scene_of_the_examples.build()
    return {"tokens": built, "document": built["document"]}


def request(scene, operation: str, token: str | None):
    method, path, body, _ok = OPERATIONS[operation]
    path = "/api/v1" + path.replace("{document}", str(scene["document"]))
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    if method in ("patch", "put"):
        headers["HTTP_IF_MATCH"] = '"0"' if "canvas" in path else '"1"'
    client = Client()
    if body is None:
        return getattr(client, method)(path, **headers)
    return getattr(client, method)(
        path, json.dumps(body), content_type="application/json", **headers
    )


def _writes() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_xact_user_tables"
            " WHERE relname NOT IN ('audit_auditentry', 'api_apitoken')"
        )
        return int(cursor.fetchone()[0])


def test_the_table_lists_every_operation_of_the_description():
    schema = Client().get("/api/v1/openapi.json").json()
    described = {op["operationId"] for path in schema["paths"].values() for op in path.values()}
    assert described - {"pushMeasurements"} == set(OPERATIONS)


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_every_operation_for_every_token(scene, operation):
    ok = OPERATIONS[operation][3]
    assert request(scene, operation, None).status_code == 401

    other = request(scene, operation, scene["tokens"]["other"])
    if operation in OWN:
        assert other.status_code == OWN[operation]
        assert "school-meals" not in other.content.decode()
    elif operation == "requestDocument":
        assert other.status_code == 404  # they have no mission of that key
    else:
        assert other.status_code == 404, other.content

    before = _writes()
    read = request(scene, operation, scene["tokens"]["read"])
    if operation in WRITES:
        assert read.status_code == 403, read.content
        assert _writes() == before, "a refused write wrote something"
    else:
        assert read.status_code == ok, read.content

    assert request(scene, operation, scene["tokens"]["edit"]).status_code == ok


def test_the_description_and_its_documentation_are_open_to_anyone():
    assert Client().get("/api/v1/openapi.json").status_code == 200
    page = Client().get("/api/v1/docs/")
    assert page.status_code == 200
    assert (
        "Update a canvas box" in page.content.decode()
        or "Replace the text of a canvas box" in page.content.decode()
    )
