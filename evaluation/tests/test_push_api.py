"""The push API: a steward's token sends measurements as JSON, all or nothing, only to the
indicators the steward looks after."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluation.indicators import services, stewards
from evaluation.indicators.models import IndicatorPushToken, IndicatorSteward, Measurement
from missions.tests.factories import MissionFactory

D = Decimal
URL = "/api/v1/measurements/"


@pytest.fixture
def indicator(mission, editor):
    return services.indicator_create(
        by=editor, mission=mission, name="Healthy life years", level="impact", unit="years"
    )


@pytest.fixture
def sibling(mission, editor):
    return services.indicator_create(
        by=editor, mission=mission, name="Smoking rate", level="outcome", unit="%"
    )


@pytest.fixture
def steward(member, other_organisation, indicator, editor):
    user = member("editor", org=other_organisation, full_name="Stella Statistician")
    IndicatorSteward.objects.create(indicator=indicator, user=user, invited_by=editor)
    return user


@pytest.fixture
def token(steward):
    token, secret = stewards.push_token_create(by=steward, name="StatLine nightly")
    token.secret = secret
    return token


@pytest.fixture
def foreign_indicator(member):
    from accounts.tests.factories import OrganisationFactory

    elsewhere = OrganisationFactory(name="Ministry of Elsewhere", slug="elsewhere")
    return services.indicator_create(
        by=member("editor", org=elsewhere),
        mission=MissionFactory(organisation=elsewhere, key="clean-air"),
        name="Particulate matter",
        level="outcome",
    )


def push(body, secret: str | None, content_type: str = "application/json", **extra):
    client = Client(enforce_csrf_checks=True)  # token auth: CSRF must not be in the way
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(URL, data=data, content_type=content_type, **headers, **extra)


def row(indicator, period="2024-12-31", value=63.1, **more):
    return {"indicator": indicator.pk, "period": period, "value": value, **more}


def errors(response) -> list[tuple]:
    return [(e["row"], e["field"], e["message"]) for e in response.json()["errors"]]


def test_a_good_push_writes_every_row_as_the_steward_with_the_token(
    client, token, indicator, steward, editor, mission
):
    response = push(
        {
            "measurements": [
                row(indicator, "2022-12-31", 62.5, quality="official", source_reference="T 1"),
                row(indicator, "2023-12-31", 62.75, quality="provisional"),
                {"indicator": indicator.key, "period": "2024-12-31", "value": 63},
            ]
        },
        token.secret,
    )

    assert response.status_code == 201
    assert response.json() == {
        "added": 3,
        "corrected": 0,
        "unchanged": 0,
        "token": "StatLine nightly",
    }
    values = list(Measurement.objects.order_by("period_end"))
    assert [m.value for m in values] == [D("62.5"), D("62.75"), D("63")]
    assert [m.quality for m in values] == ["official", "provisional", "official"]
    assert values[0].source_ref == "T 1"
    assert {(m.entered_by_id, m.entered_via_id) for m in values} == {(steward.pk, token.pk)}
    token.refresh_from_db()
    assert token.last_used_at is not None
    client.force_login(editor)
    page = client.get(
        reverse(
            "evaluation:indicator", args=[mission.organisation.slug, mission.key, indicator.key]
        )
    ).content.decode()
    assert "pushed with the token “StatLine nightly”" in page and "Stella Statistician" in page


def test_pushing_again_is_safe_and_a_changed_value_is_a_correction(token, indicator):
    first = push({"measurements": [row(indicator, "2023-12-31", 62.5)]}, token.secret)
    same = push({"measurements": [row(indicator, "2023-12-31", 62.5)]}, token.secret)
    changed = push({"measurements": [row(indicator, "2023-12-31", 62.6)]}, token.secret)

    assert first.json()["added"] == 1
    assert same.status_code == 201 and same.json()["unchanged"] == 1
    assert changed.json()["corrected"] == 1
    assert [(m.value, m.is_current) for m in Measurement.objects.order_by("pk")] == [
        (D("62.5"), False),
        (D("62.6"), True),
    ]


def test_bad_json_is_400_and_writes_nothing(token, indicator):
    response = push('{"measurements": [', token.secret)

    assert response.status_code == 400
    assert "not valid JSON" in response.json()["errors"][0]["message"]
    assert not Measurement.objects.exists()


@pytest.mark.parametrize(
    "body, expected",
    [
        ({"rows": []}, (None, "measurements", "Send an object with a “measurements” list.")),
        ([1, 2], (None, "measurements", "Send an object with a “measurements” list.")),
        ({"measurements": []}, (None, "measurements", "Give a non-empty list of measurements.")),
        ({"measurements": ["x"]}, (0, None, "Each measurement must be a JSON object.")),
    ],
)
def test_a_body_of_the_wrong_shape_is_explained(token, body, expected):
    response = push(body, token.secret)

    assert response.status_code == 400
    assert errors(response) == [expected]


def test_wrong_types_are_reported_by_row_and_field_and_nothing_is_written(token, indicator):
    response = push(
        {
            "measurements": [
                row(indicator, "2021-12-31", 61.0),  # a good row: not written either
                row(indicator, value="63.1"),
                row(indicator, period=20241231),
                {"indicator": True, "period": "2024-12-31", "value": 1},
                row(indicator, "2020-12-31", value=True, quality=3),
                row(indicator, "2019-12-31", 1, period_end="2019-12-31"),
                {"indicator": indicator.pk, "period": "2018-12-31"},
            ]
        },
        token.secret,
    )

    assert response.status_code == 400
    assert errors(response) == [
        (1, "value", "Give the value as a JSON number, not in quotes."),
        (2, "period", "Give the period end as a string."),
        (3, "indicator", "Give the indicator's id (a number) or key (text)."),
        (4, "value", "Give the value as a JSON number, not in quotes."),
        (4, "quality", "Give the quality as a string."),
        (5, "period_end", "Unknown field."),
        (6, "value", "This field is required."),
    ]
    assert not Measurement.objects.exists()


def test_bad_values_get_the_same_checks_as_a_csv_import(token, indicator):
    response = push(
        {
            "measurements": [
                row(indicator, period="31/12/2024"),
                row(indicator, "2023-12-31", 1e18),
                row(indicator, "2022-12-31", quality="guess"),
                row(indicator, "1850-12-31"),
                row(indicator, "2021-12-31", source_reference="x" * 201),
            ]
        },
        token.secret,
    )

    assert response.status_code == 400
    assert errors(response) == [
        (0, "period", "“31/12/2024” is not a date like 2024-12-31."),
        (1, "value", "The number is too large."),
        (2, "quality", "“guess” is not one of: official, estimate, provisional."),
        (3, "period", "Give a period end from 1900 up to a year from today."),
        (4, "source_reference", "Keep it under 200 characters."),
    ]
    assert not Measurement.objects.exists()


def test_a_duplicate_period_is_an_error_on_the_later_row(token, indicator):
    response = push(
        {"measurements": [row(indicator, "2024-12-31", 1), row(indicator, "2024-12-31", 2)]},
        token.secret,
    )

    assert response.status_code == 400
    assert errors(response) == [(1, "period", "The same period is already on row 0.")]
    assert not Measurement.objects.exists()


def test_unknown_sibling_and_foreign_indicators_get_the_same_answer(
    token, indicator, sibling, foreign_indicator
):
    response = push(
        {
            "measurements": [
                row(indicator),
                {"indicator": 999999, "period": "2024-12-31", "value": 1},
                row(sibling),
                row(foreign_indicator),
                {"indicator": foreign_indicator.key, "period": "2024-12-31", "value": 1},
            ]
        },
        token.secret,
    )

    assert response.status_code == 400
    assert errors(response) == [
        (1, "indicator", "No indicator “999999” among those this token may write to."),
        (2, "indicator", f"No indicator “{sibling.pk}” among those this token may write to."),
        (
            3,
            "indicator",
            f"No indicator “{foreign_indicator.pk}” among those this token may write to.",
        ),
        (
            4,
            "indicator",
            "No indicator “particulate-matter” among those this token may write to.",
        ),
    ]
    assert "Elsewhere" not in response.content.decode()
    assert not Measurement.objects.exists()


@pytest.mark.parametrize("secret", [None, "lsp_not-a-real-token", "garbage"])
def test_no_or_a_bad_token_is_401(indicator, secret):
    response = push({"measurements": [row(indicator)]}, secret)

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert not Measurement.objects.exists()


def test_a_revoked_token_is_401_at_once(client, token, steward, indicator):
    client.force_login(steward)
    client.post(reverse("evaluation:push_token_revoke", args=[token.pk]))

    response = push({"measurements": [row(indicator)]}, token.secret)

    assert response.status_code == 401
    assert not Measurement.objects.exists()


def test_a_revoked_stewardship_stops_the_token_writing_there(token, steward, indicator):
    from django.utils import timezone

    IndicatorSteward.objects.filter(user=steward).update(revoked_at=timezone.now())

    response = push({"measurements": [row(indicator)]}, token.secret)

    assert response.status_code == 400
    assert errors(response)[0][1] == "indicator"
    assert not Measurement.objects.exists()


def test_only_json_is_accepted(token, indicator):
    response = push("period_end,value\n2024-12-31,1\n", token.secret, content_type="text/csv")

    assert response.status_code == 415
    assert not Measurement.objects.exists()


def test_an_oversized_body_is_413(token, indicator, settings):
    settings.EVALUATION_MEASUREMENTS_CSV_MAX_BYTES = 200
    rows = [row(indicator, f"{2000 + n}-12-31", n) for n in range(10)]

    response = push({"measurements": rows}, token.secret)

    assert response.status_code == 413
    assert "200 bytes" in response.json()["errors"][0]["message"]
    assert not Measurement.objects.exists()


def test_get_is_not_accepted(token):
    response = Client().get(URL, HTTP_AUTHORIZATION=f"Bearer {token.secret}")

    assert response.status_code == 405


def test_queries_grow_with_indicators_not_rows(token, indicator):
    def count(years: range) -> int:
        body = {"measurements": [row(indicator, f"{y}-12-31", y) for y in years]}
        with CaptureQueriesContext(connection) as captured:
            assert push(body, token.secret).status_code == 201
        return len(captured)

    assert count(range(1950, 1953)) == count(range(1960, 2020))


def test_the_token_is_stored_hashed_and_shown_once(client, steward, indicator):
    client.force_login(steward)

    made = client.post(reverse("evaluation:push_tokens"), {"name": "StatLine nightly"})
    secret = made.context["secret"]
    later = client.get(reverse("evaluation:push_tokens")).content.decode()

    stored = IndicatorPushToken.objects.get()
    assert made.status_code == 200 and secret in made.content.decode()
    assert made["Cache-Control"] == "no-store"
    assert stored.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in stored.token_hash and secret not in later
    assert "StatLine nightly" in later and stored.prefix in later
    assert push({"measurements": [row(indicator)]}, secret).status_code == 201


def test_only_stewards_make_tokens(client, editor, outsider):
    for person in (editor, outsider):
        client.force_login(person)
        assert client.get(reverse("evaluation:push_tokens")).status_code == 404
        assert client.post(reverse("evaluation:push_tokens"), {"name": "x"}).status_code == 404
    assert not IndicatorPushToken.objects.exists()


def test_a_steward_cannot_revoke_someone_elses_token(client, token, member, other_organisation):
    client.force_login(member("admin", org=other_organisation))

    response = client.post(reverse("evaluation:push_token_revoke", args=[token.pk]))

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_json_with_a_charset_is_accepted(token, indicator):
    response = push(
        {"measurements": [row(indicator)]},
        token.secret,
        content_type="application/json; charset=utf-8",
    )

    assert response.status_code == 201
    assert Measurement.objects.get().value == D("63.1")


@pytest.mark.parametrize(
    "body, says",
    [
        ('{"measurements": ' + "[" * 5000 + "]" * 5000 + "}", "nested more than"),
        ('{"measurements": [{"value": ' + "9" * 5000 + "}]}", "digits; at most 40"),
        ('{"measurements": [{"value": 1e-999999999}]}', "too large or too small"),
        ('{"measurements": [{"source_reference": "\\ud800"}]}', "incomplete character"),
        ('{"measurements": [{"source_reference": "a\\u0000b"}]}', "null character"),
    ],
    ids=["deeply nested", "5,000 digits", "tiny exponent", "lone surrogate", "NUL"],
)
def test_hostile_json_is_400_with_a_reason_and_writes_nothing(token, indicator, body, says):
    response = push(body, token.secret)

    assert response.status_code == 400
    assert says in response.json()["errors"][0]["message"]
    assert not Measurement.objects.exists()


def test_a_value_that_rounds_past_the_limit_is_refused_not_stored(token, indicator):
    body = row(indicator, value=0)
    text = json.dumps({"measurements": [body]}).replace(
        '"value": 0', '"value": 999999999999999.99999'
    )
    response = push(text, token.secret)

    assert response.status_code == 400
    assert errors(response) == [(0, "value", "The number is too large.")]
    assert not Measurement.objects.exists()
