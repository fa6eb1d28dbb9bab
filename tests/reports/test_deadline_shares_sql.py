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
from reports.stats.deadline_shares import QuarterAfter
from tests.conftest import login
from tests.services.factories import EnrolledRecipientFactory


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


def test_free_places_on_the_dashboards_are_beds_less_the_enrolled_O36(
    client, director, head, dept_a, dept_b
):
    """«Мест свободно»: hidden while no department records its beds; then the beds less the
    minors enrolled — the centre's on the director's page, the department's on the head's."""
    EnrolledRecipientFactory.create_batch(2, department=dept_a)
    EnrolledRecipientFactory(department=dept_b)
    login(client, director)
    page = client.get("/?refresh=1").content.decode()
    assert 'data-testid="free-places"' not in page
    dept_a.beds = 10
    dept_a.save()
    dept_b.beds = 4
    dept_b.save()
    assert "Мест свободно: 11" in client.get("/?refresh=1").content.decode()
    login(client, head)
    assert "Мест свободно: 8" in client.get("/?refresh=1").content.decode()
