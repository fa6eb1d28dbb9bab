"""Who holds a post: one rule for documents, deadlines and the daily job."""

from __future__ import annotations

from datetime import UTC, datetime

from organisation.models import Position
from organisation.selectors import current_director, heads_by_department
from organisation.text import initials_surname, short_name
from tests.factories import UserFactory


def test_the_most_recently_appointed_director_signs_and_answers(db):
    UserFactory(
        username="old",
        position=Position.DIRECTOR,
        department=None,
        date_joined=datetime(2020, 1, 1, tzinfo=UTC),
    )
    new = UserFactory(
        username="new",
        position=Position.DIRECTOR,
        department=None,
        date_joined=datetime(2026, 1, 1, tzinfo=UTC),
    )
    UserFactory(
        username="gone",
        position=Position.DIRECTOR,
        department=None,
        is_active=False,
        date_joined=datetime(2026, 6, 1, tzinfo=UTC),
    )
    assert current_director() == new


def test_heads_by_department_in_one_query(dept_a, dept_b, head, head_b, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert heads_by_department([dept_a.pk, dept_b.pk]) == {dept_a.pk: head, dept_b.pk: head_b}
    assert heads_by_department([dept_a.pk]) == {dept_a.pk: head}


def test_names_as_written_in_lists_and_under_signatures():
    assert short_name("Петрова", "Анна", "Сергеевна") == "Петрова А. С."
    assert initials_surname("Петрова", "Анна", "Сергеевна") == "А. С. Петрова"
    assert short_name("Ли", "Мин", "") == "Ли М."
