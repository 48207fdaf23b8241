"""The criteria panel as a civil servant and a reviewer use it, with a real Celery worker."""

import pytest
from playwright.sync_api import Page, expect

from evaluation.models import CriterionVerdict, Finding
from missions.tests.factories import MissionFactory
from tests.a11y import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.celery, pytest.mark.django_db(transaction=True)]


def test_a_save_is_assessed_in_the_background_and_swapped_in(
    live_server, page: Page, member, organisation, sign_in, celery_worker
):
    mission = MissionFactory(
        organisation=organisation,
        key="agri",
        title="Agriculture of the future",
        statement="Promote innovation in the agri-food sector.",
        deadline_year=2030,
    )
    editor = member("editor")
    sign_in(editor)

    # Change something a rule reads: an assessment is queued after the save commits.
    page.goto(f"{live_server.url}/organisations/health/missions/{mission.key}/")
    page.get_by_role("link", name="Change the mission").click()
    page.get_by_label("Mission statement").fill(
        "Promote and support innovation in the agri-food sector."
    )
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#group-basics [role=status]")).to_have_text("Saved.")

    page.get_by_role("link", name="Criteria", exact=True).click()
    # Either still assessing (then the result is swapped in by polling) or already done.
    expect(page.get_by_text("Up to date.")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("heading", name="The five criteria")).to_be_visible()
    expect(page.locator("body")).to_contain_text("Awaiting review")
    expect(page.locator("body")).to_contain_text("activity")  # the activity-verb warning
    assert_accessible(page)
    assert Finding.objects.filter(mission=mission, code="WASH_ACTIVITY_STATEMENT").exists()


def test_a_reviewer_records_a_verdict_and_a_dismissal_needs_a_reason(
    live_server, page: Page, member, organisation, sign_in, celery_worker
):
    mission = MissionFactory(
        organisation=organisation,
        key="agri",
        title="Agriculture of the future",
        statement="Promote innovation in the agri-food sector.",
        deadline_year=2030,
    )
    from evaluation import services

    services.assessment_request(mission_id=mission.pk, reason="test")
    reviewer = member("reviewer", full_name="Rae Reviewer")
    sign_in(reviewer)
    page.goto(f"{live_server.url}/organisations/health/missions/{mission.key}/criteria/")
    expect(page.get_by_text("Up to date.")).to_be_visible(timeout=30_000)
    page.reload()

    page.get_by_text("Record your verdict on C2").click()
    verdict = page.locator("form[action$='/c2/verdict/']")
    verdict.get_by_label("2 – Barely meets it").check()
    verdict.get_by_label("Rationale").fill("No measurable end state; the deadline is vague.")
    verdict.get_by_role("button", name="Save verdict").click()
    expect(page.locator("body")).to_contain_text("Rated 2 out of 5 by Rae Reviewer")
    assert_accessible(page)

    page.get_by_text("Acknowledge or dismiss this warning").first.click()
    decision = page.locator("form[action*='/warnings/']").first
    decision.get_by_label("Dismiss: it does not apply to this mission").check()
    decision.get_by_role("button", name="Save decision").click()
    expect(page.get_by_text("Say why, so others can follow the decision.").first).to_be_visible()
    assert_accessible(page)
    assert not Finding.objects.filter(mission=mission, status="dismissed").exists()
    assert CriterionVerdict.objects.get(mission=mission, criterion="c2").rating == 2
