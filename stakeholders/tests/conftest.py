import pytest

from missions.tests.factories import ActorFactory, MissionFactory
from stakeholders import services


@pytest.fixture
def mission(organisation):
    return MissionFactory(organisation=organisation, key="healthy-years", title="Healthy years")


@pytest.fixture
def editor(member):
    return member("editor")


@pytest.fixture
def viewer(member):
    return member("viewer")


@pytest.fixture
def add(editor, mission):
    """add(name, **fields) → a stakeholder created through the service."""

    def make(name, *, power=3, interest=3, roles=("supporter",), helix="government", **fields):
        return services.stakeholder_create(
            by=editor,
            mission=mission,
            name=name,
            helix=helix,
            roles=list(roles),
            power=power,
            interest=interest,
            **fields,
        )

    return make


@pytest.fixture
def ministry(organisation):
    return ActorFactory(
        organisation=organisation, key="vws", name="Ministry of Health", helix="government"
    )
