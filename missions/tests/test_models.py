"""What the database and model validation refuse, and the messages a user sees."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from missions.models import Actor, Direction, Mission
from missions.tests.factories import (
    ActorFactory,
    MilestoneFactory,
    MissionFactory,
    MissionProjectFactory,
    TargetFactory,
)

pytestmark = pytest.mark.django_db


def messages(error: ValidationError) -> list[str]:
    return [m for ms in error.message_dict.values() for m in ms]


@pytest.mark.parametrize(
    "fields",
    [
        {"start_year": 1850},
        {"deadline_year": 2200},
        {"start_year": 2030, "deadline_year": 2025},
        {"committed_budget": Decimal("-1")},
        {"team_fte": Decimal("-0.5")},
        {"currency": "eur"},
        {"sdgs": [18]},
        {"status": "dreaming"},
    ],
)
def test_database_refuses_impossible_missions(organisation, fields):
    with pytest.raises(IntegrityError):
        MissionFactory(organisation=organisation, **fields)


def test_mission_keys_are_unique_per_organisation_only(organisation, other_organisation):
    MissionFactory(organisation=organisation, key="cities")
    MissionFactory(organisation=other_organisation, key="cities")
    with pytest.raises(IntegrityError):
        MissionFactory(organisation=organisation, key="cities")


def test_deadline_before_start_is_explained(mission):
    mission.start_year, mission.deadline_year = 2030, 2025
    with pytest.raises(ValidationError) as caught:
        mission.full_clean()
    assert "The deadline 2025 is before the start year 2030." in messages(caught.value)


def test_target_after_deadline_is_explained(mission):
    target = TargetFactory.build(mission=mission, target_year=2045)
    with pytest.raises(ValidationError) as caught:
        target.full_clean()
    assert caught.value.message_dict["target_year"] == [
        "Target year 2045 is after the mission deadline 2040."
    ]


def test_binary_target_needs_a_condition_and_measurable_one_a_value(mission):
    with pytest.raises(IntegrityError), transaction.atomic():
        TargetFactory(mission=mission, direction=Direction.BINARY, success_condition="")
    with pytest.raises(IntegrityError), transaction.atomic():
        TargetFactory(mission=mission, target_value=None)


def test_binary_target_message_names_what_is_missing(mission):
    target = TargetFactory.build(mission=mission, direction=Direction.BINARY, success_condition="")
    with pytest.raises(ValidationError) as caught:
        target.full_clean()
    assert "success condition" in caught.value.message_dict["success_condition"][0]


def test_increasing_target_must_end_above_its_baseline(mission):
    target = TargetFactory.build(mission=mission, baseline_value=10, target_value=5)
    with pytest.raises(ValidationError) as caught:
        target.full_clean()
    assert "should end above its baseline" in caught.value.message_dict["target_value"][0]


def test_milestone_after_target_year_is_explained(mission):
    target = TargetFactory(mission=mission, target_year=2030)
    milestone = MilestoneFactory.build(target=target, year=2035)
    with pytest.raises(ValidationError) as caught:
        milestone.full_clean()
    assert caught.value.message_dict["year"] == [
        "Milestone year 2035 is after the target year 2030."
    ]


def test_one_milestone_per_target_and_year(mission):
    target = TargetFactory(mission=mission)
    MilestoneFactory(target=target, year=2030)
    with pytest.raises(IntegrityError):
        MilestoneFactory(target=target, year=2030)


def test_public_funding_cannot_exceed_budget(mission):
    with pytest.raises(IntegrityError):
        MissionProjectFactory(mission=mission, budget=100, public_funding=200)


def test_public_funding_message_gives_both_amounts(mission):
    project = MissionProjectFactory.build(mission=mission, budget=100, public_funding=200)
    with pytest.raises(ValidationError) as caught:
        project.full_clean()
    assert caught.value.message_dict["public_funding"] == [
        "Public funding (200) cannot exceed the project budget (100)."
    ]


def test_project_cannot_end_before_it_starts(mission):
    import datetime

    with pytest.raises(IntegrityError):
        MissionProjectFactory(
            mission=mission,
            start_date=datetime.date(2024, 1, 1),
            end_date=datetime.date(2023, 1, 1),
        )


def test_actor_names_are_unique_ignoring_case(organisation):
    ActorFactory(organisation=organisation, name="Vinnova")
    with pytest.raises(IntegrityError):
        ActorFactory(organisation=organisation, name="VINNOVA")


def test_actor_country_is_an_iso_code(organisation):
    with pytest.raises(IntegrityError):
        ActorFactory(organisation=organisation, country="se")


def test_visible_to_shows_only_the_users_organisations(mission, outsider, viewer):
    assert list(Mission.objects.visible_to(viewer)) == [mission]
    assert list(Mission.objects.visible_to(outsider)) == []
    ActorFactory(organisation=mission.organisation)
    assert Actor.objects.visible_to(outsider).count() == 0
    assert Actor.objects.visible_to(viewer).count() == 1
