"""The Celery app the tests' own workers run (`celery -A tests.worker_app worker`): Lodestar's
app, plus the two things only tests need, kept out of production code.

- The database is flushed between browser tests and its content types come back with new ids,
  while a long-lived worker still caches the old ones (the audit trail would point at content
  types that no longer exist): the worker forgets them before each task.
- The crash test (evaluation/tests/test_worker_crash.py) must kill a worker while a run is
  marked running: with LODESTAR_TEST_ASSESSMENT_PAUSE set, the assessment waits that many
  seconds before it evaluates.
"""

from __future__ import annotations

import os
import time
from typing import Any

from celery import signals

from config.celery import app

__all__ = ["app"]

_PAUSE_SECONDS = float(os.environ.get("LODESTAR_TEST_ASSESSMENT_PAUSE") or 0)
_paused: list[bool] = []


@signals.task_prerun.connect
def _before_each_task(**_kwargs: Any) -> None:
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    if _PAUSE_SECONDS > 0 and not _paused:
        from evaluation import services

        evaluate = services.evaluate

        def held_evaluate(*args: Any, **kwargs: Any) -> Any:
            time.sleep(_PAUSE_SECONDS)
            return evaluate(*args, **kwargs)

        services.evaluate = held_evaluate
        _paused.append(True)
