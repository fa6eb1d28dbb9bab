"""The individual programme's term in the deadline register (O4, O23)."""

from __future__ import annotations

from datetime import date

from organisation.deadlines import State
from services.deadlines import IndividualProgrammeTermEnding
from tests.services.factories import EnrolledRecipientFactory, ProgrammeFactory


def test_a_temporary_programme_ending_is_the_heads_deadline_O4_O23(dept_a, head):
    child = EnrolledRecipientFactory(department=dept_a)
    programme = ProgrammeFactory(recipient=child, valid_until=date(2026, 12, 31))
    ProgrammeFactory(recipient=EnrolledRecipientFactory(department=dept_a))  # permanent: no term
    assert (
        IndividualProgrammeTermEnding().items(today=date(2026, 11, 23)) == []
    )  # over 30 days ahead
    [item] = IndividualProgrammeTermEnding().items(today=date(2026, 12, 10))
    assert (item.due, item.responsible_id) == (date(2026, 12, 31), head.pk)
    assert item.url == programme.get_absolute_url()
    assert item.state(date(2027, 1, 11)) == State.OVERDUE


def test_a_next_programme_clears_the_ending_one_O4(dept_a, head):
    child = EnrolledRecipientFactory(department=dept_a)
    ProgrammeFactory(recipient=child, valid_until=date(2026, 12, 31))
    ProgrammeFactory(recipient=child, valid_from=date(2027, 1, 1), drawn_up_on=date(2026, 12, 20))
    assert IndividualProgrammeTermEnding().items(today=date(2026, 12, 21)) == []
