"""The demo recipients: believable, made through the real workflow, re-runnable. Read in the
whole demo centre (loaded once for the package), where the consilium's demo takes one child
through discharge: its order is the one approved order that is not an enrolment."""

from __future__ import annotations

import io

from django.utils import timezone

from orders.models import Order, OrderKind, OrderStatus
from recipients import demo as recipients_demo
from recipients import selectors
from recipients.models import CircumstanceChange, Recipient, RecipientStatus
from recipients.validators import normalise_snils


def test_demo_recipients_load_once(demo_centre, db):
    """The demo loads its recipients once: a second run adds nothing. (Its speed is not a test
    assertion: a wall-clock limit fails on a loaded machine and proves nothing.)"""
    counts = (Recipient.objects.count(), Order.objects.count(), CircumstanceChange.objects.count())
    recipients_demo.load(io.StringIO())  # a second run adds nothing
    assert counts == (
        Recipient.objects.count(),
        Order.objects.count(),
        CircumstanceChange.objects.count(),
    )

    recipients = list(Recipient.objects.select_related("department", "family"))
    assert 30 <= len(recipients) <= 60
    assert len({r.department_id for r in recipients}) == 2
    assert {r.sex for r in recipients} == {"male", "female"}
    today = timezone.localdate()
    assert all(3 <= r.age_on(today) <= 17 for r in recipients)
    assert all(normalise_snils(r.snils) == r.snils for r in recipients)
    assert all(r.family and r.representations.exists() for r in recipients)

    enrolled = [r for r in recipients if r.status == RecipientStatus.ENROLLED]
    applicants = [r for r in recipients if r.status == RecipientStatus.APPLICANT]
    assert len(enrolled) > len(recipients) / 2
    assert all(r.first_day_of_stay for r in enrolled)
    assert any(selectors.missing_documents(r) for r in applicants)
    assert Order.objects.filter(status=OrderStatus.RETURNED).count() == 1
    # O8: one reported change per department, one of them reviewed
    changes = list(CircumstanceChange.objects.all())
    assert len(changes) == 2 and sum(c.is_reviewed for c in changes) == 1
    approved = Order.objects.filter(status=OrderStatus.APPROVED, kind=OrderKind.ENROLMENT)
    assert approved.count() == len(enrolled)
    discharges = Order.objects.filter(status=OrderStatus.APPROVED, kind=OrderKind.DISCHARGE)
    assert discharges.count() == 1
    assert all(o.drafted_by.position == "head" for o in approved.select_related("drafted_by"))
    assert all(o.decided_by.username == "director" for o in approved.select_related("decided_by"))
