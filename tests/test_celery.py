import os

import pytest
from django.conf import settings

from accounts.tasks import worker_probe_task
from accounts.tests.factories import OrganisationFactory


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_a_task_against_the_test_database(celery_worker):
    OrganisationFactory(slug="probe-ministry")

    result = worker_probe_task.delay().get(timeout=20)

    assert result["organisations"] == ["probe-ministry"]
    assert result["database"].startswith("test_")
    assert result["niceness"] == os.nice(0)  # the tests' workers: not lowered (settings_test)


def test_a_worker_lowers_its_cpu_priority_below_the_web_s_when_it_starts():
    """Background work yields the cores to people's requests (config/celery.py): what a
    worker does on starting, with the settings a deployment has."""
    import subprocess
    import sys

    code = (
        "import os, django; django.setup(); import config.celery;"
        "from celery.signals import worker_init; before = os.nice(0);"
        "worker_init.send(sender=None); print(os.nice(0) - before)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1"}
    env.pop("WORKER_NICENESS", None)
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )

    assert done.stdout.strip().splitlines()[-1] == "10"


def _held_message_on_a_lost_connection(redis_server: str):
    """A channel holding one unacknowledged message whose connection lost its client, as
    Celery leaves it when Redis goes away."""
    from kombu import Connection

    connection = Connection(redis_server)
    channel = connection.default_channel
    channel.qos._delivered["held-message"] = None
    channel.connection.client = None
    return channel.qos


def test_the_worker_survives_losing_redis_while_holding_a_message(redis_server):
    from kombu.transport import redis as kombu_redis

    qos = _held_message_on_a_lost_connection(redis_server)

    kombu_redis.QoS.restore_unacked(qos)  # patched in config/celery.py: logged, not fatal

    assert not qos._delivered


def test_kombu_still_crashes_there_without_the_patch(redis_server):
    # When this fails, kombu no longer crashes: remove _survive_losing_redis (config/celery.py).
    import kombu
    from kombu.transport import redis as kombu_redis

    from config.celery import KOMBU_FIXED_IN

    assert tuple(int(part) for part in kombu.__version__.split(".")[:2]) < KOMBU_FIXED_IN
    unpatched = kombu_redis.QoS.restore_unacked.__wrapped__
    qos = _held_message_on_a_lost_connection(redis_server)

    with pytest.raises(AttributeError):
        unpatched(qos)
    qos._delivered.clear()  # nothing for kombu's exit-time finaliser to restore


def test_every_nightly_job_names_a_task_the_workers_know():
    from config.celery import app

    app.loader.import_default_modules()
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, name


def test_a_message_held_or_running_is_never_handed_out_twice_and_a_lost_one_comes_back():
    """A message a killed worker took comes back after Redis' visibility timeout (a pack
    whose worker died is made without anyone clicking Retry); a message still running, or
    held back by a retry's countdown, must not come back meanwhile (an e-mail sent twice)."""
    from config.celery import app

    app.loader.import_default_modules()
    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert timeout > settings.CELERY_TASK_TIME_LIMIT
    longest_countdown = max(
        getattr(task, "retry_backoff_max", 0) or 0
        for task in app.tasks.values()
        if getattr(task, "retry_backoff", False)
    )
    assert longest_countdown <= settings.CELERY_LONGEST_COUNTDOWN < timeout
    assert timeout <= 20 * 60
