"""Appeal numbers move to the shared yearly counter (organisation.YearlyCounter)."""

from django.db import migrations


def copy_counters(apps, schema_editor):
    Old = apps.get_model("patronage", "RegistrationCounter")
    YearlyCounter = apps.get_model("organisation", "YearlyCounter")
    for old in Old.objects.all():
        counter, _ = YearlyCounter.objects.get_or_create(series="appeal", year=old.year)
        counter.last_number = max(counter.last_number, old.last_number)
        counter.save(update_fields=["last_number"])


class Migration(migrations.Migration):
    dependencies = [
        ("patronage", "0005_user_texts_without_rule_ids"),
        ("organisation", "0012_yearly_counter"),
    ]

    operations = [
        migrations.RunPython(copy_counters, migrations.RunPython.noop),
        migrations.DeleteModel(name="RegistrationCounter"),
    ]
