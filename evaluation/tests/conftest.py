import pytest

from missions.tests.factories import ActorFactory, MissionFactory, TargetFactory


@pytest.fixture
def owner(organisation):
    return ActorFactory(organisation=organisation, key="vws", name="Ministry of Health")


@pytest.fixture
def mission(organisation, owner):
    mission = MissionFactory(
        organisation=organisation,
        key="healthy-years",
        title="Healthy years",
        owner=owner,
        geography="Netherlands",
    )
    TargetFactory(mission=mission, key="t1")
    return mission


@pytest.fixture
def reviewer(member):
    return member("reviewer")


@pytest.fixture
def editor(member):
    return member("editor")


@pytest.fixture
def viewer(member):
    return member("viewer")


@pytest.fixture
def enqueued(monkeypatch):
    """Records assessment tasks sent to the broker instead of sending them."""
    from evaluation import tasks

    sent: list[tuple] = []

    def fake_apply_async(args=None, kwargs=None, **options):
        sent.append((tuple(args or ()), options))

    monkeypatch.setattr(tasks.assess_mission_task, "apply_async", fake_apply_async)
    return sent
