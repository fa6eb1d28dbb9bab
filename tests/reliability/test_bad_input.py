"""No 500 from input: the cases of the reliability review, each answered with a message (or
ignored where it is a filter), never a server error."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from organisation.models import Notification, NotificationEvent
from recipients.models import Document
from tests.forms import form_data
from tests.recipients.factories import child_with_mother

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def child(dept_a):
    child, _mother = child_with_mother(dept_a, last_name="Орлов", birth_date=date(2015, 5, 20))
    return child


def test_clearing_the_family_on_the_card_does_not_break_the_card(client, specialist, child):
    """The review's case: the card became a 500 for everyone once «Семья» was cleared."""
    url = reverse("recipients:edit", args=[child.pk])
    client.force_login(specialist)
    data = form_data(client.get(url).context["form"])
    data["family"] = ""
    response = client.post(url, data)
    assert response.status_code in (200, 302, 400)
    assert client.get(reverse("recipients:detail", args=[child.pk])).status_code == 200


@pytest.mark.parametrize("value", ["²", "١٢", "9" * 30, "-1", "1 OR 1=1"])
def test_odd_ids_in_a_query_string_or_a_form_are_ignored(client, director, head, value):
    client.force_login(director)
    for url in (reverse("department_deadlines"), reverse("services:journal")):
        assert client.get(url, {"department": value}).status_code == 200
    client.force_login(head)
    note = Notification.objects.create(
        user=head,
        kind="k",
        item_key="i",
        event=NotificationEvent.OVERDUE,
        due=date(2026, 1, 1),
        message="m",
    )
    response = client.post(reverse("notifications_read"), {"id": [value, str(note.pk)]})
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.read_at is not None


@time_machine.travel(date(2026, 2, 1))
def test_a_scan_with_a_120_letter_name_is_stored(client, specialist, child):
    name = "Свидетельство" * 9 + "о.pdf"  # 120 Cyrillic letters and more: 240+ bytes
    client.force_login(specialist)
    response = client.post(
        reverse("recipients:document_add", args=[child.pk]),
        {
            "kind": "identity",
            "received_on": "01.02.2026",
            "scan": SimpleUploadedFile(name, PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code in (200, 302, 400)
    if response.status_code == 302:
        assert Document.objects.get().scan_type == "application/pdf"


def test_a_username_of_300_characters_at_the_login_is_answered(client):
    response = client.post(reverse("login"), {"username": "я" * 300, "password": "x"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_a_vertical_tab_in_a_note_does_not_break_the_register_export(client, head, child):
    child.school = "Школа\x0b№ 5"  # Word's Shift+Enter
    child.save()
    client.force_login(head)
    response = client.get(reverse("recipients:export"))
    assert response.status_code in (200, 302)
