"""Registration terms of appeals (P2, P3) and the wait for the first visit (P4), counted with
the production calendar: New Year holidays, a transferred day off, a working Saturday."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from organisation.models import CalendarDay
from patronage import actions
from patronage.models import Appeal, PatronageCase
from tests.conftest import login
from tests.patronage.factories import case_with_appeal, completed_visit, registered_appeal


def due(received: date, basis_due: date | None = None) -> date:
    return Appeal(received_on=received, basis_due=basis_due).registration_due


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("received", "expected", "why"),
    [
        # Mon 2 Mar 2026 → Thu 5 Mar: 3 calendar days from the next day.
        (date(2026, 3, 2), date(2026, 3, 5), "plain working week"),
        # Wed 4 Mar 2026 → Sat 7 Mar is off → Mon 9 Mar is off (8 March moved) → Tue 10 Mar.
        (date(2026, 3, 4), date(2026, 3, 10), "last day off moves to the next working day"),
        # Tue 30 Dec 2025 → Fri 2 Jan 2026, New Year days off until 11 Jan → Mon 12 Jan.
        (date(2025, 12, 30), date(2026, 1, 12), "across the New Year holidays"),
        # Fri 31 Oct 2025 → Mon 3 Nov (transferred day off) → Tue 4 Nov (holiday) → Wed 5 Nov.
        (date(2025, 10, 31), date(2025, 11, 5), "transferred day off 3 November 2025"),
        # Sat 1 Nov 2025 was a working day: P2 applies, → Tue 4 Nov is off → Wed 5 Nov.
        (date(2025, 11, 1), date(2025, 11, 5), "working Saturday 1 November 2025"),
    ],
)
def test_registration_due_when_received_on_a_working_day_P2(received, expected, why):
    assert due(received) == expected, why


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("received", "expected", "why"),
    [
        # Sat 3 Jan 2026 (New Year days off run to 11 Jan) → 12, 13, 14 Jan.
        (date(2026, 1, 3), date(2026, 1, 14), "received during the New Year holidays"),
        # Thu 1 Jan 2026 → the same three working days.
        (date(2026, 1, 1), date(2026, 1, 14), "received on 1 January"),
        # Mon 3 Nov 2025, a transferred day off → 5, 6, 7 Nov (4 Nov is a holiday).
        (date(2025, 11, 3), date(2025, 11, 7), "received on the transferred day off"),
        # Sun 2 Nov 2025 → 3 and 4 Nov off → 5, 6, 7 Nov.
        (date(2025, 11, 2), date(2025, 11, 7), "received on the Sunday before"),
        # Sat 7 Mar 2026 → 9 Mar off → 10, 11, 12 Mar.
        (date(2026, 3, 7), date(2026, 3, 12), "received before a moved holiday"),
    ],
)
def test_registration_due_when_received_on_a_non_working_day_P3(received, expected, why):
    assert due(received) == expected, why


@pytest.mark.django_db
def test_the_term_of_the_basis_document_wins_P3():
    assert due(date(2026, 1, 3), basis_due=date(2026, 1, 20)) == date(2026, 1, 20)
    assert due(date(2026, 3, 2), basis_due=date(2026, 3, 3)) == date(2026, 3, 3)


@pytest.mark.django_db
def test_an_administrators_calendar_correction_moves_the_term_P2():
    CalendarDay.objects.create(date=date(2026, 3, 5), is_working=False, note="поправка")
    assert due(date(2026, 3, 2)) == date(2026, 3, 6)


@pytest.mark.django_db
def test_registration_due_is_a_date():
    assert type(due(date(2026, 3, 2))) is date


@pytest.mark.django_db
def test_late_and_overdue_registration_are_derived_from_dates_P2():
    appeal = Appeal(received_on=date(2026, 3, 2))
    with time_machine.travel(date(2026, 3, 5)):
        assert not appeal.registration_overdue
    with time_machine.travel(date(2026, 3, 6)):
        assert appeal.registration_overdue
        assert appeal.registration_days_late == 1
    appeal.registered_on = date(2026, 3, 5)
    assert not appeal.registered_late
    appeal.registered_on = date(2026, 3, 9)
    assert appeal.registered_late and appeal.registration_days_late == 4
    assert not appeal.registration_overdue


@time_machine.travel(date(2026, 3, 20))
def test_first_visit_within_four_days_is_in_norm_P4(registrar, head, specialist, dept_a):
    case = case_with_appeal(
        registrar=registrar, head=head, department=dept_a, specialist=specialist
    )
    # Registered Mon 2 Mar 2026: the norm ends Fri 6 Mar.
    assert case.first_visit_due == date(2026, 3, 6)
    completed_visit(case=case, specialist=specialist, on=date(2026, 3, 6))
    case = PatronageCase.objects.get(pk=case.pk)
    assert case.wait_days == 4
    assert not case.wait_overdue


@time_machine.travel(date(2026, 3, 20))
def test_first_visit_after_four_days_is_flagged_P4(registrar, head, specialist, dept_a):
    case = case_with_appeal(
        registrar=registrar, head=head, department=dept_a, specialist=specialist
    )
    completed_visit(case=case, specialist=specialist, on=date(2026, 3, 10))
    case = PatronageCase.objects.get(pk=case.pk)
    assert case.wait_days == 8
    assert case.wait_overdue


def test_no_visit_after_the_norm_is_flagged_P4(registrar, head, specialist, dept_a):
    with time_machine.travel(date(2026, 3, 5)):
        case = case_with_appeal(registrar=registrar, head=head, department=dept_a)
        assert not case.wait_overdue
    with time_machine.travel(date(2026, 3, 7)):
        assert PatronageCase.objects.get(pk=case.pk).wait_overdue


@time_machine.travel(date(2026, 3, 20))
def test_the_wait_is_shown_from_the_receipt_as_well_as_from_registration_P4(
    client, registrar, head, specialist, dept_a
):
    """P4: an appeal received on Sat 28 Feb and registered on Mon 2 Mar: the norm counts from
    registration, and the page also shows the days since the receipt."""
    appeal = registered_appeal(
        registrar=registrar,
        department=dept_a,
        received_on=date(2026, 2, 28),
        registered_on=date(2026, 3, 2),
    )
    case = actions.open_case(
        appeal=appeal, opened_by=head, new_family_name="семья Н", specialist=specialist
    )
    completed_visit(case=case, specialist=specialist, on=date(2026, 3, 5))
    case = PatronageCase.objects.get(pk=case.pk)
    assert (case.wait_started_on, case.wait_days) == (date(2026, 3, 2), 3)
    assert (case.received_on, case.wait_days_from_receipt) == (date(2026, 2, 28), 5)
    page = login(client, head).get(case.get_absolute_url()).content.decode()
    assert "от поступления 28.02.2026: 5 дней" in page


@time_machine.travel(date(2026, 3, 20))
def test_the_case_list_counts_the_wait_from_the_first_of_many_appeals_P4(
    client, registrar, head, specialist, dept_a
):
    """A case holding repeat appeals: the list reads the first receipt and the first
    registration from SQL, the same as the case read on its own."""
    from patronage.selectors import cases_for
    from tests.patronage.factories import AppealFactory

    appeal = registered_appeal(
        registrar=registrar,
        department=dept_a,
        received_on=date(2026, 2, 28),
        registered_on=date(2026, 3, 2),
    )
    case = actions.open_case(
        appeal=appeal, opened_by=head, new_family_name="семья Н", specialist=specialist
    )
    later = registered_appeal(registrar=registrar, department=dept_a, received_on=date(2026, 3, 10))
    unregistered = AppealFactory(department=dept_a, received_on=date(2026, 3, 12))
    Appeal.objects.filter(pk__in=[later.pk, unregistered.pk]).update(case=case)
    listed = cases_for(head).get(pk=case.pk)
    alone = PatronageCase.objects.get(pk=case.pk)
    assert (listed.received_on, listed.wait_started_on) == (date(2026, 2, 28), date(2026, 3, 2))
    assert (alone.received_on, alone.wait_started_on) == (date(2026, 2, 28), date(2026, 3, 2))
    assert listed.first_visit_due == alone.first_visit_due == date(2026, 3, 6)
    page = login(client, head).get(reverse("patronage:case_list")).content.decode()
    assert "нет посещения уже 18 дней: срок истёк 06.03.2026" in page
    assert "от поступления 28.02.2026: 20 дней" in page
