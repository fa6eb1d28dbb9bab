"""A child's card and its history at the volume of years in care: the number of queries stays
the same as the related rows grow, and the logs that grow every week (visitors, items issued)
show the latest rows with a link to all of them."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from recipients.models import ItemIssue, ItemKind, VisitorEntry, VisitorKind
from recipients.views.people import CARE_LIMIT
from tests.conftest import login
from tests.factories import RepresentativeFactory
from tests.recipients.factories import child_with_mother

MSK = ZoneInfo("Europe/Moscow")


@pytest.fixture
def child(dept_a):
    return child_with_mother(dept_a, last_name="Орлов", first_name="Пётр")[0]


def _care(child, by, n: int) -> None:
    start = VisitorEntry.objects.filter(recipient=child).count()
    for i in range(start, start + n):
        VisitorEntry.objects.create(
            recipient=child,
            visitor=f"Орлова Анна, посещение {i + 1}",
            kind=VisitorKind.REPRESENTATIVE,
            visited_at=datetime(2025, 1, 1, 12, 0, tzinfo=MSK) + timedelta(days=7 * i),
        )
        ItemIssue.objects.create(
            recipient=child,
            kind=ItemKind.CLOTHING,
            item=f"Куртка {i + 1}",
            quantity=1,
            issued_on=date(2025, 1, 1) + timedelta(days=7 * i),
            issued_by=by,
        )


def test_the_card_keeps_its_queries_and_shows_the_latest_visits_and_items(
    client, head, child, django_assert_max_num_queries
):
    login(client, head)
    url = reverse("recipients:detail", args=[child.pk])
    _care(child, head, 3)
    with django_assert_max_num_queries(100) as few:
        page = client.get(url)
    assert page.status_code == 200
    assert 'data-testid="visitors-more"' not in page.content.decode()
    _care(child, head, 30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url)
    html = page.content.decode()
    assert html.count("Орлова Анна, посещение") == CARE_LIMIT
    assert html.count('data-testid="item-issue"') == CARE_LIMIT
    assert "посещение 33 (" in html and "посещение 23 (" not in html  # the latest first
    assert '<a href="?care=all#care">все записи (33)</a>' in html
    assert html.count("все записи (33)") == 2  # visitors and items


def test_the_card_shows_every_visit_and_item_when_asked(client, head, child):
    login(client, head)
    _care(child, head, CARE_LIMIT + 5)
    page = client.get(reverse("recipients:detail", args=[child.pk]), {"care": "all"})
    html = page.content.decode()
    assert html.count("Орлова Анна, посещение") == CARE_LIMIT + 5
    assert html.count('data-testid="item-issue"') == CARE_LIMIT + 5
    assert "все записи" not in html


def test_the_history_asks_once_for_every_representative(
    client, head, child, django_assert_max_num_queries
):
    login(client, head)
    url = reverse("recipients:history", args=[child.pk])
    with django_assert_max_num_queries(100) as few:
        assert client.get(url).status_code == 200
    for i in range(12):
        RepresentativeFactory(family=child.family, last_name=f"Представитель{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url)
    html = page.content.decode()
    assert html.count("Представитель: ") == 13
