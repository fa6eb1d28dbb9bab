"""The statistical report against a hand-counted fixture.

The period runs from 15.12.2025 to 15.01.2026: it crosses a year. In it:

- R1 (boy, 10 on 15.01.2026, dept A, «адаптация»), enrolled 01.12.2025, served five times
  (2.3.2, 20 min each) in the period and once before it: one recipient, five services;
- R2 (girl, 15, dept A, «адаптация» and «конфликт»), enrolled 01.11.2025, discharged 20.12.2025
  on the consilium's decision (refusal, O23), readmitted 10.01.2026: two stays, one recipient;
  one cancelled record that counts nowhere;
- R3 (boy, 17, dept B, «ущерб»), enrolled 01.10.2025, got 4.1.3 (40 min) once in dept A and once
  in dept B: the service is split between the two departments;
- R4 enrolled after the period and R5 discharged before it are not served.

Person-days: R1 32, R2 6 + 6, R3 32 = 76 (dept A: 44).
"""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from consilium.models import AgendaItem, Composition, Decision, DecisionKind, Meeting
from orders.models import Order, OrderKind, OrderStatus
from recipients.models import Sex
from reports.stats import selectors as s
from reports.stats import statistics
from reports.stats.periods import Period
from reports.stats.selectors import Scope
from services.models import RecordStatus, Service, ServiceRecord
from tests.conftest import login
from tests.factories import RecipientFactory

PERIOD = Period(date(2025, 12, 15), date(2026, 1, 15))
_numbers = iter(range(1, 1000))


def _order(recipient, kind, on, director):
    return Order.objects.create(
        kind=kind,
        recipient=recipient,
        status=OrderStatus.APPROVED,
        effective_on=on,
        year=on.year,
        number=next(_numbers),
        signed_on=on,
        drafted_by=director,
        decided_by=director,
    )


def _record(recipient, department, code, on, minutes, provider, status=RecordStatus.DONE):
    return ServiceRecord.objects.create(
        recipient=recipient,
        department=department,
        service=Service.objects.get(code=code),
        provider=provider,
        date=on,
        duration_minutes=minutes,
        status=status,
        cancellation_reason="ошибка" if status == RecordStatus.CANCELLED else "",
        reason_outside_programme="тест",
    )


@pytest.fixture
def centre(dept_a, dept_b, director, head, head_b, specialist, specialist_b):
    r1 = RecipientFactory(
        department=dept_a,
        sex=Sex.MALE,
        birth_date=date(2015, 5, 20),
        circumstances=["adaptation"],
        first_day_of_stay=date(2025, 12, 1),
    )
    r2 = RecipientFactory(
        department=dept_a,
        last_name="Смирнова",
        first_name="Анна",
        sex=Sex.FEMALE,
        birth_date=date(2010, 3, 1),
        circumstances=["adaptation", "family_conflict"],
        first_day_of_stay=date(2026, 1, 10),
    )
    r3 = RecipientFactory(
        department=dept_b,
        last_name="Петров",
        sex=Sex.MALE,
        birth_date=date(2009, 1, 10),
        circumstances=["damage"],
        first_day_of_stay=date(2025, 10, 1),
    )
    r4 = RecipientFactory(department=dept_a, last_name="Позднов", circumstances=["adaptation"])
    r5 = RecipientFactory(department=dept_a, last_name="Раннев", circumstances=["adaptation"])
    _order(r1, OrderKind.ENROLMENT, date(2025, 12, 1), director)
    _order(r2, OrderKind.ENROLMENT, date(2025, 11, 1), director)
    _order(r2, OrderKind.DISCHARGE, date(2025, 12, 20), director)
    _order(r2, OrderKind.ENROLMENT, date(2026, 1, 10), director)
    _order(r3, OrderKind.ENROLMENT, date(2025, 10, 1), director)
    _order(r4, OrderKind.ENROLMENT, date(2026, 2, 1), director)
    _order(r5, OrderKind.ENROLMENT, date(2025, 9, 1), director)
    _order(r5, OrderKind.DISCHARGE, date(2025, 11, 30), director)
    composition = Composition.objects.create(
        order_number="1", order_date=date(2025, 1, 9), approved_by=director
    )
    meeting = Meeting.objects.create(
        department=dept_a,
        held_on=date(2025, 12, 18),
        year=2025,
        number=1,
        composition=composition,
        prepared_by=head,
    )
    item = AgendaItem.objects.create(meeting=meeting, position=1, recipient=r2, inputs="—")
    Decision.objects.create(
        item=item, kind=DecisionKind.DISCHARGE, ground="refusal", recorded_by=head
    )
    for d in (date(2025, 12, 10), date(2025, 12, 16), date(2025, 12, 17), date(2025, 12, 18)):
        _record(r1, dept_a, "2.3.2", d, 20, specialist)
    for d in (date(2026, 1, 12), date(2026, 1, 13)):
        _record(r1, dept_a, "2.3.2", d, 20, specialist)
    _record(r2, dept_a, "2.3.2", date(2025, 12, 16), 20, specialist, RecordStatus.CANCELLED)
    _record(r3, dept_a, "4.1.3", date(2025, 12, 17), 40, specialist)
    _record(r3, dept_b, "4.1.3", date(2025, 12, 18), 40, specialist_b)
    return {"r1": r1, "r2": r2, "r3": r3, "r4": r4, "r5": r5}


def _figures(report: statistics.Report) -> dict[str, list]:
    return {
        f"{t.title}|{r.label}": [c.value for c in r.cells]
        for sec in report.sections
        for t in sec.tables
        for r in t.rows
    }


def test_child_served_many_times_counts_once_and_readmission_once(centre, director):
    """A child served five times is one recipient; a discharge and readmission in the period is
    one recipient with two stays (O12, O23)."""
    scope = Scope(director)
    assert s.served(scope, PERIOD).count() == 3
    assert s.orders_in(scope, PERIOD, OrderKind.ENROLMENT).count() == 1
    assert s.orders_in(scope, PERIOD, OrderKind.DISCHARGE).count() == 1
    assert s.person_days(scope, PERIOD) == 32 + 6 + 6 + 32


def test_age_sex_table_on_the_last_day_of_a_period_crossing_a_year(centre, director):
    table = s.served_by_age_and_sex(Scope(director), PERIOD)
    assert table["10-13"] == {"male": 1, "female": 0, "all": 1}
    assert table["14-17"] == {"male": 1, "female": 1, "all": 2}
    assert table["3-6"]["all"] == table["7-9"]["all"] == 0
    assert table["total"] == {"male": 2, "female": 1, "all": 3}


def test_circumstances_of_1_4_count_each_child_in_each_of_its_circumstances_O1(centre, director):
    counts = s.served_by_circumstance(
        Scope(director), PERIOD, ["adaptation", "family_conflict", "damage"]
    )
    assert counts == {"adaptation": 2, "family_conflict": 1, "damage": 1}


def test_discharges_by_the_ground_of_the_consilium_decision_O23(centre, director):
    assert s.discharges_by_ground(Scope(director), PERIOD) == {"refusal": 1}


def test_services_by_kind_count_services_recipients_and_minutes_O2(centre, director):
    by_kind = s.services_by_kind(Scope(director), PERIOD)
    assert by_kind["social_medical"] == {"services": 5, "recipients": 1, "minutes": 100}
    assert by_kind["social_pedagogical"] == {"services": 2, "recipients": 1, "minutes": 80}
    assert set(by_kind) == {"social_medical", "social_pedagogical"}  # cancelled: nowhere
    totals = s.services_totals(Scope(director), PERIOD, urgent=False)
    assert totals == {"services": 7, "recipients": 2, "minutes": 180}


def test_a_service_split_between_two_departments_counts_where_it_was_given(
    centre, director, dept_a, dept_b
):
    a = s.services_by_kind(Scope(director, dept_a.pk), PERIOD)
    b = s.services_by_kind(Scope(director, dept_b.pk), PERIOD)
    assert a["social_pedagogical"] == {"services": 1, "recipients": 1, "minutes": 40}
    assert b["social_pedagogical"] == {"services": 1, "recipients": 1, "minutes": 40}
    assert "social_medical" not in b


def test_months_of_a_period_crossing_a_year(centre, director):
    moves = s.movements_by_month(Scope(director), PERIOD)
    assert moves == {
        date(2025, 12, 1): {"admitted": 0, "discharged": 1},
        date(2026, 1, 1): {"admitted": 1, "discharged": 0},
    }
    by_month = s.services_by_month(Scope(director), PERIOD)
    assert by_month[date(2025, 12, 1)] == {"social_medical": 3, "social_pedagogical": 2}
    assert by_month[date(2026, 1, 1)] == {"social_medical": 2}


def test_head_sees_only_the_department(centre, head, head_b):
    report_a = _figures(statistics.build(Scope(head, head.department_id), PERIOD))
    key = "Получатели социальных услуг|Обслужено получателей (каждый один раз)"
    assert report_a[key] == [2]
    assert report_a["Получатели социальных услуг|Человеко-дни пребывания"] == [44]
    report_b = _figures(statistics.build(Scope(head_b, head_b.department_id), PERIOD))
    assert report_b[key] == [1]


def test_the_administrator_and_the_registrar_get_nothing(centre, administrator, registrar):
    for user in (administrator, registrar):
        assert s.served(Scope(user), PERIOD).count() == 0
        assert s.services_totals(Scope(user), PERIOD)["services"] == 0


def test_a_report_run_twice_gives_the_same_figures(centre, director):
    first = _figures(statistics.build(Scope(director), PERIOD))
    second = _figures(statistics.build(Scope(director), PERIOD))
    assert first == second
    assert first["Получатели социальных услуг|Зачислено"] == [1]


# --- Views: roles, forms, formats -------------------------------------------------------------

RANGE = {"kind": "range", "date_from": "15.12.2025", "date_to": "15.01.2026"}


@pytest.mark.parametrize("who", ["specialist", "registrar", "administrator"])
def test_report_pages_refuse_other_roles(client, centre, who, request):
    login(client, request.getfixturevalue(who))
    for name in ("stats:statistics", "stats:statistics_xlsx", "stats:statistics_pdf"):
        assert client.get(reverse(name), RANGE).status_code == 403
    assert client.get(reverse("stats:register_extract")).status_code == 403


def test_report_page_wrong_method(client, centre, director):
    login(client, director)
    assert client.post(reverse("stats:statistics"), RANGE).status_code == 405


def test_report_page_shows_figures_with_links(client, centre, director):
    login(client, director)
    response = client.get(reverse("stats:statistics"), RANGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "с 15.12.2025 по 15.01.2026" in html
    assert "served_from=15.12.2025&amp;served_to=15.01.2026" in html


def test_head_cannot_choose_another_department(client, centre, head, dept_b):
    login(client, head)
    response = client.get(reverse("stats:statistics"), {**RANGE, "department": dept_b.pk})
    report = response.context["report"]
    assert report.department == head.department
    figures = _figures(report)
    assert figures["Получатели социальных услуг|Обслужено получателей (каждый один раз)"] == [2]


def test_bad_period_is_explained_next_to_the_field(client, centre, director):
    login(client, director)
    response = client.get(
        reverse("stats:statistics"),
        {"kind": "range", "date_from": "15.01.2026", "date_to": "31.02.2026"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["date_to"]
    assert 'value="15.01.2026"' in response.content.decode()  # what was typed is kept
    response = client.get(
        reverse("stats:statistics"),
        {"kind": "range", "date_from": "15.01.2026", "date_to": "01.01.2026"},
    )
    assert response.context["form"].errors["date_to"] == ["Конец периода раньше начала."]


def test_month_quarter_and_year_periods(client, centre, director):
    login(client, director)
    for params, label in (
        ({"kind": "month", "year": "2025", "month": "12"}, "декабрь 2025 г."),
        ({"kind": "quarter", "year": "2025", "quarter": "4"}, "4 квартал 2025 г."),
        ({"kind": "year", "year": "2026"}, "2026 год"),
    ):
        response = client.get(reverse("stats:statistics"), params)
        assert label in response.content.decode()
    response = client.get(reverse("stats:statistics"), {"kind": "month", "year": "2025"})
    assert response.context["form"].errors["month"] == ["Выберите месяц."]


def test_report_xlsx_holds_the_same_figures(client, centre, director):
    import io

    from openpyxl import load_workbook

    login(client, director)
    response = client.get(reverse("stats:statistics_xlsx"), RANGE)
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    rows = {r[0]: r[1:] for r in wb["1. Получатели"].iter_rows(values_only=True) if r}
    assert rows["Обслужено получателей (каждый один раз)"][0] == 3
    assert rows["Человеко-дни пребывания"][0] == 76
    services = {r[0]: r[1:4] for r in wb["2. Социальные услуги"].iter_rows(values_only=True)}
    assert services["Социально-медицинские"] == (5, 1, 100)


def test_report_pdf_is_signed_by_the_director(client, centre, director):
    import io

    from pypdf import PdfReader

    login(client, director)
    response = client.get(reverse("stats:statistics_pdf"), RANGE)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "СТАТИСТИЧЕСКИЙ ОТЧЁТ" in text and "Период: с 15.12.2025 по 15.01.2026" in text
    assert "Директор" in text and "Петрова А. С." in text


def test_report_page_queries_do_not_grow_with_the_data(
    client, centre, director, dept_a, specialist
):
    """The page asks the same queries however many records the period holds; on PostgreSQL
    the report's figures are one round trip (`report_figures`)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from recipients.models import Circumstance

    login(client, director)
    client.get(reverse("stats:statistics"), RANGE)  # the statements are built once
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("stats:statistics"), RANGE).status_code == 200
    for i in range(4):
        more = RecipientFactory(department=dept_a, circumstances=["adaptation"])
        _order(more, OrderKind.ENROLMENT, date(2025, 12, 1 + i), director)
        _record(more, dept_a, "2.3.2", date(2025, 12, 20), 30, specialist)
        _record(more, dept_a, "4.1.3", date(2026, 1, 5), 40, specialist)
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse("stats:statistics"), RANGE)
    figures = _figures(response.context["report"])
    assert figures["Получатели социальных услуг|Обслужено получателей (каждый один раз)"] == [7]
    assert len(large.captured_queries) == len(small.captured_queries)
    with CaptureQueriesContext(connection) as report:
        s.report_figures(Scope(director), PERIOD, tuple(Circumstance.values))
    if connection.vendor == "postgresql":
        assert len(report.captured_queries) == 1
