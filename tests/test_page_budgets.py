"""Page budgets (#20, "Performance"): the mission page, an indicator's page, the stakeholder map
and the criteria page each read the same number of queries for a small mission as for a big
one, within their budget, and still show what a person looks for on them.

Each budget is every query of the request, as issue #20 counts them: the session and the user
(two-factor state is remembered by the session), the memberships that navigation, permissions
and the organisation share, the unread count, the summaries other apps show at the top of every
mission page, and the page's own reads.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluation.indicators import services as indicator_services
from evaluation.indicators.models import Measurement
from missions.tests.factories import (
    MilestoneFactory,
    MissionFactory,
    MissionProjectFactory,
    ProjectContributionFactory,
    TargetFactory,
)
from stakeholders import services as stakeholder_services

MISSION_PAGE_BUDGET = 10
# The indicator with its versions, the chart's thinned values, the history with its total, the
# stewards, and the five of every mission page.
INDICATOR_PAGE_BUDGET = 12
STAKEHOLDER_MAP_BUDGET = 12


def _queries(client, path: str) -> tuple[int, str]:
    """(queries, the page) of one GET of `path`."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def _budget(client, small: str, big: str, budget: int) -> tuple[str, str]:
    """Both pages within `budget`, the first time (nothing of them kept in the cache yet) and
    again, and then with the same number of queries; their contents."""
    client.get(small)  # the first request after signing in also writes the session
    first_count, _page = _queries(client, big)
    assert first_count <= budget
    small_count, small_page = _queries(client, small)
    big_count, big_page = _queries(client, big)
    assert big_count == small_count
    assert big_count <= budget
    return small_page, big_page


@pytest.fixture
def lead(member):
    return member("lead")


@pytest.fixture
def editor(member):
    return member("editor")


# --- The mission page ----------------------------------------------------------------------


def _mission(organisation, targets: int, projects: int):
    mission = MissionFactory(organisation=organisation, status="draft")
    made = [TargetFactory(mission=mission, is_headline=n < 3) for n in range(targets)]
    for target in made:
        MilestoneFactory(target=target)
    for n in range(projects):
        project = MissionProjectFactory(mission=mission)
        ProjectContributionFactory(project=project, target=made[n % targets])
    for n in range(targets // 2):
        MissionFactory(
            organisation=organisation,
            parent=mission,
            challenge=mission.challenge,
            title=f"Sub-mission {n:02}",
        )
    return reverse("missions:overview", args=[organisation.slug, mission.key])


def test_the_mission_page_costs_the_same_for_2_or_20_targets(client, organisation, lead):
    client.force_login(lead)
    small, big = _budget(
        client,
        _mission(organisation, targets=2, projects=4),
        _mission(organisation, targets=20, projects=40),
        MISSION_PAGE_BUDGET,
    )
    assert "Sub-mission 00" in small
    assert "Sub-mission 09" in big  # every sub-mission is listed
    assert "Propose for approval" in big


# --- An indicator's page -------------------------------------------------------------------


def _indicator(organisation, editor, values: int):
    mission = MissionFactory(organisation=organisation)
    target = TargetFactory(mission=mission)
    indicator = indicator_services.indicator_create(
        by=editor,
        mission=mission,
        name="Healthy life years",
        level="impact",
        target=target,
        unit="years",
        data_source="CBS StatLine",
        frequency="monthly",
    )
    version = indicator.versions.get()
    start = datetime.date(1990, 1, 1)
    Measurement.objects.bulk_create(
        Measurement(
            indicator=indicator,
            version=version,
            period_end=start + datetime.timedelta(days=n),
            value=Decimal(n % 97) / 10,
        )
        for n in range(values)
    )
    return reverse("evaluation:indicator", args=[organisation.slug, mission.key, indicator.key])


def test_an_indicator_page_costs_the_same_for_10_or_2000_values(client, organisation, editor):
    client.force_login(editor)
    small, big = _budget(
        client,
        _indicator(organisation, editor, 10),
        _indicator(organisation, editor, 2000),
        INDICATOR_PAGE_BUDGET,
    )
    assert "1990-01-10" in small  # the latest value, in the table beside the chart
    last = datetime.date(1990, 1, 1) + datetime.timedelta(days=1999)
    assert last.isoformat() in big
    assert "The chart shows 2000 values; this table lists the latest 120." in big
    assert "Showing the latest 100 of 2000 records." in big
    # The definitions over time, brought by the indicator's own query: number, unit, source and
    # the day it took effect.
    versions = big[big.index("Definitions over time") :]
    today = timezone.localdate().isoformat()
    cells = re.findall(r'<td class="govuk-table__cell">([^<]*)</td>', versions)
    assert cells[:5] == ["1", "—", "years", "CBS StatLine", today]


# --- The stakeholder map -------------------------------------------------------------------


def _map(organisation, editor, stakeholders: int):
    mission = MissionFactory(organisation=organisation)
    for n in range(stakeholders):
        stakeholder_services.stakeholder_create(
            by=editor,
            mission=mission,
            name=f"Stakeholder {n:02}",
            helix=["government", "industry", "academia"][n % 3],
            roles=["funder"],
            power=1 + n % 5,
            interest=1 + (n * 3) % 5,
        )
    url = reverse("stakeholders:map", args=[organisation.slug, mission.key])
    return f"{url}?since={timezone.localdate().isoformat()}"


def test_the_stakeholder_map_costs_the_same_for_5_or_60_stakeholders(client, organisation, editor):
    client.force_login(editor)
    small, big = _budget(
        client,
        _map(organisation, editor, 5),
        _map(organisation, editor, 60),
        STAKEHOLDER_MAP_BUDGET,
    )
    assert "Stakeholder 04" in small
    assert "Stakeholder 59" in big
    assert "Showing 60 stakeholders of 60." in big


# --- The criteria page ---------------------------------------------------------------------

# The assessment's run, results, verdicts and warnings, the go/no-go review and the readiness
# check, and the five of every mission page; the mission's targets and projects are not read.
CRITERIA_PAGE_BUDGET = 17


def test_the_criteria_page_costs_the_same_for_2_or_20_targets(client, organisation, editor):
    client.force_login(editor)
    small_page, big_page = _budget(
        client,
        _mission(organisation, 2, 2) + "criteria/",
        _mission(organisation, 20, 40) + "criteria/",
        CRITERIA_PAGE_BUDGET,
    )
    for page in (small_page, big_page):
        assert "Clear direction: targeted, measurable and time-bound" in page
