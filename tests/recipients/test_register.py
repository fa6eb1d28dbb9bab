"""The register of recipients (O26): search, filters, sorting, export, scoping, query count."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from recipients.models import Recipient
from recipients.selectors import register, search_recipients
from tests.factories import FamilyFactory, RecipientFactory
from tests.recipients.factories import valid_snils


@pytest.fixture
def children(dept_a, dept_b):
    fam = FamilyFactory(department=dept_a, name="Семья Орловых")
    return {
        "semyonov": RecipientFactory(
            department=dept_a, last_name="Семёнов", first_name="Артём", snils=valid_snils(3)
        ),
        "ivanova": RecipientFactory(
            department=dept_a,
            last_name="Иванова",
            first_name="Алёна",
            patronymic="Петровна",
            sex="female",
            birth_date=date(2020, 1, 10),
        ),
        "orlov": RecipientFactory(department=dept_a, last_name="Орлов", family=fam),
        "outsider": RecipientFactory(department=dept_b, last_name="Семенова", first_name="Ева"),
    }


def _names(qs):
    return sorted(r.last_name for r in qs)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("семенов", ["Семенова", "Семёнов"]),  # «ё» = «е», lower case finds capitals
        ("СЕМЁНОВ", ["Семенова", "Семёнов"]),
        ("Семёнов Артем", ["Семёнов"]),  # every word must match, in any field
        ("иванова алена петровна", ["Иванова"]),
        ("ИВАНОВА", ["Иванова"]),
        ("орловых", ["Орлов"]),  # by the family's name
        ("сем", ["Семенова", "Семёнов"]),  # not Орлов through «Семья Орловых»
        ("семья", []),  # the generic word of every family's name is not searched
        (valid_snils(3), ["Семёнов"]),  # SNILS typed as printed
        (valid_snils(3).replace("-", "").replace(" ", ""), ["Семёнов"]),  # or as digits
        ("петровн", ["Иванова"]),  # a part of a word
        ("Сидоров", []),
    ],
)
def test_search_is_case_insensitive_for_cyrillic_and_treats_yo_as_e_O26(children, query, expected):
    """Runs on SQLite and on PostgreSQL alike (make test with DATABASE_URL)."""
    assert _names(search_recipients(Recipient.objects.all(), query)) == sorted(expected)


def test_search_follows_a_renamed_family(children, head):
    from recipients import actions

    actions.update_family(family=children["orlov"].family, changed_by=head, name="Семья Соколовых")
    assert _names(search_recipients(Recipient.objects.all(), "соколовых")) == ["Орлов"]


def test_a_search_for_sem_does_not_match_every_child_through_the_family_name_O26(children, dept_a):
    """Every family is «Семья …»: only the surname part of its name is searched, with «ё»
    folded, for the children and for the families themselves (the patronage case list)."""
    from recipients.models import Family

    yo = FamilyFactory(department=dept_a, name="Семья Семёновых", address="ул. Щорса, 1")
    RecipientFactory(department=dept_a, last_name="Петров", family=yo)
    assert _names(search_recipients(Recipient.objects.all(), "сем")) == [
        "Петров",
        "Семенова",
        "Семёнов",
    ]
    assert _names(search_recipients(Recipient.objects.all(), "семеновых")) == ["Петров"]
    assert Family.objects.get(pk=yo.pk).search_text == "семеновых ул. щорса, 1"
    families = Family.objects.filter(search_text__contains="сем")
    assert list(families) == [yo]


def test_specialist_sees_only_their_department_in_the_register(children, specialist, director):
    assert "Семенова" not in _names(register(specialist))
    assert "Семенова" in _names(register(director))


@time_machine.travel(date(2026, 11, 23))
def test_filters_by_status_and_age_band(children, director):
    children["orlov"].first_day_of_stay = date(2026, 9, 1)
    children["orlov"].save()
    assert _names(register(director, status="enrolled")) == ["Орлов"]
    # Иванова, born 10.01.2020, is 6; the others (20.05.2015) are 11.
    assert _names(register(director, age_band="3-6")) == ["Иванова"]
    assert "Иванова" not in _names(register(director, age_band="10-13"))
    assert len(register(director, age_band="10-13")) == 3


def test_sorting(children, director):
    ordered = [r.last_name for r in register(director, sort="-birth")]
    assert ordered[0] == "Иванова"
    by_name = [r.pk for r in register(director, sort="name")]
    assert [r.pk for r in register(director, sort="-name")] == by_name[::-1]


def test_archived_recipients_leave_the_register(children, director):
    from django.utils import timezone

    children["orlov"].archived_at = timezone.now()
    children["orlov"].save()
    assert "Орлов" not in _names(register(director))
    assert _names(register(director, archived=True)) == ["Орлов"]


def test_register_page_searches_and_filters(client, children, specialist):
    client.force_login(specialist)
    response = client.get(reverse("recipients:list"), {"q": "семенов"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Семёнов Артём" in body
    assert "Семенова" not in body  # another department


def test_register_page_refuses_post_and_needs_a_login(client, specialist):
    assert client.get(reverse("recipients:list")).status_code == 302
    client.force_login(specialist)
    assert client.post(reverse("recipients:list")).status_code == 405


@pytest.mark.parametrize("role_user", ["registrar", "administrator"])
def test_roles_without_case_access_are_refused_the_register(client, children, role_user, request):
    client.force_login(request.getfixturevalue(role_user))
    response = client.get(reverse("recipients:list"))
    assert response.status_code == 403
    assert not [c for c in children.values() if c.last_name in response.content.decode()]


def test_export_is_an_xlsx_of_the_current_filter(client, children, specialist):
    client.force_login(specialist)
    response = client.get(reverse("recipients:export"), {"q": "семенов"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
    assert [r[0] for r in rows] == ["Семёнов Артём Сергеевич"]
    assert ws["A3"].value == "ФИО"


def test_export_refuses_post(client, specialist):
    client.force_login(specialist)
    assert client.post(reverse("recipients:export")).status_code == 405


def _make(n, department):
    family = FamilyFactory(department=department)
    for i in range(n):
        RecipientFactory(department=department, family=family, last_name=f"Тестов{i}")


@pytest.mark.parametrize("user_fixture", ["specialist", "director"])
def test_register_keeps_a_constant_number_of_queries_O26(
    client, dept_a, django_assert_num_queries, user_fixture, request
):
    """5 recipients and 200 recipients cost the same number of queries."""
    user = request.getfixturevalue(user_fixture)
    client.force_login(user)
    url = reverse("recipients:list")
    _make(5, dept_a)
    client.get(url)  # warm the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _make(195, dept_a)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.context["page_obj"].paginator.count == 200


def test_export_keeps_a_constant_number_of_queries(client, dept_a, specialist):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(specialist)
    _make(5, dept_a)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("recipients:export"))
    _make(195, dept_a)
    with CaptureQueriesContext(connection) as big:
        client.get(reverse("recipients:export"))
    assert len(big.captured_queries) == len(small.captured_queries)


@time_machine.travel(date(2026, 11, 23))
def test_the_status_filter_and_sort_follow_the_dates_O26_O12_O24(children, director, client):
    """The state is derived from the dates, the filter runs in SQL on the same definition, and
    the page's filter (`?status=`) and the badge agree on the day."""
    ivanova, orlov, semyonov = children["ivanova"], children["orlov"], children["semyonov"]
    orlov.first_day_of_stay = date(2026, 12, 1)  # an approved enrolment from next week
    semyonov.first_day_of_stay, semyonov.discharged_on = date(2026, 1, 12), date(2026, 11, 22)
    ivanova.first_day_of_stay, ivanova.discharged_on = date(2026, 1, 12), date(2026, 11, 23)
    for child in (ivanova, orlov, semyonov):
        child.save()
    # Иванова's last day of service is today: still enrolled; Семёнов's was yesterday.
    assert _names(register(director, status="enrolled")) == ["Иванова"]
    assert _names(register(director, status="discharged")) == ["Семёнов"]
    assert _names(register(director, status="applicant")) == ["Орлов", "Семенова"]
    assert _names(register(director, status="nonsense")) == _names(register(director))
    by_state = [(r.last_name, r.state) for r in register(director, sort="status")]
    assert by_state == [
        ("Орлов", "applicant"),
        ("Семенова", "applicant"),
        ("Семёнов", "discharged"),
        ("Иванова", "enrolled"),
    ]
    client.force_login(director)
    page = client.get(reverse("recipients:list"), {"status": "applicant"}).content.decode()
    assert "Орлов" in page and "Иванова" not in page
    assert "Заявитель (зачисление с 01.12.2026)" in page
    page = client.get(reverse("recipients:list"), {"status": "enrolled"}).content.decode()
    assert "Зачислен (по 23.11.2026)" in page
    with time_machine.travel(date(2026, 12, 1)):
        assert _names(register(director, status="enrolled")) == ["Орлов"]
        assert _names(register(director, status="discharged")) == ["Иванова", "Семёнов"]


@pytest.mark.skipif(
    "postgres" not in __import__("os").environ.get("DATABASE_URL", ""),
    reason="query plans are PostgreSQL's",
)
def test_the_state_filter_of_a_department_has_an_index_O26(dept_a):
    """The derived state is filtered in SQL on the dates, and an index on (department, date)
    serves it: no scan of the whole table (the plan when scans are made expensive)."""
    from django.db import connection

    child = RecipientFactory.build(department=dept_a, family=None)
    # a register of years: most of the department long discharged, a few in service
    Recipient.objects.bulk_create(
        Recipient(
            last_name=f"Тест{i}",
            first_name=child.first_name,
            sex=child.sex,
            birth_date=child.birth_date,
            department=dept_a,
            first_day_of_stay=date(2020, 1, 1) + timedelta(days=i),
            discharged_on=None if i % 50 == 0 else date(2020, 6, 1) + timedelta(days=i),
        )
        for i in range(2000)
    )
    on = date(2026, 11, 23)
    with connection.cursor() as cur:
        cur.execute("ANALYZE recipients_recipient")
    for qs, index, column in (
        (
            Recipient.objects.filter(department=dept_a).enrolled(on),
            "recipient_dept_discharged",
            "discharged_on",
        ),
        (
            Recipient.objects.filter(department=dept_a).applicants(on),
            "recipient_dept_first_day",
            "first_day_of_stay",
        ),
    ):
        sql, params = qs.order_by().values("pk").query.sql_with_params()
        with connection.cursor() as cur:
            cur.execute("SET LOCAL enable_seqscan = off")
            cur.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cur.fetchall())
        assert index in plan, plan
        index_conditions = [line for line in plan.splitlines() if "Index Cond" in line]
        assert any(column in line for line in index_conditions), plan


@time_machine.travel(date(2026, 11, 23))
def test_the_register_rows_show_each_childs_cells_O26(children, director, client):
    """The page's rows are formatted in the view: the name linking to the card, the date of
    birth and the age, the SNILS or a dash, the family or a dash, the department, the state's
    badge and the first day of stay."""
    orlov, semyonov = children["orlov"], children["semyonov"]
    orlov.first_day_of_stay = date(2026, 12, 1)
    orlov.save()
    semyonov.first_day_of_stay = date(2026, 1, 12)
    semyonov.family = None
    semyonov.save()
    client.force_login(director)
    html = client.get(reverse("recipients:list")).content.decode()
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    rows = {r.split("</a>")[0].rsplit(">", 1)[1]: r for r in body.split("</tr>")[:-1]}
    row = rows[orlov.full_name]
    assert f'<td><a href="{orlov.get_absolute_url()}">{orlov.full_name}</a></td>' in row
    assert "<td>20.05.2015</td>\n      <td>11 лет</td>" in row
    assert '<td class="text-nowrap">—</td>\n      <td>Семья Орловых</td>\n      <td>ОДП</td>' in row
    assert '<span class="badge text-bg-warning">Заявитель (зачисление с 01.12.2026)</span>' in row
    assert "<td>01.12.2026</td>" in row
    row = rows[semyonov.full_name]
    assert f'<td class="text-nowrap">{semyonov.snils}</td>\n      <td>—</td>' in row
    assert '<span class="badge text-bg-success">Зачислен</span>' in row
    assert "<td>12.01.2026</td>" in row
    row = rows[children["ivanova"].full_name]
    assert "<td>6 лет</td>" in row
    assert '<span class="badge text-bg-warning">Заявитель</span></td>\n      <td>—</td>' in row
    assert "<td>ОР</td>" in rows[children["outsider"].full_name]


@time_machine.travel(date(2026, 11, 23))
def test_a_discharged_childs_badge_is_grey_O26(children, director, client):
    semyonov = children["semyonov"]
    semyonov.first_day_of_stay, semyonov.discharged_on = date(2026, 1, 12), date(2026, 11, 22)
    semyonov.save()
    client.force_login(director)
    html = client.get(reverse("recipients:list"), {"q": "Семёнов Артём"}).content.decode()
    assert '<span class="badge text-bg-secondary">Снят с обслуживания</span>' in html


def test_the_register_filters_keep_their_choice_and_the_departments_select(
    client, director, dept_a, dept_b
):
    """The filters are drawn by the `select` tag; the director's department select lists the
    active departments and keeps the chosen one."""
    client.force_login(director)
    from organisation.models import Department

    html = client.get(
        reverse("recipients:list"), {"department": dept_b.pk, "sort": "-birth"}
    ).content.decode()
    select = html.split('<select name="department"')[1].split("</select>")[0]
    assert select.count("<option") == Department.objects.filter(is_active=True).count() + 1
    assert f'<option value="{dept_a.pk}">ОДП</option>' in select
    assert f'<option value="{dept_b.pk}" selected>ОР</option>' in select
    assert '<option value="-birth" selected>сначала младшие</option>' in html
