"""The Celery application. Tasks live in each app's tasks.py and take ids, never objects."""

import logging
import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

logger = logging.getLogger(__name__)

app = Celery("lodestar")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _survive_losing_redis() -> None:
    """Keep the worker alive when Redis goes away while it holds unacknowledged (acks_late or
    countdown) messages.

    Celery 5.7 closes the lost broker connection after dropping its client; closing the channel
    then tries to put the held messages back into Redis, finds no client, and the AttributeError
    kills the whole worker ("Unrecoverable error"), so work stops until someone restarts it
    (tests/faults/test_outages.py shows it). Those messages are still in Redis's unacked set and
    kombu puts them back once their visibility timeout passes; if Redis restarted empty they are
    gone either way, and the services' own state (a pending assessment, a retryable document)
    recovers the work. So a missing client here is logged, not fatal.
    """
    from kombu.transport import redis as kombu_redis

    original = kombu_redis.QoS.restore_unacked
    if getattr(original, "lodestar_patched", False):
        return

    def restore_unacked(self, client=None):
        try:
            return original(self, client)
        except AttributeError:
            if getattr(self.channel.connection, "client", None) is not None:
                raise
            logger.warning(
                "Redis went away holding %d unacknowledged message(s); they return after the "
                "visibility timeout if Redis kept them",
                len(self._delivered),
            )
            self._delivered.clear()
            return None

    restore_unacked.lodestar_patched = True
    kombu_redis.QoS.restore_unacked = restore_unacked


_survive_losing_redis()


@signals.task_prerun.connect
def _forget_stale_content_types(**_kwargs) -> None:
    """In the test suite the database is flushed between browser tests and its content types
    come back with new ids, while this long-lived worker still caches the old ones: the audit
    trail would then point at content types that no longer exist. Production never renumbers
    them, so only the tests' worker forgets them before each task."""
    from django.conf import settings

    if getattr(settings, "CELERY_WORKER_FORGETS_CONTENT_TYPES", False):
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()
