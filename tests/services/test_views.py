"""Views of the services app: login, scoping (404 outside the department), roles (403), wrong
methods (405), bad input answered in Russian, constant queries on the journal."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from organisation.versioning import version_of
from services import actions
from services.models import GroupSession, Per, ServiceRecord, UrgentServiceAct
from tests.conftest import login
from tests.reports.test_pdf import pdf_text
from tests.services.factories import (
    EnrolledRecipientFactory,
    ProgrammeFactory,
    ProgrammeLineFactory,
    ServiceRecordFactory,
    service,
)

pytestmark = pytest.mark.django_db
DAY = date(2026, 11, 19)


@pytest.fixture
def record(child, psychologist):
    ProgrammeLineFactory(programme=ProgrammeFactory(recipient=child), service=service("3.1.1"))
    return actions.log_service(
        recipient=child,
        service=service("3.1.1"),
        provider=psychologist,
        date=DAY,
        duration_minutes=30,
    )


@pytest.fixture
def record_b(child_b, specialist_b):
    return actions.log_service(
        recipient=child_b,
        service=service("6.2"),
        provider=specialist_b,
        date=DAY,
        duration_minutes=20,
        reason_outside_programme="острая ситуация",
    )


GET_PAGES = [
    "services:catalogue",
    "agenda:my_day",
    "services:journal",
    "services:programmes",
    "services:compliance",
    "services:urgent_acts",
    "services:log",
    "services:log_group",
    "services:urgent_act_new",
]


@pytest.mark.parametrize("name", GET_PAGES)
def test_pages_need_a_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize("name", GET_PAGES)
def test_pages_open_for_a_specialist(client, specialist, frozen_today, name):
    assert login(client, specialist).get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", ["services:log", "services:log_group", "services:urgent_act_new"])
def test_director_registrar_and_administrator_may_not_log(
    client, director, registrar, administrator, name
):
    for user in (director, registrar, administrator):
        assert login(client, user).get(reverse(name)).status_code == 403


def test_the_catalogue_is_readable_by_every_role(client, registrar, administrator):
    for user in (registrar, administrator):
        response = login(client, user).get(reverse("services:catalogue"))
        assert "Умывание лица" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("services:record", "get"),
        ("services:record_correct", "post"),
        ("services:record_cancel", "post"),
    ],
)
def test_a_record_of_another_department_answers_404(client, specialist, record_b, name, method):
    response = getattr(login(client, specialist), method)(reverse(name, args=[record_b.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize(
    "name",
    [
        "services:record_correct",
        "services:record_cancel",
        "agenda:my_day_log_line",
        "services:urgent_act_signed",
        "services:line_refuse",
        "services:programme_add_line",
    ],
)
def test_post_only_views_refuse_get(client, specialist, record, name):
    assert login(client, specialist).get(reverse(name, args=[1])).status_code == 405


def test_registrar_sees_no_journal_records(client, registrar, record):
    """The registrar keeps the appeals: the journal of services is refused, not an empty list."""
    response = login(client, registrar).get(reverse("services:journal"))
    assert response.status_code == 403
    assert record.recipient.last_name not in response.content.decode()


def test_the_journal_shows_only_the_department(client, specialist, record, record_b):
    response = login(client, specialist).get(reverse("services:journal"))
    assert list(response.context["page_obj"]) == [record]


def test_director_sees_every_department_and_may_filter_one(
    client, director, record, record_b, dept_b
):
    login(client, director)
    assert len(client.get(reverse("services:journal")).context["page_obj"]) == 2
    response = client.get(reverse("services:journal"), {"department": dept_b.pk})
    assert list(response.context["page_obj"]) == [record_b]


@pytest.mark.parametrize("n", [5, 50])
def test_the_journal_keeps_a_constant_number_of_queries(
    client, specialist, child, frozen_today, django_assert_num_queries, n
):
    ServiceRecordFactory.create_batch(
        n, recipient=child, provider=specialist, date=DAY, department=child.department
    )
    login(client, specialist)
    # session, user, savepoints, department of the menu (permissions come from the role table,
    # no query), unread notifications of the bell, the service filter's choices (one query of
    # values), count and page of records: the same for any number of records
    with django_assert_num_queries(9):
        response = client.get(reverse("services:journal"))
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == n


def test_a_journal_longer_than_the_cap_says_it_shows_the_first_records(
    client, specialist, child, frozen_today, monkeypatch
):
    """A year of the centre is not counted to the end: the page counts up to the cap, says
    that it shows the first ones, and its pages stop there (the export has them all)."""
    from services import views

    monkeypatch.setattr(views, "JOURNAL_COUNT_CAP", 4)
    monkeypatch.setattr(views, "JOURNAL_PAGE", 2)
    ServiceRecordFactory.create_batch(
        5, recipient=child, provider=specialist, date=DAY, department=child.department
    )
    login(client, specialist)
    response = client.get(reverse("services:journal"))
    paginator = response.context["page_obj"].paginator
    assert (paginator.count, paginator.num_pages, paginator.capped) == (4, 2, True)
    text = " ".join(response.content.decode().split())
    assert "показаны первые 4 записи: уточните период или выгрузите список" in text
    assert "всего" not in text.split("Страница 1 из 2")[1][:40]

    monkeypatch.setattr(views, "JOURNAL_COUNT_CAP", 5)  # exactly the cap: counted in full
    response = client.get(reverse("services:journal"))
    assert not response.context["page_obj"].paginator.capped
    assert "(всего 5)" in response.content.decode()


def test_the_journal_rows_show_each_records_cells_P14(client, specialist, child, frozen_today):
    """The page's rows are formatted in the view: the child's short name or the family, the
    time, the code with the name cut at 50 characters, the group, the provider, the basis, the
    record's link and a cancelled record struck through."""
    from datetime import time

    from tests.factories import FamilyFactory

    dept = child.department
    long_name = service("1.1")
    assert len(long_name.name) > 50
    family = FamilyFactory(department=dept, name="семья Журавлёвых")
    by_programme = ServiceRecordFactory(
        recipient=child,
        provider=specialist,
        department=dept,
        date=DAY,
        start_time=time(9, 5),
        programme_line=ProgrammeLineFactory(
            programme=ProgrammeFactory(recipient=child), service=long_name
        ),
        service=long_name,
    )
    cancelled = ServiceRecordFactory(
        recipient=None,
        family=family,
        provider=specialist,
        department=dept,
        date=date(2026, 11, 18),
        duration_minutes=45,
        reason_outside_programme="по запросу представителя",
        status="cancelled",
        cancellation_reason="ошибка",
        group=GroupSession.objects.create(
            department=dept,
            service=long_name,
            provider=specialist,
            date=date(2026, 11, 18),
            duration_minutes=45,
        ),
    )
    html = login(client, specialist).get(reverse("services:journal")).content.decode()
    rows = html.split("<tbody>")[1].split("</tbody>")[0].split("</tr>")
    name = long_name.name[:49] + "…"
    assert "<tr>\n    <td>19.11.2026</td>\n    <td>09:05</td>\n    <td>Орлов И. " in rows[0]
    assert f'<span class="fw-semibold">{long_name.code}</span> {name}</td>' in rows[0]
    assert f"<td>{specialist.short_name}</td>" in rows[0]
    assert '<td class="small">по программе</td>' in rows[0]
    assert "группа" not in rows[0]
    assert f'href="{by_programme.get_absolute_url()}"' in rows[0]
    assert '<tr class="text-decoration-line-through text-muted">' in rows[1]
    assert "<td>18.11.2026</td>\n    <td></td>\n    <td>семья Журавлёвых</td>" in rows[1]
    assert '<span class="badge text-bg-info">группа</span>' in rows[1]
    assert "<td>45</td>" in rows[1]
    assert '<td class="small">по запросу представителя</td>' in rows[1]
    assert f'href="{cancelled.get_absolute_url()}"' in rows[1]


def test_the_journals_service_filter_offers_the_leaves_and_keeps_the_choice(
    client, specialist, record, frozen_today
):
    chosen = service("3.1.1")
    response = login(client, specialist).get(reverse("services:journal"), {"service": chosen.pk})
    html = response.content.decode()
    select = html.split('<select name="service"')[1].split("</select>")[0]
    from django.utils.html import escape

    from services.forms import ServiceChoiceField
    from services.models import Service

    # the labels of the model field's own choices, one option per leaf
    field = ServiceChoiceField(queryset=Service.objects.leaves().select_related("parent"))
    options = [(str(s.pk), field.label_from_instance(s)) for s in field.queryset]
    assert select.count("<option") == len(options) + 1
    for pk, label in options:
        selected = " selected" if pk == str(chosen.pk) else ""
        assert f'<option value="{pk}"{selected}>{escape(label)}</option>' in select
    assert select.count(" selected") == 1
    assert list(response.context["page_obj"]) == [record]


def test_logging_a_service_through_the_form_P14(client, psychologist, child):
    ProgrammeLineFactory(programme=ProgrammeFactory(recipient=child), service=service("3.1.1"))
    response = login(client, psychologist).post(
        reverse("services:log"),
        {
            "recipient": child.pk,
            "service": service("3.1.1").pk,
            "date": "19.11.2026",
            "start_time": "10:00",
            "duration_minutes": "40",
        },
    )
    assert response.status_code == 302
    assert ServiceRecord.objects.get().provider == psychologist


def test_bad_input_is_answered_in_russian_next_to_the_field_O29(client, psychologist, child):
    response = login(client, psychologist).post(
        reverse("services:log"),
        {
            "recipient": child.pk,
            "service": service("3.1.1").pk,
            "date": "31.02.2026",
            "duration_minutes": "90",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["date"] == [
        "Введите дату в виде дд.мм.гггг, например 01.09.2026."
    ]
    response = login(client, psychologist).post(
        reverse("services:log"),
        {
            "recipient": child.pk,
            "service": service("3.1.1").pk,
            "date": "19.11.2026",
            "duration_minutes": "90",
        },
    )
    errors = response.context["form"].errors
    assert errors["duration_minutes"] == ["Услуга 3.1.1 оказывается не более 60 мин."]
    assert "нет в индивидуальной программе" in errors["reason_outside_programme"][0]
    assert not ServiceRecord.objects.exists()


def test_a_child_of_another_department_cannot_be_chosen(client, specialist, child_b):
    response = login(client, specialist).post(
        reverse("services:log"),
        {
            "recipient": child_b.pk,
            "service": service("3.2").pk,
            "date": "19.11.2026",
            "duration_minutes": "20",
            "reason_outside_programme": "x",
        },
    )
    assert response.status_code == 400
    assert "recipient" in response.context["form"].errors


def test_a_group_of_ten_is_one_request_with_bounded_queries_P14(
    client, specialist, dept_a, frozen_today, django_assert_max_num_queries
):
    children = EnrolledRecipientFactory.create_batch(10, department=dept_a)
    for c in children:
        ProgrammeLineFactory(
            programme=ProgrammeFactory(recipient=c), service=service("4.2.1"), per=Per.MONTH
        )
    login(client, specialist)
    data = {
        "service": service("4.2.1").pk,
        "recipients": [c.pk for c in children],
        "date": "19.11.2026",
        "start_time": "14:00",
        "duration_minutes": "120",
        "escorts": "1",
        "next": reverse("services:my_day"),
    }
    with django_assert_max_num_queries(25):
        response = client.post(reverse("services:log_group"), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("services:my_day")
    assert GroupSession.objects.get().records.count() == 10


def test_the_escort_limit_is_answered_next_to_the_escorts_field_O3_O34(
    client, specialist, dept_a, frozen_today
):
    children = EnrolledRecipientFactory.create_batch(12, department=dept_a)
    response = login(client, specialist).post(
        reverse("services:log_group"),
        {
            "service": service("4.2.1").pk,
            "recipients": [c.pk for c in children],
            "date": "19.11.2026",
            "duration_minutes": "120",
            "is_outing": "on",
            "escorts": "1",
            "reason_outside_programme": "по плану работы",
        },
    )
    assert response.status_code == 400
    assert "нужно сопровождающих не меньше 2" in response.context["form"].errors["escorts"][0]


def test_correction_and_cancellation_through_the_record_page(client, psychologist, record):
    login(client, psychologist)
    version = version_of(record)  # as the form's hidden field sends it
    response = client.post(
        reverse("services:record_correct", args=[record.pk]),
        {"date": "19.11.2026", "duration_minutes": "75", "version": version},
    )
    assert response.status_code == 400
    assert "не более 60" in response.context["correct_form"].errors["duration_minutes"][0]
    client.post(
        reverse("services:record_correct", args=[record.pk]),
        {"date": "19.11.2026", "duration_minutes": "50", "version": version},
    )
    client.post(reverse("services:record_cancel", args=[record.pk]), {"reason": "ошибка"})
    record.refresh_from_db()
    assert (record.duration_minutes, record.status) == (50, "cancelled")
    page = client.get(reverse("services:record", args=[record.pk])).content.decode()
    assert "Запись отменена" in page


def test_director_may_read_but_not_change_a_record(client, director, record):
    login(client, director)
    assert client.get(reverse("services:record", args=[record.pk])).status_code == 200
    response = client.post(reverse("services:record_cancel", args=[record.pk]), {"reason": "x"})
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("source", "shown", "link"),
    [
        ("patronage.visit:7", "посещение семьи (социальный патронаж)", "/patronage/visits/7/"),
        (
            "rehab_programs.diagnostic:5",
            "диагностика и обследование личности",
            "/rehab/recipients/",
        ),
        ("demo", "демонстрационные данные", None),
    ],
)
def test_a_record_page_names_where_the_record_came_from(
    client, psychologist, record, source, shown, link
):
    """The page said «Источник rehab_programs.diagnostic:59»: the code's key, not a name."""
    ServiceRecord.objects.filter(pk=record.pk).update(source=source)
    page = login(client, psychologist).get(reverse("services:record", args=[record.pk]))
    html = page.content.decode()
    assert source not in html
    origin = html.split('data-testid="record-origin">')[1].split("</dd>")[0]
    assert shown in origin
    assert (link in origin) if link else ("<a" not in origin)


def test_journal_xlsx_for_a_period_and_department(client, specialist, record, record_b):
    response = login(client, specialist).get(
        reverse("services:journal_xlsx"), {"date_from": "01.11.2026", "date_to": "30.11.2026"}
    )
    ws = load_workbook(io.BytesIO(response.content)).active
    assert "с 01.11.2026 по 30.11.2026" in ws["A1"].value
    assert "Отделение дневного пребывания" in ws["A1"].value
    names = [ws.cell(r, 3).value for r in range(4, ws.max_row + 1)]
    assert names == [record.recipient.full_name]


def test_journal_pdf_for_a_period(client, specialist, record, record_b):
    response = login(client, specialist).get(
        reverse("services:journal_pdf"), {"date_from": "01.11.2026", "date_to": "30.11.2026"}
    )
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Орлов Иван" in text
    assert "Белов" not in text


# --- programmes and refusals ---------------------------------------------------------------


def test_drawing_up_a_programme_and_planning_a_service_O2_O4(client, specialist, child):
    login(client, specialist)
    response = client.post(
        reverse("services:recipient", args=[child.pk]),
        {"number": "7", "drawn_up_on": "01.09.2026", "valid_from": "01.09.2026"},
    )
    programme = child.service_programmes.get()
    assert response["Location"] == programme.get_absolute_url()
    assert programme.is_permanent
    response = client.post(
        reverse("services:programme_add_line", args=[programme.pk]),
        {"service": service("1.7.1").pk, "count": "1", "per": Per.DAY},
    )
    assert response.status_code == 400
    assert response.context["line_form"].errors["count"] == [
        "По Порядку услуга 1.7.1 оказывается не реже 2 раз в день."
    ]
    client.post(
        reverse("services:programme_add_line", args=[programme.pk]),
        {"service": service("1.7.1").pk, "count": "2", "per": Per.DAY},
    )
    assert programme.lines.get().frequency_text == "не реже 2 раз в день"


def test_a_temporary_programme_has_an_end_O4(client, specialist, child):
    login(client, specialist).post(
        reverse("services:recipient", args=[child.pk]),
        {"drawn_up_on": "01.09.2026", "valid_from": "01.09.2026", "valid_until": "31.12.2026"},
    )
    programme = child.service_programmes.get()
    assert not programme.is_permanent
    assert programme.term_text == "с 01.09.2026 по 31.12.2026"


def test_programme_pages_of_another_department_answer_404(client, specialist, child_b):
    programme = ProgrammeFactory(recipient=child_b)
    login(client, specialist)
    assert client.get(reverse("services:recipient", args=[child_b.pk])).status_code == 404
    assert client.get(reverse("services:programme", args=[programme.pk])).status_code == 404


def test_a_refusal_is_recorded_and_printed_as_a_statement_O7(client, specialist, child):
    child.birth_date = date(2011, 3, 1)  # 15: old enough to sign the refusal himself (O7)
    child.save(update_fields=["birth_date"])
    line = ProgrammeLineFactory(
        programme=ProgrammeFactory(recipient=child), service=service("3.1.1")
    )
    login(client, specialist)
    response = client.post(
        reverse("services:line_refuse", args=[line.pk]),
        {"signed_on": "31.12.2026", "reason": ""},
    )
    assert response.status_code == 400
    assert response.context["refusal_form"].errors["signed_on"] == [
        "Дата отказа не может быть в будущем."
    ]
    client.post(
        reverse("services:line_refuse", args=[line.pk]),
        {"signed_on": "16.11.2026", "reason": "посещает психолога по месту жительства"},
    )
    line.refresh_from_db()
    assert line.refused_on == date(2026, 11, 16)
    refusal = line.refusals.get()
    text = pdf_text(client.get(reverse("services:refusal_pdf", args=[refusal.pk])).content)
    assert "Заявление" in text
    assert "от Орлова Ивана" in text  # the recipient, declined
    assert "3.1.1" in text
    assert "16.11.2026" in text


# --- programmes ----------------------------------------------------------------------------


def test_the_programmes_list_shows_the_childrens_programmes_in_force_O2_O4(
    client, head, child, child_b, frozen_today
):
    in_force = ProgrammeFactory(recipient=child, number="7")
    ProgrammeFactory(  # ended before today
        recipient=child, valid_from=date(2026, 1, 1), valid_until=date(2026, 8, 31)
    )
    ProgrammeFactory(recipient=child_b)
    without = EnrolledRecipientFactory(department=child.department, last_name="Яшин")
    response = login(client, head).get(reverse("services:programmes"))
    rows = response.context["rows"]
    assert [row.child for row in rows] == [child, without]
    assert [p for p, _url in rows[0].programmes] == [in_force]
    assert rows[1].programmes == []
    page = response.content.decode()
    assert f'<a href="{in_force.get_absolute_url()}">ИППСУ № 7 от ' in page
    assert "(с 01.09.2026, бессрочно)" in page
    assert reverse("services:recipient", args=[child.pk]) in page
    assert reverse("services:recipient_compliance", args=[without.pk]) in page
    assert child_b.last_name not in page


@pytest.mark.parametrize("n", [3, 60])
def test_the_programmes_list_is_paginated_with_a_constant_number_of_queries(
    client, head, dept_a, frozen_today, django_assert_num_queries, n
):
    for child in EnrolledRecipientFactory.create_batch(n, department=dept_a):
        ProgrammeFactory(recipient=child)
    login(client, head)
    # the request's own (session, user, menu, bell), then the count, the page of children and
    # their programmes in force: the same for any number of children
    with django_assert_num_queries(9):
        response = client.get(reverse("services:programmes"))
    assert response.context["page_obj"].paginator.count == n
    assert len(response.context["rows"]) == min(n, 50)
    assert all(len(row.programmes) == 1 for row in response.context["rows"])


# --- compliance ----------------------------------------------------------------------------


def test_compliance_lists_shortfalls_for_the_head_O18(client, head, child, specialist):
    ProgrammeLineFactory(
        programme=ProgrammeFactory(recipient=child), service=service("2.3.2"), count=3
    )
    for d in (date(2026, 11, 9), date(2026, 11, 11), date(2026, 11, 13), date(2026, 11, 16)):
        ServiceRecordFactory(recipient=child, provider=specialist, date=d)
    response = login(client, head).get(
        reverse("services:compliance"), {"date_from": "09.11.2026", "date_to": "19.11.2026"}
    )
    rows = response.context["with_shortfalls"]
    assert [r.recipient for r in rows] == [child]
    [(_line, check)] = rows[0].shortfalls
    assert (check.start, check.end, check.planned, check.delivered) == (
        date(2026, 11, 16),
        date(2026, 11, 19),
        2,  # the week is cut by the end of the period: 4 of its 5 working days, 3 * 4 // 5
        1,
    )
    assert "Орлов" in response.content.decode()


def test_compliance_groups_the_shortfalls_by_child_and_line_O18(client, head, child, specialist):
    child.last_name = "Орлов<b>"
    child.save()
    for code in ("2.3.2", "3.1.1"):
        ProgrammeLineFactory(
            programme=ProgrammeFactory(recipient=child), service=service(code), count=3
        )
    ServiceRecordFactory(recipient=child, provider=specialist, date=date(2026, 11, 10))
    response = login(client, head).get(
        reverse("services:compliance"), {"date_from": "02.11.2026", "date_to": "15.11.2026"}
    )
    [row] = response.context["with_shortfalls"]
    assert len(row.shortfalls) == 4  # two weeks of two lines
    html = response.content.decode()
    table = html[html.index('data-testid="shortfalls"') : html.index("По детям")]
    url = reverse("services:recipient_compliance", args=[child.pk])
    # the child's cell spans its four rows, each line's cells its two weeks
    assert table.count("<tr>") == 1 + 4
    assert table.count(f'<td rowspan="4"><a href="{url}?date_from=02.11.2026&amp;') == 1
    assert table.count('<td rowspan="2">2.3.2 ') == 1
    assert table.count('<td rowspan="2">не реже 3 раз в неделю</td>') == 2
    assert "02.11.2026–08.11.2026</td><td>3</td><td>0</td>" in table
    assert "09.11.2026–15.11.2026</td><td>3</td><td>1</td>" in table
    assert "Орлов&lt;b&gt;" in table and "Орлов<b>" not in html


@pytest.mark.parametrize("n", [2, 12])
def test_compliance_keeps_a_constant_number_of_queries(
    client, head, dept_a, specialist, frozen_today, django_assert_num_queries, n
):
    for child in EnrolledRecipientFactory.create_batch(n, department=dept_a):
        programme = ProgrammeFactory(recipient=child)
        for code in ("2.3.2", "3.1.1", "6.2"):
            ProgrammeLineFactory(programme=programme, service=service(code), count=2)
        ServiceRecordFactory(recipient=child, provider=specialist, date=date(2026, 11, 10))
    login(client, head)
    # the request's own, then the count and the page of children, their lines with their
    # programmes and services (one query), the services delivered, the year's calendar
    # corrections (the working days of the norms)
    with django_assert_num_queries(11):
        response = client.get(
            reverse("services:compliance"), {"date_from": "01.11.2026", "date_to": "19.11.2026"}
        )
    assert len(response.context["rows"]) == n
    assert all(len(row.lines) == 3 for row in response.context["rows"])


def test_compliance_reads_its_lines_as_the_orm_would(child, django_assert_num_queries):
    """The lines of the compliance pages are read by one query written out (`_shown_lines`):
    the same lines and values as the ORM reads, the other columns deferred (read when asked);
    not an archived programme's, nor a programme's out of the period."""
    from django.utils import timezone

    from services import selectors
    from services.models import ProgrammeLine

    programme = ProgrammeFactory(recipient=child)
    for code in ("2.3.2", "3.1.1", "6.2"):
        ProgrammeLineFactory(programme=programme, service=service(code), count=2)
    others = EnrolledRecipientFactory.create_batch(3, department=child.department)
    for other, programme_of in zip(
        others,
        (
            {"valid_until": date(2026, 10, 31)},
            {"valid_from": date(2026, 12, 1)},
            {"archived_at": timezone.now()},
        ),
        strict=True,
    ):
        ProgrammeLineFactory(
            programme=ProgrammeFactory(recipient=other, **programme_of), service=service("6.2")
        )
    ids = [child.pk, *(other.pk for other in others)]

    def shown(lines):
        return [
            (
                line.pk,
                line.count,
                line.per,
                line.start(),
                line.end(),
                line.frequency_text,
                line.programme.recipient_id,
                line.service.code,
                line.service.display_name,
            )
            for line in lines
        ]

    with django_assert_num_queries(1):
        lines = selectors._shown_lines(ids, date(2026, 11, 1), date(2026, 11, 30))
        built = shown(lines)
    orm = ProgrammeLine.objects.filter(programme=programme).order_by(
        "service__category__position", "service__position"
    )
    assert built == shown(orm)
    assert "notes" in lines[0].get_deferred_fields()
    assert not lines[0]._state.adding
    with django_assert_num_queries(1):
        assert lines[0].notes == orm[0].notes


def test_compliance_lists_each_child_with_its_sums_or_says_there_are_none(
    client, head, child, specialist
):
    ProgrammeLineFactory(
        programme=ProgrammeFactory(recipient=child), service=service("2.3.2"), count=3
    )
    ServiceRecordFactory(recipient=child, provider=specialist, date=date(2026, 11, 10))
    login(client, head)
    html = client.get(
        reverse("services:compliance"), {"date_from": "02.11.2026", "date_to": "15.11.2026"}
    ).content.decode()
    url = reverse("services:recipient_compliance", args=[child.pk])
    assert (
        f'<tr><td><a href="{url}?date_from=02.11.2026&amp;date_to=15.11.2026">'
        f"{child.full_name}</a></td><td>6</td><td>1</td><td>2</td></tr>"
    ) in html
    html = client.get(
        reverse("services:compliance"), {"date_from": "02.11.2020", "date_to": "15.11.2020"}
    ).content.decode()
    assert "Нет детей в обслуживании за период." in html


def test_compliance_period_errors_are_in_russian(client, specialist):
    response = login(client, specialist).get(
        reverse("services:compliance"), {"date_from": "20.11.2026", "date_to": "01.11.2026"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["date_to"] == ["Конец периода раньше начала."]


@pytest.mark.parametrize("name", ["services:compliance", "services:recipient_compliance"])
def test_compliance_period_at_the_end_of_the_calendar_is_refused_in_russian(
    client, specialist, child, name
):
    """31.12.9999 is a date Python can hold, but not the week after it: the norms' weeks and
    months of such a period were a server error."""
    args = [child.pk] if name == "services:recipient_compliance" else []
    response = login(client, specialist).get(
        reverse(name, args=args), {"date_from": "01.01.9999", "date_to": "31.12.9999"}
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "слишком далеко" in errors["date_from"][0]
    assert 'value="31.12.9999"' in response.content.decode()


def test_recipient_compliance_of_another_department_answers_404(client, specialist, child_b):
    response = login(client, specialist).get(
        reverse("services:recipient_compliance", args=[child_b.pk])
    )
    assert response.status_code == 404


# --- urgent services -----------------------------------------------------------------------


def test_an_urgent_act_is_drawn_up_printed_and_signed_O11_O22(client, specialist, child):
    login(client, specialist)
    response = client.post(
        reverse("services:urgent_act_new"),
        {
            "recipient": child.pk,
            "number": "3",
            "date": "19.11.2026",
            "services": [service("С.1").pk, service("С.2").pk],
            "conditions": "Ребёнок доставлен полицией ночью, без тёплой одежды.",
        },
    )
    act = UrgentServiceAct.objects.get()
    assert response["Location"] == act.get_absolute_url()
    text = pdf_text(client.get(reverse("services:urgent_act_pdf", args=[act.pk])).content)
    assert "срочных социальных услуг" in text
    assert "Орлову Ивану" in text  # dative
    assert "без тёплой одежды" in text
    response = client.post(
        reverse("services:urgent_act_signed", args=[act.pk]), {"signed_on": "18.11.2026"}
    )
    assert response.status_code == 400
    assert "раньше оказания" in response.context["signed_form"].errors["signed_on"][0]
    client.post(reverse("services:urgent_act_signed", args=[act.pk]), {"signed_on": "20.11.2026"})
    act.refresh_from_db()
    assert act.is_signed
    assert act.history.count() >= 2


def test_an_urgent_act_takes_only_urgent_services_O11(client, specialist, child):
    response = login(client, specialist).post(
        reverse("services:urgent_act_new"),
        {
            "recipient": child.pk,
            "date": "19.11.2026",
            "services": [service("3.2").pk],
            "conditions": "x",
        },
    )
    assert response.status_code == 200
    assert "services" in response.context["form"].errors


def test_an_urgent_act_of_another_department_answers_404(client, specialist, child_b, specialist_b):
    act = actions.draw_up_urgent_act(
        recipient=child_b,
        provider=specialist_b,
        date=DAY,
        services=[service("С.1")],
        conditions="x",
    )
    login(client, specialist)
    assert client.get(reverse("services:urgent_act", args=[act.pk])).status_code == 404
    assert client.get(reverse("services:urgent_act_pdf", args=[act.pk])).status_code == 404


def test_the_specialists_start_page_shows_my_day(client, specialist, child, child_b):
    ProgrammeLineFactory(programme=ProgrammeFactory(recipient=child), service=service("2.3.2"))
    response = login(client, specialist).get(reverse("home"))
    page = response.content.decode()
    assert 'data-testid="my-day-widget"' in page
    assert "Детей в отделении сегодня: <strong>1</strong>" in page
    assert "ещё не отмечено: <strong>1</strong>" in page


def test_a_programme_ending_before_it_starts_is_answered_next_to_the_field_O4(
    client, specialist, child
):
    response = login(client, specialist).post(
        reverse("services:recipient", args=[child.pk]),
        {"drawn_up_on": "01.09.2026", "valid_from": "01.09.2026", "valid_until": "31.08.2026"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "valid_until": ["Дата окончания раньше даты начала."]
    }


def test_the_heads_start_page_shows_shortfalls_of_the_month_O18(client, head, child):
    ProgrammeLineFactory(
        programme=ProgrammeFactory(recipient=child), service=service("2.3.1"), count=1, per="day"
    )
    # daily walks (O29): 13 working days from 02.11 to 19.11 (04.11 is a holiday), none given
    page = login(client, head).get(reverse("home")).content.decode()
    assert 'data-testid="compliance-widget"' in page
    assert "Недовыполнение у детей: <strong>1</strong> из 1" in page
    assert "не оказано услуг по нормам: <strong>13</strong>" in page


def test_a_service_on_a_day_off_is_accepted_with_a_warning_unless_the_centre_worked(
    client, psychologist, child, administrator
):
    """A day-stay centre does not work on Sundays and holidays: the journal warns, unless the
    administrator marked the day as worked (a summer camp)."""
    from organisation.actions import mark_centre_work_day

    data = {
        "recipient": child.pk,
        "service": service("3.2").pk,
        "date": "15.11.2026",  # a Sunday
        "duration_minutes": "20",
        "reason_outside_programme": "острая ситуация",
    }
    response = login(client, psychologist).post(reverse("services:log"), data, follow=True)
    page = response.content.decode()
    assert "15.11.2026 — нерабочий день по производственному календарю" in page
    assert ServiceRecord.objects.count() == 1
    mark_centre_work_day(day=date(2026, 11, 15), note="лагерь", marked_by=administrator)
    response = client.post(reverse("services:log"), data, follow=True)
    assert "нерабочий день" not in response.content.decode()
    assert ServiceRecord.objects.count() == 2


def test_a_refused_cancellation_keeps_the_form_and_the_typed_reason(client, specialist, record):
    """Bad input to cancelling a journal record: the form again with the message next to the
    reason, the typed text kept."""
    response = login(client, specialist).post(
        reverse("services:record_cancel", args=[record.pk]), {"reason": "ошибка " * 60}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["reason"]
    assert ("ошибка " * 60).strip() in response.content.decode()
    record.refresh_from_db()
    assert record.status != "cancelled"


@pytest.mark.parametrize(
    ("nxt", "kept"),
    [
        ("/\\evil.example/", ""),
        ("/\t/evil.example/", ""),
        ("//evil.example/", ""),
        ("/agenda/my-day/?page=2", "/agenda/my-day/?page=2"),
    ],
)
def test_the_log_form_goes_back_only_to_an_address_of_ours(client, specialist, nxt, kept):
    """A browser reads «/\\host» and «/<tab>/host» as «//host»: another site."""
    response = login(client, specialist).get(reverse("services:log"), {"next": nxt})
    assert response.context["next"] == kept
