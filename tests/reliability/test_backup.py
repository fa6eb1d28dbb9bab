"""Backup and restore: the database and the uploaded scans together (manage.py backup /
restore). The full round trip runs on PostgreSQL: a dump restored into a fresh database finds
the same records and files."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from organisation.backup import make_backup
from tests.factories import RecipientFactory

ROOT = Path(__file__).resolve().parent.parent.parent


def test_restore_refuses_a_database_that_is_not_empty(db, tmp_path, settings):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's online backup of the in-memory test database is not exercised")
    settings.MEDIA_ROOT = tmp_path / "media"
    archive = tmp_path / "copy.tar.gz"
    call_command("backup", str(archive))
    with pytest.raises(CommandError, match="База данных не пуста"):
        call_command("restore", str(archive))


def test_a_backup_holds_the_database_the_files_and_a_manifest(db, tmp_path, settings):
    import tarfile

    if connection.vendor != "postgresql":
        pytest.skip("SQLite's online backup of the in-memory test database is not exercised")

    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "personal_files" / "1").mkdir(parents=True)
    (tmp_path / "media" / "personal_files" / "1" / "passport.pdf").write_bytes(b"%PDF scan")
    RecipientFactory(last_name="Архивов")
    manifest = make_backup(tmp_path / "copy.tar.gz")
    assert manifest["rows"]["recipients_recipient"] == 1
    assert list(manifest["files"]) == ["personal_files/1/passport.pdf"]
    with tarfile.open(tmp_path / "copy.tar.gz") as archive:
        names = set(archive.getnames())
    assert {"manifest.json", "database.dump", "media/personal_files/1/passport.pdf"} <= names


@pytest.mark.django_db(transaction=True)
def test_a_dump_restored_into_a_fresh_database_has_the_same_records_and_files(tmp_path, settings):
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump / pg_restore: PostgreSQL only")
    settings.MEDIA_ROOT = tmp_path / "media"
    scan = tmp_path / "media" / "personal_files" / "7" / "birth.pdf"
    scan.parent.mkdir(parents=True)
    scan.write_bytes(b"%PDF-1.7 birth certificate")
    child = RecipientFactory(last_name="Восстановленный")
    archive = tmp_path / "copy.tar.gz"
    call_command("backup", str(archive))

    db = settings.DATABASES["default"]
    fresh = f"srcn_restore_{uuid.uuid4().hex[:8]}"
    params = {
        k: v
        for k, v in {
            "host": db.get("HOST"),
            "port": db.get("PORT"),
            "user": db.get("USER"),
            "password": db.get("PASSWORD"),
        }.items()
        if v
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'CREATE DATABASE "{fresh}"')
    try:
        auth = db.get("USER", "") + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
        url = f"postgres://{auth}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{fresh}"
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "MEDIA_ROOT"}
        }
        env.update(DEBUG="true", DATABASE_URL=url, MEDIA_ROOT=str(tmp_path / "restored"))
        result = subprocess.run(
            [sys.executable, "manage.py", "restore", str(archive)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert "Восстановлено и проверено" in result.stdout
        with psycopg.connect(dbname=fresh, **params) as restored:
            row = restored.execute(
                "SELECT last_name FROM recipients_recipient WHERE id = %s", [child.pk]
            ).fetchone()
        assert row == ("Восстановленный",)
        copy = tmp_path / "restored" / "personal_files" / "7" / "birth.pdf"
        assert copy.read_bytes() == b"%PDF-1.7 birth certificate"
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')
