"""The enrolment state is derived from the dates the director's approved orders set (O12, O24):
an applicant until the first day of stay, enrolled from it through the last day of service,
discharged from the day after; readmission starts over. Every «enrolled on a day» count of the
project agrees with the register's filter and the statistics' stays."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from consilium.models import DecisionKind, DischargeGround
from orders import actions as order_actions
from orders.models import OrderKind
from recipients import actions as recipient_actions
from recipients.models import FamiliarisationKind, Recipient, RecipientStatus
from recipients.selectors import enrolled_count, register, served_between
from reports.stats import selectors as stats
from tests.factories import RecipientFactory
from tests.recipients.factories import child_with_mother, prepare_enrolment
from tests.rehab_programs.factories import close_stay, composition, decide

APPROVED_ON = date(2026, 1, 12)
FIRST_DAY = date(2026, 1, 19)  # a week after the approval
LAST_DAY = date(2026, 5, 29)


@pytest.fixture
def family(dept_a):
    return child_with_mother(dept_a, last_name="Орлов", birth_date=date(2015, 5, 20))


def _enrol(child, head, director, first_day=FIRST_DAY):
    order = order_actions.draft_order(
        kind=OrderKind.ENROLMENT, recipient=child, drafted_by=head, effective_on=first_day
    )
    order = order_actions.approve_order(order=order, approved_by=director)
    child.refresh_from_db()
    return order


def _discharge(child, head, director, psychologist, specialist, last_day=LAST_DAY):
    composition(director, head, psychologist, specialist)
    decide(
        head,
        child,
        DecisionKind.DISCHARGE,
        on=last_day - timedelta(days=1),
        ground=DischargeGround.TERM_END,
    )
    close_stay(child, psychologist, on=last_day - timedelta(days=2))
    order = order_actions.draft_order(
        kind=OrderKind.DISCHARGE, recipient=child, drafted_by=head, effective_on=last_day
    )
    order = order_actions.approve_order(order=order, approved_by=director)
    child.refresh_from_db()
    return order


def _state(child: Recipient, on: date) -> str:
    """The state in SQL, as the register and the counts read it."""
    return Recipient.objects.with_state(on).get(pk=child.pk).state  # type: ignore[attr-defined]


def test_an_enrolment_approved_for_a_later_day_enrols_on_that_day_O12(
    family, specialist, head, director, client
):
    child, mother = family
    prepare_enrolment(child, mother, specialist)
    with time_machine.travel(APPROVED_ON):
        _enrol(child, head, director)
        child.refresh_from_db()
        assert child.first_day_of_stay == FIRST_DAY and child.discharged_on is None
        assert child.status == RecipientStatus.APPLICANT
        assert child.is_applicant and not child.is_enrolled and not child.is_discharged
        assert child.get_status_display() == "Заявитель (зачисление с 19.01.2026)"
        assert _state(child, APPROVED_ON) == RecipientStatus.APPLICANT
        assert not Recipient.objects.enrolled().filter(pk=child.pk).exists()
        assert Recipient.objects.applicants().filter(pk=child.pk).exists()
        assert enrolled_count(child.department) == 0
        client.force_login(head)
        card = client.get(reverse("recipients:detail", args=[child.pk])).content.decode()
        assert "Заявитель (зачисление с 19.01.2026)" in card
        assert "Зачислен<" not in card
        assert 'data-testid="enrolment-pending"' in card
        assert "Подготовить приказ о зачислении" not in card
        assert "В архив" not in card
        # the approved enrolment is not approved twice
        assert "получатель уже зачислен с 19.01.2026 (приказ утверждён)" in (
            order_actions.approval_blockers(
                order_actions.draft_order(
                    kind=OrderKind.ENROLMENT,
                    recipient=child,
                    drafted_by=head,
                    effective_on=FIRST_DAY,
                )
            )
        )
    with time_machine.travel(FIRST_DAY - timedelta(days=1)):
        assert child.is_applicant and _state(child, FIRST_DAY - timedelta(days=1)) == "applicant"
    with time_machine.travel(FIRST_DAY):
        assert child.is_enrolled and child.get_status_display() == "Зачислен"
        assert _state(child, FIRST_DAY) == RecipientStatus.ENROLLED
        assert enrolled_count(child.department) == 1
        client.force_login(head)
        card = client.get(reverse("recipients:detail", args=[child.pk])).content.decode()
        assert 'data-testid="recipient-status">Зачислен</span>' in card


def test_the_last_day_of_service_is_the_discharge_date_then_discharged_O24(
    family, specialist, psychologist, head, director
):
    child, mother = family
    prepare_enrolment(child, mother, specialist)
    _enrol(child, head, director)
    with time_machine.travel(LAST_DAY - timedelta(days=1)):  # the consilium decided that day
        _discharge(child, head, director, psychologist, specialist)
        child.refresh_from_db()
        # approved ahead of its date: still in service until the last day
        assert child.is_enrolled and child.get_status_display() == "Зачислен (по 29.05.2026)"
    with time_machine.travel(LAST_DAY):
        assert child.is_enrolled and _state(child, LAST_DAY) == RecipientStatus.ENROLLED
    day_after = LAST_DAY + timedelta(days=1)
    with time_machine.travel(day_after):
        assert child.is_discharged and child.get_status_display() == "Снят с обслуживания"
        assert _state(child, day_after) == RecipientStatus.DISCHARGED
        assert Recipient.objects.discharged().filter(pk=child.pk).exists()
        assert not Recipient.objects.enrolled().filter(pk=child.pk).exists()


def test_readmission_is_an_applicant_until_the_new_first_day_O12_O24(
    family, specialist, psychologist, head, director
):
    child, mother = family
    prepare_enrolment(child, mother, specialist)
    _enrol(child, head, director)
    _discharge(child, head, director, psychologist, specialist)
    child.refresh_from_db()
    # a new enrolment may not begin on or before the last day of the previous stay
    recipient_actions.record_familiarisation(
        recipient=child,
        recorded_by=specialist,
        kinds=[FamiliarisationKind.SERVICE_ORDER, FamiliarisationKind.INTERNAL_RULES],
        on=date(2026, 8, 20),
        representative=mother,
    )
    too_early = order_actions.draft_order(
        kind=OrderKind.ENROLMENT, recipient=child, drafted_by=head, effective_on=LAST_DAY
    )
    assert (
        "первый день пребывания должен быть позже даты снятия с обслуживания 29.05.2026"
        in order_actions.approval_blockers(too_early)
    )
    order_actions.return_order(order=too_early, returned_by=director, reason="Дата")
    with time_machine.travel(date(2026, 8, 25)):
        _enrol(child, head, director, first_day=date(2026, 9, 1))
        child.refresh_from_db()
        assert child.first_day_of_stay == date(2026, 9, 1) and child.discharged_on is None
        assert child.get_status_display() == "Заявитель (зачисление с 01.09.2026)"
        assert not child.is_discharged
    with time_machine.travel(date(2026, 9, 1)):
        assert child.is_enrolled
    # the statistics keep both stays (from the orders): served in May and in September,
    # not in the summer between
    qs = Recipient.objects.filter(pk=child.pk)
    assert served_between(qs, date(2026, 5, 29), date(2026, 5, 29)).exists()
    assert not served_between(qs, date(2026, 5, 30), date(2026, 8, 31)).exists()
    assert served_between(qs, date(2026, 9, 1), date(2026, 9, 1)).exists()


@pytest.mark.parametrize(
    ("first_day", "last_day"),
    [(None, None), (date(2026, 3, 10), None), (date(2026, 3, 2), date(2026, 3, 5))],
)
def test_the_state_in_python_and_in_sql_agree_day_by_day(dept_a, first_day, last_day):
    child = RecipientFactory(department=dept_a, first_day_of_stay=first_day, discharged_on=last_day)
    for n in range(14):
        day = date(2026, 3, 1) + timedelta(days=n)
        expected = child.status_on(day)
        assert _state(child, day) == expected, day
        for state in RecipientStatus:
            found = Recipient.objects.in_state(state, day).filter(pk=child.pk).exists()
            assert found == (state == expected), (day, state)


@time_machine.travel(date(2026, 3, 4))
def test_every_enrolled_count_agrees_with_the_register_and_the_stays_O26_O36(
    dept_a, director, head, specialist, psychologist
):
    """The card's and the gate's count, the dashboards' count, the register's filter and the
    statistics' stays (from the orders) find the same minors in service."""
    dept_a.beds = 10
    dept_a.save()
    kids = []
    for i, first_day in enumerate([date(2026, 1, 19), date(2026, 3, 4), date(2026, 3, 9)]):
        child, mother = child_with_mother(dept_a, last_name=f"Ребёнок{i}")
        prepare_enrolment(child, mother, specialist)
        _enrol(child, head, director, first_day=first_day)
        kids.append(child)
    _discharge(kids[0], head, director, psychologist, specialist, last_day=date(2026, 3, 3))
    RecipientFactory(department=dept_a)  # an applicant without an order
    for day in (date(2026, 3, 3), date(2026, 3, 4), date(2026, 3, 9)):
        with time_machine.travel(day):
            in_service = {
                r.pk for r in served_between(Recipient.objects.all(), day, day)
            }  # the statistics' stays, from the orders
            listed = {r.pk for r in register(director, status="enrolled")}
            assert listed == in_service, day
            assert enrolled_count(dept_a) == len(in_service), day
            assert stats.enrolled_now(stats.Scope(director)) == {dept_a.pk: len(in_service)}
            assert stats.person_days(stats.Scope(director), stats.Period(day, day)) == len(
                in_service
            )
    # free places: the beds less those in service today and the enrolment from 9 March
    assert stats.free_places(stats.Scope(director)) == 10 - 2
