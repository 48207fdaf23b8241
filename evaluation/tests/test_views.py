"""The criteria page as people use it: what they see, what they may do, and what strangers get."""

import pytest
from django.urls import reverse

from evaluation import services
from evaluation.models import CriterionVerdict, Finding, FindingStatus


def url(name, mission, **kwargs):
    return reverse(
        f"evaluation:{name}",
        kwargs={"org_slug": mission.organisation.slug, "mission_key": mission.key, **kwargs},
    )


@pytest.fixture
def assessed(mission, enqueued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_request(mission_id=mission.pk)
    services.assessment_run(mission_id=mission.pk)
    return mission


def test_page_shows_each_criterion_awaiting_review_with_its_checks_and_warnings(
    client, viewer, assessed
):
    client.force_login(viewer)
    response = client.get(url("criteria", assessed))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bold, inspiring and relevant to society" in html
    assert html.count("Awaiting review") >= 5
    assert "A short mission statement" in html  # a signal behind C1
    assert "No recorded mandate" in html  # MANDATE_MISSING, from the factory's mission
    assert "warning signs not checked yet" in html
    assert 'role="status"' in html and "Up to date" in html
    assert "hx-trigger" not in html  # nothing pending, so no polling
    assert "Record your verdict" not in html  # viewers cannot
    assert "Acknowledge or dismiss" not in html


def test_page_polls_while_an_assessment_is_pending_and_swaps_in_the_result(
    client, viewer, mission, enqueued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_request(mission_id=mission.pk)
    client.force_login(viewer)
    page = client.get(url("criteria", mission)).content.decode()
    assert 'hx-trigger="every 2s"' in page and "Assessing…" in page

    still = client.get(url("criteria_status", mission), headers={"HX-Request": "true"})
    assert still.status_code == 200 and 'hx-trigger="every 2s"' in still.content.decode()

    services.assessment_run(mission_id=mission.pk)
    done = client.get(url("criteria_status", mission), headers={"HX-Request": "true"})
    html = done.content.decode()
    assert done.status_code == 286  # htmx stops polling
    assert "hx-trigger" not in html and "Up to date" in html
    assert 'id="criteria-results" hx-swap-oob="true"' in html
    assert "No recorded mandate" in html


def test_reviewer_records_a_verdict_and_sees_it(client, reviewer, assessed):
    client.force_login(reviewer)
    response = client.post(
        url("verdict", assessed, criterion="c2"),
        {"rating": "4", "rationale": "The indicator is a fair proxy."},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Rated 4 out of 5" in html and "The indicator is a fair proxy." in html
    assert "Your verdict has been recorded." in html
    assert CriterionVerdict.objects.get(mission=assessed).reviewer == reviewer


def test_verdict_without_rationale_answers_422_with_the_error(client, reviewer, assessed):
    client.force_login(reviewer)
    response = client.post(
        url("verdict", assessed, criterion="c2"), {"rating": "4"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 422
    assert "Explain your rating" in response.content.decode()
    assert not CriterionVerdict.objects.exists()


def test_verdict_form_uses_a_fieldset_for_the_rating(client, reviewer, assessed):
    client.force_login(reviewer)
    html = client.get(url("criteria", assessed)).content.decode()
    assert "<fieldset" in html and "Your rating" in html and 'for="verdict-c1-rationale"' in html


def test_viewer_cannot_record_a_verdict(client, viewer, assessed):
    client.force_login(viewer)
    response = client.post(
        url("verdict", assessed, criterion="c2"), {"rating": "5", "rationale": "Great."}
    )
    assert response.status_code == 403
    assert not CriterionVerdict.objects.exists()


def test_editor_dismisses_a_warning_with_a_reason(client, editor, assessed):
    finding = Finding.objects.get(mission=assessed, code="MANDATE_MISSING")
    client.force_login(editor)
    response = client.post(
        url("decide", assessed, finding_id=finding.pk),
        {"decision": "dismissed", "reason": "Decided by the cabinet; reference follows."},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Decided by the cabinet" in response.content.decode()
    finding.refresh_from_db()
    assert finding.status == FindingStatus.DISMISSED and finding.decided_by == editor


def test_decision_without_a_reason_answers_422_and_changes_nothing(client, editor, assessed):
    finding = Finding.objects.get(mission=assessed, code="MANDATE_MISSING")
    client.force_login(editor)
    response = client.post(
        url("decide", assessed, finding_id=finding.pk),
        {"decision": "acknowledged", "reason": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert "Say why" in response.content.decode()
    finding.refresh_from_db()
    assert finding.status == FindingStatus.OPEN


def test_decision_without_javascript_shows_the_error_summary(client, editor, assessed):
    finding = Finding.objects.get(mission=assessed, code="MANDATE_MISSING")
    client.force_login(editor)
    response = client.post(
        url("decide", assessed, finding_id=finding.pk), {"decision": "dismissed"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "There is a problem" in html and f'href="#warning-{finding.pk}-reason"' in html


@pytest.mark.parametrize(
    ("name", "kwargs", "method"),
    [
        ("criteria", {}, "get"),
        ("criteria_status", {}, "get"),
        ("assess", {}, "post"),
        ("verdict", {"criterion": "c1"}, "post"),
    ],
)
def test_another_organisation_gets_404_everywhere(client, outsider, assessed, name, kwargs, method):
    client.force_login(outsider)
    response = getattr(client, method)(
        url(name, assessed, **kwargs), {"rating": "5", "rationale": "x"}
    )
    assert response.status_code == 404


def test_another_organisation_cannot_decide_about_a_warning(client, outsider, assessed):
    finding = Finding.objects.get(mission=assessed, code="MANDATE_MISSING")
    client.force_login(outsider)
    response = client.post(
        url("decide", assessed, finding_id=finding.pk), {"decision": "dismissed", "reason": "x"}
    )
    assert response.status_code == 404
    finding.refresh_from_db()
    assert finding.status == FindingStatus.OPEN


def test_assess_now_queues_an_assessment(client, editor, mission, enqueued):
    client.force_login(editor)
    response = client.post(url("assess", mission), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Assessing…" in response.content.decode()
