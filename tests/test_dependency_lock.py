"""The environment runs exactly what requirements.lock pins, and the lock covers pyproject."""

import re
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

BASE_DIR = Path(__file__).resolve().parent.parent


def _locked(name: str = "requirements.lock") -> dict[str, tuple[str, int]]:
    """name → (version, number of hashes) for every package in a lock file."""
    text = (BASE_DIR / name).read_text()
    locked = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        head = re.match(r"([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==([^\s\\;]+)", block)
        if head:
            locked[canonicalize_name(head.group(1))] = (
                head.group(2),
                block.count("--hash=sha256:"),
            )
    return locked


def _declared(*, extras: bool = True) -> list[Requirement]:
    project = tomllib.loads((BASE_DIR / "pyproject.toml").read_text())["project"]
    lines = list(project["dependencies"])
    if extras:
        for extra in project["optional-dependencies"].values():
            lines.extend(extra)
    return [Requirement(line) for line in lines]


def test_every_declared_dependency_is_pinned_with_hashes_within_its_range():
    locked = _locked()
    problems = []
    for requirement in _declared():
        name = canonicalize_name(requirement.name)
        if name not in locked:
            problems.append(f"{requirement.name} is not in requirements.lock (run make lock)")
            continue
        pinned, hashes = locked[name]
        if not requirement.specifier.contains(pinned, prereleases=True):
            problems.append(f"{requirement.name}=={pinned} is outside {requirement.specifier}")
        if hashes == 0:
            problems.append(f"{requirement.name} has no hash")
    assert not problems, "\n".join(problems)


def test_every_package_in_the_lock_has_a_hash_and_is_the_installed_version():
    locked = _locked()
    assert len(locked) > 50  # the parse found the file's packages, not a stray line
    problems = []
    for name, (pinned, hashes) in sorted(locked.items()):
        if hashes == 0:
            problems.append(f"{name} has no hash")
        try:
            installed = version(name)
        except PackageNotFoundError:
            problems.append(f"{name}=={pinned} is locked but not installed")
            continue
        if installed != pinned:
            problems.append(f"{name}: installed {installed}, locked {pinned}")
    assert not problems, "\n".join(problems)


def test_the_deployment_lock_pins_the_main_dependencies_as_the_full_lock_does():
    """The Dockerfile installs requirements-deploy.lock: the same versions, without the extras."""
    full, deploy = _locked(), _locked("requirements-deploy.lock")
    problems = []
    for requirement in _declared(extras=False):
        name = canonicalize_name(requirement.name)
        if name not in deploy:
            problems.append(f"{requirement.name} is not in requirements-deploy.lock")
    for name, (pinned, hashes) in sorted(deploy.items()):
        if hashes == 0:
            problems.append(f"{name} has no hash in requirements-deploy.lock")
        if name in full and full[name][0] != pinned:
            problems.append(
                f"{name}: {pinned} for deployment, {full[name][0]} in requirements.lock"
            )
    for dev_only in ("pytest", "ruff", "playwright", "pgserver"):
        if dev_only in deploy:
            problems.append(f"{dev_only} is a development package, not for deployment")
    assert not problems, "\n".join(problems)
