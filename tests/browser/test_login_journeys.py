"""Each role logs in through the browser and lands on its start page."""

from __future__ import annotations

import pytest

from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
def test_each_role_logs_in_and_sees_its_start_page(page, live_server, request, user_fixture, title):
    user = request.getfixturevalue(user_fixture)
    log_in(page, live_server, user.username)
    assert title in page.get_by_test_id("start-title").inner_text()
    assert user.short_name in page.get_by_test_id("current-user").inner_text()
    page.get_by_role("button", name="Выйти").click()
    page.wait_for_url(f"{live_server.url}/login/")


def test_a_wrong_password_is_explained_next_to_the_form(page, live_server, specialist):
    log_in(page, live_server, specialist.username, password="неверный")
    assert "Неверное имя пользователя или пароль" in page.content()
