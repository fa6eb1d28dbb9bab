"""Races between two (or twenty) people acting at once, on separate connections (PostgreSQL
only: SQLite serialises writers). Each test names the race of the reliability review."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from consilium.models import Meeting
from patronage import actions as patronage_actions
from patronage.models import Appeal
from tests.concurrency import run_at_once, skip_unless_postgresql
from tests.patronage.factories import AppealFactory
from tests.rehab_programs.factories import composition, meeting

pytestmark = pytest.mark.django_db(transaction=True)


@time_machine.travel(date(2026, 3, 10))
def test_one_appeal_registered_by_two_registrars_at_once_gets_one_number_P2(registrar, dept_a):
    skip_unless_postgresql()
    appeal = AppealFactory(department=dept_a, received_on=date(2026, 3, 2))

    def register():
        return patronage_actions.register_appeal(
            appeal=Appeal.objects.get(pk=appeal.pk),
            registered_on=date(2026, 3, 3),
            registered_by=registrar,
        )

    results, errors = run_at_once([register, register])
    assert len(results) == 1
    assert [str(e) for e in errors] == ["['Обращение уже зарегистрировано под № 1/2026.']"]
    appeal.refresh_from_db()
    assert appeal.number == 1


@time_machine.travel(date(2026, 12, 15))
def test_heads_scheduling_meetings_at_once_get_consecutive_protocol_numbers(
    director, head, head_b, psychologist, specialist
):
    skip_unless_postgresql()
    composition(director, head, psychologist, specialist)
    calls = [lambda h=h: meeting(h, on=date(2026, 12, 14)) for h in [head, head_b] * 5]
    _results, errors = run_at_once(calls)
    assert not errors
    assert sorted(Meeting.objects.values_list("number", flat=True)) == list(range(1, 11))
