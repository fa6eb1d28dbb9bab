"""List pages keep a fixed number of queries as data grows (5 and 35 rows: more than the
thirty of a page, so that a query per row would add thirty)."""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from patronage import actions
from tests.conftest import login
from tests.factories import FamilyFactory
from tests.patronage.factories import AppealFactory, completed_visit, registered_appeal


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def make_cases(n, *, registrar, head, specialist, dept):
    for i in range(n):
        appeal = registered_appeal(registrar=registrar, department=dept)
        family = FamilyFactory(department=dept, name=f"семья {i}")
        case = actions.open_case(
            appeal=appeal, opened_by=head, family=family, specialist=specialist
        )
        completed_visit(case=case, specialist=specialist, on=date(2026, 3, 4))


# Each list page and the user who reads it: all four measured on the same records, made once.
PAGES = [
    ("patronage:case_list", "specialist"),
    ("patronage:review_list", "head"),
    ("patronage:appeal_list", "registrar"),
    ("patronage:journal", "registrar"),
]


def test_list_pages_keep_a_fixed_number_of_queries(
    client, registrar, head, specialist, dept_a, django_assert_num_queries
):
    readers = {"specialist": specialist, "head": head, "registrar": registrar}
    urls = {name: reverse(name) for name, _ in PAGES}
    urls["patronage:journal"] += "?channel=reception&date_from=01.01.2026&date_to=31.12.2026"
    make_cases(5, registrar=registrar, head=head, specialist=specialist, dept=dept_a)
    AppealFactory.create_batch(5, department=dept_a)
    small = {}
    for name, reader in PAGES:
        login(client, readers[reader])
        client.get(urls[name])  # warm the calendar cache
        small[name] = count_queries(client, urls[name])
    make_cases(30, registrar=registrar, head=head, specialist=specialist, dept=dept_a)
    AppealFactory.create_batch(30, department=dept_a)
    for name, reader in PAGES:
        login(client, readers[reader])
        with django_assert_num_queries(small[name]):
            client.get(urls[name])


def test_the_case_lists_visits_above_it_keep_a_fixed_number_of_queries_P13(
    client, registrar, head, specialist, dept_a, django_assert_num_queries
):
    """The planned visits and the head's remarks above the case list read the family's name
    with the visits (no query per visit), and show the date, the kind, the purpose and the
    family of each."""
    from patronage.models import ReviewStatus, Visit, VisitKind
    from tests.patronage.factories import case_with_appeal, planned_visit

    def visits(n):
        for i in range(n):
            case = case_with_appeal(
                registrar=registrar, head=head, department=dept_a, specialist=specialist
            )
            done = completed_visit(case=case, specialist=specialist, on=date(2026, 3, 4))
            Visit.objects.filter(pk=done.pk).update(
                review_status=ReviewStatus.REMARKS, review_remarks=f"Замечание {i}"
            )
            planned_visit(
                case=case,
                specialist=specialist,
                kind=VisitKind.PLANNED,
                planned_on=date(2026, 3, 10 + i),
                purpose=f"Проверка рекомендаций {i}",
            )

    visits(2)
    login(client, specialist)
    url = reverse("patronage:case_list")
    client.get(url)  # warm the calendar cache
    small = count_queries(client, url)
    visits(5)
    with django_assert_num_queries(small):
        html = client.get(url).content.decode()
    assert html.count("Записать посещение") == 7
    assert "10.03.2026 — семья Смирновых</a>" in html
    assert "Плановый (повторный) патронаж: Проверка рекомендаций 4" in html
    assert html.count("семья Смирновых, 04.03.2026</a>: Замечание") == 7
    assert f'<a href="/patronage/visits/{Visit.objects.order_by("pk").first().pk}/"' in html


def test_the_visit_list_shows_each_visits_cells_in_a_fixed_number_of_queries_P13(
    client, registrar, head, specialist, dept_a, django_assert_num_queries
):
    """«Посещения» reads the date, the family, the specialist, the kind, the act's kind and
    the assessment with the visits (no query per row)."""
    from tests.patronage.factories import case_with_appeal

    def visits(n):
        return [
            completed_visit(
                case=case_with_appeal(
                    registrar=registrar, head=head, department=dept_a, specialist=specialist
                ),
                specialist=specialist,
                on=date(2026, 3, 4),
            )
            for _ in range(n)
        ]

    visits(2)
    login(client, head)
    url = reverse("patronage:visit_list") + "?date_from=01.03.2026&date_to=31.03.2026"
    client.get(url)  # warm the calendar cache
    small = count_queries(client, url)
    visit = visits(5)[-1]
    with django_assert_num_queries(small):
        html = client.get(url).content.decode()
    row = html.split(f'<tr data-testid="visit-{visit.pk}">')[1].split("</tr>")[0]
    assert f'<a href="{visit.get_absolute_url()}">04.03.2026</a>' in row
    assert f"<td>{visit.case.family}</td>" in row
    assert f"<td>{specialist.short_name}</td>" in row
    assert f"<td>{visit.get_kind_display()}</td>" in row
    assert f'<td class="small">{visit.act.get_kind_display()}</td>' in row
    assert html.count('<tr data-testid="visit-') == 7
