"""The journal of services at scale: search in any case and «е» for «ё», the order from an index."""

from __future__ import annotations

import os
from datetime import date

import pytest
from django.db import connection
from django.urls import reverse

from organisation.models import Role
from services.exports import journal_filter, journal_records
from tests.conftest import login
from tests.services.factories import ServiceRecordFactory

PG = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


@pytest.fixture
def records(specialist):
    dept = specialist.department
    return [
        ServiceRecordFactory(
            department=dept,
            recipient__department=dept,
            recipient__last_name=last,
            recipient__first_name=first,
            provider=specialist,
            date=date(2026, 11, 2),
        )
        for last, first in [("Семёнов", "Артём"), ("Семенова", "Алёна"), ("Орлов", "Иван")]
    ]


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("семенов", {"Семёнов", "Семенова"}),
        ("СЕМЁНОВ", {"Семёнов", "Семенова"}),
        ("алена", {"Семенова"}),
        ("орлов иван", {"Орлов"}),
        ("артем", {"Семёнов"}),
    ],
)
def test_journal_search_ignores_case_and_e_yo(client, specialist, records, typed, found):
    response = login(client, specialist).get(
        reverse("services:journal"),
        {"date_from": "01.11.2026", "date_to": "30.11.2026", "q": typed},
    )
    assert {r.recipient.last_name for r in response.context["page_obj"]} == found


@pytest.mark.skipif(not PG, reason="query plans are PostgreSQL's")
@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.HEAD])
def test_the_journal_page_reads_its_order_from_an_index(role, director, head, records):
    """No sort of the journal: the director's page (every department) and a department's page
    walk an index in the journal's order (date, time, id, newest first)."""
    user = director if role == Role.DIRECTOR else head
    params = {"date_from": "01.01.2026", "date_to": "31.12.2026"}
    from services.views import JOURNAL_ROW_VALUES

    qs = journal_records(user, journal_filter(params), params)[:50]
    # the records of a page, and the values its rows are drawn from
    for page in (qs, qs.values(*JOURNAL_ROW_VALUES)):
        sql, sql_params = page.query.sql_with_params()
        with connection.cursor() as cur:
            cur.execute("SET LOCAL enable_seqscan = off")
            cur.execute("EXPLAIN " + sql, sql_params)
            plan = "\n".join(row[0] for row in cur.fetchall())
        assert "services_servicerecord" in plan
        assert "record_journal" in plan or "record_dept_journal" in plan, plan
        assert "Sort" not in plan, plan


def test_compliance_checks_one_page_of_children_at_a_time_O18(client, head):
    """The page holds 25 children whatever the department's size; the next page the rest."""
    from tests.services.factories import EnrolledRecipientFactory

    for i in range(30):
        EnrolledRecipientFactory(department=head.department, last_name=f"Ребёнок{i:02d}")
    login(client, head)
    query = {"date_from": "09.11.2026", "date_to": "19.11.2026"}
    first = client.get(reverse("services:compliance"), query)
    assert len(first.context["rows"]) == 25
    assert first.context["page_obj"].paginator.count == 30
    second = client.get(reverse("services:compliance"), {**query, "page": 2})
    assert len(second.context["rows"]) == 5
    assert "Страница 2 из 2" in second.content.decode()
