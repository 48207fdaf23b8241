"""The audit trail in a real browser: a lead reads a mission's trail, filters it by person and
downloads it; an administrator reads the organisation's trail. axe on both pages."""

import pytest
from auditlog.context import set_actor
from playwright.sync_api import Page, expect

from accounts import services as account_services
from accounts.models import Membership
from evaluation import services as evaluation_services
from evaluation.models import Finding
from missions import services as mission_services
from missions.tests.factories import MissionFactory, TargetFactory
from tests.a11y import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def scene(member, organisation):
    editor = member("editor", full_name="Sam Servant")
    lead = member("lead", full_name="Lee Lead")
    admin = member("admin", full_name="Ada Admin")
    mission = MissionFactory(
        organisation=organisation, key="healthy-years", title="Healthy years", statement="Old."
    )
    with set_actor(editor):
        mission_services.mission_update(
            by=editor,
            mission=mission,
            expected_version=mission.version,
            statement="By 2040 everyone lives five more healthy years.",
        )
        TargetFactory(mission=mission, title="Healthy life years")
    finding = Finding.objects.create(
        mission=mission,
        code="MANDATE_MISSING",
        severity="high",
        first_seen=mission.created_at,
        last_seen=mission.created_at,
    )
    with set_actor(lead):
        evaluation_services.finding_decide(
            by=lead, finding=finding, status="dismissed", reason="The cabinet decided in May."
        )
    with set_actor(admin):
        account_services.membership_change_role(
            by=admin, membership=Membership.objects.get(user=editor), role="reviewer"
        )
    return editor, lead, admin, mission


def test_a_lead_reads_filters_and_downloads_a_missions_audit_trail(
    live_server, page: Page, scene, sign_in
):
    _editor, lead, _admin, mission = scene
    sign_in(lead)
    page.goto(f"{live_server.url}/organisations/health/missions/{mission.key}/")
    page.get_by_role("navigation", name="Mission sections").get_by_role(
        "link", name="Audit trail"
    ).click()

    expect(page.get_by_role("heading", name="Audit trail")).to_be_visible()
    table = page.get_by_role("region", name="Audit trail")
    expect(table).to_contain_text("By 2040 everyone lives five more healthy years.")
    expect(table).to_contain_text("The cabinet decided in May.")
    assert_accessible(page)
    page.screenshot(path="/tmp/audit-mission.png", full_page=True)

    page.get_by_label("Who").select_option(label="Sam Servant")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("2 entries match your filters")).to_be_visible()
    expect(table).not_to_contain_text("The cabinet decided in May.")
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    text = download.value.path().read_text(encoding="utf-8")
    assert "Sam Servant" in text and "Lee Lead" not in text

    page.get_by_label("From").fill("2020-05-02")
    page.get_by_label("To").fill("2020-05-01")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "The end date must be on or after the start date."
    )
    assert_accessible(page)


def test_an_administrator_reads_the_organisations_trail(live_server, page: Page, scene, sign_in):
    _editor, _lead, admin, _mission = scene
    sign_in(admin)
    page.goto(f"{live_server.url}/organisations/health/")
    page.get_by_role("main").get_by_role("link", name="Audit trail").click()

    table = page.get_by_role("region", name="Audit trail")
    expect(table).to_contain_text("Editor")
    expect(table).to_contain_text("Reviewer")
    expect(table).to_contain_text("Signed in: user")
    assert_accessible(page)
    page.screenshot(path="/tmp/audit-organisation.png", full_page=True)
