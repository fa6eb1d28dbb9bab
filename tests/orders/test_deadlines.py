"""Deadlines of the director's orders in the one register."""

from __future__ import annotations

from datetime import date

import time_machine

from orders import actions as order_actions
from orders.deadlines import OrderAwaitingDecision
from orders.models import OrderKind
from organisation.deadlines import State, kinds
from tests.recipients.factories import child_with_mother, prepare_enrolment


def test_the_orders_kind_is_registered():
    assert "order_decision" in {k.code for k in kinds()}


def test_a_drafted_order_waits_two_working_days_for_the_director_O12(dept_a, head, director):
    child, mother = child_with_mother(dept_a)
    prepare_enrolment(child, mother, head)
    with time_machine.travel(date(2026, 12, 30)):  # Wednesday before the New Year holidays
        order = order_actions.draft_order(
            kind=OrderKind.ENROLMENT,
            recipient=child,
            drafted_by=head,
            effective_on=date(2027, 1, 11),
        )
    [item] = OrderAwaitingDecision().items(today=date(2026, 12, 30))
    assert item.responsible_id == director.pk
    # 31 Dec 2026 and 1–10 Jan 2027 are days off: the 2 working days are 11 and 12 January
    assert item.due == date(2027, 1, 12)
    assert item.state(date(2027, 1, 13)) == State.OVERDUE
    with time_machine.travel(date(2027, 1, 13)):
        order_actions.approve_order(order=order, approved_by=director)
    [item] = OrderAwaitingDecision().items(today=date(2027, 1, 13))
    assert item.state(date(2027, 1, 13)) == State.DONE_LATE
