# The director's orders moved to their own app, `orders` (nothing was deployed yet, so no data
# is carried over: `orders.0001_initial` creates the table anew).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("recipients", "0006_merge_0004_circumstance_change_0005_quality_survey_O5"),
    ]

    operations = [
        migrations.DeleteModel(name="HistoricalOrder"),
        migrations.DeleteModel(name="Order"),
    ]
