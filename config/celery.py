"""The Celery application. Tasks live in each app's tasks.py and take ids, never objects."""

import contextlib
import gc
import logging
import os
from typing import TYPE_CHECKING, Any

import redis
from celery import Celery
from celery.bootsteps import StartStopStep
from celery.signals import task_postrun, task_prerun, worker_init, worker_process_init

if TYPE_CHECKING:
    from celery.worker.consumer import Consumer
    from redis.commands.core import Script

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

logger = logging.getLogger(__name__)

app = Celery("lodestar")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


# The first kombu release assumed to close a lost Redis connection without the crash below.
KOMBU_FIXED_IN = (5, 8)


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
    import kombu
    from kombu.transport import redis as kombu_redis

    # Seen in kombu 5.7 (tests/test_celery.py reproduces it on the unpatched method and fails
    # once kombu no longer crashes, so the patch can go). A later kombu is left alone.
    version = kombu.__version__  # type: ignore[attr-defined]  # missing from kombu's stubs
    if tuple(int(part) for part in version.split(".")[:2]) >= KOMBU_FIXED_IN:
        return
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

    # The mark that it is patched, and the original (for tests/test_celery.py), on the function.
    vars(restore_unacked).update(lodestar_patched=True, __wrapped__=original)
    # Replacing a method of kombu's class is the point here, which no type allows.
    kombu_redis.QoS.restore_unacked = restore_unacked  # type: ignore[method-assign]


_survive_losing_redis()


# --- Worker heartbeat, read by /healthz (config/health.py) -------------------------------------
# Each worker's name sits in one sorted set, scored with the time of its latest heartbeat. A
# sorted set rather than a key per worker: /healthz reads it with one ZRANGE whatever else Redis
# holds (results, queues), where SCAN or KEYS would walk every key. The time is Redis's own
# clock (TIME, in the script), so workers and web servers on different hosts never disagree.
HEARTBEAT_KEY = "lodestar:worker-heartbeats"
HEARTBEAT_EVERY = 10.0  # seconds between a worker's heartbeats
HEARTBEAT_FRESH = 30  # a worker whose latest heartbeat is older counts as down
# A worker gone for longer is forgotten; until then /healthz can say when it was last seen.
HEARTBEAT_KEEP = 300

_BEAT_SCRIPT = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[2])
return 1
"""


class WorkerHeartbeat(StartStopStep):
    """Write this worker's heartbeat to Redis every HEARTBEAT_EVERY seconds while it consumes.

    A step of the consumer, after the one that starts consuming tasks: the consumer starts its
    steps again whenever it reconnects to the broker, so the first heartbeat after a Redis
    restart (which empties Redis) comes at once. The beats run on the consumer's event loop, so
    they stop when that loop no longer turns, as control.ping (which they replace) did.
    """

    requires = ("celery.worker.consumer.tasks:Tasks",)

    def __init__(self, parent: "Consumer", **kwargs: object) -> None:
        super().__init__(parent, **kwargs)
        self.timer_entry = None
        self.beat: Script | None = None

    def start(self, consumer: "Consumer") -> None:
        from config.health import redis_client

        self.beat = redis_client().register_script(_BEAT_SCRIPT)
        self.send(consumer.hostname)
        self.timer_entry = consumer.timer.call_repeatedly(
            HEARTBEAT_EVERY, self.send, (consumer.hostname,)
        )

    def send(self, hostname: str) -> None:
        if self.beat is None:  # stopped, its timer entry cancelled
            return
        try:
            self.beat(keys=[HEARTBEAT_KEY], args=[hostname, HEARTBEAT_KEEP])
        except redis.RedisError as exc:
            # The broker is Redis too, so the consumer notices and reconnects; nothing to do.
            logger.warning("worker heartbeat not written: %s", exc)

    def stop(self, consumer: "Consumer") -> None:
        if self.timer_entry is not None:
            consumer.timer.cancel(self.timer_entry)
            self.timer_entry = None
        if self.beat is not None:
            self.beat = None
            # A worker that stops cleanly leaves /healthz at once; a killed one after
            # HEARTBEAT_FRESH seconds.
            from config.health import redis_client

            with contextlib.suppress(redis.RedisError):
                redis_client().zrem(HEARTBEAT_KEY, consumer.hostname)

    shutdown = stop


app.steps["consumer"].add(WorkerHeartbeat)


# --- Database connections in the worker --------------------------------------------------------
# Celery's Django fixup closes every database connection before and after each task unless
# CELERY_DB_REUSE_MAX is set (config/settings.py sets it out of reach), so each assessment paid
# for a new PostgreSQL connection: about half of its time in the 1,000-mission benchmark.
# Instead a task starts and ends as a web request does: a connection past CONN_MAX_AGE or left
# broken by an error is closed, and a kept one is health-checked before its first query
# (conn_health_checks), so a PostgreSQL restart costs one reconnect, not a failed task.
@task_prerun.connect
@task_postrun.connect
def _keep_healthy_database_connections(sender: Any = None, **kwargs: object) -> None:
    from django.db import close_old_connections

    # Not for a task run in the caller's process (apply()): that is inside the caller's work.
    if not getattr(getattr(sender, "request", None), "is_eager", False):
        close_old_connections()


# --- People before background work ---------------------------------------------------------------
# Web workers, Celery workers, PostgreSQL and Redis share the same few cores on a one-box
# deployment. A render or a batch of assessments must not make a person's click wait behind it:
# the worker (and the pool it forks, which inherits it) runs at a lower CPU priority, so the
# kernel gives web requests the cores first and background work the rest. It still gets all of
# an idle machine. WORKER_NICENESS (settings) says how much lower; 0 leaves it as it is.
@worker_init.connect
def _yield_cpu_to_web_requests(**kwargs: object) -> None:
    from django.conf import settings

    niceness = settings.WORKER_NICENESS
    if niceness > 0:
        os.nice(niceness)


# --- Warm pdf workers --------------------------------------------------------------------------
# A process's first render pays for importing WeasyPrint, parsing the print stylesheet, loading
# its fonts and compiling the print templates: about a second, ten times a warm render. Each
# pool process of a worker that consumes the pdf queues does that as it starts, not on the first
# click or pack piece it takes (a pack's other pieces wait for that one). The parent only notes
# the queues: fonts loaded before the fork would be shared with every child, and one child
# exiting (--max-tasks-per-child) would delete the font files the others still read.
PDF_QUEUES = {"pdf", "pdf_ahead"}
_warm_pdf_processes = False


@worker_init.connect
def _note_pdf_queues(sender: Any = None, **kwargs: object) -> None:
    global _warm_pdf_processes
    consumed = set(getattr(getattr(sender, "app", app).amqp.queues, "consume_from", None) or {})
    _warm_pdf_processes = bool(consumed & PDF_QUEUES)


# A layout allocates hundreds of thousands of short-lived objects; with Python's default
# thresholds the cyclic collector runs thousands of times per document and walks the process's
# long-lived objects (Django, WeasyPrint, fonts) again and again. Once warm, a pdf process moves
# what it holds so far out of the collector's sight (gc.freeze) and collects its youngest
# objects less often: 20 briefings lay out and write about a tenth faster (five runs each).
PDF_GC_THRESHOLDS = (20_000, 20, 20)


@worker_process_init.connect
def _warm_pdf_process(**kwargs: object) -> None:
    if not _warm_pdf_processes:
        return
    try:
        from documents.pdf import warm_up

        warm_up()
    except Exception:
        # A warm-up that fails leaves a cold process, which still renders: never a dead pool.
        logger.exception("pdf worker warm-up failed")
    gc.collect()
    gc.freeze()
    gc.set_threshold(*PDF_GC_THRESHOLDS)
