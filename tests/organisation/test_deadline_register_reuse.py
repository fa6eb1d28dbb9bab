"""The register builds the SQL of its fourteen kinds once per shape of filter (the day, the post
holders, kind, open only, whether a department and a person are chosen) and fills in each
page's department and person; the items of a page are loaded without the kinds' annotations,
their dates taken from the register's rows. Scoping and figures stay those of the ORM's query."""

from __future__ import annotations

from datetime import date

import pytest

from organisation import calendar, deadlines
from organisation.deadlines import Filter, State, rows
from organisation.models import Position
from organisation.selectors import current_director, current_registrar, heads_by_department
from recipients.deadlines import EighteenthBirthday
from recipients.models import IdentityDocumentKind
from tests.factories import RecipientFactory, UserFactory

TODAY = date(2026, 11, 23)
IN_SERVICE = date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _working_days(db):
    calendar.sync_days()


def _turning_18(department, birth_date):
    return RecipientFactory(
        department=department,
        birth_date=birth_date,
        first_day_of_stay=IN_SERVICE,
        identity_document_kind=IdentityDocumentKind.PASSPORT,
    )


def _eighteen(flt):
    return {
        row["dl_record"]: row
        for row in rows(today=TODAY, flt=flt)
        if row["dl_kind"] == EighteenthBirthday.code
    }


def test_one_shape_builds_its_sql_once_and_each_filter_keeps_its_scope(
    monkeypatch, dept_a, dept_b, head, head_b
):
    a = _turning_18(dept_a, date(2008, 11, 25))
    b = _turning_18(dept_b, date(2008, 11, 26))
    built = []
    original = deadlines._parts
    monkeypatch.setattr(deadlines, "_parts", lambda *a, **k: built.append(1) or original(*a, **k))
    deadlines._union_of_shape.cache_clear()

    assert set(_eighteen(Filter(department_id=dept_a.pk))) == {a.pk}
    assert set(_eighteen(Filter(department_id=dept_b.pk))) == {b.pk}
    assert len(built) == 1  # the second department reused the first one's SQL
    # the person: each head answers for the own department's birthdays only
    assert set(_eighteen(Filter(department_id=dept_a.pk, responsible_id=head.pk))) == {a.pk}
    assert _eighteen(Filter(department_id=dept_a.pk, responsible_id=head_b.pk)) == {}
    assert set(_eighteen(Filter(department_id=dept_b.pk, responsible_id=head_b.pk))) == {b.pk}
    assert len(built) == 2
    assert set(_eighteen(Filter())) == {a.pk, b.pk}
    assert len(built) == 3
    # the figures of the reused SQL are the department's own
    counts = rows(today=TODAY, flt=Filter(department_id=dept_b.pk)).group_counts("dl_kind")
    assert counts[EighteenthBirthday.code] == {State.ON_TIME.value: 1}  # 26 Nov: 3 days ahead
    assert len(built) == 3


def test_a_new_head_gives_new_sql(dept_a, head):
    a = _turning_18(dept_a, date(2008, 11, 25))
    assert _eighteen(Filter())[a.pk]["dl_responsible"] == head.pk
    newer = UserFactory(username="head_a2", position=Position.HEAD, department=dept_a)
    assert _eighteen(Filter())[a.pk]["dl_responsible"] == newer.pk


def test_the_post_holders_in_one_query_are_the_selectors(
    django_assert_num_queries, dept_a, dept_b, head, head_b, director, registrar
):
    UserFactory(username="head_a_left", position=Position.HEAD, department=dept_a, is_active=False)
    with django_assert_num_queries(1):
        people = deadlines.People.load()
    assert people.heads == {d: u.pk for d, u in heads_by_department().items()}
    assert people.heads == {dept_a.pk: head.pk, dept_b.pk: head_b.pk}
    assert people.registrar_id == current_registrar().pk == registrar.pk
    assert people.director_id == current_director().pk == director.pk


def test_a_page_of_items_is_what_each_kind_lists(dept_a, dept_b, head, head_b):
    """`materialise` (records by primary key, dates from the rows) gives the same items as each
    kind's own annotated queryset (`DeadlineKind.items`)."""
    for i, department in enumerate((dept_a, dept_b, dept_a)):
        _turning_18(department, date(2008, 11, 25 + i))
    page = deadlines.materialise(rows(today=TODAY), today=TODAY)
    by_kind = list(deadlines.all_items(today=TODAY))

    def shown(items):
        return sorted(
            (
                i.kind.code,
                i.key,
                i.title,
                i.url,
                i.due,
                i.done_on,
                i.responsible_id,
                i.department_id,
                i.responsible_name,
            )
            for i in items
        )

    assert len(page) == len(by_kind) >= 6  # the birthdays and the primary diagnostics
    assert shown(page) == shown(by_kind)


def test_a_page_reads_the_records_of_all_its_kinds_and_the_names_in_one_round_trip(
    dept_a, dept_b, head, head_b, django_assert_num_queries
):
    """The records of each kind on a page and the responsible users' names go to the
    database together on PostgreSQL (one query each elsewhere), whatever the page holds."""
    from django.db import connection

    for i, department in enumerate((dept_a, dept_b, dept_a)):
        _turning_18(department, date(2008, 11, 25 + i))
    page = list(rows(today=TODAY))
    kinds_shown = {(row["dl_kind"], row["dl_source"]) for row in page}
    assert len(kinds_shown) >= 2
    expected = 1 if connection.vendor == "postgresql" else len(kinds_shown) + 1
    with django_assert_num_queries(expected):
        items = deadlines.materialise(page, today=TODAY)
    assert len(items) == len(page)
    assert {i.responsible_name for i in items} == {head.short_name, head_b.short_name}
