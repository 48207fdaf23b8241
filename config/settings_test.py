"""Settings for the test suite: real PostgreSQL, real Redis, real Celery workers.

Tests never share Redis with a running `make run`: they use TEST_REDIS_URL (CI points it at a
spare database of the machine's Redis) or their own embedded Redis under .data/redis-test.
"""

import os

os.environ.setdefault("SECRET_KEY", "lodestar-tests-only-not-a-secret-0123456789abcdef")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("LODESTAR_ALLOW_EMBEDDED", "1")

from config.settings import *  # noqa: F403
from config.settings import BASE_DIR, DATABASES, STORAGES, env_str

TEST_REDIS_SOCKET = BASE_DIR / ".data" / "redis-test" / "redis.sock"
REDIS_URL = env_str("TEST_REDIS_URL") or f"redis+socket://{TEST_REDIS_SOCKET}"
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
# The tests' workers are what the tests wait for: at a lower CPU priority they would queue
# behind the browser and the live server on CI's two cores. (tests/test_celery.py checks that
# the app's workers do lower it by default.)
WORKER_NICENESS = 0

# Two suites on one machine (a developer and a helper) each name their own test database.
DATABASES["default"]["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME", "test_lodestar")}

# A Celery worker started by the tests runs against the test database it is told about.
if os.environ.get("LODESTAR_WORKER_DATABASE_NAME"):
    DATABASES["default"]["NAME"] = os.environ["LODESTAR_WORKER_DATABASE_NAME"]

# Tests serve static files from the finders (no collectstatic), so no manifest.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The test process itself gets Django's in-memory outbox (mail.outbox); the tests' Celery worker,
# which sends the mail queued after a commit (accounts/mail.py), writes it to files the tests
# read (conftest.py `worker_mail`).
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {
            "file_path": os.environ.get("LODESTAR_TEST_MAIL_DIR")
            or str(BASE_DIR / ".data" / "test-mail")
        },
    }
}
MEDIA_ROOT = BASE_DIR / ".data" / "test-media"
LOGGING["root"]["level"] = "WARNING"  # noqa: F405

# Every whole page the browser tests are shown is kept for the HTML checker (scripts/check-html).
MIDDLEWARE = [*MIDDLEWARE, "tests.html_capture.CaptureHtmlMiddleware"]  # noqa: F405

# Webhooks: retries within seconds, and a receiver on 127.0.0.1 over plain http.
WEBHOOK_RETRY_SECONDS = [1, 2]
WEBHOOK_DISABLE_AFTER = 2
WEBHOOK_ALLOW_HTTP = True
