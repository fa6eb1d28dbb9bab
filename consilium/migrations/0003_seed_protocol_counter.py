"""Protocol numbers are taken from the shared yearly counter: seed it with the numbers given."""

from django.db import migrations
from django.db.models import Max


def seed(apps, schema_editor):
    Meeting = apps.get_model("consilium", "Meeting")
    YearlyCounter = apps.get_model("organisation", "YearlyCounter")
    for row in Meeting.objects.values("year").annotate(last=Max("number")):
        YearlyCounter.objects.update_or_create(
            series="protocol", year=row["year"], defaults={"last_number": row["last"]}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("consilium", "0002_meeting_attendees"),
        ("organisation", "0012_yearly_counter"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
