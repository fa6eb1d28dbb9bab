"""The «Мой день» figures of the start page counted by the database (`my_day_counts`) agree with
the page's rows (`my_day`): a line is open while its norm is not met in its span — the day, the
week, the month or the whole term — counting only the child's delivered services of that
service."""

from __future__ import annotations

from datetime import date

import pytest

from recipients.models import Recipient
from services.models import Per, RecordStatus, Service
from services.selectors import DayCounts, child_days, my_day, my_day_counts
from tests.services.factories import (
    EnrolledRecipientFactory,
    ProgrammeFactory,
    ProgrammeLineFactory,
    ServiceRecordFactory,
    service,
)

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 20)  # a Friday: the week from 16.11, the month from 01.11


def _line(child, code, count, per, **line):
    programme = ProgrammeFactory(recipient=child)
    return ProgrammeLineFactory(
        programme=programme, service=service(code), count=count, per=per, **line
    )


def _given(child, code, *days, **record):
    for d in days:
        ServiceRecordFactory(recipient=child, service=service(code), date=d, **record)


@pytest.fixture
def day(child, dept_a, frozen_today):
    """Two children of department A with a line of each kind of norm, some met, some not."""
    # three a week, two this week (the one of the week before does not count): open
    _line(child, "2.3.2", 3, Per.WEEK)
    _given(child, "2.3.2", date(2026, 11, 13), date(2026, 11, 17), date(2026, 11, 18))
    # once a day, given today: met
    _line(child, "2.4", 1, Per.DAY)
    _given(child, "2.4", TODAY)
    # four a month, four logged but one cancelled: open
    _line(child, "2.3.1", 4, Per.MONTH)
    _given(child, "2.3.1", date(2026, 11, 2), date(2026, 11, 5), date(2026, 11, 10))
    _given(
        child,
        "2.3.1",
        date(2026, 11, 19),
        status=RecordStatus.CANCELLED,
        cancellation_reason="Ошибка",
    )
    # once over the term (from 01.10), given in October: met
    _line(child, "3.1.1", 1, Per.PERIOD, valid_from=date(2026, 10, 1))
    _given(child, "3.1.1", date(2026, 10, 15))
    other = EnrolledRecipientFactory(department=dept_a, last_name="Зайцев")
    # twice over the term, once given (and the other child's session is not hers): open
    _line(other, "3.1.1", 2, Per.PERIOD)
    _given(other, "3.1.1", date(2026, 10, 5))
    # a service of another line of the child does not count for this one
    _line(other, "2.3.2", 1, Per.WEEK)
    _given(other, "2.4", date(2026, 11, 17))
    return Recipient.objects.filter(department=dept_a)


def test_the_start_pages_figures_are_those_of_the_rows_of_my_day(day):
    rows = my_day(day, TODAY)
    assert sum(r.open_count for r in rows) == 4
    assert my_day_counts(day, TODAY) == DayCounts(children=2, open=4, logged=1)


def test_the_figures_of_a_specialist_count_only_their_services(day):
    services = Service.objects.filter(code__in=["2.3.2", "2.4"])
    rows = my_day(day, TODAY, services)
    assert sum(r.open_count for r in rows) == 2
    assert my_day_counts(day, TODAY, services) == DayCounts(children=2, open=2, logged=1)


def test_the_statement_built_once_counts_anew_and_keeps_to_its_scope(
    day, child, django_assert_num_queries
):
    """The figures' statement is kept per shape (scope, day, services): the second time it is
    not built again (two queries: the services' ids and the figures), yet it counts what was
    logged since; another scope or other services have a statement of their own."""
    services = Service.objects.filter(code__in=["2.3.2", "2.4"])
    assert my_day_counts(day, TODAY, services) == DayCounts(children=2, open=2, logged=1)
    _given(child, "2.3.2", TODAY)  # the week's third: met
    with django_assert_num_queries(2):
        counts = my_day_counts(day, TODAY, services)
    assert counts == DayCounts(children=2, open=1, logged=2)
    assert my_day_counts(day.filter(pk=child.pk), TODAY, services) == DayCounts(1, 0, 2)
    assert my_day_counts(day, TODAY, Service.objects.filter(code="2.3.1")) == DayCounts(2, 1, 2)
    assert my_day_counts(day, TODAY) == DayCounts(children=2, open=3, logged=2)


def test_the_rows_read_by_a_statement_built_once_are_those_of_their_children(day, child):
    """`child_days` builds the SQL of its queries once per shape (the day, the services, the
    number of children) and binds the children's ids each time: another child of the same
    shape gets their own lines, records and counts."""
    other = Recipient.objects.get(last_name="Зайцев")
    ids = list(
        Service.objects.filter(code__in=["2.3.2", "2.4", "3.1.1"]).values_list("pk", flat=True)
    )

    def seen(recipient):
        (row,) = child_days([recipient], TODAY, ids)
        planned = {(p.service.code, p.done_in_span, p.needed_in_span) for p in row.planned}
        return planned, [r.service.code for r in row.records]

    mine = ({("2.3.2", 2, 3), ("2.4", 1, 1), ("3.1.1", 1, 1)}, ["2.4"])
    theirs = ({("3.1.1", 1, 2), ("2.3.2", 0, 1)}, [])
    assert seen(child) == mine
    assert seen(other) == theirs
    assert seen(child) == mine
    assert child_days([], TODAY, ids) == []
