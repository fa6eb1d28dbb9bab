"""The deadline register's statements, planned once per connection on PostgreSQL: the rows are
read afresh at every execution, only the plan is kept, and a connection keeps a few."""

from __future__ import annotations

import os
from datetime import date

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from organisation import prepared
from organisation.models import WorkingDay

on_postgresql = pytest.mark.skipif(
    "postgres" not in os.environ.get("DATABASE_URL", ""), reason="PostgreSQL prepares"
)

QUERY = (
    "SELECT date, is_working FROM organisation_workingday"
    " WHERE date >= %s AND date < '2031-01-01' ORDER BY date"
)


def _ours():
    with connection.cursor() as cur:
        cur.execute("SELECT name FROM pg_prepared_statements WHERE name LIKE 'prepared_%%'")
        return {name for (name,) in cur.fetchall()}


def test_the_rows_are_the_querys_and_read_afresh_each_time(db):
    day = date(2030, 12, 29)
    first = prepared.fetch_all(QUERY, [day])
    assert len(first) == 3  # 29, 30 and 31 December
    WorkingDay.objects.filter(date__gte=date(2030, 12, 31)).delete()
    assert len(prepared.fetch_all(QUERY, [day])) == 2


@on_postgresql
def test_a_statement_is_prepared_once_per_connection_in_one_query(db):
    day = date(2030, 1, 1)
    with CaptureQueriesContext(connection) as first:
        rows = prepared.fetch_all(QUERY, [day])
    with CaptureQueriesContext(connection) as second:
        again = prepared.fetch_all(QUERY, [day])
    assert rows == again and rows
    [prepare] = first.captured_queries
    assert "PREPARE prepared_" in prepare["sql"]
    [execute] = second.captured_queries
    assert execute["sql"].startswith("EXECUTE prepared_")
    assert execute["sql"].split()[1] in _ours()


@on_postgresql
def test_a_connection_keeps_the_most_recently_used_statements(db):
    days = [date(2031, 1, n) for n in range(1, prepared.KEPT + 3)]
    for day in days:
        prepared.fetch_all(QUERY, [day])
    assert len(_ours()) <= prepared.KEPT
    # the oldest went, the latest stay and run without being prepared again
    with CaptureQueriesContext(connection) as latest:
        prepared.fetch_all(QUERY, [days[-1]])
    assert latest.captured_queries[0]["sql"].startswith("EXECUTE ")
    with CaptureQueriesContext(connection) as oldest:
        prepared.fetch_all(QUERY, [days[0]])
    assert "PREPARE " in oldest.captured_queries[0]["sql"]


@on_postgresql
def test_after_a_failed_batch_the_statement_is_looked_up_and_runs(db):
    day = date(2033, 3, 1)
    failing = "SELECT 1 / (SELECT COUNT(*) FROM organisation_workingday WHERE date = %s)::int"
    working = WorkingDay.objects.get(date=day)
    WorkingDay.objects.filter(date=day).delete()
    with pytest.raises(Exception), transaction.atomic():  # noqa: B017 - the driver's DataError
        prepared.fetch_all(failing, [day])  # division by zero
    working.save()
    # whether the failed batch left the statement prepared is asked of the server
    with CaptureQueriesContext(connection) as retry:
        assert prepared.fetch_all(failing, [day]) == [(1,)]
    assert "pg_prepared_statements" in retry.captured_queries[0]["sql"]
    assert prepared.fetch_all(failing, [day]) == [(1,)]
