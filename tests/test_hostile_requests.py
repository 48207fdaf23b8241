"""Each hostile request an outside probe found answering 500, as a regression test: it now gets
a clear refusal (400 naming the field, or the form's own message) or succeeds cleanly, and a
refusal writes nothing. The fuzzer (test_fuzz_urls.py) sends the same kinds of values to every
URL; these pin the reproductions themselves and what the person is told."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from canvas.models import CanvasComment
from documents.models import GeneratedDocument
from missions import exchange
from missions.models import Mission
from missions.tests.factories import MissionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mission(organisation):
    return MissionFactory(organisation=organisation, key="healthy-years", title="Healthy years")


@pytest.fixture
def lead_client(client, member):
    client.force_login(member("lead"))
    return client


def _refused(response, field: str) -> str:
    assert response.status_code == 400, response.status_code
    page = response.content.decode()
    assert f"“{field}”" in page and "null character" in page
    assert "Nothing was saved" in page
    return page


@pytest.mark.parametrize(
    "name, query",
    [
        ("missions:list", "q"),
        ("missions:actors", "q"),
        ("portfolios:dashboard", "q"),
        ("portfolios:dashboard", "owner"),
        ("portfolios:dashboard", "portfolio"),
        ("portfolios:compare", "mission"),
        ("portfolios:overlap", "portfolio"),
        ("documents:list", "mission"),
    ],
)
def test_a_nul_in_a_query_parameter_is_400_naming_it(lead_client, organisation, name, query):
    url = reverse(name, args=[organisation.slug])

    _refused(lead_client.get(url, {query: "a\x00b"}), query)


def test_a_nul_in_an_export_filter_is_400(lead_client, organisation):
    url = reverse("portfolios:dashboard", args=[organisation.slug])

    _refused(lead_client.get(url, {"format": "xlsx", "owner": "\x00"}), "owner")


def test_a_canvas_comment_with_a_nul_is_refused_and_not_saved(client, member, mission):
    client.force_login(member("editor"))
    url = reverse("canvas:box_comments", args=[mission.organisation.slug, mission.key, "challenge"])

    _refused(client.post(url, {"text": "fine\x00"}), "text")
    assert not CanvasComment.objects.exists()


def test_a_canvas_comment_with_a_control_character_is_explained_in_the_form(
    client, member, mission
):
    client.force_login(member("editor"))
    url = reverse("canvas:box_comments", args=[mission.organisation.slug, mission.key, "challenge"])

    response = client.post(url, {"text": "pasted \x1b[31m text"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 422
    assert "invisible control character" in response.content.decode()
    assert not CanvasComment.objects.exists()


def test_a_briefing_decision_or_pack_selection_with_a_nul_is_400(lead_client, mission):
    org = mission.organisation.slug
    briefing = reverse("documents:briefing", args=[org, mission.key])
    pack = reverse("documents:pack", args=[org])

    _refused(lead_client.post(briefing, {"decision": "Approve\x00"}), "decision")
    _refused(lead_client.post(pack, {"missions": [mission.key, "\x00"]}), "missions")
    _refused(
        lead_client.post(pack, {"missions": [mission.key], "covering_note": "For\x00"}),
        "covering_note",
    )
    assert not GeneratedDocument.objects.exists()


def test_a_superscript_digit_in_a_number_parameter_is_ignored(lead_client, mission):
    org = mission.organisation.slug
    compare = reverse("missions:snapshot_compare", args=[org, mission.key])
    dashboard = reverse("portfolios:dashboard", args=[org])

    assert lead_client.get(compare, {"old": "²", "new": "²"}).status_code == 200
    assert lead_client.get(compare, {"old": "9" * 5000}).status_code == 200
    assert lead_client.get(dashboard, {"after": "²", "before": "²"}).status_code == 200


def test_a_control_character_in_a_title_is_refused_by_the_start_form(client, member, organisation):
    client.force_login(member("editor"))
    url = reverse("missions:start", args=[organisation.slug])
    page = client.get(url).content.decode()
    assert 'name="title"' in page

    response = client.post(url, {"title": "Clean air\x1b[0m", "statement": "Cleaner air by 2030."})

    assert response.status_code in (200, 422)
    assert "invisible control character" in response.content.decode()
    assert not Mission.objects.exists()


def test_a_title_stored_with_a_control_character_still_exports_to_xlsx(lead_client, organisation):
    # Stored before the boundary refused it (or by an older import): the export must not fail.
    MissionFactory(organisation=organisation, key="esc", title="Clean\x1b air", status="active")

    response = lead_client.get(
        reverse("portfolios:dashboard", args=[organisation.slug]), {"format": "xlsx"}
    )

    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    titles = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "Clean air" in titles


@pytest.mark.parametrize(
    "document, says",
    [
        ("[" * 5000 + "]" * 5000, "nested more than"),
        ('{"n": ' + "9" * 5000 + "}", "digits; at most 40"),
        ('{"n": 1e-999999999}', "too large or too small"),
        ('{"s": "\\ud800"}', "incomplete character"),
        ('{"s": "a\\u0000"}', "null character"),
    ],
    ids=["deeply nested", "5,000 digits", "tiny exponent", "lone surrogate", "NUL"],
)
def test_the_exchange_import_refuses_hostile_json_with_a_reason(document, says):
    with pytest.raises(exchange.ImportRejected) as rejected:
        exchange.parse(document)

    assert says in str(rejected.value.errors[0].message)


def test_a_budget_that_rounds_past_its_column_is_refused_not_stored(organisation, member):
    lead = member("lead")
    MissionFactory(organisation=organisation, key="budgeted")
    document = exchange.export_document(organisation=organisation)
    document["missions"][0]["committed_budget"] = "999999999999.999"

    with pytest.raises(exchange.ImportRejected) as rejected:
        exchange.import_document(document=document, organisation=organisation, user=lead)

    assert "out of range" in str(rejected.value.errors[0].message)
    assert Mission.objects.get(key="budgeted").committed_budget is None


def test_the_largest_values_the_app_accepts_survive_an_export_and_import(organisation, member):
    # Each at the top of what its form or service accepts: the export of a mission must always
    # import again (a measurement of 10^15 once could not).
    from decimal import Decimal

    from evaluation.indicators import services as indicator_services
    from evaluation.indicators.models import Measurement
    from missions.tests.factories import TargetFactory

    lead = member("lead")
    mission = MissionFactory(
        organisation=organisation,
        key="big",
        committed_budget=Decimal("9999999999.99"),
        team_fte=Decimal("9999.99"),
    )
    TargetFactory(mission=mission, key="t", target_value=Decimal("9999999999999999.9999"))
    indicator = indicator_services.indicator_create(
        by=lead, mission=mission, name="Output", level="impact"
    )
    indicator_services.measurement_add(
        by=lead,
        indicator=indicator,
        period_end=datetime.date(2024, 12, 31),
        value=Decimal("999999999999999.9999"),
    )
    text = exchange.dumps(exchange.export_document(organisation=organisation))

    exchange.import_document(document=exchange.parse(text), organisation=organisation, user=lead)

    assert Measurement.objects.get(is_current=True).value == Decimal("999999999999999.9999")
    assert mission.targets.get().target_value == Decimal("9999999999999999.9999")
