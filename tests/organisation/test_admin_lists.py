"""The admin's lists with a department in each row read the departments with the rows: the
staff list asked the database once per employee (62 queries on the bench's centre)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from organisation.models import CentreWorkDay
from tests.conftest import login
from tests.factories import DepartmentFactory, UserFactory


def _staff(n: int) -> None:
    for _ in range(n):
        UserFactory(department=DepartmentFactory())


def _work_days(n: int) -> None:
    start = date(2026, 6, 6) + timedelta(days=7 * CentreWorkDay.objects.count())
    for i in range(n):
        CentreWorkDay.objects.create(
            date=start + timedelta(days=7 * i), department=DepartmentFactory.create(), note="Лагерь"
        )


@pytest.mark.parametrize(
    ("url", "add"),
    [
        ("admin:organisation_user_changelist", _staff),
        ("admin:organisation_centreworkday_changelist", _work_days),
    ],
)
def test_an_admin_list_keeps_its_queries_as_rows_grow(
    client, administrator, django_assert_max_num_queries, url, add
):
    login(client, administrator)
    add(3)
    with django_assert_max_num_queries(100) as few:
        assert client.get(reverse(url)).status_code == 200
    add(25)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse(url))
    assert page.status_code == 200 and "Отделение" in page.content.decode()
