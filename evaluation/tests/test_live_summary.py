"""The header panel: live while an assessment is under way, refreshed after inline saves."""

import pytest

from evaluation import services
from evaluation.models import AssessmentRun, RunStatus
from missions.tests.factories import TargetFactory

pytestmark = pytest.mark.django_db


def _summary_url(mission):
    return f"/organisations/health/missions/{mission.key}/criteria/summary/"


def test_the_panel_polls_only_while_assessing(client, mission, viewer, enqueued):
    client.force_login(viewer)
    page = client.get(f"/organisations/health/missions/{mission.key}/").text
    assert 'id="criteria-summary"' in page
    assert 'hx-trigger="missionChanged from:body"' in page  # listens, but does not poll
    assert "not checked yet" in page and "Assessing…" not in page

    services.assessment_request(mission_id=mission.pk)
    partial = client.get(_summary_url(mission), HTTP_HX_REQUEST="true").text
    assert 'hx-trigger="every 2s, missionChanged from:body"' in partial
    assert "Assessing…" in partial

    services.assessment_run(mission_id=mission.pk)
    partial = client.get(_summary_url(mission), HTTP_HX_REQUEST="true").text
    assert "every 2s" not in partial and "Assessing…" not in partial
    # The automatic band in words next to each status; never a score as a verdict.
    assert any(
        words in partial for words in ("checks met", "some checks not met", "most checks not met")
    )
    assert "out of 100" not in partial


def test_the_summary_url_without_htmx_goes_to_the_criteria_page(client, mission, viewer):
    client.force_login(viewer)
    response = client.get(_summary_url(mission))
    assert response.status_code == 302 and response.url.endswith("/criteria/")


def test_the_panel_costs_the_same_queries_however_big_the_mission(client, mission, viewer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(viewer)
    services.assessment_request(mission_id=mission.pk, enqueue=False)
    services.assessment_run(mission_id=mission.pk)

    def count() -> int:
        client.get(_summary_url(mission), HTTP_HX_REQUEST="true")
        with CaptureQueriesContext(connection) as captured:
            client.get(_summary_url(mission), HTTP_HX_REQUEST="true")
        return len(captured)

    small = count()
    for n in range(10):
        TargetFactory(mission=mission, key=f"extra-{n}")
    assert count() == small <= 15


def test_inline_saves_tell_the_page_the_mission_changed(client, mission, editor, enqueued):
    client.force_login(editor)
    target = mission.targets.get()
    prefix = f"t-{target.key}"
    page = client.get(
        f"/organisations/health/missions/{mission.key}/targets/{target.key}/change/",
        HTTP_HX_REQUEST="true",
    )
    assert page.status_code == 200
    form = page.context["edit_form"]
    data = {f"{prefix}-{name}": value for name, value in form.initial.items() if value is not None}
    data.update({f"{prefix}-title": "A sharper title", f"{prefix}-version": target.version})
    for name, field in form.fields.items():
        key = f"{prefix}-{name}"
        if key not in data and hasattr(field, "choices") and field.required:
            data[key] = next(iter(c for c, _l in field.choices if c))
    response = client.post(
        f"/organisations/health/missions/{mission.key}/targets/{target.key}/change/",
        data,
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200, response.text[:2000]
    assert response["HX-Trigger"] == "missionChanged"


def test_the_group_edit_success_tells_the_page_too(client, mission, editor, enqueued):
    client.force_login(editor)
    url = f"/organisations/health/missions/{mission.key}/change/resources/"
    form = client.get(url, HTTP_HX_REQUEST="true").context["form"]
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}
    data["version"] = mission.version
    unchanged = client.post(url, data, HTTP_HX_REQUEST="true")
    assert unchanged.status_code == 200, unchanged.text[:2000]
    assert "Nothing was changed." in unchanged.text and "HX-Trigger" not in unchanged
    data["team_fte"] = "3"
    response = client.post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200, response.text[:2000]
    assert response["HX-Trigger"] == "missionChanged"
    mission.refresh_from_db()
    failed = client.post(
        url, {"version": mission.version, "team_fte": "lots"}, HTTP_HX_REQUEST="true"
    )
    assert failed.status_code == 422 and "HX-Trigger" not in failed


def test_the_criteria_page_swaps_the_header_in_when_its_poll_ends(
    client, mission, viewer, enqueued
):
    client.force_login(viewer)
    services.assessment_request(mission_id=mission.pk)
    page = client.get(f"/organisations/health/missions/{mission.key}/criteria/").text
    # One poller on the criteria page: its own status region.
    assert page.count("every 2s") == 1
    services.assessment_run(mission_id=mission.pk)
    assert not AssessmentRun.objects.filter(mission=mission, status=RunStatus.QUEUED).exists()
    status = client.get(
        f"/organisations/health/missions/{mission.key}/criteria/status/", HTTP_HX_REQUEST="true"
    )
    assert status.status_code == 286
    assert 'id="criteria-summary"' in status.text and 'hx-swap-oob="true"' in status.text
