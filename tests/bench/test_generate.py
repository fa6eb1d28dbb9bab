"""The data generator of bench/ writes only to a PostgreSQL database of its own."""

from __future__ import annotations

import importlib.util
import os
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
assert _spec and _spec.loader
generate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(generate)

PG = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def test_it_refuses_a_database_that_is_not_postgresql():
    with pytest.raises(generate.Refused, match="PostgreSQL"):
        generate.prepare_database("sqlite:///bench.sqlite3", recreate=False, configured_url="")


def test_it_refuses_a_name_without_bench():
    with pytest.raises(generate.Refused, match="bench"):
        generate.prepare_database(
            "postgres://postgres@127.0.0.1:5432/srcn", recreate=False, configured_url=""
        )


def test_it_refuses_the_database_of_database_url():
    url = "postgres://postgres@127.0.0.1:5432/srcn_bench"
    with pytest.raises(generate.Refused, match="DATABASE_URL"):
        generate.prepare_database(
            url, recreate=True, configured_url=url.replace("postgres:", "postgresql:")
        )


@pytest.mark.skipif(not PG, reason="needs the PostgreSQL server of DATABASE_URL")
def test_it_refuses_an_existing_database_it_did_not_create():
    import psycopg

    name = f"foreign_bench_{uuid.uuid4().hex[:8]}"
    base = os.environ["DATABASE_URL"]
    admin_url = generate._libpq(generate._with_db(base, "postgres"))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            with pytest.raises(generate.Refused, match="не генератором"):
                generate.prepare_database(
                    generate._with_db(base, name), recreate=True, configured_url=base
                )
        finally:
            admin.execute(f'DROP DATABASE "{name}"')
