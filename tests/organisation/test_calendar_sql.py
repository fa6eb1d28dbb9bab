"""The working-day table and the SQL terms agree with organisation.calendar, day by day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from organisation import calendar, calendar_sql
from organisation.models import CalendarDay, WorkingDay

# Across two New Year holidays and the May holidays, with their transfers.
RANGE = (date(2025, 12, 1), date(2027, 1, 31))


def _days():
    return WorkingDay.objects.filter(date__range=RANGE)


def test_the_table_is_the_calendar_for_every_day_it_covers(db):
    rows = dict(WorkingDay.objects.values_list("date", "is_working"))
    assert min(rows) == calendar.TABLE_FIRST and max(rows) == calendar.TABLE_LAST
    for d, working in rows.items():
        assert working == calendar.is_working_day(d), d


def test_the_running_number_counts_working_days(db):
    numbers = dict(_days().values_list("date", "number"))
    d0 = RANGE[0]
    for d in numbers:
        assert numbers[d] - numbers[d0] == calendar.working_days_between(d0, d), d


@pytest.mark.parametrize("n", [0, 1, 3, 10])
def test_add_working_days_in_sql_is_the_calendar_s(db, n):
    rows = _days().annotate(due=calendar_sql.add_working_days("date", n)).values_list("date", "due")
    for d, due in rows:
        assert due == calendar.add_working_days(d, n), (d, n)


@pytest.mark.parametrize("days", [0, 3, 4, 90])
def test_term_end_in_sql_follows_art_191_and_193(db, days):
    """P2/P4 and the passport term (O27) count calendar days and move a last day off."""
    rows = _days().annotate(due=calendar_sql.term_end("date", days)).values_list("date", "due")
    for d, due in rows:
        assert due == calendar.term_end(d, days), (d, days)


def test_a_term_leaving_the_table_is_null(db):
    last = WorkingDay.objects.filter(date=calendar.TABLE_LAST).annotate(
        term=calendar_sql.term_or_working_days("date", 3),
        working=calendar_sql.add_working_days("date", 3),
    )
    assert list(last.values_list("term", "working")) == [(None, None)]


def test_is_working_day_in_sql(db):
    rows = _days().annotate(w=calendar_sql.is_working_day("date")).values_list("date", "w")
    for d, working in rows:
        assert working == calendar.is_working_day(d)


@pytest.mark.parametrize("n", [1, 3, 10])
def test_term_or_working_days_in_sql_is_the_calendar_s(db, n):
    """P3: a term begun on a day off counts working days; begun on a working day, calendar
    days with a last day off moved."""
    rows = _days().annotate(due=calendar_sql.term_or_working_days("date", n))
    for d, due in rows.values_list("date", "due"):
        if calendar.is_working_day(d):
            assert due == calendar.term_end(d, n), (d, n)
        else:
            assert due == calendar.add_working_days(d, n), (d, n)


def test_a_correction_reaches_the_table_and_shifts_the_running_numbers(db):
    day = date(2026, 3, 5)  # a Thursday
    before = dict(WorkingDay.objects.filter(date__gte=day).values_list("date", "number"))
    CalendarDay.objects.create(date=day, is_working=False, note="приказ")
    assert calendar.sync_days() == 1
    row = WorkingDay.objects.get(date=day)
    assert not row.is_working
    later = day + timedelta(days=400)
    assert WorkingDay.objects.get(date=later).number == before[later] - 1
    assert calendar.sync_days() == 0  # nothing left to do
    CalendarDay.objects.filter(date=day).delete()
    assert calendar.sync_days() == 1
    assert WorkingDay.objects.get(date=later).number == before[later]
    for d, working in _days().values_list("date", "is_working"):
        assert working == calendar.is_working_day(d)


def test_sync_fills_an_empty_table(db):
    WorkingDay.objects.filter(date__year=2030).delete()
    assert calendar.sync_days() == 365
    assert WorkingDay.objects.filter(date__year=2030).count() == 365


def test_a_correction_made_in_the_admin_reaches_the_table_at_once(client, administrator):
    client.force_login(administrator)
    day = date(2026, 6, 15)  # a Monday
    response = client.post(
        "/admin/organisation/calendarday/add/",
        {"date": "15.06.2026", "is_working": "", "note": "приказ директора № 1"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not WorkingDay.objects.get(date=day).is_working
    correction = CalendarDay.objects.get(date=day)
    client.post(f"/admin/organisation/calendarday/{correction.pk}/delete/", {"post": "yes"})
    assert WorkingDay.objects.get(date=day).is_working
