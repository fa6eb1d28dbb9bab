"""The deadline shares of the dashboards are SQL over the working-day table: the pieces that
have no twin in `organisation.calendar_sql` are checked against the Python rules here; the
shares themselves against hand-counted fixtures in test_dashboards."""

from __future__ import annotations

from datetime import date

import pytest
from django.db.models import DateField, Value

from organisation import calendar_sql
from organisation.models import WorkingDay
from rehab_programs.models import quarter_after
from reports.stats import selectors
from reports.stats.deadline_shares import QuarterAfter
from tests.conftest import login


@pytest.mark.django_db
@pytest.mark.parametrize(
    "start",
    [
        date(2025, 11, 30),  # no 30 February: the month's last day, a Saturday: Monday
        date(2025, 12, 31),  # 31 March
        date(2026, 1, 31),  # no 31 April
        date(2026, 3, 15),
        date(2027, 11, 30),  # 29 February 2028 (a leap year), a Tuesday
        date(2026, 9, 30),  # 30 December, before the New Year holidays
    ],
)
def test_quarterly_revision_due_in_sql_equals_the_python_rule_O19(start):
    # any row of the table carries the expression (the start is a value, not a column)
    due = (
        WorkingDay.objects.order_by("-date")
        .annotate(
            due=calendar_sql.next_working_day(QuarterAfter(Value(start, output_field=DateField())))
        )
        .values_list("due", flat=True)
        .first()
    )
    assert due == quarter_after(start)


def test_free_places_hook_shows_nothing_until_the_beds_land_O36(client, director, monkeypatch):
    """«Мест свободно» waits for the beds of the departments: None hides it; a figure shows."""
    login(client, director)
    page = client.get("/?refresh=1").content.decode()
    assert 'data-testid="free-places"' not in page
    monkeypatch.setattr(selectors, "free_places", lambda scope: 7)
    page = client.get("/?refresh=1").content.decode()
    assert "Мест свободно: 7" in page
