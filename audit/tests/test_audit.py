"""The audit trail: what is recorded (through real pages and services), who may read it, that
other organisations' entries never show, the exports, and a constant number of queries."""

import csv
import io
import json

import pytest
from auditlog.context import set_actor
from auditlog.registry import auditlog
from django.apps import apps
from django.contrib.auth.signals import user_logged_in
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, User
from audit import registry
from audit.models import AuditEntry, AuditEvent
from evaluation import services as evaluation_services
from evaluation.models import Finding
from missions import services as mission_services
from missions.models import Mission, Target
from missions.tests.factories import MissionFactory, TargetFactory
from portfolios import services as portfolio_services

pytestmark = pytest.mark.django_db


def mission_audit_url(mission, **query):
    base = reverse("audit:mission", args=[mission.organisation.slug, mission.key])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def org_audit_url(organisation, **query):
    base = reverse("audit:organisation", args=[organisation.slug])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def entries_of(model, **filters):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model), **filters
    )


def test_editing_the_statement_through_the_page_records_who_before_and_after(
    client, member, organisation
):
    editor, lead = member("editor"), member("lead")
    mission = MissionFactory(organisation=organisation, statement="Old statement.")
    client.force_login(editor)

    response = client.post(
        reverse("missions:edit_group", args=[organisation.slug, mission.key, "basics"]),
        {
            "version": mission.version,
            "title": mission.title,
            "statement": "New statement.",
            "challenge": mission.challenge_id,
            "start_year": "2020",
            "deadline_year": "2040",
            "sdgs": "",
        },
    )

    assert response.status_code in (200, 302)
    entry = entries_of(Mission, action=AuditEntry.Action.UPDATE).get()
    assert entry.actor == editor
    assert entry.organisation_id == organisation.pk
    assert entry.mission_id == mission.pk
    assert entry.changes["statement"] == ["Old statement.", "New statement."]
    # The version and timestamps that change on every save are left out.
    assert "version" not in entry.changes and "updated_at" not in entry.changes

    client.force_login(lead)
    page = client.get(mission_audit_url(mission)).content.decode()
    assert "Mission statement" in page or "Statement" in page
    assert "Old statement." in page and "New statement." in page
    assert str(editor) in page


def test_a_role_change_records_the_role_before_and_after(client, member, organisation):
    admin = member("admin")
    viewer = member("viewer")
    membership = Membership.objects.get(user=viewer)
    client.force_login(admin)

    client.post(
        reverse("accounts:member_role", args=[organisation.slug, membership.pk]), {"role": "lead"}
    )

    entry = entries_of(Membership, action=AuditEntry.Action.UPDATE).get()
    assert entry.actor == admin
    assert entry.organisation_id == organisation.pk
    assert entry.changes["role"] == ["viewer", "lead"]
    page = client.get(org_audit_url(organisation)).content.decode()
    assert "Viewer" in page and "Lead" in page
    assert str(viewer) in page


def test_a_dismissal_and_a_decision_appear_on_the_mission_audit_page(client, member, organisation):
    lead, reviewer = member("lead"), member("reviewer")
    mission = MissionFactory(organisation=organisation)
    now = timezone.now()
    # Raised by a background assessment: no one signed in, so "the system".
    finding = Finding.objects.create(
        mission=mission, code="MANDATE_MISSING", severity="high", first_seen=now, last_seen=now
    )
    with set_actor(lead):
        evaluation_services.finding_decide(
            by=lead, finding=finding, status="dismissed", reason="The cabinet decided in May."
        )
        portfolio_services.decision_record(
            by=lead, mission=mission, decision="request_changes", comments="Add a baseline."
        )

    client.force_login(reviewer)
    response = client.get(mission_audit_url(mission))

    page = response.content.decode()
    assert response.status_code == 200
    assert "The cabinet decided in May." in page
    assert "Dismissed" in page
    assert "Request changes" in page and "Add a baseline." in page
    assert "The system" in page  # the warning's creation
    dismissal = entries_of(Finding, action=AuditEntry.Action.UPDATE).get()
    assert dismissal.actor == lead and dismissal.changes["status"] == ["open", "dismissed"]


def test_filters_narrow_the_entries_and_bad_dates_are_explained(client, member, organisation):
    lead, editor = member("lead"), member("editor")
    mission = MissionFactory(organisation=organisation)
    with set_actor(editor):
        TargetFactory(mission=mission, title="Healthy life years")
    with set_actor(lead):
        mission_services.mission_update(
            by=lead, mission=mission, expected_version=mission.version, title="Renamed by lead"
        )
    client.force_login(lead)

    by_editor = client.get(mission_audit_url(mission, who=editor.pk)).content.decode()
    targets = client.get(mission_audit_url(mission, kind="missions.target")).content.decode()
    bad = client.get(mission_audit_url(mission, since="2026-02-31", until="x"))

    assert "Healthy life years" in by_editor and "<strong>Changed</strong> mission" not in by_editor
    assert "Healthy life years" in targets and "<strong>Changed</strong> mission" not in targets
    everything = client.get(mission_audit_url(mission)).content.decode()
    assert "<strong>Changed</strong> mission" in everything
    assert bad.status_code == 422
    assert "Enter the start date as a real date" in bad.content.decode()


def test_who_may_read_the_audit_trail(client, member, organisation, outsider):
    mission = MissionFactory(organisation=organisation)
    for role, mission_status, organisation_status in [
        ("viewer", 403, 403),
        ("editor", 403, 403),
        ("reviewer", 200, 403),
        ("lead", 200, 403),
        ("admin", 200, 200),
    ]:
        client.force_login(member(role))
        assert client.get(mission_audit_url(mission)).status_code == mission_status, role
        assert client.get(org_audit_url(organisation)).status_code == organisation_status, role
    # Another organisation's pages do not exist for an outsider, even its administrator.
    client.force_login(outsider)
    assert client.get(mission_audit_url(mission)).status_code == 404
    assert client.get(org_audit_url(organisation)).status_code == 404
    assert client.get(mission_audit_url(mission, format="csv")).status_code == 404


def test_the_subnavigation_links_the_audit_trail_only_for_those_who_may_read_it(
    client, member, organisation
):
    mission = MissionFactory(organisation=organisation)
    overview = reverse("missions:overview", args=[organisation.slug, mission.key])
    client.force_login(member("lead"))
    assert mission_audit_url(mission) in client.get(overview).content.decode()
    client.force_login(member("editor"))
    assert mission_audit_url(mission) not in client.get(overview).content.decode()


def test_csv_export_has_the_rows_escapes_formulas_and_is_itself_logged(
    client, member, organisation, other_organisation
):
    admin = member("admin")
    mission = MissionFactory(organisation=organisation, statement="Plain.")
    theirs = MissionFactory(organisation=other_organisation, statement="Their secret plan.")
    with set_actor(admin):
        mission_services.mission_update(
            by=admin,
            mission=mission,
            expected_version=mission.version,
            statement='=HYPERLINK("http://evil")',
        )
    other_admin = member("admin", org=other_organisation)
    with set_actor(other_admin):
        mission_services.mission_update(
            by=other_admin,
            mission=theirs,
            expected_version=theirs.version,
            statement="Their even more secret plan.",
        )
    client.force_login(admin)

    response = client.get(org_audit_url(organisation, format="csv"))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="health-audit-trail.csv"'
    body = response.content.decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:3] == ["When (UTC)", "Who", "Action"]
    statement_rows = [r for r in rows if r[6] in ("Statement", "Mission statement")]
    assert ["Plain.", '\'=HYPERLINK("http://evil")'] in [r[7:9] for r in statement_rows]
    assert "secret plan" not in body
    export = AuditEntry.objects.get(event=AuditEvent.DOWNLOAD)
    assert export.actor == admin and export.organisation_id == organisation.pk
    assert export.additional_data["file"] == "health-audit-trail.csv"
    assert export.additional_data["entries"] >= 1
    # The export shows on the organisation's trail like any other event.
    assert "health-audit-trail.csv" in client.get(org_audit_url(organisation)).content.decode()


def test_json_export_of_a_mission_holds_only_that_mission(client, member, organisation):
    lead = member("lead")
    mission, other = (
        MissionFactory(organisation=organisation),
        MissionFactory(organisation=organisation),
    )
    with set_actor(lead):
        TargetFactory(mission=mission, title="Ours")
        TargetFactory(mission=other, title="Not ours")
    client.force_login(lead)

    data = json.loads(client.get(mission_audit_url(mission, format="json")).content)

    objects = [entry["object"] for entry in data["entries"]]
    assert any("Ours" in o for o in objects)
    assert not any("Not ours" in o for o in objects)
    assert {entry["mission_id"] for entry in data["entries"]} == {mission.pk}


def test_other_apps_downloads_are_logged_with_their_mission(client, member, organisation):
    viewer = member("viewer")
    mission = MissionFactory(organisation=organisation)
    client.force_login(viewer)

    response = client.get(reverse("stakeholders:export", args=[organisation.slug, mission.key]))

    assert response.status_code == 200
    entry = AuditEntry.objects.get(event=AuditEvent.DOWNLOAD)
    assert entry.actor == viewer
    assert entry.mission_id == mission.pk
    assert entry.additional_data["file"] == f"{mission.key}-stakeholders.csv"


def test_sign_ins_are_recorded_for_each_organisation(member, organisation, other_organisation):
    user = member("viewer")
    Membership.objects.create(user=user, organisation=other_organisation, role="viewer")

    user_logged_in.send(sender=User, request=RequestFactory().get("/"), user=user)

    entries = AuditEntry.objects.filter(event=AuditEvent.SIGN_IN, actor=user)
    assert sorted(entries.values_list("organisation_id", flat=True)) == sorted(
        [organisation.pk, other_organisation.pk]
    )


def test_children_find_their_mission_and_deletes_are_kept(member, organisation):
    lead = member("lead")
    mission = MissionFactory(organisation=organisation)
    with set_actor(lead):
        target = TargetFactory(mission=mission, title="Healthy life years")
        target.delete()

    created, deleted = (
        entries_of(Target, action=AuditEntry.Action.CREATE).get(),
        entries_of(Target, action=AuditEntry.Action.DELETE).get(),
    )
    assert created.mission_id == deleted.mission_id == mission.pk
    assert deleted.organisation_id == organisation.pk
    assert deleted.actor == lead


def test_every_model_is_audited_or_deliberately_skipped():
    registered = {model._meta.label for model in auditlog.get_models()}
    for label in registry.AUDITED_APPS:
        for model in apps.get_app_config(label).get_models():
            assert model._meta.label in registered or model._meta.label in registry.NOT_AUDITED


def test_secret_fields_are_masked_whole():
    for model in auditlog.get_models():
        secret = [
            f.name for f in model._meta.concrete_fields if registry.SECRET_NAME.search(f.name)
        ]
        assert set(secret) <= set(auditlog.get_model_fields(model)["mask_fields"]), model
    assert registry.mask("pbkdf2_sha256$870000$abc$def") == registry.MASK
    assert "abc" not in registry.mask("abcdef")


def _fill(mission, actor, count):
    with set_actor(actor):
        for n in range(count):
            target = TargetFactory(mission=mission, title=f"Target {n}")
            target.title = f"Target {n} renamed"
            target.save()


def test_the_page_costs_the_same_queries_for_few_and_many_entries(
    client, member, organisation, django_assert_max_num_queries
):
    lead = member("lead")
    mission = MissionFactory(organisation=organisation)
    client.force_login(lead)
    _fill(mission, lead, 2)
    client.get(mission_audit_url(mission))  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        assert client.get(mission_audit_url(mission)).status_code == 200

    _fill(mission, lead, 25)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(mission_audit_url(mission)).content.decode()
    assert page.count("renamed") >= 25


def test_a_pdf_request_and_its_download_are_on_the_missions_trail(
    client, member, organisation, settings, tmp_path
):
    from django.core.files.base import ContentFile

    from documents.models import DocumentStatus, GeneratedDocument

    settings.MEDIA_ROOT = tmp_path
    viewer, lead = member("viewer"), member("lead")
    mission = MissionFactory(organisation=organisation)
    with set_actor(viewer):
        document = GeneratedDocument.objects.create(
            organisation=organisation,
            kind="canvas",
            mission=mission,
            title="Canvas of the mission",
            input_hash="0" * 64,
            requested_by=viewer,
        )
    # What the PDF worker does (outside any request, with queryset updates: not recorded).
    document.file.save("canvas.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
    GeneratedDocument.objects.filter(pk=document.pk).update(
        status=DocumentStatus.DONE, file=document.file.name
    )
    client.force_login(viewer)

    download = client.get(reverse("documents:download", args=[organisation.slug, document.pk]))

    assert download.status_code == 200
    entry = AuditEntry.objects.get(event=AuditEvent.DOWNLOAD)
    assert entry.actor == viewer and entry.mission_id == mission.pk
    assert entry.object_pk == str(document.pk)
    client.force_login(lead)
    page = client.get(mission_audit_url(mission)).content.decode()
    assert "Canvas of the mission" in page  # the request (a created document)
    assert "Downloaded from" in page and entry.additional_data["file"] in page


def test_who_took_part_in_an_activity_is_recorded(member, organisation):
    from stakeholders.models import EngagementActivity, Stakeholder

    editor = member("editor")
    mission = MissionFactory(organisation=organisation)
    stakeholder = Stakeholder.objects.create(
        mission=mission, key="patients", person_name="Patients United", helix="civil_society",
        roles=["citizen_group"], power=2, interest=5,
    )  # fmt: skip
    activity = EngagementActivity.objects.create(
        mission=mission, key="w1", date=timezone.now().date(), type="workshop", level="consult",
        summary="A workshop.",
    )  # fmt: skip
    with set_actor(editor):
        activity.stakeholders.add(stakeholder)

    entry = entries_of(EngagementActivity, action=AuditEntry.Action.UPDATE).get()
    assert entry.actor == editor and entry.mission_id == mission.pk
    assert entry.changes["stakeholders"]["operation"] == "add"
    assert entry.changes["stakeholders"]["objects"] == [str(stakeholder)]


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_warning_raised_by_the_worker_is_recorded_as_the_system(
    celery_worker, settings, organisation, member
):
    import time

    from django.db import transaction

    from missions import hooks

    settings.EVALUATION_ASSESSMENT_DELAY = 0
    editor = member("editor")
    mission = MissionFactory(organisation=organisation, key="agri", statement="")
    with transaction.atomic(), set_actor(editor):
        mission.statement = "Promote a sustainable, smart and water-efficient agriculture."
        mission.deadline_year = None
        mission.save()
        hooks.mission_changed(mission.pk)

    deadline = time.monotonic() + 30
    raised = entries_of(Finding, action=AuditEntry.Action.CREATE, mission_id=mission.pk)
    while time.monotonic() < deadline and not raised.exists():
        time.sleep(0.25)
    assert raised.exists(), "no warning recorded within 30 s"
    assert set(raised.values_list("actor_id", flat=True)) == {None}  # the worker: the system
    assert raised.first().organisation_id == organisation.pk
    edit = entries_of(Mission, action=AuditEntry.Action.UPDATE, mission_id=mission.pk).get()
    assert edit.actor == editor


def test_the_organisation_page_costs_the_same_queries_for_few_and_many_entries(
    client, member, organisation, django_assert_max_num_queries
):
    admin = member("admin")
    missions = [MissionFactory(organisation=organisation) for _ in range(3)]
    client.force_login(admin)
    _fill(missions[0], admin, 2)
    client.get(org_audit_url(organisation))
    with CaptureQueriesContext(connection) as few:
        assert client.get(org_audit_url(organisation)).status_code == 200

    for mission in missions:
        _fill(mission, admin, 10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(org_audit_url(organisation)).content.decode()
    assert all(mission.title in page for mission in missions)


def test_resolving_and_reopening_a_comment_through_the_page_is_recorded(client, member):
    """Resolving is a conditional UPDATE (two clicks at once both succeed), not a save: it is
    still on the mission's trail, with who did it and the before and after."""
    from canvas.models import CanvasComment

    editor = member("editor")
    mission = MissionFactory(organisation=editor.memberships.get().organisation)
    comment = CanvasComment.objects.create(
        mission=mission, box_key="learning", text="Review yearly?", author=editor
    )
    client.force_login(editor)
    resolve = reverse(
        "canvas:comment_resolve",
        args=[mission.organisation.slug, mission.key, "learning", comment.pk],
    )

    client.post(resolve, {"resolved": "1"})
    client.post(resolve, {"resolved": "1"})  # already resolved: nothing changes, nothing logged
    client.post(resolve, {"resolved": "0"})

    updates = list(
        entries_of(CanvasComment, action=AuditEntry.Action.UPDATE).order_by("timestamp", "pk")
    )
    assert [entry.actor for entry in updates] == [editor, editor]
    assert all(entry.mission_id == mission.pk for entry in updates)
    resolved, reopened = updates
    assert resolved.changes["resolved_at"][0] == "None"
    assert resolved.changes["resolved_by"] == ["None", str(editor.pk)]
    assert reopened.changes["resolved_by"] == [str(editor.pk), "None"]
