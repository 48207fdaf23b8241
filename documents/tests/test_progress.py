"""A briefing rates a target's progress by the same rule as its indicator page: the same value,
for the same year, gets the same words in both."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from documents import selectors
from evaluation.indicators import selectors as indicator_selectors
from evaluation.indicators import services as indicator_services
from missions.tests.factories import MilestoneFactory, MissionFactory, TargetFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "actual, expected",
    [
        # Planned: 60 in 2018 to 70 in 2030, so 65 at the end of 2024; one band is 1.
        ("64.5", "On track"),
        ("63.5", "At risk"),
        # 2.2 behind: at risk by the briefing's old rule (within 25 %), off track by the band.
        ("62.8", "Off track"),
    ],
)
def test_the_briefing_and_the_indicator_page_rate_a_value_alike(
    member, organisation, actual, expected
):
    lead = member("lead")
    mission = MissionFactory(organisation=organisation, key="years")
    target = TargetFactory(
        mission=mission,
        key="hly",
        title="Healthy life years",
        direction="increase",
        baseline_value=Decimal(60),
        baseline_year=2018,
        target_value=Decimal(70),
        target_year=2030,
    )
    MilestoneFactory(target=target, year=2024, actual_value=Decimal(actual))
    indicator = indicator_services.indicator_create(
        by=lead, mission=mission, name="Healthy life years", level="impact", target=target
    )
    measurement = indicator_services.measurement_add(
        by=lead,
        indicator=indicator,
        period_end=datetime.date(2024, 12, 31),
        value=Decimal(actual),
    )

    briefing = selectors.mission_context(
        user=lead, organisation=organisation, key="years", kind="briefing"
    )
    on_the_page = indicator_selectors.series_for(indicator, [measurement]).progress

    assert [t["progress_label"] for t in briefing["targets"]] == [expected]
    assert str(on_the_page.rating.label) == expected
