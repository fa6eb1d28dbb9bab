"""«Календарь»: planned patronage visits (P7, P10) and consilium meetings (O14) of a month per
specialist and department, on the production calendar."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from tests.conftest import login
from tests.patronage.factories import case_with_appeal, planned_visit
from tests.rehab_programs.factories import composition, meeting

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(date(2026, 3, 2)):
        yield


@pytest.fixture
def visit(registrar, head, specialist, dept_a):
    case = case_with_appeal(
        registrar=registrar, head=head, department=dept_a, specialist=specialist
    )
    return planned_visit(case=case, specialist=specialist, planned_on=date(2026, 3, 10))


def _entries(response):
    return {
        d.day: [e.label for e in d.entries]
        for week in response.context["weeks"]
        for d in week
        if d.entries
    }


def test_a_specialist_sees_their_planned_visits_P7(client, specialist, visit):
    response = login(client, specialist).get(reverse("agenda:month"))
    assert response.status_code == 200
    assert _entries(response) == {date(2026, 3, 10): ["Первичный патронаж: семья Смирновых"]}
    assert 'data-testid="agenda"' in response.content.decode()


def test_another_specialists_plan_is_not_mine_unless_chosen(client, psychologist, visit):
    login(client, psychologist)
    assert _entries(client.get(reverse("agenda:month"))) == {}
    everyone = client.get(reverse("agenda:month"), {"specialist": ""})
    assert date(2026, 3, 10) in _entries(everyone)


def test_the_head_sees_the_department_and_the_meetings_O14(
    client, director, head, psychologist, specialist, visit
):
    composition(director, head, psychologist, specialist)
    m = meeting(head, on=date(2026, 3, 12))
    entries = _entries(login(client, head).get(reverse("agenda:month")))
    assert entries[date(2026, 3, 12)] == [f"Консилиум, протокол № {m.number}"]
    assert date(2026, 3, 10) in entries


def test_nothing_of_another_department_is_shown(client, specialist_b, head_b, visit):
    assert _entries(login(client, head_b).get(reverse("agenda:month"))) == {}


def test_days_off_are_marked_from_the_production_calendar(client, specialist):
    response = login(client, specialist).get(reverse("agenda:month"), {"month": "2026-03"})
    days = {d.day: d for week in response.context["weeks"] for d in week}
    assert not days[date(2026, 3, 9)].is_working  # Monday: the day off for 8 March (a Sunday)
    assert days[date(2026, 3, 10)].is_working
    assert len(days) % 7 == 0


@pytest.mark.parametrize(
    ("month", "message"),
    [
        ("март", "Укажите месяц в виде ГГГГ-ММ"),
        ("2026-٣", "Укажите месяц в виде ГГГГ-ММ"),  # an Arabic-Indic three is not March
        ("2026-13", "Укажите месяц в виде ГГГГ-ММ"),
        ("0001-01", "раньше открытия центра"),
        ("9999-12", "слишком далеко"),
    ],
)
def test_a_bad_month_is_answered_in_russian(client, specialist, month, message):
    response = login(client, specialist).get(reverse("agenda:month"), {"month": month})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_calendar_is_for_case_roles(client, registrar, administrator):
    assert login(client, registrar).get(reverse("agenda:month")).status_code == 403
    assert login(client, administrator).get(reverse("agenda:month")).status_code == 403
