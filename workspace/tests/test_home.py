"""Home is a person's work queue: their missions, what waits for them by role, and what
changed since their last visit, in a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from canvas.services import canvas_comment_add
from missions.models import MissionChange, MissionStatus
from missions.services import mission_update
from missions.tests.factories import MissionFactory
from portfolios.services import decision_record
from workspace.services import record_visit

pytestmark = pytest.mark.django_db


def _home(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_reviewer_finds_the_proposal_and_the_lead_the_decision_but_not_another_organisation(
    client, member, organisation, other_organisation
):
    MissionFactory(organisation=organisation, title="Clean rivers", status=MissionStatus.PROPOSED)
    MissionFactory(
        organisation=other_organisation, title="Someone else's", status=MissionStatus.PROPOSED
    )
    page = _home(client, member("reviewer"))
    assert "Review “Clean rivers”" in page
    assert "you have rated 0 of the five criteria" in page
    assert "Someone else" not in page
    assert "Decide on" not in page

    page = _home(client, member("lead"))
    assert "Decide on “Clean rivers”" in page
    assert reverse("portfolios:decide", args=[organisation.slug, "mission-0"]) in page or (
        "/decide/" in page
    )
    assert "Someone else" not in page

    page = _home(client, member("viewer"))
    assert "Clean rivers" not in page
    assert "Nothing waits for you now" in page


def test_the_editor_sees_changes_requested_and_comments_on_their_mission(
    client, member, organisation
):
    editor = member("editor", full_name="Editor Person")
    lead, reviewer = member("lead"), member("reviewer")
    mission = MissionFactory(organisation=organisation, title="Clean rivers", created_by=editor)
    mission.status = MissionStatus.PROPOSED
    mission.save()
    decision_record(
        by=lead, mission=mission, decision="request_changes", comments="Name the mandate."
    )
    canvas_comment_add(
        by=reviewer, mission=mission, box_key="challenge", text="Which rivers first?"
    )
    canvas_comment_add(
        by=reviewer, mission=mission, box_key="targets", text="@Editor Person which baseline?"
    )

    page = _home(client, editor)
    assert "Changes requested on your missions" in page
    assert "Name the mandate." in page
    assert "Comments on your missions" in page
    assert "Which rivers first?" in page
    assert "Addressed to you" in page
    assert "mentioned you in a comment on Targets and milestones" in page
    # The changes requested, two open comments and the mention.
    assert "4 things wait for you." in page


def test_changes_by_others_are_counted_since_the_last_visit(member, organisation, client):
    editor, colleague = member("editor"), member("editor")
    mission = MissionFactory(organisation=organisation, title="Clean rivers", created_by=editor)
    start = timezone.now() - datetime.timedelta(hours=3)
    assert record_visit(editor, now=start) is None  # the first visit
    assert record_visit(editor, now=start + datetime.timedelta(minutes=10)) is None  # same visit

    mission_update(
        by=colleague,
        mission=mission,
        expected_version=mission.version,
        statement="By 2035 every river is clean enough to swim in.",
    )
    MissionChange.objects.filter(mission=mission).update(at=start + datetime.timedelta(hours=1))

    page = _home(client, editor)  # a new visit: the one before began at `start`
    assert "1 change by others" in page
    page = _home(client, editor)  # the same visit still counts from `start`
    assert "1 change by others" in page


def test_home_reads_the_same_number_of_queries_for_two_missions_or_twenty(
    client, member, organisation
):
    editor, reviewer, lead = member("editor"), member("reviewer"), member("lead")

    def scene(count: int) -> None:
        for _ in range(count):
            mission = MissionFactory(
                organisation=organisation, created_by=editor, status=MissionStatus.PROPOSED
            )
            canvas_comment_add(by=reviewer, mission=mission, box_key="challenge", text="Why?")
            MissionChange.objects.create(
                mission=mission, user=lead, action="updated", object_type="mission"
            )

    def queries(user) -> int:
        client.force_login(user)
        client.get(reverse("home"))  # warm the session and the visit
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("home")).status_code == 200
        return len(captured)

    scene(2)
    few = {role: queries(user) for role, user in (("editor", editor), ("lead", lead))}
    scene(18)
    many = {role: queries(user) for role, user in (("editor", editor), ("lead", lead))}
    assert few == many
    assert max(many.values()) <= 16


def test_someone_in_no_organisation_is_told_how_to_join(client, django_user_model):
    user = django_user_model.objects.create_user(email="new@example.org", password="x" * 20)
    page = _home(client, user)
    assert "You are not a member of any organisation yet" in page
