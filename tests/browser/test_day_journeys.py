"""The specialist's and the head's day in the browser at tablet sizes (1024×768, 800×1280):
«Мой день» with its search and «отменить», logging by keyboard alone with the type-ahead and
the catalogue's duration, the menu's search, the calendar, and the administrator's production
calendar. Every page passes axe-core (see conftest.py); screenshots go to SCREENSHOT_DIR when
it is set."""

from __future__ import annotations

import os
from datetime import date, timedelta

import pytest
from django.utils import timezone

from organisation.models import Position
from services.models import RecordStatus, ServiceRecord
from tests.browser.conftest import log_in
from tests.factories import UserFactory
from tests.services.factories import (
    EnrolledRecipientFactory,
    ProgrammeFactory,
    ProgrammeLineFactory,
    service,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = [{"width": 1024, "height": 768}, {"width": 800, "height": 1280}]


def shot(page, name):
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        size = page.viewport_size or {}
        page.screenshot(path=f"{folder}/{name}-{size.get('width')}.png", full_page=True)


@pytest.fixture
def nurse(dept_a):
    return UserFactory(
        username="nurse_a", position=Position.NURSE, department=dept_a, education="medical"
    )


def _children(department):
    today = timezone.localdate()
    since = today - timedelta(days=30)
    children = [
        EnrolledRecipientFactory(
            department=department,
            last_name=last,
            first_day_of_stay=since,
            birth_date=date(today.year - 9, 1, 15),
        )
        for last in ("Андреев", "Борисов", "Сёмин")
    ]
    for child in children:
        programme = ProgrammeFactory(recipient=child, valid_from=since, drawn_up_on=since)
        ProgrammeLineFactory(programme=programme, service=service("2.3.2"), count=3)
        ProgrammeLineFactory(programme=programme, service=service("3.1.1"), count=1)
    return children


@pytest.mark.parametrize("size", SIZES, ids=["1024x768", "800x1280"])
def test_a_nurse_marks_undoes_and_logs_by_keyboard(page, live_server, nurse, size):
    children = _children(nurse.department)
    page.set_viewport_size(size)
    log_in(page, live_server, nurse.username)
    page.goto(f"{live_server.url}/agenda/my-day/")
    shot(page, "my-day")
    row = page.get_by_test_id("child-card").filter(has_text="Андреев")
    assert "3.1.1" not in row.inner_text()  # psychological consultation is not the nurse's
    row.get_by_role("button", name="Отметить 2.3.2").click()
    row.get_by_text("на этой неделе: 1 из 3").wait_for(state="attached")
    row.get_by_role("button", name="отменить").click()
    row.get_by_text("на этой неделе: 0 из 3").wait_for(state="attached")
    assert ServiceRecord.objects.get(recipient=children[0]).status == RecordStatus.CANCELLED

    page.get_by_label("Поиск ребёнка").fill("семин")
    page.get_by_test_id("child-card").filter(has_text="Андреев").wait_for(state="detached")
    assert page.get_by_test_id("child-card").count() == 1

    # A group session by keyboard alone: type-ahead to the service, the duration follows.
    page.goto(f"{live_server.url}/services/log/group/")
    page.get_by_label("Найти услугу в списке").focus()
    page.keyboard.type("гимнаст")
    assert page.get_by_label("Продолжительность, мин").input_value() == "15"
    page.get_by_label("Найти ребёнка в списке").focus()
    page.keyboard.type("борис")
    page.keyboard.press("Tab")  # «Отметить всех детей»
    page.keyboard.press("Enter")
    shot(page, "group-form")
    page.get_by_role("button", name="Внести групповое занятие").focus()
    page.keyboard.press("Enter")
    page.get_by_text("Групповое занятие 2.3.2 внесено в журнал: 1 ребёнок.").wait_for()
    assert ServiceRecord.objects.filter(recipient=children[1], group__isnull=False).count() == 1


def test_the_head_looks_at_a_specialists_day_and_searches(page, live_server, head, nurse):
    _children(head.department)
    page.set_viewport_size(SIZES[0])
    log_in(page, live_server, head.username)
    page.goto(f"{live_server.url}/agenda/my-day/")
    page.get_by_label("Специалист").select_option(str(nurse.pk))
    page.get_by_role("heading", name="День специалиста").wait_for()
    shot(page, "my-day-head")
    assert "3.1.1" not in page.get_by_test_id("my-day-table").inner_text()
    page.get_by_role("link", name="Уведомления").wait_for()  # the bell stays visible at 1024
    page.locator(".navbar-toggler").click()
    page.get_by_label("Поиск по системе").fill("СЕМИН")
    page.get_by_label("Поиск по системе").press("Enter")
    page.get_by_role("heading", name="Дети").wait_for()
    shot(page, "search")
    page.goto(f"{live_server.url}/agenda/")
    page.get_by_test_id("agenda").wait_for()
    shot(page, "agenda")


@pytest.mark.parametrize("size", SIZES, ids=["1024x768", "800x1280"])
def test_the_administrator_reads_the_production_calendar(page, live_server, administrator, size):
    page.set_viewport_size(size)
    log_in(page, live_server, administrator.username)
    page.get_by_test_id("calendar-tile").click()
    page.get_by_test_id("year-grid").wait_for()
    assert "Источник" in page.content()
    shot(page, "production-calendar")
