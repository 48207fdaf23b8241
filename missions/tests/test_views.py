"""The mission pages as a user meets them: lists, forms, inline edits, steps and downloads."""

import csv
import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from missions.models import Mission, MissionChange, MissionProject, MissionStatus, Target
from missions.tests.factories import (
    ActorFactory,
    MilestoneFactory,
    MissionFactory,
    MissionProjectFactory,
    ProjectContributionFactory,
    TargetFactory,
)

pytestmark = pytest.mark.django_db


def url(name, mission=None, **kwargs):
    if mission is not None:
        kwargs = {"org_slug": mission.organisation.slug, "mission_key": mission.key, **kwargs}
    return reverse(f"missions:{name}", kwargs=kwargs)


def test_the_list_searches_filters_and_paginates(client, viewer, organisation):
    for n in range(27):
        MissionFactory(organisation=organisation, title=f"Clean rivers {n:02}", status="draft")
    MissionFactory(organisation=organisation, title="Healthy streets", status="active")
    client.force_login(viewer)
    list_url = url("list", org_slug=organisation.slug)

    first = client.get(list_url).content.decode()
    second = client.get(list_url, {"page": 2}).content.decode()
    active = client.get(list_url, {"status": "active"}).content.decode()
    search = client.get(list_url, {"q": "streets"}).content.decode()

    assert "28 missions" in first
    assert "Clean rivers 00" in first and "Healthy streets" not in first
    assert "Healthy streets" in second
    assert "1 mission" in active and "Healthy streets" in active and "Clean rivers" not in active
    assert "Healthy streets" in search and "Clean rivers" not in search


def test_the_list_needs_the_same_queries_for_5_or_25_rows(
    client, viewer, organisation, django_assert_num_queries
):
    client.force_login(viewer)
    list_url = url("list", org_slug=organisation.slug)
    for _ in range(5):
        MissionProjectFactory(mission=MissionFactory(organisation=organisation))
    client.get(list_url)
    # Session, user, memberships (navigation, permissions and the organisation share them),
    # the count, the page, the header's unread count. The two-factor state is remembered by the
    # session (issue #20).
    with django_assert_num_queries(6) as five:
        client.get(list_url)
    for _ in range(20):
        MissionProjectFactory(mission=MissionFactory(organisation=organisation))
    with django_assert_num_queries(len(five.captured_queries)):
        page = client.get(list_url).content.decode()
    assert page.count('class="govuk-table__row"') == 26  # header + 25 rows


def test_the_list_downloads_as_csv_with_the_filters_applied(client, viewer, organisation):
    MissionFactory(organisation=organisation, title="=cmd|' /C calc'!A0", status="draft")
    MissionFactory(organisation=organisation, title="Healthy streets", status="active")
    client.force_login(viewer)

    response = client.get(url("list", org_slug=organisation.slug), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    active = client.get(
        url("list", org_slug=organisation.slug), {"format": "csv", "status": "active"}
    )

    assert response["Content-Type"].startswith("text/csv")
    assert rows[0][:3] == ["Title", "Key", "Status"]
    assert [r[0] for r in rows[1:] if "calc" in r[0]] == ["'=cmd|' /C calc'!A0"]
    assert len(list(csv.reader(io.StringIO(active.content.decode())))) == 2


def test_an_editor_starts_a_mission_in_three_fields(client, editor, organisation):
    client.force_login(editor)

    response = client.post(
        url("start", org_slug=organisation.slug),
        {
            "challenge_title": "Healthy ageing",
            "title": "Five more healthy years",
            "statement": "By 2040 everyone lives five more years in good health.",
            "deadline_year": "2040",
        },
        follow=True,
    )

    mission = Mission.objects.get(title="Five more healthy years")
    assert mission.status == MissionStatus.DRAFT
    assert mission.challenge.title == "Healthy ageing"
    assert "started as a draft" in response.content.decode()
    assert response.redirect_chain[-1][0] == url("overview", mission)


def test_starting_a_mission_without_a_challenge_or_with_a_bad_year_is_explained(
    client, editor, organisation
):
    client.force_login(editor)

    response = client.post(
        url("start", org_slug=organisation.slug),
        {"challenge_title": "", "title": "Clean air", "deadline_year": "1850"},
    )

    page = response.content.decode()
    assert response.status_code == 422
    assert "There is a problem" in page
    # Each message names its field: the error summary lists them away from the fields.
    assert "Enter the grand challenge." in page
    assert "Deadline year must be 1900 or more." in page
    assert "This field is required." not in page
    assert not Mission.objects.filter(title="Clean air").exists()


def test_a_viewer_reads_but_cannot_change_or_start(client, viewer, mission):
    client.force_login(viewer)

    page = client.get(url("overview", mission)).content.decode()
    start = client.get(url("start", org_slug=mission.organisation.slug))
    change = client.post(url("edit_group", mission, group="basics"), {"title": "Hijacked"})

    assert mission.title in page
    assert ">Change<" not in page
    assert (start.status_code, change.status_code) == (403, 403)
    mission.refresh_from_db()
    assert mission.title != "Hijacked"


def test_an_inline_edit_saves_and_returns_the_card(client, editor, mission):
    client.force_login(editor)
    edit_url = url("edit_group", mission, group="resources")

    form = client.get(edit_url, headers={"HX-Request": "true"}).content.decode()
    response = client.post(
        edit_url,
        {
            "version": mission.version,
            "committed_budget": "2500000",
            "estimated_need": "5000000",
            "currency": "EUR",
            "team_fte": "4.5",
        },
        headers={"HX-Request": "true"},
    )

    page = response.content.decode()
    assert 'name="committed_budget"' in form
    assert response.status_code == 200
    assert page.strip().startswith('<div class="govuk-summary-card" id="group-resources">')
    assert "€2,500,000" in page and "4.5 full-time equivalent" in page
    assert "Saved." in page


def test_a_stale_edit_is_refused_and_nothing_is_overwritten(client, editor, mission):
    client.force_login(editor)
    stale_version = mission.version
    Mission.objects.filter(pk=mission.pk).update(title="Their title", version=stale_version + 1)

    response = client.post(
        url("edit_group", mission, group="basics"),
        {
            "version": stale_version,
            "title": "My title",
            "statement": "x",
            "challenge": mission.challenge_id,
            "deadline_year": "2040",
            "sdgs": "",
        },
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 422
    assert (
        "Someone else changed this mission while you were editing it" in response.content.decode()
    )
    mission.refresh_from_db()
    assert mission.title == "Their title"


def test_a_target_year_after_the_deadline_is_explained_on_the_field(client, editor, mission):
    client.force_login(editor)

    response = client.post(
        url("targets", mission),
        {
            "new-title": "Healthy life years",
            "new-direction": "increase",
            "new-is_headline": "on",
            "new-baseline_value": "62",
            "new-baseline_year": "2018",
            "new-target_value": "67",
            "new-target_year": "2045",
            "new-unit": "years",
        },
    )

    page = response.content.decode()
    assert response.status_code == 422
    assert "Target year 2045 is after the mission deadline 2040." in page
    assert 'id="id_new-target_year_error"' in page
    assert not Target.objects.filter(mission=mission).exists()


def test_editing_a_target_inline_and_adding_a_milestone(client, editor, mission):
    target = TargetFactory(mission=mission, title="Healthy life years", key="hly")
    client.force_login(editor)
    prefix = f"t-{target.key}"

    saved = client.post(
        url("target_edit", mission, target_key=target.key),
        {
            f"{prefix}-version": target.version,
            f"{prefix}-title": "Healthy life years at birth",
            f"{prefix}-direction": "increase",
            f"{prefix}-is_headline": "on",
            f"{prefix}-baseline_value": "62",
            f"{prefix}-baseline_year": "2018",
            f"{prefix}-target_value": "67",
            f"{prefix}-target_year": "2040",
            f"{prefix}-unit": "years",
        },
        headers={"HX-Request": "true"},
    )
    milestone = client.post(
        url("milestone_add", mission, target_key=target.key),
        {
            f"m-{target.key}-year": "2030",
            f"m-{target.key}-value": "64.5",
            f"m-{target.key}-status": "pending",
        },
        headers={"HX-Request": "true"},
    )

    assert "Target saved." in saved.content.decode()
    assert "Healthy life years at birth" in saved.content.decode()
    assert "64.5 years" in milestone.content.decode()
    assert target.milestones.get().year == 2030


def test_adding_a_project_links_it_to_targets_with_a_rationale(client, editor, mission):
    target = TargetFactory(mission=mission, title="Healthy life years")
    lead = ActorFactory(organisation=mission.organisation, name="Municipal health services")
    client.force_login(editor)

    response = client.post(
        url("projects", mission),
        {
            "new-title": "Neighbourhood health labs",
            "new-lead": lead.pk,
            "new-instrument": "grant",
            "new-stage": "demonstration",
            "new-origin": "open_call",
            "new-status": "active",
            "new-budget": "1200000",
            "new-public_funding": "800000",
            "new-sectors": "health care, local government",
            "new-targets": [target.pk],
            "new-rationale": "Tests prevention in ten neighbourhoods.",
        },
        follow=True,
    )

    project = MissionProject.objects.get(title="Neighbourhood health labs")
    assert project.sectors == ["health care", "local government"]
    assert project.contributions.get().target == target
    page = response.content.decode()
    assert "Tests prevention in ten neighbourhoods." in page
    assert "€1,200,000" in page


def test_proposing_shows_what_is_missing_then_a_lead_approves(client, member, organisation):
    mission = MissionFactory(organisation=organisation, statement="")
    editor, lead = member("editor"), member("lead")
    client.force_login(editor)

    overview = client.get(url("overview", mission)).content.decode()
    refused = client.post(url("transition", mission, transition="propose"), follow=True)

    assert "Write the mission statement" in overview
    assert "Add at least one headline target" in overview
    assert "Write the mission statement" in refused.content.decode()
    mission.refresh_from_db()
    assert mission.status == MissionStatus.DRAFT

    Mission.objects.filter(pk=mission.pk).update(
        statement="By 2040 everyone lives five more years in good health."
    )
    TargetFactory(mission=mission)
    client.post(url("transition", mission, transition="propose"))
    mission.refresh_from_db()
    assert mission.status == MissionStatus.PROPOSED

    editor_approve = client.post(url("transition", mission, transition="approve"), follow=True)
    mission.refresh_from_db()
    assert mission.status == MissionStatus.PROPOSED
    assert editor_approve.status_code in (200, 403)

    Mission.objects.filter(pk=mission.pk).update(
        mandate_source="government_decision",
        mandate_reference="Cabinet 2024/17",
        mandate_date="2024-03-01",
    )
    client.force_login(lead)
    approved = client.post(url("transition", mission, transition="approve"), follow=True)
    mission.refresh_from_db()
    assert mission.status == MissionStatus.APPROVED
    assert "The mission is now approved." in approved.content.decode()


def test_the_mission_pages_need_the_same_queries_however_many_targets_and_projects(
    client, viewer, mission, django_assert_num_queries
):
    client.force_login(viewer)

    def fill(n):
        for _ in range(n):
            target = TargetFactory(mission=mission)
            MilestoneFactory(target=target)
            ProjectContributionFactory(
                project=MissionProjectFactory(mission=mission), target=target
            )

    fill(2)
    counts = {}
    for section in ("overview", "targets", "projects", "map"):
        client.get(url(section, mission))
        with CaptureQueriesContext(connection) as small:
            client.get(url(section, mission))
        counts[section] = len(small.captured_queries)
    fill(15)
    for section, expected in counts.items():
        with django_assert_num_queries(expected):
            response = client.get(url(section, mission))
        assert response.status_code == 200
    assert mission.targets.count() == 17


def test_the_map_is_svg_with_escaped_text_and_a_table(client, viewer, mission):
    MissionProjectFactory(
        mission=mission, title="<script>alert(1)</script> lab", sectors=["Health & care"]
    )
    client.force_login(viewer)

    page = client.get(url("map", mission)).content.decode()

    assert '<svg xmlns="http://www.w3.org/2000/svg" class="mission-map" role="img"' in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; lab" in page
    assert "Health &amp; care" in page
    assert "The map as a table" in page


def test_history_shows_who_changed_what(client, editor, mission):
    client.force_login(editor)
    client.post(
        url("edit_group", mission, group="resources"),
        {"version": mission.version, "committed_budget": "100", "currency": "EUR"},
    )

    page = client.get(url("history", mission)).content.decode()

    assert MissionChange.objects.filter(mission=mission).exists()
    assert editor.get_full_name() in page
    assert "<strong>Committed budget</strong>" in page  # the field's label, not its name
    assert "committed_budget" not in page


def test_export_then_import_on_the_upload_page(client, member, organisation, other_organisation):
    mission = MissionFactory(organisation=organisation, key="healthy-years")
    TargetFactory(mission=mission, key="hly")
    client.force_login(member("lead"))
    exported = client.get(url("mission_export", mission))
    document = json.loads(exported.content)
    other_lead = member("lead", org=other_organisation)
    client.force_login(other_lead)

    upload = SimpleUploadedFile("missions.json", exported.content, "application/json")
    response = client.post(
        url("import", org_slug=other_organisation.slug), {"file": upload}, follow=True
    )

    assert document["format"] == "lodestar.missions/1"
    assert "Imported:" in response.content.decode()
    copy = Mission.objects.get(organisation=other_organisation, key="healthy-years")
    assert copy.targets.get().key == "hly"


def test_a_bad_import_lists_every_problem_and_writes_nothing(client, member, organisation):
    client.force_login(member("lead"))
    bad = {
        "format": "lodestar.missions/1",
        "missions": [
            {"key": "a", "title": "A", "challenge": "nope", "deadline_year": "soon"},
        ],
    }
    upload = SimpleUploadedFile("bad.json", json.dumps(bad).encode(), "application/json")
    malformed = SimpleUploadedFile("broken.json", b"{not json", "application/json")

    response = client.post(url("import", org_slug=organisation.slug), {"file": upload})
    broken = client.post(url("import", org_slug=organisation.slug), {"file": malformed})

    page = response.content.decode()
    assert response.status_code == 422
    assert "Nothing was imported" in page
    assert "missions[0]" in page
    assert broken.status_code == 422
    assert "Nothing was imported" in broken.content.decode()
    assert not Mission.objects.filter(organisation=organisation).exists()


def test_only_leads_may_import(client, editor, organisation):
    client.force_login(editor)
    upload = SimpleUploadedFile("x.json", b"{}", "application/json")

    assert client.get(url("import", org_slug=organisation.slug)).status_code == 403
    assert (
        client.post(url("import", org_slug=organisation.slug), {"file": upload}).status_code == 403
    )


def test_archiving_keeps_the_mission_readable_and_restorable(client, member, mission):
    client.force_login(member("lead"))

    client.post(url("archive", mission))
    mission.refresh_from_db()
    archived_page = client.get(url("overview", mission)).content.decode()
    client.post(url("archive", mission), {"action": "restore"})

    assert "Archived" in archived_page
    assert ">Change<" not in archived_page
    mission.refresh_from_db()
    assert mission.archived_at is None


def test_the_mission_sections_come_from_every_app_in_order(client, editor, lead, mission):
    # Each app registers its pages (missions.hooks.register_section); the audit trail only for
    # those who may read it.
    sections = [
        "Overview",
        "Canvas",
        "Targets and milestones",
        "Indicators",
        "Theory of change",
        "Projects",
        "Risks and rewards",
        "Stakeholders",
        "Participation",
        "Criteria",
        "Reviews",
        "Mission map",
        "History",
        "Snapshots",
    ]

    def shown(user) -> list[str]:
        client.force_login(user)
        page = client.get(url("targets", mission)).content.decode()
        nav = page[page.index('aria-label="Mission sections"') :].split("</nav>")[0]
        return re.findall(r'<a class="govuk-link[^"]*" href="[^"]+"[^>]*>([^<]+)</a>', nav)

    assert shown(editor) == sections
    assert shown(lead) == [*sections, "Audit trail"]
    client.force_login(editor)
    page = client.get(url("targets", mission)).content.decode()
    assert 'aria-current="page">Targets and milestones</a>' in page
