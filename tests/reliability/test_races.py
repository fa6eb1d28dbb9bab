"""Races between two (or twenty) people acting at once, on separate connections (PostgreSQL
only: SQLite serialises writers). Each test names the race of the reliability review."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from consilium import actions as consilium_actions
from consilium.models import Meeting
from orders import actions as order_actions
from orders.models import Order, OrderKind, OrderStatus
from patronage import actions as patronage_actions
from patronage.models import Appeal, PatronageCase
from recipients import actions as recipient_actions
from recipients.actions.people import DuplicateRecipient
from recipients.models import Family, Recipient, RecipientStatus
from rehab_programs import actions as rehab_actions
from rehab_programs.models import RehabProgramme
from services import actions as service_actions
from services.models import IndividualProgramme
from tests.concurrency import run_at_once, skip_unless_postgresql
from tests.patronage.factories import AppealFactory, registered_appeal
from tests.recipients.factories import child_with_mother, prepare_enrolment, valid_snils
from tests.rehab_programs.factories import composition, diagnostic, enrolled_child, meeting

pytestmark = pytest.mark.django_db(transaction=True)


@time_machine.travel(date(2026, 3, 10))
def test_one_appeal_registered_by_two_registrars_at_once_gets_one_number_P2(registrar, dept_a):
    skip_unless_postgresql()
    appeal = AppealFactory(department=dept_a, received_on=date(2026, 3, 2))

    def register():
        return patronage_actions.register_appeal(
            appeal=Appeal.objects.get(pk=appeal.pk),
            registered_on=date(2026, 3, 3),
            registered_by=registrar,
        )

    results, errors = run_at_once([register, register])
    assert len(results) == 1
    assert [str(e) for e in errors] == ["['Обращение уже зарегистрировано под № 1/2026.']"]
    appeal.refresh_from_db()
    assert appeal.number == 1


@time_machine.travel(date(2026, 12, 15))
def test_heads_scheduling_meetings_at_once_get_consecutive_protocol_numbers(
    director, head, head_b, psychologist, specialist
):
    skip_unless_postgresql()
    composition(director, head, psychologist, specialist)
    calls = [lambda h=h: meeting(h, on=date(2026, 12, 14)) for h in [head, head_b] * 5]
    _results, errors = run_at_once(calls)
    assert not errors
    assert sorted(Meeting.objects.values_list("number", flat=True)) == list(range(1, 11))


# --- The director's orders (O12) ---------------------------------------------------------------

FIRST_DAY = date(2026, 1, 13)


def _ready_draft(dept, specialist, head, n=0):
    child, mother = child_with_mother(dept, last_name=f"Гонкин{n}", birth_date=date(2015, 5, 20))
    prepare_enrolment(child, mother, specialist)
    return order_actions.draft_order(
        kind=OrderKind.ENROLMENT, recipient=child, drafted_by=head, effective_on=FIRST_DAY
    )


@time_machine.travel(date(2026, 1, 12))
def test_twenty_concurrent_approvals_all_succeed_with_twenty_numbers_O12(
    dept_a, specialist, head, director
):
    """The review's case: concurrent approvals were refused with «повторите»."""
    skip_unless_postgresql()
    drafts = [_ready_draft(dept_a, specialist, head, n) for n in range(20)]
    calls = [
        lambda o=o: order_actions.approve_order(
            order=o, approved_by=director, signed_on=date(2026, 1, 12)
        )
        for o in drafts
    ]
    results, errors = run_at_once(calls)
    assert not errors
    assert len(results) == 20
    numbers = sorted(Order.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 21))


@time_machine.travel(date(2026, 1, 12))
def test_approve_and_return_of_one_order_at_once_leave_one_consistent_outcome_O12(
    dept_a, specialist, head, director
):
    """The review's case: a returned order with a number and an enrolled child."""
    skip_unless_postgresql()
    for attempt in range(3):
        order = _ready_draft(dept_a, specialist, head, attempt)
        pk = order.pk
        results, errors = run_at_once(
            [
                lambda pk=pk: order_actions.approve_order(
                    order=Order.objects.get(pk=pk),
                    approved_by=director,
                    signed_on=date(2026, 1, 12),
                ),
                lambda pk=pk: order_actions.return_order(
                    order=Order.objects.get(pk=pk), returned_by=director, reason="Исправить"
                ),
            ]
        )
        assert len(results) == 1 and len(errors) == 1
        assert isinstance(errors[0], ValidationError)
        order.refresh_from_db()
        child = Recipient.objects.get(pk=order.recipient_id)
        if order.status == OrderStatus.APPROVED:
            # enrolled from the order's first day (the state follows from it)
            assert order.number is not None and child.first_day_of_stay == order.effective_on
            assert child.status_on(order.effective_on) == RecipientStatus.ENROLLED
        else:
            assert order.status == OrderStatus.RETURNED
            assert order.number is None and child.first_day_of_stay is None
            assert child.status_on(order.effective_on) == RecipientStatus.APPLICANT


@time_machine.travel(date(2026, 1, 12))
def test_drafting_one_order_twice_at_once_makes_one_draft(dept_a, specialist, head):
    """The review's case: the second draft was a 500 (IntegrityError)."""
    skip_unless_postgresql()
    child, mother = child_with_mother(dept_a, birth_date=date(2015, 5, 20))
    prepare_enrolment(child, mother, specialist)

    def draft():
        return order_actions.draft_order(
            kind=OrderKind.ENROLMENT, recipient=child, drafted_by=head, effective_on=FIRST_DAY
        )

    results, errors = run_at_once([draft, draft])
    assert len(results) == 1
    assert [e.messages for e in errors] == [[order_actions.DRAFT_EXISTS]]  # type: ignore[attr-defined]
    assert Order.objects.filter(recipient=child).count() == 1


# --- Patronage and registration ----------------------------------------------------------------


@time_machine.travel(date(2026, 3, 10))
def test_opening_a_case_twice_at_once_makes_one_case_and_one_family_P6(registrar, head, dept_a):
    """The review's cases: a 500, and two families from one appeal."""
    skip_unless_postgresql()
    appeal = registered_appeal(registrar=registrar, department=dept_a)
    families_before = Family.objects.count()

    def open_case():
        return patronage_actions.open_case(
            appeal=Appeal.objects.get(pk=appeal.pk),
            opened_by=head,
            new_family_name="семья Гонкиных",
            opened_on=date(2026, 3, 3),
        )

    results, errors = run_at_once([open_case, open_case])
    assert len(results) == 1
    assert [e.messages for e in errors] == [["Обращение уже передано в патронаж."]]  # type: ignore[attr-defined]
    assert PatronageCase.objects.count() == 1
    assert Family.objects.count() == families_before + 1


def test_registering_one_snils_twice_at_once_answers_as_a_duplicate_O26(dept_a, head):
    skip_unless_postgresql()

    def register(n):
        return recipient_actions.register_recipient(
            department=dept_a,
            created_by=head,
            last_name="Двойной",
            first_name=["Иван", "Пётр"][n],
            birth_date=date(2015, 5, 20),
            sex="male",
            snils=valid_snils(12),
        )

    results, errors = run_at_once([lambda: register(0), lambda: register(1)])
    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], DuplicateRecipient)
    assert errors[0].existing == results


def test_one_child_without_a_snils_registered_by_two_at_once_is_registered_once_O26(
    dept_a, head, specialist
):
    """No SNILS yet (a child brought by the police at night): the duplicate check is by name
    and date of birth, which nothing in the database makes unique. Two people registering
    her at the same moment both passed the check; now the second waits for the first and is
    answered as a duplicate."""
    skip_unless_postgresql()

    def register(by):  # type: ignore[no-untyped-def]
        return lambda: recipient_actions.register_recipient(
            department=dept_a,
            created_by=by,
            last_name="Ночная",
            first_name="Вера",
            birth_date=date(2016, 2, 3),
            sex="female",
        )

    results, errors = run_at_once([register(head), register(specialist)])
    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], DuplicateRecipient)
    assert Recipient.objects.filter(last_name="Ночная").count() == 1


# --- Programmes and the consilium's agenda (O14, O16) ------------------------------------------


@time_machine.travel(date(2026, 9, 15))
def test_two_specialists_drawing_up_the_rehab_programme_at_once_make_one_O16(
    dept_a, specialist, psychologist
):
    """Both passed «already drawn up for this stay» before either saved: two ИПСРН."""
    skip_unless_postgresql()
    child = enrolled_child(dept_a)
    diagnostic(child, psychologist)

    def draw_up(by):
        return rehab_actions.draw_up_rehab_programme(
            recipient=Recipient.objects.get(pk=child.pk),
            drawn_up_by=by,
            drawn_up_on=date(2026, 9, 10),
            curator=by,
        )

    results, errors = run_at_once([lambda: draw_up(psychologist), lambda: draw_up(specialist)])
    assert len(results) == 1
    assert [e.messages for e in errors] == [["ИПСРН на этот период обслуживания уже составлена."]]  # type: ignore[attr-defined]
    assert RehabProgramme.objects.filter(recipient=child).count() == 1


@time_machine.travel(date(2026, 9, 15))
def test_two_individual_programmes_from_one_day_drawn_up_at_once_make_one_O2(dept_a, head):
    skip_unless_postgresql()
    child = enrolled_child(dept_a)

    def draw_up():
        return service_actions.draw_up_individual_programme(
            recipient=Recipient.objects.get(pk=child.pk),
            drawn_up_by=head,
            drawn_up_on=date(2026, 9, 1),
            valid_from=date(2026, 9, 1),
        )

    results, errors = run_at_once([draw_up, draw_up])
    assert len(results) == 1
    assert [e.message_dict for e in errors] == [  # type: ignore[attr-defined]
        {"valid_from": ["С этой даты у получателя уже действует другая программа."]}
    ]
    assert IndividualProgramme.objects.filter(recipient=child).count() == 1


@time_machine.travel(date(2026, 9, 15))
def test_two_cases_put_on_one_agenda_at_once_both_get_a_place_O14(
    dept_a, director, head, psychologist, specialist
):
    """Both took the next position before either saved: the second was a server error at the
    unique position of the agenda."""
    skip_unless_postgresql()
    composition(director, head, psychologist, specialist)
    m = meeting(head)
    children = [enrolled_child(dept_a, last_name=f"Повесткин{n}") for n in range(2)]

    def add(child):
        return consilium_actions.add_agenda_item(
            meeting=Meeting.objects.get(pk=m.pk),
            recipient=child,
            inputs="Результаты первичной диагностики",
            added_by=head,
        )

    _results, errors = run_at_once([lambda c=c: add(c) for c in children])
    assert not errors
    assert sorted(m.items.values_list("position", flat=True)) == [1, 2]


def test_one_service_added_to_a_programme_twice_at_once_is_answered_not_a_server_error_O2(
    dept_a, head, specialist
):
    """Two users add the same service to one ИППСУ at the same moment: both pass the check for
    a line of that service, the second meets the unique constraint — and is answered as the
    check answers («уже есть в программе»), not with an IntegrityError."""
    from services.models import Per, ProgrammeLine
    from tests.services.factories import service

    skip_unless_postgresql()
    child = enrolled_child(dept_a)
    programme = service_actions.draw_up_individual_programme(
        recipient=child,
        drawn_up_by=head,
        drawn_up_on=date(2026, 9, 1),
        valid_from=date(2026, 9, 1),
    )

    def plan(by):  # type: ignore[no-untyped-def]
        return lambda: service_actions.plan_service(
            programme=IndividualProgramme.objects.get(pk=programme.pk),
            service=service("3.1.1"),
            count=1,
            per=Per.MONTH,
            planned_by=by,
        )

    results, errors = run_at_once([plan(head), plan(specialist)])
    assert len(results) == 1
    assert [e.message_dict for e in errors] == [  # type: ignore[attr-defined]
        {"service": ["Эта услуга уже есть в программе."]}
    ]
    assert ProgrammeLine.objects.filter(programme=programme).count() == 1


@time_machine.travel(date(2026, 11, 20))
def test_one_child_marked_for_a_person_day_by_two_at_once_is_logged_once_O33(dept_a, specialist):
    """«1 услуга — 1 человеко-день»: two specialists mark service 1.1 for one child at the same
    moment. Each checked the day before the other had written: both were logged. The child's
    row is locked for the check, so the second is answered as the first's double."""
    from services.models import ServiceRecord
    from tests.factories import UserFactory
    from tests.services.factories import EnrolledRecipientFactory, service

    skip_unless_postgresql()
    child = EnrolledRecipientFactory(department=dept_a, birth_date=date(2017, 3, 1))
    colleague = UserFactory(department=dept_a, position=specialist.position)

    def mark(by):  # type: ignore[no-untyped-def]
        return lambda: service_actions.log_service(
            recipient=Recipient.objects.get(pk=child.pk),
            service=service("1.1"),
            provider=by,
            date=date(2026, 11, 20),
            duration_minutes=480,
            reason_outside_programme="по запросу",
        )

    results, errors = run_at_once([mark(specialist), mark(colleague)])
    assert len(results) == 1
    once = "Услуга 1.1 считается в человеко-днях и уже отмечена за 20.11.2026: один раз в день."
    assert [e.message_dict for e in errors] == [{"date": [once]}]  # type: ignore[attr-defined]
    assert ServiceRecord.objects.filter(recipient=child, service__code="1.1").count() == 1
