"""O15, O16, O19 computed by the database equal the Python terms on the tricky days (see
tests/organisation/test_deadlines_sql.py)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from organisation import calendar
from organisation.deadlines import Filter, rows
from rehab_programs.deadlines import PrimaryDiagnostics, QuarterlyRevision, RehabProgrammeDrawnUp
from rehab_programs.models import (
    ProgrammeVersion,
    RehabProgramme,
    primary_diagnostics_due,
    quarter_after,
    rehab_programme_due,
)
from tests.organisation.test_deadlines_sql import TRICKY, assert_sql_is_python


@pytest.fixture(autouse=True)
def _working_days(db):
    calendar.sync_days()


def test_rehab_terms_in_sql_are_the_python_terms_O15_O16_O19(
    dept_a, head, psychologist, consilium_members
):
    from tests.rehab_programs.factories import diagnostic, enrolled_child

    primary, programme_terms = {}, {}
    for i, d in enumerate(
        [d for d in TRICKY if d < date(2026, 12, 1)]
    ):  # diagnostics are past events
        child = enrolled_child(dept_a, first_day=d)
        if i % 2:
            diagnostic(child, psychologist, on=d + timedelta(days=1))
            primary[child.pk] = (primary_diagnostics_due(d), d + timedelta(days=1))
            programme_terms[child.pk] = (rehab_programme_due(d + timedelta(days=1)), None)
        else:
            primary[child.pk] = (primary_diagnostics_due(d), None)
    todays = [due for due, _ in primary.values()]
    assert_sql_is_python(PrimaryDiagnostics(), primary, todays=todays)
    assert_sql_is_python(RehabProgrammeDrawnUp(), programme_terms)


def test_quarterly_revision_in_sql_follows_art_192_and_193_O19(
    dept_a, head, psychologist, consilium_members
):
    from tests.rehab_programs.factories import approved_programme, enrolled_child

    child = enrolled_child(dept_a, first_day=date(2025, 9, 1))
    programme = approved_programme(child, psychologist, head)
    version = ProgrammeVersion.objects.filter(programme=programme, status="approved").get()
    for d in [*TRICKY, date(2026, 11, 30), date(2027, 3, 31)]:
        ProgrammeVersion.objects.filter(pk=version.pk).update(protocol_date=d)
        RehabProgramme.objects.filter(pk=programme.pk).update(continued_on=None)
        assert_sql_is_python(QuarterlyRevision(), {programme.pk: (quarter_after(d), None)})
        # a later review by the consilium counts from its date
        later = d + timedelta(days=31)
        RehabProgramme.objects.filter(pk=programme.pk).update(continued_on=later)
        assert_sql_is_python(QuarterlyRevision(), {programme.pk: (quarter_after(later), None)})
        # a «continue» before the last approval does not count
        RehabProgramme.objects.filter(pk=programme.pk).update(continued_on=d - timedelta(days=31))
        assert_sql_is_python(QuarterlyRevision(), {programme.pk: (quarter_after(d), None)})


def test_quarterly_revision_counts_from_the_last_approval_O19(
    dept_a, head, psychologist, consilium_members
):
    from tests.rehab_programs.factories import approved_programme, enrolled_child

    child = enrolled_child(dept_a, first_day=date(2025, 9, 1))
    programme = approved_programme(child, psychologist, head)
    first = ProgrammeVersion.objects.filter(programme=programme, status="approved").get()
    ProgrammeVersion.objects.filter(pk=first.pk).update(protocol_date=date(2026, 3, 6))
    second = ProgrammeVersion.objects.create(
        programme=programme,
        number=first.number + 1,
        status="approved",
        proposed_on=date(2026, 5, 1),
        proposed_by=psychologist,
        protocol_number="7",
        protocol_date=date(2026, 5, 8),
    )
    assert_sql_is_python(
        QuarterlyRevision(), {programme.pk: (quarter_after(date(2026, 5, 8)), None)}
    )
    # a version not approved (or approved without a protocol date) is not an approval
    ProgrammeVersion.objects.filter(pk=second.pk).update(status="rejected")
    assert_sql_is_python(
        QuarterlyRevision(), {programme.pk: (quarter_after(date(2026, 3, 6)), None)}
    )
    ProgrammeVersion.objects.filter(pk=first.pk).update(status="rejected")
    assert not list(rows(today=date(2026, 5, 8), flt=Filter(kind="rehab_revision")))


def test_the_rehab_kinds_read_primary_diagnostics_within_the_horizon_O15(
    dept_a, head, psychologist
):
    """Done long ago drops out of the register; done lately stays (done or done late)."""
    from tests.rehab_programs.factories import diagnostic, enrolled_child

    today = date(2026, 6, 1)
    old = enrolled_child(dept_a, first_day=date(2026, 1, 12))
    diagnostic(old, psychologist, on=date(2026, 1, 13))
    recent = enrolled_child(dept_a, first_day=date(2026, 4, 1))
    diagnostic(recent, psychologist, on=date(2026, 5, 20))
    waiting = enrolled_child(dept_a, first_day=date(2026, 5, 25))
    found = {
        r["dl_record"]: r["dl_done"]
        for r in rows(today=today, flt=Filter(kind=PrimaryDiagnostics.code))
    }
    assert found == {recent.pk: date(2026, 5, 20), waiting.pk: None}


@pytest.mark.skipif(
    "postgres" not in __import__("os").environ.get("DATABASE_URL", ""),
    reason="query plans are PostgreSQL's",
)
@pytest.mark.parametrize("kind", [PrimaryDiagnostics, RehabProgrammeDrawnUp, QuarterlyRevision])
def test_each_subquery_of_a_rehab_kind_runs_at_most_once_in_where_and_once_in_select(kind, db):
    """The filters name each subquery once (`none_or_since`, EXISTS), so PostgreSQL's plan
    holds each table of a subquery at most twice: the filter's and the columns'."""
    from django.db import connection

    from organisation.deadlines import _parts

    [part] = _parts(date(2026, 6, 1), Filter(kind=kind.code))
    sql, params = part.query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cur.fetchall())
    for table in (
        "rehab_programs_diagnostic",
        "rehab_programs_rehabprogramme u",
        "rehab_programs_programmeversion",
    ):
        assert plan.count(f" on {table}") <= 2, plan
