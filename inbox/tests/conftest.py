import pytest
from django.utils import translation

from missions.models import MissionStatus
from missions.tests.factories import MissionFactory, TargetFactory


@pytest.fixture(autouse=True)
def english():
    with translation.override("en-gb"):
        yield


@pytest.fixture
def owner(member):
    return member("editor", full_name="Sam Servant")


@pytest.fixture
def reviewer(member):
    return member("reviewer", full_name="Rita Reviewer")


@pytest.fixture
def lead(member):
    return member("lead", full_name="Lee Lead")


@pytest.fixture
def mission(organisation, owner):
    """A draft that may be proposed (statement, deadline, a complete headline target), started
    by `owner`."""
    mission = MissionFactory(
        organisation=organisation,
        key="healthy-years",
        title="Healthy years",
        statement="Everyone five more healthy years by 2040.",
        deadline_year=2040,
        status=MissionStatus.DRAFT,
        created_by=owner,
    )
    TargetFactory(mission=mission, key="t1")
    return mission
