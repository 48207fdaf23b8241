"""Production settings pass Django's deployment checks, and refuse to run half-configured."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DEBUG",
            "DJANGO_SETTINGS_MODULE",
            "SECRET_KEY",
            "HTTPS",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL="postgres://lodestar@db.internal:5432/lodestar",
        REDIS_URL="redis://redis.internal:6379/0",
        ALLOWED_HOSTS="lodestar.example.gov",
        **env,
    )
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_check_deploy_is_clean_behind_https():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        HTTPS="1",
        SECRET_KEY=secrets.token_urlsafe(50),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_a_weak_secret_key():
    result = _manage("check", DEBUG="0", HTTPS="1", SECRET_KEY="short")
    assert result.returncode != 0
    assert "SECRET_KEY is too weak for production" in result.stderr
