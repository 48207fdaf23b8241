"""Bad set-up ends with one clear line, not a traceback."""

import os
import shutil
import socket
import subprocess
import sys
import textwrap

import pytest

from conftest import BASE_DIR


def run(args, **env_overrides):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "LODESTAR_ALLOW_EMBEDDED"}
    }
    env.update(env_overrides)
    return subprocess.run(
        args, env=env, cwd=BASE_DIR, capture_output=True, text=True, timeout=120, check=False
    )


def django_setup(**env):
    return run(
        [sys.executable, "-c", "import django; django.setup()"],
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL="postgres://nobody@127.0.0.1:1/unused",
        **env,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = django_setup(DEBUG="0")

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_refuses_a_short_or_development_secret_key():
    short = django_setup(DEBUG="0", SECRET_KEY="too-short")
    dev = django_setup(DEBUG="0", SECRET_KEY="django-insecure-lodestar-development-only")

    assert "SECRET_KEY is too weak for production" in short.stderr
    assert "SECRET_KEY is too weak for production" in dev.stderr


def test_production_refuses_to_start_without_its_database_or_broker():
    key = "a-long-enough-production-secret-key-0123456789"
    no_db = run(
        [sys.executable, "-c", "import django; django.setup()"],
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        SECRET_KEY=key,
        DATABASE_URL="",
    )
    no_redis = django_setup(DEBUG="0", SECRET_KEY=key, REDIS_URL="")

    assert "DATABASE_URL is not set" in no_db.stderr
    assert "REDIS_URL is not set" in no_redis.stderr


def test_a_malformed_yes_no_setting_is_named():
    result = django_setup(DEBUG="maybe")

    assert "DEBUG='maybe' is not a yes/no value" in result.stderr


def test_a_non_postgresql_database_url_is_refused():
    result = run(
        [sys.executable, "-c", "import django; django.setup()"],
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="1",
        DATABASE_URL="sqlite:///x.db",
    )

    assert "Lodestar needs PostgreSQL" in result.stderr


def runner(**env):
    return run([sys.executable, "-m", "config.runner"], **env)


def test_make_run_names_the_database_host_it_cannot_reach():
    result = runner(
        PORT=str(_free_port()),
        DATABASE_URL="postgres://lodestar@127.0.0.1:1/lodestar",
        REDIS_URL="redis://127.0.0.1:1/0",
    )

    assert result.returncode == 1
    assert result.stderr.startswith("lodestar: Cannot reach the database at 127.0.0.1:1")
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_make_run_says_when_the_port_is_busy():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = runner(PORT=str(port))

    assert result.returncode == 1
    assert f"Port {port} on 127.0.0.1 is busy" in result.stderr
    assert f"make run PORT={port + 1}" in result.stderr


def test_make_run_names_the_debian_packages_weasyprint_needs(tmp_path):
    # Stand in for a machine without Pango: importing WeasyPrint fails the way cffi's dlopen does.
    fake = tmp_path / "weasyprint"
    fake.mkdir()
    (fake / "__init__.py").write_text(
        "raise OSError(\"cannot load library 'libpango-1.0-0': no such file\")"
    )
    result = runner(PORT=str(_free_port()), PYTHONPATH=str(tmp_path))

    assert result.returncode == 1
    assert "WeasyPrint cannot load its system libraries" in result.stderr
    assert "apt-get install libpango-1.0-0 libpangoft2-1.0-0" in result.stderr


def test_find_python_explains_when_only_an_old_python_exists(tmp_path):
    old_python = tmp_path / "python3"
    old_python.write_text(
        textwrap.dedent("""\
        #!/bin/sh
        case "$*" in *version_info*) exit 1;; *) echo "Python 3.11.7";; esac
    """)
    )
    old_python.chmod(0o755)
    (tmp_path / "head").symlink_to(shutil.which("head"))

    result = subprocess.run(
        ["/bin/sh", str(BASE_DIR / "scripts" / "find-python")],
        env={"PATH": str(tmp_path)},
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 1
    assert "Python 3.12 or newer is needed" in result.stderr
    assert "only Python 3.11.7 was found" in result.stderr


@pytest.mark.parametrize("name", ["python3.12", "python3"])
def test_find_python_accepts_a_new_enough_python(tmp_path, name):
    (tmp_path / name).symlink_to(sys.executable)

    result = subprocess.run(
        ["/bin/sh", str(BASE_DIR / "scripts" / "find-python")],
        env={"PATH": str(tmp_path)},
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0
    assert result.stdout.strip().endswith(name)


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_manage_py_works_on_the_embedded_default_with_nothing_set():
    """The README's `.venv/bin/python manage.py …` on a fresh clone: no DATABASE_URL, DEBUG or
    SECRET_KEY, so the embedded development servers, as `make run` uses them."""
    result = run(
        [sys.executable, "manage.py", "check"],
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL="",
        REDIS_URL="",
    )

    assert result.returncode == 0, result.stderr[-2000:]
    assert "System check identified no issues" in result.stdout


def test_manage_py_with_debug_off_is_still_production():
    result = run(
        [sys.executable, "manage.py", "check"],
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL="",
        DEBUG="0",
    )

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_missing_system_packages_that_cannot_be_installed_are_named_in_one_line(tmp_path):
    """`make test` on a machine where the tests' Debian packages are missing and this user
    cannot install them: one line naming them, before pytest, instead of a browser traceback."""
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    for name, body in {"id": "echo 1000", "dpkg": "exit 1"}.items():
        tool = fake_bin / name
        tool.write_text(f"#!/bin/sh\n{body}\n")
        tool.chmod(0o755)
    result = run(["/bin/bash", "scripts/system-packages"], PATH=str(fake_bin))

    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "chromium" in lines[0] and "poppler-utils" in lines[0]
    assert "default-jre-headless" in lines[0]


def test_manage_py_names_a_missing_production_setting_in_one_line():
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_URL", "REDIS_URL", "LODESTAR_ALLOW_EMBEDDED"))
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        env={
            **env,
            "DEBUG": "0",
            "SECRET_KEY": "x" * 50,
            "DJANGO_SETTINGS_MODULE": "config.settings",
        },
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "lodestar: DATABASE_URL is not set (postgres://user:password@host:5432/name)."
    ]
