"""On what basis a service is given (O33): a contract in force, before the 18th birthday, and a
per-day unit («1 услуга — 1 человеко-день») once per child per day."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from recipients.models import ContractTerm
from services import actions
from services.models import ServiceRecord
from tests.services.factories import EnrolledRecipientFactory, service

pytestmark = pytest.mark.django_db
DAY = date(2026, 11, 19)


def _errors(exc_info) -> dict[str, list[str]]:
    return exc_info.value.message_dict


def _log(child, provider, code="2.3.2", on=DAY, minutes=20):
    return actions.log_service(
        recipient=child,
        service=service(code),
        provider=provider,
        date=on,
        duration_minutes=minutes,
        reason_outside_programme="по запросу",
    )


def test_services_stop_at_the_end_of_the_contract_O33(dept_a, specialist, frozen_today):
    """§3.5, O23: the end of the contract's term ends the service."""
    child = EnrolledRecipientFactory(
        department=dept_a,
        contract__term=ContractTerm.TEMPORARY,
        contract__valid_until=date(2026, 11, 10),
    )
    assert _log(child, specialist, on=date(2026, 11, 10)).pk
    with pytest.raises(ValidationError) as exc:
        _log(child, specialist, on=date(2026, 11, 11))
    assert _errors(exc)["recipient"] == [
        "На 11.11.2026 нет действующего договора о предоставлении социальных услуг (срок "
        "договора истёк или договор не заключён)."
    ]


def test_no_service_before_the_contract_is_concluded_O33(dept_a, specialist, frozen_today):
    """§2.6.1, §3.1: services are given on a contract."""
    child = EnrolledRecipientFactory(department=dept_a, contract=False)
    with pytest.raises(ValidationError) as exc:
        _log(child, specialist)
    assert "нет действующего договора" in _errors(exc)["recipient"][0]
    assert not ServiceRecord.objects.exists()


def test_urgent_services_need_no_contract_O33(dept_a, specialist, frozen_today):
    """Urgent services are given at once (O11), before any contract."""
    child = EnrolledRecipientFactory(department=dept_a, contract=False)
    actions.draw_up_urgent_act(  # O22: the act the urgent service is logged on
        recipient=child, provider=specialist, date=DAY, services=[service("С.1")], conditions="-"
    )
    assert _log(child, specialist, code="С.1", minutes=15).pk


def test_a_group_session_names_the_child_without_a_contract_O33(dept_a, specialist, frozen_today):
    ok = EnrolledRecipientFactory(department=dept_a, last_name="Иванов")
    without = EnrolledRecipientFactory(
        department=dept_a, last_name="Петров", first_name="Пётр", patronymic="", contract=False
    )
    with pytest.raises(ValidationError) as exc:
        actions.log_group_service(
            recipients=[ok, without],
            service=service("2.3.2"),
            provider=specialist,
            date=DAY,
            duration_minutes=20,
            reason_outside_programme="по запросу",
        )
    [message] = _errors(exc)["recipients"]
    assert message.startswith("Петров П.: на 19.11.2026 нет действующего договора")


def test_services_stop_at_the_18th_birthday_O33(dept_a, specialist, frozen_today):
    """§1.4, O1: recipients are minors; on the 18th birthday the service is over."""
    child = EnrolledRecipientFactory(department=dept_a, birth_date=date(2008, 11, 19))
    assert _log(child, specialist, on=date(2026, 11, 18)).pk
    with pytest.raises(ValidationError) as exc:
        _log(child, specialist, on=DAY)
    assert _errors(exc)["recipient"] == [
        "19.11.2026 получателю уже исполнилось 18 лет: социальные услуги несовершеннолетним "
        "не оказываются (п. 1.4 Порядка)."
    ]


def test_a_person_day_is_logged_once_per_child_per_day_O33(child, specialist):
    """1.1: «1 услуга — 1 человеко-день»."""
    first = _log(child, specialist, code="1.1", minutes=480)
    with pytest.raises(ValidationError) as exc:
        _log(child, specialist, code="1.1", minutes=480)
    assert _errors(exc)["date"] == [
        "Услуга 1.1 считается в человеко-днях и уже отмечена за 19.11.2026: один раз в день."
    ]
    assert _log(child, specialist, code="1.1", on=date(2026, 11, 18), minutes=480).pk
    actions.cancel_service_record(record=first, cancelled_by=specialist, reason="ошибка")
    assert _log(child, specialist, code="1.1", minutes=480).pk  # a cancelled day does not count


def test_a_person_day_in_a_group_and_in_a_correction_O33(dept_a, specialist, frozen_today):
    a = EnrolledRecipientFactory(department=dept_a, last_name="Аров", first_name="Антон")
    b = EnrolledRecipientFactory(department=dept_a, last_name="Бров", first_name="Борис")
    _log(a, specialist, code="1.1", minutes=480)
    with pytest.raises(ValidationError) as exc:
        actions.log_group_service(
            recipients=[a, b],
            service=service("1.1"),
            provider=specialist,
            date=DAY,
            duration_minutes=480,
            reason_outside_programme="по запросу",
        )
    assert _errors(exc)["recipients"] == [
        "Аров А. С.: услуга 1.1 считается в человеко-днях и уже отмечена за 19.11.2026: "
        "один раз в день."
    ]
    other_day = _log(a, specialist, code="1.1", on=date(2026, 11, 18), minutes=480)
    with pytest.raises(ValidationError) as exc:
        actions.correct_service_record(
            record=other_day,
            corrected_by=specialist,
            date=DAY,
            duration_minutes=480,
            reason_outside_programme="по запросу",
        )
    assert "один раз в день" in _errors(exc)["date"][0]
    # correcting the same record on its own day is no second person-day
    actions.correct_service_record(
        record=other_day,
        corrected_by=specialist,
        date=date(2026, 11, 18),
        duration_minutes=470,
        reason_outside_programme="по запросу",
    )
