"""Planned against delivered (O18): every frequency norm of the programme checked (O29)."""

from __future__ import annotations

from datetime import date

import pytest

from recipients.models import Recipient
from services.models import Per
from services.selectors import compliance
from tests.services.factories import (
    ProgrammeFactory,
    ProgrammeLineFactory,
    ServiceRecordFactory,
    service,
)

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 20)


def _check(child, code, count, per, delivered_on, start, end, **programme):
    ProgrammeLineFactory(
        programme=ProgrammeFactory(recipient=child, **programme),
        service=service(code),
        count=count,
        per=per,
    )
    for d in delivered_on:
        ServiceRecordFactory(recipient=child, service=service(code), date=d)
    [row] = compliance(Recipient.objects.filter(pk=child.pk), start, end, TODAY)
    [line] = row.lines
    return line


def test_face_washing_twice_a_day_is_checked_on_each_working_day_O29(child):
    # Mon 16.11 twice, Tue 17.11 once, Wed 18.11 none
    line = _check(
        child,
        "1.7.1",
        2,
        Per.DAY,
        [date(2026, 11, 16), date(2026, 11, 16), date(2026, 11, 17)],
        date(2026, 11, 14),
        date(2026, 11, 18),
    )
    assert [(c.start, c.planned, c.delivered) for c in line.checks] == [
        (date(2026, 11, 16), 2, 2),
        (date(2026, 11, 17), 2, 1),
        (date(2026, 11, 18), 2, 0),
    ]  # Saturday 14 and Sunday 15 plan nothing
    assert [c.shortfall for c in line.checks] == [0, 1, 2]
    assert line.missing == 3


def test_a_public_holiday_plans_nothing_O29(child):
    # 04.11.2026 is the Day of National Unity
    line = _check(child, "2.3.1", 1, Per.DAY, [], date(2026, 11, 4), date(2026, 11, 4))
    assert line.checks == []


def test_gymnastics_three_times_a_week_O29(child):
    line = _check(
        child,
        "2.3.2",
        3,
        Per.WEEK,
        [date(2026, 11, 9), date(2026, 11, 10), date(2026, 11, 12)],
        date(2026, 11, 9),
        date(2026, 11, 15),
    )
    [week] = line.checks
    assert (week.planned, week.delivered, week.shortfall) == (3, 3, 0)


def test_the_current_week_is_not_a_shortfall_yet_O18(child):
    line = _check(child, "2.3.2", 3, Per.WEEK, [], date(2026, 11, 16), date(2026, 11, 22))
    [week] = line.checks
    assert not week.complete
    assert week.shortfall == 0


def test_outings_at_least_monthly_O29(child):
    line = _check(
        child, "4.2.1", 1, Per.MONTH, [date(2026, 9, 20)], date(2026, 9, 1), date(2026, 10, 31)
    )
    assert [(c.start.month, c.delivered, c.shortfall) for c in line.checks] == [
        (9, 1, 0),
        (10, 0, 1),
    ]


def test_consultation_once_per_period_is_checked_when_the_period_ends_O29(child):
    line = _check(
        child,
        "3.1.1",
        1,
        Per.PERIOD,
        [],
        date(2026, 9, 1),
        date(2026, 11, 19),
        valid_until=date(2026, 10, 31),
    )
    [period] = line.checks
    assert (period.start, period.end, period.shortfall) == (
        date(2026, 9, 1),
        date(2026, 10, 31),
        1,
    )


def test_consultation_once_per_permanent_period_stays_pending_O4(child):
    line = _check(child, "3.1.1", 1, Per.PERIOD, [], date(2026, 9, 1), date(2026, 11, 19))
    [period] = line.checks
    assert period.end is None and not period.complete


def test_nothing_is_planned_before_enrolment_O18(child):
    # enrolled 01.09.2026 (Tuesday): the week of 31.08 plans 4 of 5 working days' share
    line = _check(child, "2.3.2", 3, Per.WEEK, [], date(2026, 8, 24), date(2026, 9, 6))
    [week] = line.checks
    assert (week.start, week.planned) == (date(2026, 9, 1), 2)


def test_a_refused_service_is_no_longer_planned_O7(child, specialist):
    from services import actions

    programme = ProgrammeFactory(recipient=child)
    line = ProgrammeLineFactory(programme=programme, service=service("1.7.1"), count=2, per="day")
    child.birth_date = date(2011, 3, 1)  # 15: old enough to sign the refusal (O7)
    child.save(update_fields=["birth_date"])
    actions.record_refusal(line=line, signed_on=date(2026, 11, 18), recorded_by=specialist)
    [row] = compliance(
        Recipient.objects.filter(pk=child.pk), date(2026, 11, 16), date(2026, 11, 19), TODAY
    )
    assert [c.start.day for c in row.lines[0].checks] == [16, 17]
