"""Carry the card access log of recipients/ into the one access log (issue 11)."""

from django.db import migrations

KIND = {"card": "card", "document": "document", "print": "print", "export": "export"}


def copy(apps, schema_editor):
    Old = apps.get_model("recipients", "AccessLog")
    New = apps.get_model("organisation", "AccessLog")
    if New.objects.exists():
        return  # already copied
    rows = [
        New(
            created_at=old.created_at,
            user_id=old.user_id,
            kind=KIND.get(old.kind, "page"),
            record=f"recipients.recipient:{old.recipient_id}",
            recipient_id=old.recipient_id,
            department_id=old.recipient.department_id,
            detail=old.detail,
        )
        for old in Old.objects.select_related("recipient").order_by("pk").iterator()
    ]
    New.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("organisation", "0010_access_log"),
        ("recipients", "0002_personal_file_consent_enrolment_orders"),
    ]

    operations = [migrations.RunPython(copy, migrations.RunPython.noop)]
