"""Fill the normalised search column (lower case, «ё» as «е») for recipients already stored."""

import re

from django.db import migrations


def normalise(text):
    return " ".join(text.lower().replace("ё", "е").split())


def fill(apps, schema_editor):
    Recipient = apps.get_model("recipients", "Recipient")
    for r in Recipient.objects.select_related("family").iterator():
        family = r.family.name if r.family_id else ""
        digits = re.sub(r"\D", "", r.snils or "")
        text = normalise(" ".join([r.last_name, r.first_name, r.patronymic, family, digits]))
        if text != r.search_text:
            Recipient.objects.filter(pk=r.pk).update(search_text=text)


class Migration(migrations.Migration):
    dependencies = [("recipients", "0002_personal_file_consent_enrolment_orders")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
