"""Telling many people costs no more queries than telling two: the recipients come in one query
and their notifications go in one INSERT, and one task is queued for their e-mails."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inbox.models import Notification
from missions.services import mission_transition
from missions.tests.factories import MissionFactory, TargetFactory

pytestmark = pytest.mark.django_db


def test_a_proposal_to_200_reviewers_takes_the_queries_of_one_to_2(
    organisation, owner, member, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    def draft(key):
        mission = MissionFactory(organisation=organisation, key=key, created_by=owner)
        TargetFactory(mission=mission, key=f"{key}-target")
        return mission

    for _ in range(2):
        member("reviewer")
    # The first step of the test's session reads what is cached after (the actor's roles).
    mission_transition(by=owner, mission=draft("warm-up"), transition="propose")
    few_mission = draft("few")
    with (
        CaptureQueriesContext(connection) as few,
        django_capture_on_commit_callbacks() as few_callbacks,
    ):
        mission_transition(by=owner, mission=few_mission, transition="propose")
    assert Notification.objects.filter(mission=few_mission).count() == 2

    for _ in range(198):
        member("reviewer")
    many_mission = draft("many")
    with (
        django_assert_max_num_queries(len(few)) as many,
        django_capture_on_commit_callbacks() as many_callbacks,
    ):
        mission_transition(by=owner, mission=many_mission, transition="propose")
    assert Notification.objects.filter(mission=many_mission).count() == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    # One callback more than nothing at all would queue, however many people: the one task.
    assert len(many_callbacks) == len(few_callbacks)
    inserts = [q for q in many.captured_queries if q["sql"].startswith('INSERT INTO "inbox_')]
    assert len(inserts) == 1
