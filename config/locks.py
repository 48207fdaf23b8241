"""PostgreSQL session-level advisory locks: a process's hold on a piece of work (one mission's
assessment, one document's render). Unlike a row lock it lasts outside a transaction, and unlike
a mark in Redis or on disk PostgreSQL frees it when the process holding it dies, so whether a
lock is held tells whether someone is still working."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection


@contextmanager
def advisory_lock(key: int) -> Iterator[bool]:
    """Try to take lock `key` without waiting: True if taken (and released on leaving), False if
    another session holds it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        held = bool(cursor.fetchone()[0])
    try:
        yield held
    finally:
        if held:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
