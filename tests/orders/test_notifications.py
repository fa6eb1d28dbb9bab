"""Orders and the bell (O12, O24): a draft waiting tells the director; approval or return tells
the head who drafted it."""

from __future__ import annotations

from datetime import date

import pytest

from orders import actions as order_actions
from orders.models import OrderKind
from organisation.models import Notification
from tests.recipients.factories import child_with_mother, prepare_enrolment

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(dept_a, specialist):
    child, mother = child_with_mother(dept_a, last_name="Орлов", birth_date=date(2015, 5, 20))
    prepare_enrolment(child, mother, specialist)
    return child


def _draft(child, head):
    return order_actions.draft_order(
        kind=OrderKind.ENROLMENT, recipient=child, drafted_by=head, effective_on=date(2026, 1, 13)
    )


def test_a_draft_waiting_tells_the_director_O12(
    django_capture_on_commit_callbacks, ready, head, director
):
    with django_capture_on_commit_callbacks(execute=True):
        order = _draft(ready, head)
    note = Notification.objects.get()
    assert (note.user, note.event, note.url) == (director, "awaiting", order.get_absolute_url())
    assert "Проект приказа ждёт решения" in note.message


def test_a_returned_order_tells_the_head_with_the_reason_O12(
    django_capture_on_commit_callbacks, ready, head, director
):
    order = _draft(ready, head)
    with django_capture_on_commit_callbacks(execute=True):
        order_actions.return_order(order=order, returned_by=director, reason="Исправьте дату")
    note = Notification.objects.get(user=head)
    assert note.event == "returned"
    assert note.message.endswith("Исправьте дату")


def test_an_approved_order_tells_the_head_O12(
    django_capture_on_commit_callbacks, ready, head, director
):
    order = _draft(ready, head)
    with django_capture_on_commit_callbacks(execute=True):
        approved = order_actions.approve_order(order=order, approved_by=director)
    note = Notification.objects.get(user=head)
    assert note.event == "approved"
    assert note.message.startswith(f"Приказ утверждён: № {approved.display_number},")
