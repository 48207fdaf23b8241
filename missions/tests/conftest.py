import pytest

from missions.tests.factories import MissionFactory


@pytest.fixture
def mission(organisation):
    return MissionFactory(organisation=organisation, key="healthy-years", title="Healthy years")


@pytest.fixture
def editor(member):
    return member("editor")


@pytest.fixture
def lead(member):
    return member("lead")


@pytest.fixture
def viewer(member):
    return member("viewer")
