from django.db import migrations


def fill(apps, schema_editor):
    from organisation.calendar import table_days

    CalendarDay = apps.get_model("organisation", "CalendarDay")
    WorkingDay = apps.get_model("organisation", "WorkingDay")
    corrections = dict(CalendarDay.objects.values_list("date", "is_working"))
    WorkingDay.objects.all().delete()
    WorkingDay.objects.bulk_create(
        [WorkingDay(date=d, is_working=w, number=n) for d, w, n in table_days(corrections)],
        batch_size=2000,
    )


class Migration(migrations.Migration):
    dependencies = [("organisation", "0001_initial")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
