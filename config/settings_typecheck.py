"""Settings that mypy's django-stubs plugin loads to learn the models and apps.

The test settings, with a placeholder database URL: loading them then starts no embedded
PostgreSQL and needs no environment. Nothing connects to it; the type checker only reads.
"""

import os

os.environ.setdefault("DATABASE_URL", "postgres://typecheck@127.0.0.1:5432/typecheck")

from config.settings_test import *  # noqa: F403
