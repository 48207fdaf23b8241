import pytest

from missions.tests.factories import MissionFactory


@pytest.fixture
def mission(organisation):
    return MissionFactory(organisation=organisation, key="healthy-years", title="Healthy years")


@pytest.fixture
def editor(member):
    return member("editor", full_name="Sam Servant")


@pytest.fixture
def other_editor(member):
    return member("editor", full_name="Alex Author")


@pytest.fixture
def viewer(member):
    return member("viewer")
