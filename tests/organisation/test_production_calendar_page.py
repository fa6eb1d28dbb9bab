"""The administrator's production calendar: the year as a grid of months with the source it
rests on and the corrections with their notes; the demo-document tile on that page only."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import NoReverseMatch, reverse

from organisation import calendar
from organisation.models import CalendarDay
from tests.conftest import login

pytestmark = pytest.mark.django_db


def _cell(months, d):
    for m in months:
        for week in m.weeks:
            for cell in week:
                if cell and cell.day == d:
                    return cell
    raise AssertionError(d)


def test_the_year_grid_marks_holidays_and_transfers():
    months = calendar.year_grid(2025)
    assert sum(m.working_days for m in months) == 247  # the published total of 2025
    assert not _cell(months, date(2025, 11, 3)).is_working  # Mon, moved day off
    assert _cell(months, date(2025, 11, 1)).is_working  # Sat, working by the decree
    assert _cell(months, date(2025, 11, 1)).is_transfer
    assert all(len(week) == 7 for m in months for week in m.weeks)


def test_the_administrator_sees_the_year_source_and_corrections(client, administrator):
    CalendarDay.objects.create(date=date(2026, 12, 30), is_working=False, note="указ губернатора")
    calendar.clear_cache()
    response = login(client, administrator).get(reverse("production_calendar_year", args=[2026]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "постановление Правительства РФ от 24.09.2025 № 1466" in page
    assert "указ губернатора" in page
    assert response.context["working_days"] == 246  # 247 less the corrected 30 December


def test_a_year_without_a_decree_says_so(client, administrator):
    page = (
        login(client, administrator)
        .get(reverse("production_calendar_year", args=[2029]))
        .content.decode()
    )
    assert "постановление о переносе выходных дней на этот год не внесено" in page


def test_other_roles_may_not_open_the_calendar_page(client, specialist, registrar):
    assert login(client, specialist).get(reverse("production_calendar")).status_code == 403
    assert login(client, registrar).get(reverse("production_calendar")).status_code == 403


def test_the_demo_document_tile_is_on_the_administrators_page_only(
    client, administrator, specialist, head
):
    try:  # the demonstration document exists in development only
        demo = reverse("reports:demo")
    except NoReverseMatch:
        demo = ""
    admin_page = login(client, administrator).get(reverse("home")).content.decode()
    assert ('data-testid="demo-document-tile"' in admin_page) == bool(demo)
    for user in (specialist, head):
        assert "Образец документа" not in login(client, user).get(reverse("home")).content.decode()
