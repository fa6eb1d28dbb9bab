"""The search texts of children and families keep the family's surname part only («Семья
Ивановых» → «ивановых»): a register search «сем» no longer matches every child. The texts are
rebuilt here with the same helper the models use."""

from django.db import migrations

from recipients.models.people import family_search_text, recipient_search_text

BATCH = 1000


def rebuild(apps, schema_editor):
    Family = apps.get_model("recipients", "Family")
    Recipient = apps.get_model("recipients", "Recipient")
    names = {}
    families = []
    for family in Family.objects.only("pk", "name", "address").iterator(chunk_size=BATCH):
        names[family.pk] = family.name
        family.search_text = family_search_text(family.name, family.address)
        families.append(family)
    Family.objects.bulk_update(families, ["search_text"], batch_size=BATCH)
    children = []
    fields = ("pk", "last_name", "first_name", "patronymic", "snils", "family_id")
    for child in Recipient.objects.only(*fields).iterator(chunk_size=BATCH):
        child.search_text = recipient_search_text(
            child.last_name,
            child.first_name,
            child.patronymic,
            names.get(child.family_id, ""),
            child.snils,
        )
        children.append(child)
    Recipient.objects.bulk_update(children, ["search_text"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [("recipients", "0004_sane_dates")]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
