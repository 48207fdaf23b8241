"""The readiness check (advice, never a gate) and the EU-style go/no-go review."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from evaluation import services
from evaluation.models import (
    AssessmentRun,
    AssessmentState,
    Finding,
    GoNoGoReview,
    ReadinessCheck,
    RunStatus,
)
from evaluation.readiness import advise
from missions.models import Mission

pytestmark = pytest.mark.django_db

GOOD = {
    step: {"score": 2, "note": ""} for step in ("challenge", "support", "objective", "commitment")
}


def _answers(**scores):
    return {step: {"score": scores.get(step, 2), "note": ""} for step in GOOD}


def _post(scores: dict[str, int], notes: dict[str, str] | None = None) -> dict[str, str]:
    data = {}
    for step in GOOD:
        data[f"{step}_score"] = str(scores.get(step, 2))
        data[f"{step}_note"] = (notes or {}).get(step, "")
    return data


def _gonogo_post(decision="go", rationale="Because.") -> dict[str, str]:
    items = ("added_value", "ri_content", "buy_in", "goal", "plan", "budget")
    data = {f"{item}_decision": decision for item in items}
    data.update({f"{item}_rationale": rationale for item in items})
    return data


# --- Advice ---------------------------------------------------------------------------------


def test_weak_answers_advise_a_regular_programme():
    assert advise(_answers(commitment=0)) == "programme"  # any "no"
    assert advise(_answers(challenge=1, support=1, objective=1, commitment=0)) == "programme"


def test_partial_answers_advise_strengthening_and_strong_ones_a_mission():
    assert advise(_answers(support=1)) == "strengthen"
    assert advise(_answers(challenge=1, support=1, objective=1, commitment=1)) == "strengthen"
    assert advise(_answers()) == "mission"


# --- Standalone, before a mission ------------------------------------------------------------


def test_the_start_page_links_to_the_check_and_the_check_advises_plainly(client, member):
    editor = member("editor")
    client.force_login(editor)
    start = client.get("/organisations/health/start-mission/")
    assert "Not sure a mission is the right tool? Take the readiness check" in start.text
    assert "/organisations/health/readiness-check/" in start.text

    page = client.get("/organisations/health/readiness-check/")
    assert page.status_code == 200
    assert "Is the problem big, shared and hard enough" in page.text

    response = client.post(
        "/organisations/health/readiness-check/",
        _post({"commitment": 0, "support": 1}, {"commitment": "One-year money only."}),
    )
    check = ReadinessCheck.objects.get()
    assert response.status_code == 302
    assert response.url == f"/organisations/health/readiness-check/{check.pk}/"
    assert check.mission is None and check.taken_by == editor and check.advice == "programme"
    result = client.get(response.url)
    assert "A regular programme may fit better" in result.text
    assert "One-year money only." in result.text
    assert "advice, not a decision" in result.text
    assert f"/readiness-check/{check.pk}/start-mission/" in result.text


def test_missing_answers_are_explained(client, member):
    client.force_login(member("editor"))
    data = _post({})
    del data["support_score"]
    response = client.post("/organisations/health/readiness-check/", data)
    assert response.status_code == 422
    assert "Choose an answer about the support." in response.text
    assert not ReadinessCheck.objects.exists()


def test_starting_a_mission_from_the_check_carries_the_answers_along(client, member):
    editor = member("editor")
    client.force_login(editor)
    client.post(
        "/organisations/health/readiness-check/",
        _post({}, {"challenge": "Healthy ageing", "objective": "By 2035 five more healthy years."}),
    )
    check = ReadinessCheck.objects.get()
    form = client.get(f"/organisations/health/readiness-check/{check.pk}/start-mission/")
    assert 'value="Healthy ageing"' in form.text
    assert "By 2035 five more healthy years." in form.text
    response = client.post(
        f"/organisations/health/readiness-check/{check.pk}/start-mission/",
        {"challenge_title": "Healthy ageing", "title": "Five healthy years", "statement": ""},
    )
    mission = Mission.objects.get(title="Five healthy years")
    assert response.status_code == 302
    check.refresh_from_db()
    assert check.mission == mission
    # Once attached it cannot start another mission, and the mission shows it.
    again = client.get(f"/organisations/health/readiness-check/{check.pk}/start-mission/")
    assert again.status_code == 404
    page = client.get(f"/organisations/health/missions/{mission.key}/criteria/readiness/")
    assert "A mission looks like the right tool" in page.text


def test_a_viewer_cannot_take_the_check(client, member):
    client.force_login(member("viewer"))
    assert client.get("/organisations/health/readiness-check/").status_code == 403
    assert client.post("/organisations/health/readiness-check/", _post({})).status_code == 403


# --- For a mission ------------------------------------------------------------------------------


def test_a_mission_keeps_its_checks_and_the_criteria_page_links_to_them(client, mission, editor):
    client.force_login(editor)
    base = f"/organisations/health/missions/{mission.key}/criteria/"
    assert "Take the readiness check" in client.get(base).text
    client.post(f"{base}readiness/", _post({"support": 1}))
    client.post(f"{base}readiness/", _post({}))
    assert ReadinessCheck.objects.filter(mission=mission).count() == 2
    page = client.get(f"{base}readiness/")
    assert "A mission looks like the right tool" in page.text and "Earlier checks" in page.text
    assert "Readiness check of" in client.get(base).text


def test_the_service_refuses_a_mission_of_another_organisation(mission, editor, other_organisation):
    with pytest.raises(PermissionDenied):
        services.readiness_check_record(
            by=editor, organisation=other_organisation, mission=mission, answers=GOOD
        )
    with pytest.raises(ValidationError):
        services.readiness_check_record(
            by=editor, organisation=mission.organisation, answers={"challenge": {"score": 5}}
        )


# --- Go/no-go review --------------------------------------------------------------------------


def test_the_go_no_go_panel_shows_six_items_and_honest_hints(client, mission, viewer):
    client.force_login(viewer)
    html = client.get(f"/organisations/health/missions/{mission.key}/criteria/").text
    assert "EU-style go/no-go review" in html
    for label in (
        "Added value",
        "Research and innovation content",
        "Buy-in",
        "Budget",
        "Feasible implementation plan",
        "Ambitious, realistic, measurable",
    ):
        assert label in html
    # Not assessed yet, and no canvas rationale: the hints say so rather than guess.
    assert "has not run yet" in html
    assert "“Why a mission?”" in html
    assert "Fill in the go/no-go review" not in html  # a viewer has no form


def test_hints_come_from_the_current_findings(client, mission, reviewer):
    now = timezone.now()
    Finding.objects.create(
        mission=mission,
        code="OVER_UNDERFUNDED",
        severity="high",
        first_seen=now,
        last_seen=now,
        evidence={"committed": "0"},
    )
    run = AssessmentRun.objects.create(
        mission=mission, status=RunStatus.DONE, checks={"MANDATE_SINGLE_SPONSOR": "not_assessed"}
    )
    AssessmentState.objects.create(mission=mission, last_run=run)
    client.force_login(reviewer)
    html = client.get(f"/organisations/health/missions/{mission.key}/criteria/").text
    assert "Warning raised: “Underfunded”" in html
    assert "cannot be judged yet: the data it needs is not recorded" in html


def test_a_reviewer_records_a_review_and_the_history_is_kept(client, mission, reviewer):
    client.force_login(reviewer)
    url = f"/organisations/health/missions/{mission.key}/criteria/go-no-go/"
    response = client.post(
        url, _gonogo_post("unsure", "Not enough evidence yet."), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Your go/no-go review has been recorded." in response.text
    assert "0 go, 0 no go, 6 unsure" in response.text
    client.post(url, _gonogo_post("go", "Convincing."))
    reviews = list(GoNoGoReview.objects.filter(mission=mission))
    assert len(reviews) == 2 and all(r.reviewer == reviewer for r in reviews)
    assert reviews[0].answers.count() == 6
    page = client.get(f"/organisations/health/missions/{mission.key}/criteria/").text
    assert "6 go, 0 no go, 0 unsure" in page and "Earlier reviews" in page


def test_a_review_needs_a_reason_for_every_item(client, mission, reviewer):
    client.force_login(reviewer)
    data = _gonogo_post()
    data["budget_rationale"] = ""
    response = client.post(f"/organisations/health/missions/{mission.key}/criteria/go-no-go/", data)
    assert response.status_code == 422
    assert "Say why for budget, so the team knows what to improve." in response.text
    assert not GoNoGoReview.objects.exists()


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_only_reviewers_leads_and_admins_fill_in_the_go_no_go(client, mission, member, role):
    user = member(role)
    client.force_login(user)
    response = client.post(
        f"/organisations/health/missions/{mission.key}/criteria/go-no-go/", _gonogo_post()
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.gonogo_record(by=user, mission=mission, answers={})
    assert not GoNoGoReview.objects.exists()


def test_a_lead_may_fill_in_the_go_no_go(mission, member):
    lead = member("lead")
    answers = dict.fromkeys(
        ("added_value", "ri_content", "buy_in", "goal", "plan", "budget"), ("no_go", "Too vague.")
    )
    review = services.gonogo_record(by=lead, mission=mission, answers=answers)
    assert review.answers.filter(decision="no_go").count() == 6
