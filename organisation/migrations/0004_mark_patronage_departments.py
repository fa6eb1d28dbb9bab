"""P12: the day-stay department and the rehabilitation department do social patronage."""

from django.db import migrations
from django.db.models import Q

PATRONAGE_NAME_PARTS = ("дневного пребывания", "реабилитации")


def mark(apps, schema_editor):
    Department = apps.get_model("organisation", "Department")
    match = Q()
    for part in PATRONAGE_NAME_PARTS:
        match |= Q(name__icontains=part)
    Department.objects.filter(match).update(does_patronage=True)


class Migration(migrations.Migration):
    dependencies = [("organisation", "0003_department_does_patronage")]

    operations = [migrations.RunPython(mark, migrations.RunPython.noop)]
