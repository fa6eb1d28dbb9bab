"""On PostgreSQL, a trigram index for the appeals' search by any part of a text (LIKE '%…%').
SQLite has no such index and scans; nothing happens there."""

from django.db import migrations

INDEXES = [("appeal_search_trgm", "patronage_appeal")]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (search_text gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("patronage", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
