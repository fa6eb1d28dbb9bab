"""Backup and restore of the whole system: the database and the uploaded scans together.

An archive (`.tar.gz`) holds
- `database.dump` — `pg_dump --format=custom` of PostgreSQL (or a copy of the SQLite file made
  with SQLite's online backup),
- `media/` — every uploaded file under MEDIA_ROOT,
- `manifest.json` — when and from what it was made, the number of rows of every table and
  the SHA-256 of every file, so that a restore can prove it brought everything back.

`restore` refuses a database that already has tables and a MEDIA_ROOT that already has files
(restore into empty ones), then loads both and checks them against the manifest.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.utils import timezone

FORMAT_VERSION = 1


class BackupError(Exception):
    """A backup or restore that cannot be done, with the reason in Russian."""


@dataclass
class CheckResult:
    tables: int = 0
    rows: int = 0
    files: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = settings.DATABASES["default"]
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} завершился с ошибкой: {result.stderr.strip()[:2000]}")


def row_counts() -> dict[str, int]:
    """Rows of every table of the project's models (and Django's own)."""
    return {
        model._meta.db_table: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def file_digests(root: Path) -> dict[str, str]:
    digests: dict[str, str] = {}
    if not root.exists():
        return digests
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digests[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digests


def make_backup(target: Path) -> dict[str, Any]:
    """Write the archive to `target`; returns its manifest."""
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "database.dump"
        if connection.vendor == "postgresql":
            args, env = _pg_env()
            _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(dump), *args], env)
        elif connection.vendor == "sqlite":
            connection.ensure_connection()
            with sqlite3.connect(dump) as copy:
                connection.connection.backup(copy)  # type: ignore[union-attr]
        else:  # pragma: no cover - the project runs on PostgreSQL or SQLite
            raise BackupError(f"Резервная копия базы {connection.vendor} не поддерживается.")
        manifest = {
            "format": FORMAT_VERSION,
            "made_at": timezone.now().isoformat(),
            "database": connection.vendor,
            "rows": row_counts(),
            "files": file_digests(media),
        }
        (Path(tmp) / "manifest.json").write_text(
            json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".part")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(Path(tmp) / "manifest.json", arcname="manifest.json")
            archive.add(dump, arcname="database.dump")
            if media.exists():
                archive.add(media, arcname="media")
        partial.replace(target)  # a backup that failed half-way never looks complete
    return manifest


def _database_is_empty() -> bool:
    return not connection.introspection.table_names()


def restore_backup(source: Path) -> CheckResult:
    """Load the archive into the empty database and MEDIA_ROOT, then check it."""
    media = Path(settings.MEDIA_ROOT)
    if not _database_is_empty():
        raise BackupError(
            "База данных не пуста: восстановление делается в пустую базу "
            "(создайте новую и укажите её в DATABASE_URL)."
        )
    if media.exists() and any(p.is_file() for p in media.rglob("*")):
        raise BackupError(f"Каталог файлов {media} не пуст: укажите пустой MEDIA_ROOT.")
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(source, "r:gz") as archive:
        archive.extractall(tmp, filter="data")
        manifest = json.loads((Path(tmp) / "manifest.json").read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT_VERSION:
            raise BackupError("Неизвестный формат резервной копии.")
        if manifest["database"] != connection.vendor:
            raise BackupError(
                f"Копия сделана из {manifest['database']}, а восстанавливается в "
                f"{connection.vendor}."
            )
        dump = Path(tmp) / "database.dump"
        if connection.vendor == "postgresql":
            args, env = _pg_env()
            _run(["pg_restore", "--no-owner", "--exit-on-error", *args, str(dump)], env)
        else:
            connection.ensure_connection()
            with sqlite3.connect(dump) as copy:
                copy.backup(connection.connection)  # type: ignore[arg-type]
        if (Path(tmp) / "media").exists():
            shutil.copytree(Path(tmp) / "media", media, dirs_exist_ok=True)
    return check_restored(manifest)


def check_restored(manifest: dict[str, Any]) -> CheckResult:
    result = CheckResult()
    counts = row_counts()
    for table, expected in manifest["rows"].items():
        found = counts.get(table)
        if found != expected:
            result.problems.append(f"таблица {table}: в копии {expected}, восстановлено {found}")
        result.tables += 1
        result.rows += found or 0
    digests = file_digests(Path(settings.MEDIA_ROOT))
    for name, digest in manifest["files"].items():
        if digests.get(name) != digest:
            result.problems.append(f"файл {name} не восстановлен или отличается")
        else:
            result.files += 1
    return result
