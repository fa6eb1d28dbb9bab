"""A workflow step sent from a page that is out of date — a second tab, a double click on a
POST-only button, a colleague who acted a moment earlier: the step locks its row and reads the
state again, so it is refused with a message instead of writing over what was done meanwhile.

The view reads the record before the action runs, and in a race that read does not see the
other transaction's change: an instance read before the change is what the action gets, which
is how these tests hand it over (the same on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from patronage import actions as patronage_actions
from patronage.models import PatronageCase, Visit, VisitKind, VisitStatus
from recipients import actions as recipient_actions
from recipients.models import Belonging, Recipient
from rehab_programs import actions as rehab_actions
from rehab_programs.models import Conclusion
from services import actions as service_actions
from services.models import ProgrammeLine, RecordStatus, ServiceRecord, UrgentServiceAct
from tests.patronage.factories import case_with_appeal, completed_visit, planned_visit
from tests.recipients.factories import child_with_mother
from tests.rehab_programs.factories import close_stay, enrolled_child, mother_of
from tests.services.factories import (
    EnrolledRecipientFactory,
    ProgrammeFactory,
    ProgrammeLineFactory,
    ServiceRecordFactory,
    service,
)

pytestmark = pytest.mark.django_db


def _stale(instance, **as_read):
    """The record as a page read it before the other step: `as_read` are the fields then."""
    stale = type(instance)._base_manager.get(pk=instance.pk)
    for name, value in as_read.items():
        setattr(stale, name, value)
    return stale


# --- Patronage (P6, P9, P14) -------------------------------------------------------------------


@time_machine.travel(date(2026, 3, 20))
def test_a_visit_recorded_meanwhile_is_not_cancelled_P9_P14(registrar, head, specialist, dept_a):
    """«Отменить» on a page opened before the visit was recorded turned the recorded visit —
    its act and its records in the journal of services — into a cancelled one."""
    case = case_with_appeal(registrar=registrar, head=head, department=dept_a)
    visit = completed_visit(case=case, specialist=specialist)
    with pytest.raises(ValidationError, match="Отменить можно только запланированное"):
        patronage_actions.cancel_visit(
            visit=_stale(visit, status=VisitStatus.PLANNED), cancelled_by=specialist
        )
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.COMPLETED


@time_machine.travel(date(2026, 3, 20))
def test_a_case_closed_meanwhile_is_neither_closed_again_nor_given_a_visit_P6(
    registrar, head, specialist, dept_a
):
    case = case_with_appeal(registrar=registrar, head=head, department=dept_a)
    page = PatronageCase.objects.get(pk=case.pk)  # the case page, read while it was open
    patronage_actions.close_case(
        case=case, closed_on=date(2026, 3, 10), reason="Семья переехала", closed_by=head
    )
    with pytest.raises(ValidationError, match="Патронаж уже закрыт"):
        patronage_actions.close_case(
            case=_stale(case, closed_on=None),
            closed_on=date(2026, 3, 11),
            reason="",
            closed_by=head,
        )
    with pytest.raises(ValidationError, match="Патронаж закрыт"):
        planned_visit(case=page, specialist=specialist, kind=VisitKind.PRIMARY)
    case.refresh_from_db()
    assert (case.closed_on, case.closing_reason) == (date(2026, 3, 10), "Семья переехала")
    assert not case.visits.exists()


# --- Services (O7, O22, P14) -------------------------------------------------------------------


@time_machine.travel(date(2026, 11, 20))
def test_a_journal_record_cancelled_meanwhile_keeps_its_first_cancellation_P14(head, dept_a):
    record = ServiceRecordFactory(recipient=EnrolledRecipientFactory(department=dept_a))
    service_actions.cancel_service_record(record=record, cancelled_by=head, reason="Ошибка даты")
    with pytest.raises(ValidationError, match="Запись уже отменена"):
        service_actions.cancel_service_record(
            record=_stale(record, status=RecordStatus.DONE, cancelled_at=None),
            cancelled_by=head,
            reason="Повтор",
        )
    assert ServiceRecord.objects.get(pk=record.pk).cancellation_reason == "Ошибка даты"


@time_machine.travel(date(2026, 11, 20))
def test_a_service_refused_meanwhile_is_not_refused_twice_O7(specialist, dept_a):
    child = EnrolledRecipientFactory(department=dept_a, birth_date=date(2011, 3, 1))  # 15: signs
    line = ProgrammeLineFactory(
        programme=ProgrammeFactory(recipient=child), service=service("1.7.1"), count=2, per="day"
    )
    service_actions.record_refusal(line=line, signed_on=date(2026, 11, 18), recorded_by=specialist)
    with pytest.raises(ValidationError, match="Отказ от этой услуги уже оформлен"):
        service_actions.record_refusal(
            line=_stale(line, refused_on=None), signed_on=date(2026, 11, 19), recorded_by=specialist
        )
    assert child.refusals.count() == 1
    assert ProgrammeLine.objects.get(pk=line.pk).refused_on == date(2026, 11, 18)


@time_machine.travel(date(2026, 11, 20))
def test_an_urgent_act_signed_meanwhile_keeps_its_signature_O22(specialist, dept_a):
    child = EnrolledRecipientFactory(department=dept_a)
    act = service_actions.draw_up_urgent_act(
        recipient=child,
        provider=specialist,
        date=date(2026, 11, 19),
        services=[service("С.1")],
        conditions="в центре",
    )
    service_actions.record_urgent_act_signed(
        act=act, signed_on=date(2026, 11, 19), recorded_by=specialist
    )
    with pytest.raises(ValidationError, match="Подпись под актом уже отмечена"):
        service_actions.record_urgent_act_signed(
            act=_stale(act, signed_on=None), signed_on=date(2026, 11, 20), recorded_by=specialist
        )
    assert UrgentServiceAct.objects.get(pk=act.pk).signed_on == date(2026, 11, 19)


# --- The card and the ИПСРН (O9, O12, O25) -----------------------------------------------------


@time_machine.travel(date(2026, 12, 10))
def test_a_conclusion_received_meanwhile_keeps_who_received_it_O25(psychologist, dept_a):
    child = enrolled_child(dept_a)
    conclusion = close_stay(child, psychologist)  # received by the mother on 08.12.2026
    with pytest.raises(ValidationError, match="Получение заключения уже отмечено"):
        rehab_actions.record_conclusion_receipt(
            conclusion=_stale(conclusion, received_on=None, received_by=None),
            received_by=mother_of(child),
            received_on=date(2026, 12, 10),
            recorded_by=psychologist,
        )
    assert Conclusion.objects.get(pk=conclusion.pk).received_on == date(2026, 12, 8)


@time_machine.travel(date(2026, 3, 10))
def test_a_belonging_returned_meanwhile_keeps_its_return_date_O9(specialist, dept_a):
    child, _mother = child_with_mother(dept_a)
    item = recipient_actions.hand_over_belonging(
        recipient=child, accepted_by=specialist, description="Часы", on=date(2026, 3, 2)
    )
    recipient_actions.return_belonging(belonging=item, returned_by=specialist, on=date(2026, 3, 5))
    with pytest.raises(ValidationError, match="Вещь уже возвращена"):
        recipient_actions.return_belonging(
            belonging=_stale(item, returned_on=None), returned_by=specialist, on=date(2026, 3, 9)
        )
    assert Belonging.objects.get(pk=item.pk).returned_on == date(2026, 3, 5)


@time_machine.travel(date(2026, 9, 10))
def test_a_child_enrolled_meanwhile_is_not_archived_O12(head, dept_a):
    """The card read while the child was an applicant; the director's approval of the
    enrolment came first: archiving is refused, not an archived child in service."""
    child = enrolled_child(dept_a)
    with pytest.raises(ValidationError, match="Зачисленного получателя нельзя"):
        recipient_actions.archive_recipient(
            recipient=_stale(child, first_day_of_stay=None), archived_by=head
        )
    assert Recipient.objects.get(pk=child.pk).archived_at is None
