"""Lost work after faults: e-mails when the mail server is down, public pages when the
database is down."""

from __future__ import annotations

from datetime import date
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.urls import reverse

from organisation.actions import _claim_token, send_pending_emails
from organisation.models import Notification, NotificationEvent
from tests.conftest import login

pytestmark = pytest.mark.django_db


def _notification(user, key="r1"):
    return Notification.objects.create(
        user=user,
        kind="demo",
        item_key=key,
        event=NotificationEvent.OVERDUE,
        due=date(2026, 11, 20),
        message=f"Срок {key}",
    )


def test_an_smtp_outage_releases_the_claim_and_the_next_run_sends(head):
    head.email = "head@example.ru"
    head.save()
    note = _notification(head)
    with mock.patch("organisation.actions.send_mail", side_effect=OSError("SMTP down")):
        assert send_pending_emails() == 0
    note.refresh_from_db()
    assert (note.emailed_at, note.email_claim) == (None, "")
    assert send_pending_emails() == 1
    note.refresh_from_db()
    assert note.emailed_at is not None
    assert len(mail.outbox) == 1
    assert send_pending_emails() == 0  # sent once


def test_a_claim_left_by_a_dead_worker_is_taken_over_after_an_hour(head):
    head.email = "head@example.ru"
    head.save()
    note = _notification(head)
    note.email_claim = _claim_token(1_000_000_000)  # 2001: the worker never came back
    note.save()
    fresh = _notification(head, key="r2")
    fresh.email_claim = _claim_token(2_000_000_000)  # a live claim (far future) is left alone
    fresh.save()
    assert send_pending_emails() == 1
    assert Notification.objects.get(pk=note.pk).emailed_at is not None
    assert Notification.objects.get(pk=fresh.pk).emailed_at is None


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", ["public_info", "public_info_pdf"])
def test_the_public_notice_answers_while_the_database_is_down_O30(client, name, specialist):
    login(client, specialist)  # even a signed-in visitor whose session cannot be read
    down = OperationalError("the database is down")
    with (
        mock.patch.object(BaseDatabaseWrapper, "ensure_connection", side_effect=down),
        mock.patch.object(BaseDatabaseWrapper, "cursor", side_effect=down),
    ):
        response = client.get(reverse(name))
    assert response.status_code == 200


@time_machine.travel(date(2026, 2, 1))
def test_an_upload_whose_row_fails_leaves_no_file(specialist, dept_a, settings, tmp_path):
    from recipients import actions as recipient_actions
    from recipients.models import Document
    from tests.recipients.factories import child_with_mother

    settings.MEDIA_ROOT = tmp_path
    child, _mother = child_with_mother(dept_a, birth_date=date(2015, 5, 20))
    scan = SimpleUploadedFile("скан.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    with (
        mock.patch.object(Document, "save", side_effect=IntegrityError("the row failed")),
        pytest.raises(IntegrityError),
    ):
        recipient_actions.add_document(
            recipient=child,
            kind="identity",
            received_on=date(2026, 2, 1),
            added_by=specialist,
            scan=scan,
        )
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def _upload(child, specialist):
    from recipients import actions as recipient_actions

    return recipient_actions.add_document(
        recipient=child,
        kind="identity",
        received_on=date(2026, 2, 1),
        added_by=specialist,
        scan=SimpleUploadedFile("скан.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
    )


@time_machine.travel(date(2026, 2, 1))
def test_an_upload_rolled_back_after_its_row_was_saved_writes_no_file(
    specialist, dept_a, settings, tmp_path, django_capture_on_commit_callbacks
):
    """A later step of the request fails after the document's row was saved: the transaction
    rolls back, and the scan, written only on commit, never reaches the disk."""
    from django.db import transaction

    from recipients.models import Document
    from tests.recipients.factories import child_with_mother

    settings.MEDIA_ROOT = tmp_path
    child, _mother = child_with_mother(dept_a, birth_date=date(2015, 5, 20))
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _upload(child, specialist)
        raise RuntimeError("a later step of the request failed")
    assert callbacks == []
    assert not Document.objects.exists()
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


@time_machine.travel(date(2026, 2, 1))
def test_an_upload_is_written_when_its_row_commits(
    specialist, dept_a, settings, tmp_path, django_capture_on_commit_callbacks
):
    from django.db import transaction

    from tests.recipients.factories import child_with_mother

    settings.MEDIA_ROOT = tmp_path
    child, _mother = child_with_mother(dept_a, birth_date=date(2015, 5, 20))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():
            document = _upload(child, specialist)
        assert not [p for p in tmp_path.rglob("*") if p.is_file()]  # not before the commit
    for write in callbacks:
        write()
    assert (tmp_path / document.scan.name).read_bytes() == b"%PDF-1.4\n%%EOF\n"
