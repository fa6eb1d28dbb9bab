"""Order numbers are taken from the shared yearly counter: seed it with the numbers given."""

from django.db import migrations
from django.db.models import Max


def seed(apps, schema_editor):
    Order = apps.get_model("orders", "Order")
    YearlyCounter = apps.get_model("organisation", "YearlyCounter")
    rows = Order.objects.filter(number__isnull=False).values("year").annotate(last=Max("number"))
    for row in rows:
        YearlyCounter.objects.update_or_create(
            series="order", year=row["year"], defaults={"last_number": row["last"]}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0001_initial"),
        ("organisation", "0012_yearly_counter"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
