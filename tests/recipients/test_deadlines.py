"""Deadlines of the recipients' domain in the one register."""

from __future__ import annotations

from datetime import date

import time_machine

from organisation.deadlines import kinds
from recipients import actions
from recipients.deadlines import ContractTermEnding, FourteenthBirthday
from recipients.models import ContractTerm, IdentityDocumentKind
from tests.factories import RecipientFactory
from tests.recipients.factories import child_with_mother


def test_every_recipients_kind_is_registered():
    codes = {k.code for k in kinds()}
    assert {"contract_end", "recipient_14", "recipient_18"} <= codes


@time_machine.travel(date(2026, 12, 20))  # the second contract is concluded on this day
def test_a_temporary_contract_ending_is_the_heads_deadline_O4_O23(dept_a, head):
    child, mother = child_with_mother(dept_a)
    child.first_day_of_stay = date(2026, 6, 1)  # as an approved enrolment order sets it
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
        department=dept_a, birth_date=date(2012, 12, 1), first_day_of_stay=date(2026, 9, 1)
    )
    [item] = FourteenthBirthday().items(today=date(2026, 11, 23))
    assert item.due == date(2027, 3, 1)  # 90 days after 1 Dec 2026
    assert item.responsible_id == head.pk
    child.identity_document_kind = IdentityDocumentKind.PASSPORT
    child.save()
    assert FourteenthBirthday().items(today=date(2026, 11, 23)) == []


def test_the_passport_term_ending_on_a_day_off_moves_to_the_next_working_day_O27(dept_a, head):
    RecipientFactory(
        department=dept_a, birth_date=date(2012, 12, 6), first_day_of_stay=date(2026, 9, 1)
    )
    [item] = FourteenthBirthday().items(today=date(2026, 11, 23))
    # 90 days from 6 Dec 2026 end on Saturday 6 March 2027; Monday 8 March is a holiday
    assert item.due == date(2027, 3, 9)
