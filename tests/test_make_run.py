"""`make run` end to end: embedded servers, demo data, a worker and the web server — and Ctrl-C
stops every process it started."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import psutil

from conftest import BASE_DIR


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(url, runner, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert runner.poll() is None, f"the runner exited early:\n{runner.stdout.read()}"
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                return response.status, response.read().decode()
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"{url} did not answer within {timeout} s")


def test_make_run_serves_the_sign_in_page_and_ctrl_c_stops_everything(tmp_path):
    port = _free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DATABASE_URL",
            "REDIS_URL",
            "SECRET_KEY",
            "DEBUG",
            "DJANGO_SETTINGS_MODULE",
            "LODESTAR_ALLOW_EMBEDDED",
        }
    }
    # A data folder of its own, so this run never touches the developer's .data/.
    data = tmp_path / "data"
    data.mkdir()
    data.chmod(0o755)
    tmp_path.chmod(0o755)
    env.update(PORT=str(port), LODESTAR_DATA_DIR=str(data))
    runner = subprocess.Popen(
        [sys.executable, "-m", "config.runner"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        status, page = _wait_for(f"http://127.0.0.1:{port}/sign-in/", runner)
        assert status == 200
        assert "Sign in to Lodestar" in page
        _, health = _wait_for(f"http://127.0.0.1:{port}/healthz", runner)
        started = {p.pid for p in psutil.Process(runner.pid).children(recursive=True)}
        started |= {
            p.pid
            for p in psutil.process_iter(["cmdline"])
            if str(data) in " ".join(p.info["cmdline"] or [])
        }
        assert len(started) >= 4  # web, worker (and its pool), Redis, PostgreSQL

        runner.send_signal(signal.SIGINT)
        output, _ = runner.communicate(timeout=60)
    finally:
        if runner.poll() is None:
            runner.kill()

    assert runner.returncode == 0
    assert "demo sign-ins" in output
    assert '"status": "ok"' in health
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(
        psutil.pid_exists(pid) and psutil.Process(pid).status() != "zombie" for pid in started
    ):
        time.sleep(0.5)
    left = [
        pid
        for pid in started
        if psutil.pid_exists(pid) and psutil.Process(pid).status() != "zombie"
    ]
    assert left == [], f"processes left behind: {left}"
