"""The personal file: the §5.1 checklist (O13, O27), «копия верна» (O28), scans."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from organisation.models import AccessKind, AccessLog
from recipients import actions, selectors
from recipients.models import CHECKLIST, MAX_SCAN_SIZE, Document
from tests.recipients.factories import child_with_mother

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


@pytest.fixture
def child(dept_a):
    return child_with_mother(dept_a, last_name="Орлов")[0]


def test_missing_documents_name_every_item_of_the_checklist_O13_O27(child, specialist):
    missing = selectors.missing_documents(child)
    assert len(missing) == len(CHECKLIST) == 8
    assert "нет документа: СНИЛС" in missing
    assert "нет документа: Акт обследования жилищно-бытовых условий семьи" in missing
    actions.add_document(
        recipient=child, kind="snils", received_on=date(2026, 1, 12), added_by=specialist
    )
    missing = selectors.missing_documents(child)
    assert "копия не заверена «копия верна»: СНИЛС" in missing  # O28
    assert len(missing) == 8


def test_certification_records_position_name_date_and_who_O28(child, psychologist):
    doc = actions.add_document(
        recipient=child, kind="oms_policy", received_on=date(2026, 1, 12), added_by=psychologist
    )
    actions.certify_document(
        document=doc, certified_by=psychologist, certified_on=date(2026, 1, 13)
    )
    doc.refresh_from_db()
    assert doc.certified_by == psychologist
    assert doc.certified_position == "Психолог"
    assert doc.certified_name == "Д. А. Соколов"
    assert doc.certification_text == "Копия верна. Психолог Д. А. Соколов, 13.01.2026"
    assert "нет документа: Полис ОМС" not in selectors.missing_documents(child)
    assert not any("Полис ОМС" in m for m in selectors.missing_documents(child))


def test_a_certified_copy_is_not_certified_twice(child, specialist):
    from django.core.exceptions import ValidationError

    doc = actions.add_document(
        recipient=child,
        kind="snils",
        received_on=date(2026, 1, 12),
        added_by=specialist,
        certify=True,
    )
    with pytest.raises(ValidationError):
        actions.certify_document(document=doc, certified_by=specialist, certified_on=date.today())


def test_completeness_indicator_on_the_card(client, specialist, child):
    client.force_login(specialist)
    body = client.get(reverse("recipients:detail", args=[child.pk])).content.decode()
    assert "Не хватает 8 документов" in body
    for kind in CHECKLIST:
        actions.add_document(
            recipient=child,
            kind=kind,
            received_on=date(2026, 1, 12),
            added_by=specialist,
            certify=True,
        )
    body = client.get(reverse("recipients:detail", args=[child.pk])).content.decode()
    assert "Личное дело укомплектовано" in body


@time_machine.travel(date(2026, 2, 1))
@pytest.mark.parametrize(
    ("name", "suffix"),
    [
        ("скан.html", ".png"),  # the name lies: the file is a PNG
        ("../../../etc/скан.php", ".png"),
        ("скан." + "x" * 240, ".png"),  # a suffix longer than the stored name may be
        ("скан", ".png"),
    ],
)
def test_a_scan_is_stored_with_the_suffix_of_its_content_not_of_its_name(
    client, specialist, child, name, suffix, django_capture_on_commit_callbacks
):
    client.force_login(specialist)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("recipients:document_add", args=[child.pk]),
            {
                "kind": "identity",
                "received_on": "01.02.2026",
                "scan": SimpleUploadedFile(name, PNG),
            },
        )
    assert response.status_code == 302
    doc = Document.objects.get()
    assert Path(doc.scan.name).suffix == suffix
    assert Path(doc.scan.path).is_relative_to(Path(settings.MEDIA_ROOT) / "personal_files")
    assert ".." not in doc.scan_name and "/" not in doc.scan_name


@time_machine.travel(date(2026, 2, 1))
@pytest.mark.parametrize(
    ("content", "name", "content_type"),
    [
        (PDF, "скан.pdf", "application/pdf"),
        (PNG, "s.png", "image/png"),
        (JPEG, "s.jpg", "image/jpeg"),
    ],
)
def test_scan_is_uploaded_stored_under_media_root_and_served_by_the_scoped_view(
    client,
    specialist,
    specialist_b,
    child,
    content,
    name,
    content_type,
    django_capture_on_commit_callbacks,
):
    client.force_login(specialist)
    with django_capture_on_commit_callbacks(execute=True):  # the scan is written on commit
        response = client.post(
            reverse("recipients:document_add", args=[child.pk]),
            {
                "kind": "identity",
                "received_on": "01.02.2026",
                "scan": SimpleUploadedFile(name, content, content_type="application/octet-stream"),
                "certify": "on",
            },
        )
    assert response.status_code == 302
    doc = Document.objects.get()
    assert doc.scan_type == content_type
    assert doc.is_certified and doc.certified_by == specialist
    path = Path(doc.scan.path)
    assert path.is_relative_to(Path(settings.MEDIA_ROOT)) and path.read_bytes() == content
    assert name not in doc.scan.name  # the stored name is never the uploaded one

    scan_url = reverse("recipients:document_scan", args=[doc.pk])
    response = client.get(scan_url)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Cache-Control"] == "no-store"
    assert b"".join(response.streaming_content) == content
    assert AccessLog.objects.filter(kind=AccessKind.DOCUMENT, user=specialist).exists()

    client.force_login(specialist_b)
    assert client.get(scan_url).status_code == 404
    assert client.get("/media/" + doc.scan.name).status_code == 404  # never served directly


@time_machine.travel(date(2026, 2, 1))
@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"MZ\x90\x00 this is an exe", "scan.pdf", "только PDF, JPEG или PNG"),  # name lies
        (b"<html>hello</html>", "scan.png", "только PDF, JPEG или PNG"),
        (b"", "empty.pdf", "пуст"),
    ],
)
def test_scan_of_a_wrong_type_is_refused_in_russian(
    client, specialist, child, content, name, message
):
    client.force_login(specialist)
    response = client.post(
        reverse("recipients:document_add", args=[child.pk]),
        {
            "kind": "identity",
            "received_on": "01.02.2026",
            "scan": SimpleUploadedFile(name, content),
        },
    )
    assert response.status_code == 200
    assert message in str(response.context["form"].errors["scan"])
    assert not Document.objects.exists()


def test_scan_over_the_size_limit_is_refused(client, specialist, child):
    """Through the upload handlers of the settings (organisation/uploads.py, which stop writing
    the file at the limit): the size is answered next to the field, the rest of the form kept."""
    client.force_login(specialist)
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * MAX_SCAN_SIZE)
    response = client.post(
        reverse("recipients:document_add", args=[child.pk]),
        {"kind": "medical", "received_on": "01.02.2026", "scan": big},
    )
    form = response.context["form"]
    assert "больше 10 МБ" in str(form.errors["scan"])
    assert form["received_on"].value() == "01.02.2026" and form["kind"].value() == "medical"
    assert not Document.objects.exists()


def test_document_without_a_scan_and_in_the_future_is_answered(client, specialist, child):
    client.force_login(specialist)
    response = client.post(
        reverse("recipients:document_add", args=[child.pk]),
        {"kind": "medical", "received_on": "01.01.2099"},
    )
    assert "не может быть в будущем" in str(response.context["form"].errors["received_on"])


def test_certify_and_archive_through_the_card(client, specialist, child):
    doc = actions.add_document(
        recipient=child, kind="medical", received_on=date(2026, 1, 12), added_by=specialist
    )
    client.force_login(specialist)
    certify = reverse("recipients:document_certify", args=[doc.pk])
    assert client.get(certify).status_code == 405
    assert client.post(certify, {"certified_on": "13.01.2026"}).status_code == 302
    doc.refresh_from_db()
    assert doc.certified_on == date(2026, 1, 13)
    archive = reverse("recipients:document_archive", args=[doc.pk])
    assert client.post(archive).status_code == 302
    doc.refresh_from_db()
    assert doc.archived_at is not None  # archived, not deleted
    assert "нет документа: Справки медицинского учреждения о состоянии здоровья" in (
        selectors.missing_documents(child)
    )


def test_documents_of_another_department_are_404(client, specialist_b, specialist, child):
    doc = actions.add_document(
        recipient=child, kind="medical", received_on=date(2026, 1, 12), added_by=specialist
    )
    client.force_login(specialist_b)
    for name in ("document_certify", "document_archive"):
        assert client.post(reverse(f"recipients:{name}", args=[doc.pk])).status_code == 404
    assert client.get(reverse("recipients:document_scan", args=[doc.pk])).status_code == 404


def test_director_reads_but_does_not_change_the_personal_file(client, director, specialist, child):
    doc = actions.add_document(
        recipient=child, kind="medical", received_on=date(2026, 1, 12), added_by=specialist
    )
    client.force_login(director)
    assert client.post(reverse("recipients:document_certify", args=[doc.pk])).status_code == 403
    assert client.get(reverse("recipients:document_add", args=[child.pk])).status_code == 403


def test_a_refused_certification_keeps_the_form_and_the_typed_date(client, specialist, child):
    doc = actions.add_document(
        recipient=child, kind="medical", received_on=date(2026, 1, 12), added_by=specialist
    )
    client.force_login(specialist)
    response = client.post(
        reverse("recipients:document_certify", args=[doc.pk]), {"certified_on": "01.01.2099"}
    )
    assert response.status_code == 400
    assert "в будущем" in response.context["form"].errors["certified_on"][0]
    assert "01.01.2099" in response.content.decode()
    doc.refresh_from_db()
    assert doc.certified_on is None
