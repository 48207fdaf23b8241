"""Production settings pass Django's deployment checks, and refuse to run half-configured.

Each test starts a fresh process with a made-up environment: settings are read once, at start,
and this process runs on config.settings_test."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent

# What a process needs to run at all; nothing here is read by config/settings.py.
PASSED_THROUGH = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "PYTHONDONTWRITEBYTECODE")
# The least production starts with: DEBUG off, a key, and where its database and broker are.
# Neither server is contacted by `check --deploy` or by loading the settings.
PRODUCTION = {
    "DEBUG": "0",
    "DATABASE_URL": "postgres://lodestar@db.internal:5432/lodestar",
    "REDIS_URL": "redis://redis.internal:6379/0",
}
HTTPS_SETTINGS = (
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
)
SHOWN = (*HTTPS_SETTINGS, "HTTPS", "LODESTAR_ADMIN")
PRINT_SETTINGS = (
    "import json, sys, django; django.setup(); from django.conf import settings; "
    "print(json.dumps({name: getattr(settings, name) for name in sys.argv[1:]}))"
)
OPT_OUT_WARNING = "HTTPS=0: production is serving without HSTS"


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    """Run `args` with only `env` set, as a fresh container would: no variable of this
    process (DEBUG, HTTPS, LODESTAR_ALLOW_EMBEDDED, …) leaks in."""
    environment = {key: os.environ[key] for key in PASSED_THROUGH if key in os.environ}
    environment.update(DJANGO_SETTINGS_MODULE="config.settings", **env)
    return subprocess.run(
        args,
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return _run([sys.executable, "manage.py", *args], **env)


def _settings(**env: str) -> tuple[dict, str]:
    """The HTTPS-related settings a process with `env` runs with, and what it logged."""
    result = _run([sys.executable, "-c", PRINT_SETTINGS, *SHOWN], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1]), result.stderr


def _key() -> str:
    return secrets.token_urlsafe(50)


def _log_lines(stderr: str) -> list[dict]:
    return [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]


def test_check_deploy_is_clean_with_nothing_but_what_production_needs():
    """Issue #19: DEBUG=0 and a key (and the database and broker, without which production does
    not start) pass `check --deploy`; no HTTPS, ALLOWED_HOSTS or SECURE_* variable needed."""
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, SECRET_KEY=_key()
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert OPT_OUT_WARNING not in result.stderr


def test_check_deploy_is_clean_behind_https():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **PRODUCTION,
        HTTPS="1",
        ALLOWED_HOSTS="lodestar.example.gov",
        CSRF_TRUSTED_ORIGINS="https://lodestar.example.gov",
        SECRET_KEY=_key(),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("https", [None, "", "1"], ids=["unset", "empty", "1"])
def test_production_is_https_by_default(https):
    env = {**PRODUCTION, "SECRET_KEY": _key()}
    if https is not None:
        env["HTTPS"] = https  # HTTPS= (empty, as Compose passes an unset value) means unset

    values, stderr = _settings(**env)

    assert values == {
        "HTTPS": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "LODESTAR_ADMIN": True,
    }
    assert OPT_OUT_WARNING not in stderr


def test_opting_out_of_https_starts_but_says_so():
    key = _key()

    started = _manage("check", **PRODUCTION, SECRET_KEY=key, HTTPS="0")
    deploy = _manage(
        "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, SECRET_KEY=key, HTTPS="0"
    )
    values, stderr = _settings(**PRODUCTION, SECRET_KEY=key, HTTPS="0")

    # It runs: an operator may have a reason (a closed network), so no refusal to start ...
    assert started.returncode == 0, started.stderr
    assert values["HTTPS"] is False
    assert values["SESSION_COOKIE_SECURE"] is False and values["SECURE_SSL_REDIRECT"] is False
    # ... but every process says so in its log, one JSON line like every other ...
    for output in (started.stderr, stderr):
        warnings = [line for line in _log_lines(output) if OPT_OUT_WARNING in line["message"]]
        assert len(warnings) == 1, output
        assert warnings[0]["level"] == "WARNING"
        assert warnings[0]["logger"] == "config.settings"
    # ... and the deployment check names what is missing.
    assert deploy.returncode != 0
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in deploy.stderr, deploy.stderr


@pytest.mark.parametrize(
    "env",
    [
        {"DEBUG": "1"},  # make run
        {"DEBUG": "0", "LODESTAR_ALLOW_EMBEDDED": "1"},  # the test suite (config/settings_test.py)
    ],
    ids=["development", "test-suite"],
)
def test_development_and_tests_stay_on_plain_http(env):
    """They serve http://127.0.0.1: Secure cookies and the HTTPS redirect would lock them out."""
    values, stderr = _settings(**{**PRODUCTION, **env}, SECRET_KEY=_key())

    assert values["HTTPS"] is False
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["CSRF_COOKIE_SECURE"] is False
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0
    assert OPT_OUT_WARNING not in stderr


def test_development_can_still_ask_for_https():
    values, _stderr = _settings(**{**PRODUCTION, "DEBUG": "1"}, HTTPS="1")

    assert values["HTTPS"] is True
    assert values["SESSION_COOKIE_SECURE"] is True


def test_the_admin_can_be_switched_off():
    values, _stderr = _settings(**PRODUCTION, SECRET_KEY=_key(), LODESTAR_ADMIN="0")

    assert values["LODESTAR_ADMIN"] is False


def test_production_refuses_a_weak_secret_key():
    result = _manage("check", **PRODUCTION, HTTPS="1", SECRET_KEY="short")
    assert result.returncode != 0
    assert "SECRET_KEY is too weak for production" in result.stderr
