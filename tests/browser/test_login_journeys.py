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


def test_the_longest_menu_stays_on_an_office_screen(page, live_server, head):
    """A head's menu is the widest (with a long department name and unread notifications): on a
    1200-1440 px screen the bar wraps onto a second line instead of pushing the bell and
    «Выйти» off the screen (the page never scrolls sideways)."""
    from organisation.models import Notification, NotificationEvent

    head.department.name = "Отделение дневного пребывания несовершеннолетних"
    head.department.save(update_fields=["name"])
    from django.utils import timezone

    Notification.objects.create(
        user=head,
        kind="demo",
        item_key="demo:1",
        event=NotificationEvent.OVERDUE,
        due=timezone.localdate(),
        message="Срок сегодня",
    )
    log_in(page, live_server, head.username)
    for width in (1200, 1280, 1366, 1440, 1920):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width, width
        for control in (page.get_by_test_id("bell"), page.get_by_role("button", name="Выйти")):
            box = control.bounding_box()
            assert box is not None and box["x"] + box["width"] <= width, width
