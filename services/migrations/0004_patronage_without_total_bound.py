"""П.1 (social patronage): the SOP bounds each stage of a visit, not the total; the patronage
app flags overruns (P8) and the journal must still take the visit (P14)."""

from django.db import migrations


def forwards(apps, schema_editor):
    Service = apps.get_model("services", "Service")
    Service.objects.filter(code="П.1").update(max_minutes=None)


class Migration(migrations.Migration):
    dependencies = [("services", "0003_service_permissions")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
