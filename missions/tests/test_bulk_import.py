"""The importer writes set-based: the same number of queries for 2 missions as for 6, still all
or nothing, and what the row-by-row saves left behind is still there: each mission's
"imported" history entry, the audit trail's entries (with who imported), the version of what
changed, and assessments queued for every mission, once, after the import commits."""

import copy

import pytest
from auditlog.context import set_actor
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import OrganisationFactory
from audit.models import AuditEntry
from evaluation.models import AssessmentRun, AssessmentState, RunStatus
from missions import exchange
from missions.models import (
    Actor,
    ChangeAction,
    GrandChallenge,
    Milestone,
    Mission,
    MissionChange,
    MissionProject,
    ProjectContribution,
    Target,
)

pytestmark = pytest.mark.django_db


def document(count: int) -> dict:
    """`count` missions, each with 2 targets (a milestone each) and 3 projects (a lead, a
    partner, a contribution), one of them a sub-mission of the first."""
    missions = []
    for n in range(count):
        missions.append(
            {
                "key": f"mission-{n}",
                "title": f"Mission {n}",
                "challenge": f"challenge-{n % 2}",
                "parent": "mission-0" if n == count - 1 and n else None,
                "owner": "agency-0",
                "start_year": 2024,
                "deadline_year": 2035,
                "targets": [
                    {
                        "key": f"t{t}",
                        "title": f"Target {t}",
                        "direction": "increase",
                        "baseline_value": "10",
                        "baseline_year": 2020,
                        "target_value": "50",
                        "target_year": 2035,
                        "milestones": [{"year": 2028, "value": "30"}],
                    }
                    for t in range(2)
                ],
                "projects": [
                    {
                        "key": f"p{p}",
                        "title": f"Project {p}",
                        "lead": f"agency-{p % 3}",
                        "partners": [f"agency-{(p + 1) % 3}"],
                        "budget": "1000",
                        "contributions": [{"target": "t0", "rationale": "Moves it."}],
                    }
                    for p in range(3)
                ],
            }
        )
    return {
        "format": exchange.FORMAT,
        "actors": [
            {"key": f"agency-{n}", "name": f"Agency {n}", "helix": "government"} for n in range(3)
        ],
        "challenges": [{"key": f"challenge-{n}", "title": f"Challenge {n}"} for n in range(2)],
        "missions": missions,
    }


def rows() -> tuple[int, ...]:
    return (
        Actor.objects.count(),
        GrandChallenge.objects.count(),
        Mission.objects.count(),
        Target.objects.count(),
        Milestone.objects.count(),
        MissionProject.objects.count(),
        ProjectContribution.objects.count(),
        MissionProject.partners.through.objects.count(),
        MissionChange.objects.count(),
        AuditEntry.objects.count(),
    )


def queries_to_import(doc: dict, organisation) -> int:
    with CaptureQueriesContext(connection) as captured:
        exchange.import_document(document=doc, organisation=organisation)
    return len(captured.captured_queries)


def test_an_import_costs_the_same_queries_for_2_missions_as_for_6(db):
    queries_to_import(document(1), OrganisationFactory(slug="warm"))  # content types cached
    small, large = OrganisationFactory(slug="small"), OrganisationFactory(slug="large")
    assert queries_to_import(document(2), small) == queries_to_import(document(6), large)
    assert Mission.objects.filter(organisation=large).count() == 6
    # Importing the same files again (everything already there, nothing to write) too.
    assert queries_to_import(document(2), small) == queries_to_import(document(6), large)


def test_a_problem_found_while_loading_the_last_mission_writes_nothing(organisation):
    doc = document(4)
    # Only known once projects are loaded: a step of the theory of change naming a project the
    # mission does not have rejects the import after everything before it was written.
    doc["missions"][-1]["theory_of_change"] = {
        "steps": [{"key": "s1", "kind": "activity", "title": "Build", "project": "nope"}],
        "links": [],
    }
    before = rows()
    with pytest.raises(exchange.ImportRejected) as caught:
        exchange.import_document(document=doc, organisation=organisation)
    assert [str(error) for error in caught.value.errors] == [
        "missions[mission-3].theory_of_change.steps[0].project: "
        "refers to project 'nope', which this mission does not have."
    ]
    assert rows() == before


def test_a_problem_in_the_last_mission_writes_nothing(organisation):
    doc = document(4)
    doc["missions"][-1]["targets"][1]["milestones"][0]["year"] = 2050  # after the target year
    before = rows()
    with pytest.raises(exchange.ImportRejected):
        exchange.import_document(document=doc, organisation=organisation)
    assert rows() == before


def test_each_mission_gets_its_imported_history_entry_and_its_audit_entries(organisation, member):
    lead = member("lead")
    exchange.import_document(document=document(3), organisation=organisation, user=lead)
    entries = MissionChange.objects.filter(action=ChangeAction.IMPORTED)
    assert sorted(entries.values_list("object_key", flat=True)) == [
        "mission-0",
        "mission-1",
        "mission-2",
    ]
    first = entries.get(object_key="mission-0")
    assert first.user == lead
    assert first.changes["title"] == [None, "Mission 0"]
    # The audit trail has what the saves recorded: every created mission, target, milestone,
    # project, actor and challenge, in the organisation's and the mission's trail.
    mission = Mission.objects.get(key="mission-1")
    created = AuditEntry.objects.filter(
        organisation=organisation,
        action=AuditEntry.Action.CREATE,
        content_type__app_label="missions",
    )
    assert created.filter(mission_id=mission.pk).count() == 1 + 2 + 2 + 3
    assert created.count() == 3 * (1 + 2 + 2 + 3) + 3 + 2
    entry = created.get(mission_id=mission.pk, content_type__model="target", object_repr="Target 0")
    assert entry.changes["title"] == [None, "Target 0"]
    # The sub-mission was given its parent after both existed, as a change of the mission.
    child = Mission.objects.get(key="mission-2")
    assert child.parent.key == "mission-0"
    parented = AuditEntry.objects.get(mission_id=child.pk, action=AuditEntry.Action.UPDATE)
    assert list(parented.changes) == ["parent"]


def test_a_reimport_changes_only_what_differs_and_records_it(organisation):
    exchange.import_document(document=document(2), organisation=organisation)
    target = Target.objects.get(mission__key="mission-1", key="t1")
    untouched = Target.objects.get(mission__key="mission-0", key="t1")
    changed = copy.deepcopy(document(2))
    changed["missions"][1]["targets"][1]["title"] = "Target one, renamed"
    changed["missions"][1]["projects"] = changed["missions"][1]["projects"][:2]
    changed["missions"][1]["projects"][0]["partners"] = []
    summary = exchange.import_document(document=changed, organisation=organisation)
    assert summary.updated == {"targets": 1}
    assert summary.deleted == {"projects": 1}
    target.refresh_from_db()
    assert (target.title, target.version) == ("Target one, renamed", untouched.version + 1)
    assert target.updated_at > untouched.updated_at
    update = AuditEntry.objects.get(
        action=AuditEntry.Action.UPDATE, content_type__model="target", object_id=target.pk
    )
    assert update.changes == {"title": ["Target 1", "Target one, renamed"]}
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.DELETE, content_type__model="missionproject"
    ).exists()
    project = MissionProject.objects.get(mission__key="mission-1", key="p0")
    assert list(project.partners.all()) == []
    history = MissionChange.objects.filter(mission__key="mission-1").first()
    assert history.action == ChangeAction.IMPORTED


def test_assessments_are_queued_for_every_mission_once_the_import_commits(
    organisation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        exchange.import_document(document=document(4), organisation=organisation)
        assert AssessmentRun.objects.count() == 0  # nothing before the commit
    missions = set(Mission.objects.values_list("pk", flat=True))
    queued = AssessmentRun.objects.filter(status=RunStatus.QUEUED)
    assert sorted(queued.values_list("mission_id", flat=True)) == sorted(missions)  # one each
    assert (
        set(
            AssessmentState.objects.filter(pending_since__isnull=False).values_list(
                "mission_id", flat=True
            )
        )
        == missions
    )


def test_the_audit_trail_names_who_imported_and_records_what_a_save_records(organisation, member):
    lead = member("lead")
    with set_actor(lead):  # what the request middleware does for a signed-in user
        exchange.import_document(document=document(2), organisation=organisation, user=lead)
    entries = AuditEntry.objects.filter(
        organisation=organisation, content_type__app_label="missions"
    )
    assert entries.count() == 2 * (1 + 2 + 2 + 3) + 3 + 2 + 1  # and the sub-mission's parent
    assert set(entries.values_list("actor_id", "actor_email")) == {(lead.pk, lead.email)}
    # A target's entry is what saving it one by one records.
    target = Target.objects.get(mission__key="mission-1", key="t0")
    imported = entries.get(content_type__model="target", object_id=target.pk)
    with set_actor(lead):
        saved = Target.objects.create(
            mission=target.mission,
            key="t9",
            title="Target 0",
            direction="increase",
            baseline_value=target.baseline_value,
            baseline_year=2020,
            target_value=target.target_value,
            target_year=2035,
        )
    by_save = AuditEntry.objects.get(content_type__model="target", object_id=saved.pk)
    differ = {"id", "key", "position"}
    assert {k: v for k, v in imported.changes.items() if k not in differ} == {
        k: v for k, v in by_save.changes.items() if k not in differ
    }
    assert (imported.organisation_id, imported.mission_id, imported.object_repr) == (
        by_save.organisation_id,
        by_save.mission_id,
        by_save.object_repr,
    )
