"""The migrations, applied to an empty database as `make run` and a new server do.

The suite's own database is made from the models (`--nomigrations`); this test runs
`manage.py migrate` in a separate process on a new database of the same kind (a SQLite file, or
a new PostgreSQL database beside the test database) and checks what the data migrations load.
`make test` also checks that the models and the migrations agree (`makemigrations --check`).
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def _migrate(url: str) -> None:
    env = {**os.environ, "DEBUG": "true", "DATABASE_URL": url}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _counts(cursor) -> tuple[int, int, int]:
    cursor.execute("SELECT COUNT(*) FROM services_service")
    services = cursor.fetchone()[0]
    cursor.execute("SELECT COUNT(*) FROM organisation_workingday")
    days = cursor.fetchone()[0]
    cursor.execute("SELECT COUNT(*) FROM django_migrations")
    applied = cursor.fetchone()[0]
    return services, days, applied


def test_every_migration_applies_to_an_empty_database_and_loads_the_reference_data(tmp_path):
    if connection.vendor == "postgresql":
        import psycopg

        params = settings.DATABASES["default"]
        name = f"srcn_migrations_{uuid.uuid4().hex[:8]}"
        admin = psycopg.connect(
            host=params["HOST"] or None,
            port=params["PORT"] or None,
            user=params["USER"],
            password=params["PASSWORD"] or None,
            dbname="postgres",
            autocommit=True,
        )
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            auth = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
            host = params["HOST"] or "localhost"
            port = params["PORT"] or 5432
            _migrate(f"postgres://{auth}@{host}:{port}/{name}")
            with psycopg.connect(
                host=params["HOST"] or None,
                port=params["PORT"] or None,
                user=params["USER"],
                password=params["PASSWORD"] or None,
                dbname=name,
            ) as new:
                cur = new.cursor()
                services, days, applied = _counts(cur)
                cur.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE '%%_trgm'")
                trigram = {row[0] for row in cur.fetchall()}
            assert trigram == {"recipient_search_trgm", "family_search_trgm", "appeal_search_trgm"}
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()
    elif connection.vendor == "sqlite":
        import sqlite3

        path = tmp_path / "migrated.sqlite3"
        _migrate(f"sqlite:///{path}")
        with sqlite3.connect(path) as new:
            services, days, applied = _counts(new.cursor())
    else:  # pragma: no cover
        pytest.skip(f"no check for {connection.vendor}")
    # The catalogue of the Order (O3) and the working days of the built-in calendar.
    assert services > 50
    assert days > 3000
    assert applied > 20
