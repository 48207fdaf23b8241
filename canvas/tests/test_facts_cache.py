"""The box facts are kept between pages (#20): the canvas page does not export the mission on
every view, yet a change to any record shows on the next page, and typing in a box (dozens of
autosaves a minute) does not throw the kept facts away."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from canvas.models import FactsStamp
from canvas.services import canvas_box_save
from evaluation.indicators import services as indicator_services
from missions.tests.factories import MissionProjectFactory, TargetFactory
from stakeholders import services as stakeholder_services

pytestmark = pytest.mark.django_db

# Every query of a canvas page whose facts are kept: session, user, memberships, the mission
# with its targets, how many projects it has, the boxes, comments, notes, the facts' stamp, and
# the summaries at the top of every mission page.
CANVAS_PAGE_BUDGET = 15


def canvas_url(mission):
    return reverse("canvas:canvas", args=[mission.organisation.slug, mission.key])


def _page(client, mission) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(canvas_url(mission))
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def _stamp(mission) -> int:
    return FactsStamp.objects.filter(mission=mission).values_list("version", flat=True).first() or 0


def test_a_record_added_shows_in_its_box_on_the_next_page(
    client, mission, editor, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    _queries, html = _page(client, mission)
    assert "No indicators recorded" in html
    assert "stakeholder on the map" not in html

    # An indicator does not touch the mission's own row: only the stamp says it changed.
    with django_capture_on_commit_callbacks(execute=True):
        indicator_services.indicator_create(
            by=editor, mission=mission, name="Healthy life years at birth", level="impact",
            frequency="annual",
        )  # fmt: skip
    _queries, html = _page(client, mission)
    assert "No indicators recorded" not in html
    assert "Healthy life years at birth (annual)" in html

    with django_capture_on_commit_callbacks(execute=True):
        stakeholder_services.stakeholder_create(
            by=editor, mission=mission, name="Association of Regional Hospitals",
            helix="government", roles=["supporter"], power=5, interest=5,
        )  # fmt: skip
    _queries, html = _page(client, mission)
    assert "1 stakeholder on the map" in html
    assert "Key players: Association of Regional Hospitals" in html


def test_typing_in_a_box_keeps_the_facts_and_a_record_change_moves_them_on(
    client, mission, editor, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    _page(client, mission)
    first = _stamp(mission)
    with django_capture_on_commit_callbacks(execute=True):
        canvas_box_save(
            by=editor, mission=mission, box_key="challenge", text="Too many years lived in poor health.",
            expected_version=0,
        )  # fmt: skip
    assert _stamp(mission) == first

    with django_capture_on_commit_callbacks(execute=True):
        TargetFactory(mission=mission, title="Healthy life years", is_headline=True)
        indicator_services.indicator_create(
            by=editor, mission=mission, name="Years in good health", level="impact"
        )
    assert _stamp(mission) == first + 1
    _queries, html = _page(client, mission)
    assert "Too many years lived in poor health." in html
    assert "Healthy life years (headline)" in html


def test_a_kept_page_reads_the_same_few_queries_for_a_small_and_a_big_mission(
    client, mission, editor, organisation
):
    from missions.tests.factories import MissionFactory

    TargetFactory(mission=mission, title="Healthy life years")
    MissionProjectFactory(mission=mission, title="Neighbourhood health labs")
    big = MissionFactory(organisation=organisation, key="big", title="Big mission")
    for n in range(12):
        TargetFactory(mission=big, title=f"Target {n}")
        MissionProjectFactory(mission=big, title=f"Project {n}")
    client.force_login(editor)
    for each in (mission, big):
        building, _html = _page(client, each)  # builds and keeps the facts
        kept, html = _page(client, each)
        assert kept < building  # the second page does not export the mission again
        assert kept <= CANVAS_PAGE_BUDGET
    assert _page(client, mission)[0] == _page(client, big)[0]
    assert "Project 11" in html
