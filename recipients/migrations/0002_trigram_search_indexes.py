"""On PostgreSQL, trigram indexes for the searches by any part of a name (LIKE '%…%'): the
register and the families of the patronage cases. SQLite has no such index; nothing happens."""

from django.db import migrations

INDEXES = [
    ("recipient_search_trgm", "recipients_recipient"),
    ("family_search_trgm", "recipients_family"),
]


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
    dependencies = [("recipients", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
