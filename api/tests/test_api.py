"""The API as another government system uses it: tokens, scopes, versions, retries, limits,
errors, and the audit trail. Real PostgreSQL and Redis; requests through Django's test client."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from accounts.models import Role
from accounts.tests.factories import MembershipFactory, OrganisationFactory
from api import services
from api.models import ApiToken
from audit.models import AuditEntry, AuditEvent
from canvas.models import CanvasBox
from evaluation.indicators.models import Indicator
from missions.models import MissionChange, MissionProject
from missions.tests.factories import MissionFactory, MissionProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    organisation = OrganisationFactory(slug="ministry-of-health")
    other = OrganisationFactory(slug="ministry-of-transport")
    mission = MissionFactory(organisation=organisation, key="school-meals", title="School meals")
    MissionProjectFactory(mission=mission, key="kitchen-pilot", title="Kitchen pilot")
    MissionFactory(organisation=other, key="quiet-streets", title="Quiet streets")
    _token, reader = services.token_create(
        by=None, organisation=organisation, name="Statistics system", role="read"
    )
    _token, editor = services.token_create(
        by=None, organisation=organisation, name="Budget system", role="edit"
    )
    _token, outsider = services.token_create(
        by=None, organisation=other, name="Transport system", role="edit"
    )
    return {"mission": mission, "reader": reader, "editor": editor, "outsider": outsider}


def call(method: str, path: str, token: str | None = None, body=None, **headers):
    client = Client()
    extra = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()}
    if token:
        extra["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    data = json.dumps(body) if body is not None else None
    return getattr(client, method)(
        "/api/v1" + path, data=data, content_type="application/json", **extra
    )


def test_no_token_or_a_revoked_one_is_401_with_a_problem_document(scene):
    answer = call("get", "/missions")
    assert answer.status_code == 401
    assert answer["Content-Type"] == "application/problem+json"
    assert "Bearer" in answer.json()["detail"]
    token = ApiToken.objects.get(name="Statistics system")
    services.token_revoke(by=None, token=token)
    assert call("get", "/missions", scene["reader"]).status_code == 401


def test_a_token_reads_its_own_organisation_only(scene):
    page = call("get", "/missions", scene["reader"]).json()
    assert [m["key"] for m in page["items"]] == ["school-meals"]
    assert call("get", "/missions/quiet-streets", scene["reader"]).status_code == 404
    assert call("get", "/missions/school-meals", scene["outsider"]).status_code == 404
    answer = call("get", "/missions/school-meals/projects/kitchen-pilot", scene["outsider"])
    assert answer.status_code == 404


def test_a_read_only_token_cannot_write(scene):
    answer = call(
        "patch", "/missions/school-meals", scene["reader"], {"title": "Changed"}, if_match='"1"'
    )
    assert answer.status_code == 403
    answer = call("post", "/missions/school-meals/projects", scene["reader"], {"title": "New"})
    assert answer.status_code == 403
    assert not MissionProject.objects.filter(title="New").exists()


def test_update_needs_if_match_and_a_stale_version_answers_412_with_the_current_one(scene):
    read = call("get", "/missions/school-meals", scene["editor"])
    etag = read["ETag"]
    answer = call(
        "patch", "/missions/school-meals", scene["editor"], {"title": "Healthy school meals"}
    )
    assert answer.status_code == 428
    answer = call(
        "patch",
        "/missions/school-meals",
        scene["editor"],
        {"title": "Healthy school meals"},
        if_match=etag,
    )
    assert answer.status_code == 200
    assert answer.json()["title"] == "Healthy school meals"
    assert answer["ETag"] != etag
    # History names the token, as it names a person for a page.
    change = MissionChange.objects.filter(mission=scene["mission"]).latest("pk")
    assert change.user.full_name == "Budget system (API)"
    stale = call(
        "patch", "/missions/school-meals", scene["editor"], {"title": "Other"}, if_match=etag
    )
    assert stale.status_code == 412
    assert stale.json()["current"]["title"] == "Healthy school meals"
    assert stale["ETag"] == answer["ETag"]


def test_canvas_box_conflict_keeps_the_other_writers_text(scene):
    box = call("get", "/missions/school-meals/canvas/rationale", scene["editor"])
    assert box.status_code == 200
    first = call(
        "put",
        "/missions/school-meals/canvas/rationale",
        scene["editor"],
        {"text": "Children eat better."},
        if_match=box["ETag"],
    )
    assert first.status_code == 200
    second = call(
        "put",
        "/missions/school-meals/canvas/rationale",
        scene["editor"],
        {"text": "Something else."},
        if_match=box["ETag"],
    )
    assert second.status_code == 412
    assert second.json()["current"]["text"] == "Children eat better."
    assert CanvasBox.objects.get(box_key="rationale").text == "Children eat better."


def test_a_retried_post_with_the_same_idempotency_key_adds_one_project(scene):
    body = {"title": "Cooks trained", "budget": "12000.50"}
    first = call(
        "post", "/missions/school-meals/projects", scene["editor"], body, idempotency_key="k-1"
    )
    again = call(
        "post", "/missions/school-meals/projects", scene["editor"], body, idempotency_key="k-1"
    )
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again["Idempotent-Replayed"] == "true"
    assert first["Location"] == "/api/v1/missions/school-meals/projects/cooks-trained"
    assert MissionProject.objects.filter(title="Cooks trained").count() == 1
    other = call(
        "post",
        "/missions/school-meals/projects",
        scene["editor"],
        {"title": "Other"},
        idempotency_key="k-1",
    )
    assert other.status_code == 422


def test_invalid_fields_are_listed_with_json_pointers_and_nothing_is_saved(scene):
    answer = call(
        "post",
        "/missions/school-meals/projects",
        scene["editor"],
        {"title": "", "budget": -5, "stage": "dreaming"},
    )
    assert answer.status_code == 422
    assert answer["Content-Type"] == "application/problem+json"
    pointers = {e["pointer"] for e in answer.json()["errors"]}
    assert {"/body/title", "/body/budget", "/body/stage"} <= pointers
    assert MissionProject.objects.count() == 1
    nul = call("post", "/missions/school-meals/projects", scene["editor"], {"title": "a\u0000b"})
    assert nul.status_code == 400, nul.content
    assert nul.json().get("errors"), nul.json()
    assert nul.json()["errors"][0]["pointer"] == "/body/title"


def test_paging_by_cursor_neither_skips_nor_repeats(scene):
    for number in range(5):
        MissionFactory(organisation=scene["mission"].organisation, key=f"m-{number}")
    seen: list[str] = []
    cursor = ""
    while True:
        page = call("get", f"/missions?limit=2&cursor={cursor}", scene["reader"]).json()
        seen += [m["key"] for m in page["items"]]
        if not page["next_cursor"]:
            break
        cursor = page["next_cursor"]
    assert seen == sorted(seen) and len(seen) == len(set(seen)) == 6
    bad = call("get", "/missions?cursor=nonsense", scene["reader"])
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["pointer"] == "/query/cursor"


@override_settings(API_CALLS_PER_MINUTE=3)
def test_over_the_rate_a_token_gets_429_with_retry_after(scene):
    answers = [call("get", "/challenges", scene["reader"]) for _ in range(4)]
    assert [a.status_code for a in answers[:3]] == [200, 200, 200]
    assert answers[3].status_code == 429
    assert 1 <= int(answers[3]["Retry-After"]) <= 60
    # Another token has its own allowance.
    assert call("get", "/challenges", scene["editor"]).status_code == 200


def test_every_call_is_on_the_audit_trail(scene):
    call("get", "/missions/school-meals", scene["reader"])
    entry = AuditEntry.objects.filter(event=AuditEvent.API_CALL).latest("pk")
    assert entry.additional_data == {
        "method": "GET",
        "path": "/api/v1/missions/school-meals",
        "status": 200,
    }
    assert entry.actor.full_name == "Statistics system (API)"
    assert entry.organisation_id == scene["mission"].organisation_id
    token = ApiToken.objects.get(name="Statistics system")
    assert token.last_used_at is not None


def test_an_editor_token_adds_measurements_by_key(scene):
    from evaluation.indicators import services as indicator_services

    editor = MembershipFactory(organisation=scene["mission"].organisation, role=Role.EDITOR).user
    indicator_services.indicator_create(
        by=editor, mission=scene["mission"], name="Meals served", level="impact", unit="meals"
    )
    body = {"measurements": [{"period": "2025-12-31", "value": 41.5, "source_reference": "Survey"}]}
    path = f"/missions/school-meals/indicators/{Indicator.objects.get().key}/measurements"
    assert call("post", path, scene["reader"], body).status_code == 403
    answer = call("post", path, scene["editor"], body)
    assert answer.status_code == 201, answer.content
    assert answer.json()["added"] == 1
    rows = call("get", path, scene["reader"]).json()
    assert rows[0]["value"] == "41.5"
    wrong = call(
        "post", path, scene["editor"], {"measurements": [{"period": "someday", "value": 1}]}
    )
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["pointer"].startswith("/body/measurements/0")


def test_the_description_is_openapi_3_1_and_lists_every_operation():
    answer = Client().get("/api/v1/openapi.json")
    schema = answer.json()
    assert schema["openapi"].startswith("3.1")
    operations = {op["operationId"] for path in schema["paths"].values() for op in path.values()}
    assert {"listMissions", "updateCanvasBox", "createProject", "requestDocument"} <= operations
    for path in schema["paths"].values():
        for operation in path.values():
            assert "401" in operation["responses"]
            if operation["operationId"] != "pushMeasurements":  # stewards' own, as before
                assert "429" in operation["responses"]


def test_create_api_token_prints_the_token_once_on_its_last_line():
    OrganisationFactory(slug="ministry-of-health")
    out = io.StringIO()
    call_command(
        "create_api_token", org="ministry-of-health", role="read", name="Stats", stdout=out
    )
    secret = out.getvalue().strip().splitlines()[-1]
    assert secret.startswith("lsa_")
    token = ApiToken.objects.get(name="Stats")
    assert token.token_hash != secret and secret not in token.token_hash
    assert call("get", "/missions", secret).status_code == 200


def test_a_token_is_never_a_member():
    organisation = OrganisationFactory()
    token, _secret = services.token_create(
        by=None, organisation=organisation, name="X", role="edit"
    )
    assert not token.client.memberships.exists()
    assert not token.client.has_usable_password()
    MembershipFactory(organisation=organisation, role=Role.ADMIN)
    assert organisation.memberships.count() == 1


def test_a_mistyped_field_a_quoted_number_or_a_body_not_json_is_refused(scene):
    read = call("get", "/missions/school-meals", scene["editor"])
    typo = call(
        "patch", "/missions/school-meals", scene["editor"], {"titel": "x"}, if_match=read["ETag"]
    )
    assert typo.status_code == 422
    assert typo.json()["errors"][0]["pointer"] == "/body/titel"
    assert call("get", "/missions/school-meals", scene["editor"])["ETag"] == read["ETag"]
    quoted = call(
        "post",
        "/missions/school-meals/indicators/none/measurements",
        scene["editor"],
        {"measurements": [{"period": "2025-12-31", "value": "3"}]},
    )
    assert quoted.status_code == 422
    assert quoted.json()["errors"][0]["pointer"] == "/body/measurements/0/value"
    text = Client().post(
        "/api/v1/missions/school-meals/projects",
        "title=x",
        content_type="text/plain",
        HTTP_AUTHORIZATION=f"Bearer {scene['editor']}",
    )
    assert text.status_code == 415
    assert text["Content-Type"] == "application/problem+json"


def test_an_address_or_method_the_api_does_not_have_answers_a_problem(scene):
    missing = call("get", "/no-such-thing", scene["reader"])
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/problem+json"
    wrong = call("delete", "/missions/school-meals", scene["editor"])
    assert wrong.status_code == 405
    assert wrong["Content-Type"] == "application/problem+json"
    assert "DELETE" in wrong.json()["detail"]


def test_a_token_works_through_its_expiry_day_and_not_after():
    import datetime

    from django.utils import timezone

    organisation = OrganisationFactory()
    today = timezone.localdate()
    token, _secret = services.token_create(
        by=None,
        organisation=organisation,
        name="X",
        role="read",
        expires_on=today + datetime.timedelta(days=1),
    )
    end_of_tomorrow = timezone.make_aware(
        datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time(23, 59))
    )
    assert token.is_live(end_of_tomorrow)
    assert not token.is_live(end_of_tomorrow + datetime.timedelta(minutes=2))


def test_updated_since_takes_any_offset_and_refuses_times_outside_the_calendar(scene):
    page = call("get", "/missions?updated_since=2000-01-01T00:00:00-17:18", scene["reader"])
    assert page.status_code == 200
    assert [m["key"] for m in page.json()["items"]] == ["school-meals"]
    naive = call("get", "/missions?updated_since=2999-01-01T00:00:00", scene["reader"])
    assert naive.json()["items"] == []
    edge = call("get", "/missions?updated_since=0001-01-01T00:00:00%2B05:00", scene["reader"])
    assert edge.status_code == 422
    assert edge.json()["errors"][0]["pointer"] == "/query/updated_since"


def test_a_key_already_in_use_answers_409_and_saves_nothing(scene):
    from evaluation.toc.models import ToCNode

    body = {"kind": "output", "title": "Cooks trained", "key": "cooks"}
    path = "/missions/school-meals/theory-of-change/steps"
    assert call("post", path, scene["editor"], body).status_code == 201
    again = call("post", path, scene["editor"], {**body, "title": "Other"})
    assert again.status_code == 409
    assert again.json()["errors"][0]["pointer"] == "/body/key"
    assert ToCNode.objects.filter(key="cooks").count() == 1


def test_a_document_whose_file_is_no_longer_kept_answers_404_not_500(tmp_path, settings):
    from api.tests import scene as examples
    from documents.models import GeneratedDocument

    settings.MEDIA_ROOT = str(tmp_path)
    built = examples.build()
    document = GeneratedDocument.objects.get(pk=built["document"])
    document.file.delete(save=False)  # the row still says done
    answer = call("get", f"/documents/{document.pk}/file", built["read"])
    assert answer.status_code == 404
    assert "no longer kept" in answer.json()["detail"]
