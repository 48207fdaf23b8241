"""Back up and restore a Lodestar installation: the PostgreSQL database (pg_dump's custom format)
and every file under MEDIA_ROOT (the generated documents), in one .tar.gz with a manifest.

Archive layout:

    manifest.json    format, Lodestar version, created_at, server and pg_dump versions, the
                     applied migrations, and a SHA-256 for the dump and for every media file
    database.dump    pg_dump --format=custom
    media/...        MEDIA_ROOT, file by file

A restore checks everything before it changes anything: the archive reads, every checksum
matches, the code knows every migration the backup has, the database is empty (or --force).
The database is restored in one transaction (pg_restore --single-transaction), so a failure
leaves it as it was; the media files are written only after that, each atomically.

Every problem is a `BackupError` with a one-line message for the person at the terminal.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import warnings
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from missions.exchange.bulk import analyze

FORMAT = "lodestar.backup/1"
MANIFEST = "manifest.json"
DUMP = "database.dump"
MEDIA = "media/"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore cannot go ahead; the message is one line."""


@dataclass(frozen=True)
class Tool:
    path: Path
    major: int


# --- PostgreSQL client programs ----------------------------------------------------------------


def _candidate_dirs() -> list[Path]:
    dirs = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    try:
        with warnings.catch_warnings():
            # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); only the
            # binaries' folder is wanted here.
            warnings.simplefilter("ignore")
            from pgserver._commands import POSTGRES_BIN_PATH  # the `embedded` extra's server

        dirs.append(Path(POSTGRES_BIN_PATH))
    except Exception:  # noqa: S110 - not installed (production images), or it cannot load
        pass
    extra = os.environ.get("LODESTAR_PG_BIN")  # a folder of one's own, tried first
    return ([Path(extra)] if extra else []) + dirs


def _version(program: Path) -> int | None:
    try:
        out = subprocess.run(  # noqa: S603 - a PostgreSQL program we found, no user input
            [str(program), "--version"], capture_output=True, text=True, timeout=10, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"\b(\d+)(?:\.\d+)?", out)
    return int(match.group(1)) if match else None


def find_tool(name: str, at_least: int) -> Tool:
    """The newest `name` (pg_dump, pg_restore) whose major version is at least `at_least`:
    pg_dump refuses servers newer than itself, pg_restore archives from a newer pg_dump."""
    found: dict[Path, int] = {}
    paths = [d / name for d in _candidate_dirs()]
    on_path = shutil.which(name)
    if on_path:
        paths.append(Path(on_path))
    for path in paths:
        resolved = path.resolve()
        if resolved in found or not resolved.is_file():
            continue
        major = _version(resolved)
        if major is not None:
            found[resolved] = major
    usable = [Tool(path, major) for path, major in found.items() if major >= at_least]
    if not usable:
        have = ", ".join(f"{p} ({v})" for p, v in sorted(found.items())) or "none found"
        raise BackupError(
            f"No {name} of PostgreSQL {at_least} or newer (have: {have}); install "
            f"postgresql-client-{at_least} or set LODESTAR_PG_BIN to its bin folder."
        )
    return max(usable, key=lambda tool: tool.major)


def _server_major() -> tuple[int, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('server_version_num')::int, version()")
        number, text = cursor.fetchone()
    return number // 10000, text.split(",")[0]


def _pg_env_and_args() -> tuple[dict[str, str], list[str]]:
    """Connection options for the client programs, from Django's own settings (the password
    goes in the environment, never on the command line)."""
    db = connection.settings_dict
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return env, [*args, "--dbname", str(db["NAME"])]


def _run(args: list[str], env: dict[str, str], what: str) -> None:
    # pg_dump / pg_restore with Django's own connection settings; no shell.
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
        reason = lines[0] if lines else f"exit status {result.returncode}"
        raise BackupError(f"{what} failed: {reason}")


# --- Backup --------------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _lodestar_version() -> str:
    try:
        return metadata.version("lodestar")
    except metadata.PackageNotFoundError:
        return "unknown"


def _media_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file() and not p.is_symlink() and not p.name.startswith(".")
    )


def backup(out: Path) -> dict[str, Any]:
    """Write the archive to `out` (via a temporary file beside it, so `out` is either the
    whole archive or untouched). Returns the manifest."""
    major, server = _server_major()
    pg_dump = find_tool("pg_dump", major)
    media_root = Path(settings.MEDIA_ROOT)
    out = out.resolve()
    if not out.parent.is_dir():
        raise BackupError(f"The folder {out.parent} does not exist.")
    with tempfile.TemporaryDirectory(prefix="lodestar-backup-") as work:
        dump = Path(work) / DUMP
        env, conn_args = _pg_env_and_args()
        _run(
            [
                str(pg_dump.path),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                *("--file", str(dump)),
                *conn_args,
            ],
            env,
            "pg_dump",
        )
        files = _media_files(media_root)
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "lodestar_version": _lodestar_version(),
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "database": {
                "file": DUMP,
                "sha256": _sha256(dump),
                "size": dump.stat().st_size,
                "server": server,
                "pg_dump_major": pg_dump.major,
            },
            "migrations": _applied_migrations(),
            "media": [
                {
                    "path": p.relative_to(media_root).as_posix(),
                    "sha256": _sha256(p),
                    "size": p.stat().st_size,
                }
                for p in files
            ],
        }
        partial = out.with_name(f".{out.name}.partial")
        try:
            with tarfile.open(partial, "w:gz") as tar:
                data = json.dumps(manifest, indent=2).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(data)
                info.mtime = int(datetime.datetime.now(datetime.UTC).timestamp())
                tar.addfile(info, io.BytesIO(data))
                tar.add(dump, arcname=DUMP)
                for p, entry in zip(files, manifest["media"], strict=True):
                    tar.add(p, arcname=MEDIA + entry["path"])
            os.replace(partial, out)
        finally:
            partial.unlink(missing_ok=True)
    return manifest


# --- Restore -------------------------------------------------------------------------------------


def _safe_relative(name: str) -> bool:
    path = Path(name)
    return not path.is_absolute() and ".." not in path.parts and name == path.as_posix()


def _unpack(archive: Path, into: Path) -> dict[str, Any]:
    """Extract and verify the archive into `into`; returns its manifest. Nothing outside
    `into` is written, whatever the archive holds."""
    if not archive.is_file():
        raise BackupError(f"No backup file at {archive}.")
    try:
        with tarfile.open(archive, "r:gz") as tar:
            members = tar.getmembers()
            manifest_member = next((m for m in members if m.name == MANIFEST), None)
            if manifest_member is None:
                raise BackupError(f"{archive} is not a Lodestar backup: it has no {MANIFEST}.")
            handle = tar.extractfile(manifest_member)
            manifest = json.loads(handle.read() if handle else b"")
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                raise BackupError(f"{archive} is not a Lodestar backup ({FORMAT}).")
            expected = {DUMP: manifest["database"]["sha256"]} | {
                MEDIA + entry["path"]: entry["sha256"] for entry in manifest["media"]
            }
            for name in expected:
                if not _safe_relative(name):
                    raise BackupError(f"{archive} names a file outside the backup: {name}.")
            wanted = [m for m in members if m.name in expected and m.isfile()]
            tar.extractall(into, members=wanted, filter="data")
    except BackupError:
        raise
    except (tarfile.TarError, OSError, EOFError, ValueError, KeyError, TypeError) as exc:
        raise BackupError(
            f"{archive} is not a readable Lodestar backup ({type(exc).__name__})."
        ) from None
    for name, digest in expected.items():
        path = into / name
        if not path.is_file():
            raise BackupError(f"{archive} is incomplete: {name} is missing.")
        if _sha256(path) != digest:
            raise BackupError(f"{archive} is damaged: {name} does not match its checksum.")
    return manifest


def _unknown_migrations(manifest: dict[str, Any]) -> list[str]:
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return [
        f"{app}.{name}"
        for app, names in manifest.get("migrations", {}).items()
        for name in names
        if (app, name) not in known
    ]


def _table_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname NOT IN "
            "('pg_catalog', 'information_schema')"
        )
        return int(cursor.fetchone()[0])


def _place_media(source: Path, media_root: Path, entries: list[dict[str, Any]]) -> None:
    for entry in entries:
        target = media_root / entry["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.partial")
        shutil.copyfile(source / entry["path"], partial)
        os.replace(partial, target)


def restore(archive: Path, *, force: bool = False) -> dict[str, Any]:
    """Restore the archive into the configured database and MEDIA_ROOT. Returns the manifest."""
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="lodestar-restore-") as work:
        manifest = _unpack(archive, Path(work))
        unknown = _unknown_migrations(manifest)
        if unknown:
            raise BackupError(
                f"This backup is from a newer Lodestar ({manifest.get('lodestar_version')}): "
                f"this code does not know the migration {unknown[0]}. Upgrade Lodestar first."
            )
        tables = _table_count()
        name = connection.settings_dict["NAME"]
        if tables and not force:
            raise BackupError(
                f"The database {name} is not empty ({tables} tables). Restore into an empty "
                "database, or pass --force to replace everything in it."
            )
        major, _server = _server_major()
        pg_restore = find_tool(
            "pg_restore", max(major, int(manifest["database"].get("pg_dump_major", 0)))
        )
        env, conn_args = _pg_env_and_args()
        connection.close()  # pg_restore --clean must not wait on our own session's locks
        args = [str(pg_restore.path), "--no-owner", "--no-privileges", "--exit-on-error"]
        args += ["--single-transaction"]
        if tables:
            args += ["--clean", "--if-exists"]
        _run([*args, *conn_args, str(Path(work) / DUMP)], env, "pg_restore")
        # A restored database has no planner statistics (pg_dump carries none): every table
        # was just filled in bulk, so all of them.
        analyze()
        _place_media(Path(work) / "media", media_root, manifest["media"])
    return manifest
