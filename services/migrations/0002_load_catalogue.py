"""Loads the service catalogue of the Order (O3, O29) from services/data/catalogue.json, with who
provides each service and whom a row limits it to (O31, O32).

Idempotent: categories and services are matched by code and updated in place, so re-running
after a correction of the data file brings the database in line without touching records that
refer to the services.
"""

import json
from pathlib import Path

from django.db import migrations

CATALOGUE = Path(__file__).resolve().parent.parent / "data" / "catalogue.json"


def load_catalogue(apps, schema_editor):
    ServiceCategory = apps.get_model("services", "ServiceCategory")
    Service = apps.get_model("services", "Service")
    data = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    for cat in data["categories"]:
        category, _ = ServiceCategory.objects.update_or_create(
            code=cat["code"],
            defaults={
                "name": cat["name"],
                "kind": cat["kind"],
                "position": cat["position"],
                "source": cat["source"],
            },
        )
        by_code = {}
        for position, item in enumerate(cat["services"], start=1):
            frequency = item["frequency"] or {}
            service, _ = Service.objects.update_or_create(
                code=item["code"],
                defaults={
                    "category": category,
                    "parent": by_code.get(item["parent"]) if item["parent"] else None,
                    "position": position,
                    "name": item["name"],
                    "is_leaf": item["is_leaf"],
                    "unit": item["unit"] or "",
                    "min_minutes": item["min_minutes"],
                    "max_minutes": item["max_minutes"],
                    "frequency_count": frequency.get("count"),
                    "frequency_per": frequency.get("per", ""),
                    "frequency_text": frequency.get("text", ""),
                    "as_needed": item["as_needed"],
                    "min_age": item["min_age"],
                    "max_age": item["max_age"],
                    "form": item["form"],
                    "escort_limit": item["escort_limit"],
                    "description": item["description"],
                    "provider_positions": item["providers"]["positions"],
                    "provider_education": item["providers"]["education"] or "",
                    "providers_basis": item["providers"]["basis"],
                    "recipient_condition": item["recipients"] or "",
                },
            )
            by_code[item["code"]] = service


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load_catalogue, migrations.RunPython.noop),
    ]
