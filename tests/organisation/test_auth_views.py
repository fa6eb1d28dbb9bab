"""Login, logout, lockout, start pages and the admin, per role."""

from __future__ import annotations

import pytest
from django.urls import reverse

from organisation.calendar import is_working_day


def test_every_page_needs_a_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_page_speaks_russian(client, db):
    response = client.get(reverse("login"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Вход в систему" in content
    assert 'lang="ru"' in content


def test_a_wrong_password_is_answered_in_russian(client, specialist):
    response = client.post(reverse("login"), {"username": specialist.username, "password": "нет"})
    assert response.status_code == 200
    assert "Неверное имя пользователя или пароль" in response.content.decode()


def test_login_and_logout(client, specialist):
    response = client.post(
        reverse("login"), {"username": specialist.username, "password": "test-pass-123"}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_five_failed_logins_lock_the_account_out(client, specialist, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": specialist.username, "password": "wrong"})
    response = client.post(
        reverse("login"), {"username": specialist.username, "password": "test-pass-123"}
    )
    assert response.status_code == 429
    assert "заблокирован" in response.content.decode()


@pytest.mark.parametrize(
    ("user_fixture", "title"),
    [
        ("specialist", "Рабочий стол специалиста"),
        ("head", "Заведующий отделением"),
        ("director", "Директор"),
        ("registrar", "Делопроизводитель"),
        ("administrator", "Администратор"),
    ],
)
def test_each_role_has_its_start_page(client, request, user_fixture, title):
    user = request.getfixturevalue(user_fixture)
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    content = response.content.decode()
    assert title in content
    assert user.short_name in content


def test_start_page_tells_whether_today_is_a_working_day(client, specialist):
    from django.utils import timezone

    client.force_login(specialist)
    content = client.get(reverse("home")).content.decode()
    expected = "рабочий день" if is_working_day(timezone.localdate()) else "нерабочий день"
    assert expected in content


def test_only_the_administrator_reaches_the_admin(client, administrator, director):
    client.force_login(director)
    assert client.get(reverse("admin:index")).status_code == 302  # not staff: back to login
    client.force_login(administrator)
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:organisation_calendarday_changelist")).status_code == 200
    assert client.get(reverse("admin:organisation_user_changelist")).status_code == 200


def test_navigation_is_built_by_role(client, administrator, specialist):
    client.force_login(administrator)
    assert "Администрирование" in client.get(reverse("home")).content.decode()
    client.force_login(specialist)
    assert "Администрирование" not in client.get(reverse("home")).content.decode()


def test_dates_are_shown_as_dd_mm_yyyy(client, specialist, settings):
    from datetime import date

    from django.template import Context, Template

    rendered = Template("{{ d|date }}").render(Context({"d": date(2026, 3, 9)}))
    assert rendered == "09.03.2026"


def test_the_russian_date_field_accepts_dd_mm_yyyy_and_explains_errors():
    from django import forms

    from organisation.forms import DateField

    class F(forms.Form):
        d = DateField()

    form = F({"d": "09.03.2026"})
    assert form.is_valid()
    form = F({"d": "2026/31/31"})
    assert not form.is_valid()
    assert "дд.мм.гггг" in form.errors["d"][0]


def test_the_menu_groups_entries_and_a_lone_entry_stands_alone(head, specialist, director):
    from organisation.navigation import menu_for

    head_menu = {e["label"]: e for e in menu_for(head)}
    assert [c["label"] for c in head_menu["Сроки"]["children"]] == [
        "Мои сроки",
        "Сроки отделения",
        "Повышение квалификации",  # O40
    ]
    # the specialist has one entry of the group: no drop-down for it
    spec_menu = {e["label"]: e for e in menu_for(specialist)}
    assert "children" not in spec_menu["Мои сроки"]
    assert "Сроки" not in spec_menu


def test_pages_without_a_form_refuse_a_post(client, head):
    """The start page, the deadline boards and the notifications take GET only: a POST is
    answered 405, not served as the page (the form fuzzer lists every URL that takes a POST)."""
    client.force_login(head)
    for name in ("home", "my_deadlines", "department_deadlines", "centre_deadlines"):
        assert client.post(reverse(name)).status_code == 405, name
    assert client.post(reverse("notifications")).status_code == 405
    assert client.get(reverse("home")).status_code == 200
