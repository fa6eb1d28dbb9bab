"""Deadlines of the recipients' domain in the one register (issue: deadline enforcement)."""

from __future__ import annotations

from datetime import date

import time_machine

from orders import actions as order_actions
from orders.deadlines import OrderAwaitingDecision
from orders.models import OrderKind
from organisation.deadlines import State, kinds
from recipients import actions
from recipients.deadlines import ContractTermEnding, FourteenthBirthday
from recipients.models import ContractTerm, IdentityDocumentKind, RecipientStatus
from tests.factories import RecipientFactory
from tests.recipients.factories import child_with_mother, prepare_enrolment


def test_every_recipients_kind_is_registered():
    codes = {k.code for k in kinds()}
    assert {"order_decision", "contract_end", "recipient_14", "recipient_18"} <= codes


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


def test_a_temporary_contract_ending_is_the_heads_deadline_O4_O23(dept_a, head):
    child, mother = child_with_mother(dept_a)
    child.status = RecipientStatus.ENROLLED
    child.save()
    contract = actions.conclude_contract(
        recipient=child,
        representative=mother,
        number="12",
        concluded_on=date(2026, 6, 1),
        term=ContractTerm.TEMPORARY,
        valid_until=date(2026, 12, 31),
        concluded_by=head,
    )
    assert ContractTermEnding().items(today=date(2026, 11, 23)) == []  # more than 30 days ahead
    [item] = ContractTermEnding().items(today=date(2026, 12, 10))
    assert item.due == contract.valid_until and item.responsible_id == head.pk
    # a new contract clears it
    actions.conclude_contract(
        recipient=child,
        representative=mother,
        number="13",
        concluded_on=date(2026, 12, 20),
        term=ContractTerm.PERMANENT,
        concluded_by=head,
    )
    assert ContractTermEnding().items(today=date(2026, 12, 21)) == []


def test_the_14th_birthday_asks_for_the_passport_until_it_is_recorded_O27(dept_a, head):
    child = RecipientFactory(
        department=dept_a, birth_date=date(2012, 12, 1), status=RecipientStatus.ENROLLED
    )
    [item] = FourteenthBirthday().items(today=date(2026, 11, 23))
    assert item.due == date(2027, 3, 1)  # 90 days after 1 Dec 2026
    assert item.responsible_id == head.pk
    child.identity_document_kind = IdentityDocumentKind.PASSPORT
    child.save()
    assert FourteenthBirthday().items(today=date(2026, 11, 23)) == []


def test_the_passport_term_ending_on_a_day_off_moves_to_the_next_working_day_O27(dept_a, head):
    RecipientFactory(
        department=dept_a, birth_date=date(2012, 12, 6), status=RecipientStatus.ENROLLED
    )
    [item] = FourteenthBirthday().items(today=date(2026, 11, 23))
    # 90 days from 6 Dec 2026 end on Saturday 6 March 2027; Monday 8 March is a holiday
    assert item.due == date(2027, 3, 9)
