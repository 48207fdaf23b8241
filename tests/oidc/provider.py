"""Start and stop the test OpenID Connect provider (provider.mjs, the npm package oidc-provider)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class TestProvider:
    issuer: str
    client_id: str
    client_secret: str


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def ensure_installed() -> None:
    """`npm ci` once, from the committed package-lock.json."""
    if (HERE / "node_modules" / "oidc-provider").is_dir():
        return
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        raise RuntimeError(
            "The single sign-on tests need Node.js 20+ and npm (apt-get install nodejs npm): "
            "they start a real OpenID Connect provider from tests/oidc."
        )
    subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=HERE, check=True)


def _check_node() -> str:
    node = shutil.which("node")
    version = subprocess.run([node, "--version"], capture_output=True, text=True, check=True)
    major = int(version.stdout.strip().lstrip("v").split(".")[0])
    if major < 20:
        raise RuntimeError(
            f"The test OpenID Connect provider needs Node.js 20 or later; this is {version.stdout}"
        )
    return node


@contextmanager
def running_provider(*, redirect_uri: str, accounts: dict[str, dict]) -> Iterator[TestProvider]:
    ensure_installed()
    node = _check_node()
    port = _free_port()
    provider = TestProvider(
        issuer=f"http://127.0.0.1:{port}",
        client_id="lodestar-test",
        client_secret="lodestar-test-secret-" + os.urandom(8).hex(),
    )
    env = {
        **os.environ,
        "OIDC_PORT": str(port),
        "OIDC_CLIENT_ID": provider.client_id,
        "OIDC_CLIENT_SECRET": provider.client_secret,
        "OIDC_REDIRECT_URI": redirect_uri,
        "OIDC_ACCOUNTS": json.dumps(accounts),
    }
    log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 (a file, not a pipe, which could fill)
    process = subprocess.Popen(
        [node, str(HERE / "provider.mjs")],
        cwd=HERE,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_until_up(provider, process, log)
        yield provider
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _wait_until_up(provider: TestProvider, process: subprocess.Popen, log) -> None:
    url = provider.issuer + "/.well-known/openid-configuration"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"the test OIDC provider exited:\n{log.read()}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 (loopback)
                if json.load(response).get("issuer") == provider.issuer:
                    return
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("the test OIDC provider did not answer within 20 s")
