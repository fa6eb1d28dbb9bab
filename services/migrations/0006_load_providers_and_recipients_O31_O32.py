"""Loads who provides each service and whom a row limits it to (O31, O32) from
services/data/catalogue.json. Idempotent: matched by code, updated in place."""

import json
from pathlib import Path

from django.db import migrations

CATALOGUE = Path(__file__).resolve().parent.parent / "data" / "catalogue.json"


def load_providers(apps, schema_editor):
    Service = apps.get_model("services", "Service")
    data = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    for cat in data["categories"]:
        for item in cat["services"]:
            providers = item["providers"]
            Service.objects.filter(code=item["code"]).update(
                provider_positions=providers["positions"],
                provider_education=providers["education"] or "",
                providers_basis=providers["basis"],
                recipient_condition=item["recipients"] or "",
            )


class Migration(migrations.Migration):
    dependencies = [("services", "0005_service_providers_and_recipients_O31_O32")]
    operations = [migrations.RunPython(load_providers, migrations.RunPython.noop)]
