from collections.abc import Iterator

import pytest

from tests.faults.stack import Stack


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    """A private stack (PostgreSQL, Redis, gunicorn, a Celery worker) for one test module,
    torn down whatever happens, including a failure half-way through starting it."""
    stack = Stack()
    try:
        stack.start()
        yield stack
    finally:
        stack.close()
