"""The terms of O15, O16 and O19, computed from dates with the production calendar, and their
place in the deadline register."""

from __future__ import annotations

from datetime import date

import pytest

from consilium.models import DecisionKind
from organisation.deadlines import State, kind_by_code
from rehab_programs.models import (
    RehabProgramme,
    primary_diagnostics_due,
    quarter_after,
    rehab_programme_due,
)
from tests.rehab_programs.factories import (
    approved_programme,
    decide,
    diagnostic,
    enrolled_child,
    programme,
)

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 15)


def test_primary_diagnostics_due_across_new_year_holidays_O15():
    """First day Monday 29.12.2025: 30.12 is the 1st working day; 31.12.2025 and 1–11.01.2026
    are days off by the decrees; the 10th working day is Thursday 22.01.2026."""
    assert primary_diagnostics_due(date(2025, 12, 29)) == date(2026, 1, 22)


def test_primary_diagnostics_due_in_an_ordinary_fortnight_O15():
    assert primary_diagnostics_due(date(2026, 9, 1)) == date(2026, 9, 15)


def test_programme_due_across_may_holidays_O16():
    """Results on 28.04.2026: 1 May and the transferred 11 May are days off → 14.05.2026."""
    assert rehab_programme_due(date(2026, 4, 28)) == date(2026, 5, 14)


@pytest.mark.parametrize(
    ("start", "due"),
    [
        (date(2026, 6, 15), date(2026, 9, 15)),  # same date three months later, a Tuesday
        (date(2026, 11, 30), date(2027, 3, 1)),  # no 30 February: 28.02.2027 (Sunday) → Monday
        (date(2026, 2, 9), date(2026, 5, 12)),  # 9 May Saturday, 10 Sunday, 11 a day off
        (date(2026, 10, 4), date(2027, 1, 11)),  # 4 January is in the New Year holidays
    ],
)
def test_quarterly_revision_term_O19(start, due):
    assert quarter_after(start) == due


def test_revision_due_counts_from_the_last_approval_or_review_O19(
    dept_a, psychologist, head, consilium_members
):
    child = enrolled_child(dept_a)
    p = approved_programme(child, psychologist, head)
    assert p.last_reviewed_on == date(2026, 9, 15)
    assert p.revision_due == date(2026, 12, 15)
    assert not p.revision_overdue(TODAY)
    assert p.revision_overdue(date(2026, 12, 16))
    decide(head, child, DecisionKind.CONTINUE, on=date(2026, 11, 16))
    p = RehabProgramme.objects.get(pk=p.pk)
    assert p.continued_on == date(2026, 11, 16)
    assert p.revision_due == date(2027, 2, 16)


def test_register_flags_late_primary_diagnostics_and_clears_it_O15(dept_a, psychologist, head):
    child = enrolled_child(dept_a, first_day=date(2026, 11, 16))
    kind = kind_by_code("rehab_primary_diagnostics")
    assert kind is not None
    [item] = [i for i in kind.items(today=TODAY) if i.key == f"recipient:{child.pk}"]
    assert item.due == date(2026, 11, 30)
    assert item.state(TODAY) == State.OVERDUE
    assert item.responsible_id == head.pk
    assert item.url == f"/rehab/recipients/{child.pk}/"
    diagnostic(child, psychologist, on=date(2026, 12, 1))
    [item] = [i for i in kind.items(today=TODAY) if i.key == f"recipient:{child.pk}"]
    assert item.done_on == date(2026, 12, 1)
    assert item.state(TODAY) == State.DONE_LATE


def test_register_counts_the_programme_from_the_last_primary_result_O16(dept_a, psychologist, head):
    child = enrolled_child(dept_a, first_day=date(2026, 11, 16))
    diagnostic(child, psychologist, on=date(2026, 11, 17))
    diagnostic(child, psychologist, on=date(2026, 11, 19), area="pedagogical")
    kind = kind_by_code("rehab_programme")
    assert kind is not None
    [item] = list(kind.items(today=TODAY, department_id=dept_a.pk))
    assert item.due == date(2026, 12, 3)
    assert item.state(TODAY) == State.OVERDUE
    programme(child, psychologist, on=date(2026, 12, 14))
    [item] = list(kind.items(today=TODAY, department_id=dept_a.pk))
    assert item.done_on == date(2026, 12, 14)
    assert item.state(TODAY) == State.DONE_LATE


def test_register_lists_the_quarterly_revision_for_the_curator_O19(
    dept_a, psychologist, head, consilium_members
):
    child = enrolled_child(dept_a)
    p = approved_programme(child, psychologist, head)
    kind = kind_by_code("rehab_revision")
    assert kind is not None
    [item] = list(kind.items(today=TODAY))
    assert item.due == date(2026, 12, 15)
    assert item.responsible_id == psychologist.pk
    assert item.url == p.get_absolute_url()
    assert item.state(TODAY) == State.DUE_SOON
    assert item.state(date(2026, 12, 16)) == State.OVERDUE
