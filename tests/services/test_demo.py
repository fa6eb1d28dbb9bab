"""The demo loader: nothing without enrolled recipients, idempotent with them."""

from __future__ import annotations

import io

import pytest

from organisation import demo as organisation_demo
from recipients.models import Recipient
from services import demo
from services.models import IndividualProgramme, ServiceRecord
from tests.services.factories import EnrolledRecipientFactory

pytestmark = pytest.mark.django_db


def test_without_enrolled_recipients_the_loader_does_nothing(frozen_today):
    organisation_demo.load(io.StringIO())
    out = io.StringIO()
    demo.load(out)
    assert "нет зачисленных" in out.getvalue()
    assert not IndividualProgramme.objects.exists()


def test_programmes_and_a_journal_for_enrolled_recipients_once(frozen_today):
    organisation_demo.load(io.StringIO())
    from organisation.models import Department

    dept = Department.objects.get(short_name="ОДП")
    EnrolledRecipientFactory.create_batch(3, department=dept)
    demo.load(io.StringIO())
    records = ServiceRecord.objects.count()
    assert IndividualProgramme.objects.count() == Recipient.objects.count() == 3
    assert records > 20
    demo.load(io.StringIO())
    assert ServiceRecord.objects.count() == records
    assert IndividualProgramme.objects.count() == 3
