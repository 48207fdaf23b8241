"""`manage.py backup` and `manage.py restore` against the real PostgreSQL: a round trip into a new
empty database gives the same missions and byte-identical documents; bad archives and non-empty
databases are refused with one line, and nothing is half-restored."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from backups.archive import BackupError, find_tool
from conftest import BASE_DIR
from documents import services as documents
from documents.models import DocumentStatus, GeneratedDocument
from missions import exchange
from missions.apps import DEMO_FIXTURE

pytestmark = pytest.mark.django_db(transaction=True)


def _server_url(name: str) -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{name}"


@pytest.fixture
def empty_database() -> Iterator[str]:
    """A new, empty database on the tests' PostgreSQL; dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restore_{os.getpid()}"
    with psycopg.connect(_server_url("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with psycopg.connect(_server_url("postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(*args: str, database: str, media: Path) -> subprocess.CompletedProcess:
    """`manage.py …` as an operator runs it, against `database` and `media`."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": "lodestar-backup-tests-only-0123456789abcdefghij",
        "DATABASE_URL": _server_url(database),
        "REDIS_URL": os.environ.get("TEST_REDIS_URL") or "redis://127.0.0.1:6379/15",
        "MEDIA_ROOT": str(media),
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env=env,
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=180,
    )


def table_count(database: str) -> int:
    with psycopg.connect(_server_url(database)) as conn:
        return conn.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        ).fetchone()[0]


def files_under(root: Path) -> dict[str, bytes]:
    if not root.exists():
        return {}
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def installation(organisation, member, media, monkeypatch):
    """The demo missions (with targets, projects, canvas…) and a canvas PDF rendered into
    MEDIA_ROOT, as a worker would."""
    from documents.tasks import render_document_task

    monkeypatch.setattr(render_document_task, "delay", lambda *args, **kwargs: None)
    exchange.import_file(DEMO_FIXTURE, organisation=organisation)
    mission = organisation.missions.order_by("key").first()
    document = documents.document_request(
        by=member("editor"), organisation=organisation, kind="canvas", missions=[mission.key]
    )
    documents.document_render(document_id=document.pk)
    document.refresh_from_db()
    assert document.status == DocumentStatus.DONE
    return organisation


@pytest.fixture
def archive(installation, tmp_path) -> Path:
    path = tmp_path / "lodestar.tar.gz"
    call_command("backup", "--out", str(path))
    return path


def without_timestamp(document: dict) -> dict:
    return {k: v for k, v in document.items() if k != "exported_at"}


def test_a_backup_restored_into_a_new_database_gives_the_same_missions_and_documents(
    installation, archive, media, empty_database, tmp_path
):
    exported = exchange.export_document(organisation=installation)
    assert len(exported["missions"]) >= 3
    originals = files_under(media)
    assert any(name.endswith(".pdf") for name in originals)

    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["format"] == "lodestar.backup/1"
    assert manifest["created_at"] and manifest["lodestar_version"]
    assert "0001_initial" in manifest["migrations"]["missions"]
    assert {entry["path"] for entry in manifest["media"]} == set(originals)

    restored_media = tmp_path / "restored-media"
    result = manage("restore", str(archive), database=empty_database, media=restored_media)
    assert result.returncode == 0, result.stderr

    result = manage("export_missions", "--org", installation.slug, database=empty_database,
                    media=restored_media)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert without_timestamp(json.loads(result.stdout)) == without_timestamp(exported)
    assert files_under(restored_media) == originals  # byte for byte
    with psycopg.connect(_server_url(empty_database)) as conn:
        rows = conn.execute("SELECT status, file FROM documents_generateddocument").fetchall()
    assert rows == list(GeneratedDocument.objects.values_list("status", "file"))


def test_restore_refuses_a_database_that_is_not_empty(archive, installation):
    missions = installation.missions.count()

    with pytest.raises(CommandError, match=r"is not empty .* pass --force"):
        call_command("restore", str(archive))

    assert installation.missions.count() == missions


def test_restore_of_a_missing_file_exits_1_with_one_line(tmp_path):
    result = manage(
        "restore", str(tmp_path / "nothing.tar.gz"), database="postgres", media=tmp_path
    )

    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"CommandError: No backup file at {tmp_path / 'nothing.tar.gz'}."
    ]


def _rewrite(archive: Path, out: Path, change) -> Path:
    """A copy of `archive` with `change(name, data) -> data` applied to every member."""
    with tarfile.open(archive) as source, tarfile.open(out, "w:gz") as target:
        for member in source.getmembers():
            data = change(member.name, source.extractfile(member).read())
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    return out


def test_bad_archives_exit_1_and_leave_the_database_and_documents_untouched(
    archive, empty_database, tmp_path
):
    garbage = tmp_path / "garbage.tar.gz"
    garbage.write_bytes(b"\x1f\x8b this is not a backup at all" * 10)
    tampered = _rewrite(
        archive,
        tmp_path / "tampered.tar.gz",
        lambda name, data: data[:-10] + b"0123456789" if name.endswith(".pdf") else data,
    )

    def truncate_dump(name: str, data: bytes) -> bytes:
        # Half a dump, with a manifest that vouches for it: only pg_restore can notice.
        if name == "database.dump":
            return data[: len(data) // 2]
        if name == "manifest.json":
            import hashlib

            manifest = json.loads(data)
            with tarfile.open(archive) as tar:
                dump = tar.extractfile("database.dump").read()
            manifest["database"]["sha256"] = hashlib.sha256(dump[: len(dump) // 2]).hexdigest()
            return json.dumps(manifest).encode()
        return data

    truncated = _rewrite(archive, tmp_path / "truncated.tar.gz", truncate_dump)
    media = tmp_path / "restored-media"

    for bad, message in [
        (garbage, "is not a readable Lodestar backup"),
        (tampered, "is damaged: media/documents/"),
        (truncated, "pg_restore failed"),
    ]:
        result = manage("restore", str(bad), database=empty_database, media=media)

        assert result.returncode == 1, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and message in lines[0], lines
        assert table_count(empty_database) == 0  # nothing half-restored
        assert files_under(media) == {}


def test_no_client_program_new_enough_is_one_clear_line():
    with pytest.raises(BackupError) as error:
        find_tool("pg_dump", 99)

    assert str(error.value).startswith("No pg_dump of PostgreSQL 99 or newer (have: ")
    assert "\n" not in str(error.value)
