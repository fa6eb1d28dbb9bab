"""The menu's search box: children, families, appeals and protocols the user may see, case and
«ё» folded, each result a link to its page."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from tests.conftest import login
from tests.factories import FamilyFactory, RecipientFactory
from tests.patronage.factories import registered_appeal

pytestmark = pytest.mark.django_db


def _hits(client, q):
    response = client.get(reverse("search:search"), {"q": q})
    assert response.status_code == 200
    return {s.title: [h.label for h in s.hits] for s in response.context["sections"]}


@pytest.fixture
def alena(dept_a):
    family = FamilyFactory(department=dept_a, name="Семья Сёминых", address="ул. Ёлочная, 3")
    return RecipientFactory(
        department=dept_a,
        family=family,
        last_name="Сёмина",
        first_name="Алёна",
        patronymic="Сергеевна",
    )


def test_a_child_is_found_whatever_the_case_and_yo(client, specialist, alena):
    login(client, specialist)
    for q in ("семина", "СЁМИНА", "Алена семина"):
        assert _hits(client, q)["Дети"] == ["Сёмина Алёна Сергеевна"], q


def test_a_family_is_found_by_name_and_address(client, specialist, alena):
    login(client, specialist)
    assert _hits(client, "сёминых")["Семьи"] == ["Семья Сёминых"]
    assert _hits(client, "елочная")["Семьи"] == ["Семья Сёминых"]


def test_nothing_of_another_department_is_found(client, specialist_b, alena):
    login(client, specialist_b)
    assert _hits(client, "семина") == {}
    assert (
        "Ничего не найдено"
        in client.get(reverse("search:search"), {"q": "семина"}).content.decode()
    )


def test_appeals_are_found_by_text_and_by_number(client, registrar, head, dept_a, alena):
    appeal = registered_appeal(registrar=registrar, department=dept_a, family_name="семья Ёжиковых")
    login(client, head)
    assert _hits(client, "ежиковых")["Обращения"] == [str(appeal)]
    assert _hits(client, f"{appeal.number}/{appeal.year}")["Обращения"] == [str(appeal)]


def test_the_registrar_finds_appeals_but_no_children(client, registrar, dept_a, alena):
    registered_appeal(registrar=registrar, department=dept_a, family_name="семья Сёминых")
    login(client, registrar)
    hits = _hits(client, "семин")
    assert list(hits) == ["Обращения"]


def test_each_result_links_to_its_page(client, specialist, alena):
    page = login(client, specialist).get(reverse("search:search"), {"q": "семина"})
    assert f'href="{alena.get_absolute_url()}"' in page.content.decode()


def test_the_menu_has_the_search_box(client, specialist):
    page = login(client, specialist).get(reverse("home")).content.decode()
    assert 'data-testid="menu-search"' in page
    assert 'action="/search/"' in page


def test_search_needs_a_login_and_get(client, specialist):
    assert client.get(reverse("search:search"), {"q": "x"}).status_code == 302
    assert login(client, specialist).post(reverse("search:search")).status_code == 405


def test_an_empty_query_shows_the_form_only(client, specialist, alena):
    response = login(client, specialist).get(reverse("search:search"), {"q": "  "})
    assert response.context["sections"] == []
    assert date.today()  # the page renders without a query


def test_a_nul_typed_into_the_search_is_dropped_not_a_500(client, specialist, alena):
    """The form fuzzer: `?q=` with a NUL was a DataError (500) on PostgreSQL, whose text cannot
    hold one; the NUL is dropped and the rest searched."""
    login(client, specialist)
    assert _hits(client, "сём\x00ина")["Дети"] == ["Сёмина Алёна Сергеевна"]
