"""The database refuses impossible stakeholders, whatever code writes them."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from stakeholders.models import (
    EngagementActivity,
    Quadrant,
    Stakeholder,
    StakeholderPosition,
    quadrant_of,
)

pytestmark = pytest.mark.django_db


def row(mission, **fields):
    values = {
        "mission": mission,
        "key": "someone",
        "person_name": "Someone",
        "helix": "civil_society",
        "roles": ["supporter"],
        "power": 3,
        "interest": 3,
    }
    values.update(fields)
    return Stakeholder(**values)


@pytest.mark.parametrize(
    "fields",
    [
        {"power": 0},
        {"power": 6},
        {"interest": 6},
        {"attitude": 3},
        {"attitude": -3},
        {"roles": []},
        {"roles": ["emperor"]},
        {"roles": "owner"},
        {"helix": "aliens"},
        {"engagement_now": "manipulate"},
        {"person_name": ""},  # neither an actor nor a person
        {"roles": ["owner"], "is_core_team": False},  # owners are always core team
    ],
)
def test_the_database_refuses_bad_rows(mission, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        row(mission, **fields).save()


def test_actor_and_person_together_are_refused(mission, ministry):
    with pytest.raises(IntegrityError), transaction.atomic():
        row(mission, actor=ministry).save()


def test_one_actor_once_per_mission_and_person_names_ignore_case(mission, ministry):
    row(mission, key="a", person_name="", actor=ministry).save()
    with pytest.raises(IntegrityError), transaction.atomic():
        row(mission, key="b", person_name="", actor=ministry).save()
    row(mission, key="c", person_name="Ada Lovelace").save()
    with pytest.raises(IntegrityError), transaction.atomic():
        row(mission, key="d", person_name="ADA LOVELACE").save()


def test_clean_explains_in_words(mission):
    stakeholder = row(mission, person_name="", power=7, roles=[])
    with pytest.raises(ValidationError) as caught:
        stakeholder.full_clean()
    errors = caught.value.message_dict
    assert "one of the two" in errors["person_name"][0]
    assert errors["roles"] == ["Choose at least one role."]
    assert "power" in errors


def test_clean_puts_owners_in_the_core_team(mission):
    stakeholder = row(mission, roles=["owner"])
    stakeholder.full_clean()
    assert stakeholder.is_core_team


def test_quadrants_split_at_three():
    assert quadrant_of(3, 3) == Quadrant.KEY_PLAYER
    assert quadrant_of(5, 1) == Quadrant.KEEP_SATISFIED
    assert quadrant_of(2, 5) == Quadrant.KEEP_INFORMED
    assert quadrant_of(2, 2) == Quadrant.MONITOR


def test_positions_and_activities_are_checked_too(mission):
    stakeholder = row(mission)
    stakeholder.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        StakeholderPosition.objects.create(
            stakeholder=stakeholder,
            recorded_at="2025-01-01T00:00:00Z",
            power=9,
            interest=1,
            attitude=0,
            engagement_now="inform",
            engagement_planned="inform",
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        EngagementActivity.objects.create(
            mission=mission, key="x", date="2025-01-01", type="workshop", level="shout", summary="s"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        EngagementActivity.objects.create(
            mission=mission,
            key="y",
            date="2025-01-01",
            type="workshop",
            level="consult",
            summary="",
        )
