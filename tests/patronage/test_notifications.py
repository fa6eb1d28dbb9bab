"""Workflow notifications of patronage: a visit returned with remarks (P13) and a family
assigned to a specialist (P6) reach the bell."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core import mail

from organisation.models import Notification
from patronage import actions
from patronage.models import ReviewStatus
from tests.patronage.factories import case_with_appeal, completed_visit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(date(2026, 3, 20)):
        yield


def test_a_visit_returned_with_remarks_notifies_the_specialist_P13(
    django_capture_on_commit_callbacks, registrar, head, specialist, dept_a
):
    specialist.email = "spec@example.org"
    specialist.save()
    case = case_with_appeal(
        registrar=registrar, head=head, department=dept_a, specialist=specialist
    )
    visit = completed_visit(case=case, specialist=specialist)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        actions.review_visit(
            visit=visit, status=ReviewStatus.REMARKS, remarks="Нет подписи.", reviewed_by=head
        )
    note = Notification.objects.get(user=specialist)
    assert note.event == "returned"
    assert "возвращено с замечаниями: Нет подписи." in note.message
    assert note.url == visit.get_absolute_url()
    assert any("Нет подписи." in m.body for m in mail.outbox)


def test_an_accepted_visit_notifies_no_one_P13(registrar, head, specialist, dept_a):
    case = case_with_appeal(
        registrar=registrar, head=head, department=dept_a, specialist=specialist
    )
    visit = completed_visit(case=case, specialist=specialist)
    Notification.objects.all().delete()
    actions.review_visit(visit=visit, status=ReviewStatus.ACCEPTED, remarks="", reviewed_by=head)
    assert not Notification.objects.exists()


def test_an_assigned_family_notifies_the_specialist_P6(
    django_capture_on_commit_callbacks, registrar, head, specialist, dept_a
):
    with django_capture_on_commit_callbacks(execute=True):
        case = case_with_appeal(registrar=registrar, head=head, department=dept_a)
    assert not Notification.objects.exists()  # nobody assigned yet
    with django_capture_on_commit_callbacks(execute=True):
        actions.assign_specialist(case=case, specialist=specialist, assigned_by=head)
    note = Notification.objects.get()
    assert (note.user, note.event) == (specialist, "assigned")
    assert "семья Смирновых" in note.message
