"""O15, O16, O19 computed by the database equal the Python terms on the tricky days (see
tests/organisation/test_deadlines_sql.py)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from organisation import calendar
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
