"""Patronage deadlines in the one register (P2, P3, P4, P13)."""

from __future__ import annotations

from datetime import date

from organisation.deadlines import State
from patronage import actions
from patronage.deadlines import AppealRegistration, FirstVisit, VisitReview
from tests.patronage.factories import (
    AppealFactory,
    case_with_appeal,
    completed_visit,
    registered_appeal,
)


def test_an_unregistered_appeal_is_the_registrars_deadline_P2(registrar, dept_a):
    appeal = AppealFactory.build(department=dept_a, received_on=date(2025, 12, 30))  # Tuesday
    appeal = actions.log_appeal(appeal=appeal, logged_by=registrar, registered_on=None)
    [item] = AppealRegistration().items(today=date(2025, 12, 31))
    assert item.responsible_id == registrar.pk
    # 3 days from 30 Dec 2025 end on Fri 2 Jan 2026, a holiday: moved to Mon 12 Jan (P2)
    assert item.due == appeal.registration_due == date(2026, 1, 12)
    assert item.state(date(2026, 1, 13)) == State.OVERDUE


def test_a_late_registration_shows_as_done_late_P3(registrar, dept_a):
    # received on Sunday 2 Nov 2025, a day off: the 3 following working days (P3)
    registered_appeal(
        registrar=registrar,
        department=dept_a,
        received_on=date(2025, 11, 2),
        registered_on=date(2025, 11, 10),
    )
    [item] = AppealRegistration().items(today=date(2025, 11, 10))
    assert item.due == date(2025, 11, 7)  # 3 and 4 Nov are days off: 5, 6 and 7 November
    assert item.state(date(2025, 11, 10)) == State.DONE_LATE


def test_the_first_visit_is_the_assigned_specialists_deadline_P4(
    registrar, head, specialist, dept_a
):
    case = case_with_appeal(
        registrar=registrar,
        head=head,
        department=dept_a,
        specialist=specialist,
        received_on=date(2026, 3, 2),
    )
    [item] = FirstVisit().items(today=date(2026, 3, 3))
    assert item.responsible_id == specialist.pk
    assert item.due == date(2026, 3, 6)  # 4 days from Mon 2 March 2026
    completed_visit(case=case, specialist=specialist, on=date(2026, 3, 4))
    [item] = FirstVisit().items(today=date(2026, 3, 4))
    assert item.state(date(2026, 3, 4)) == State.DONE


def test_a_registered_appeal_without_a_case_waits_on_the_head_P4_P6(registrar, head, dept_a):
    registered_appeal(registrar=registrar, department=dept_a, received_on=date(2026, 3, 2))
    [item] = FirstVisit().items(today=date(2026, 3, 3))
    assert item.responsible_id == head.pk
    assert "открыть патронаж" in item.title


def test_a_completed_visit_waits_for_the_heads_review_P13(registrar, head, specialist, dept_a):
    case = case_with_appeal(
        registrar=registrar, head=head, department=dept_a, specialist=specialist
    )
    visit = completed_visit(case=case, specialist=specialist)
    [item] = VisitReview().items(today=date(2026, 11, 23))
    assert item.responsible_id == head.pk
    assert item.done_on is None
    actions.review_visit(visit=visit, status="accepted", remarks="", reviewed_by=head)
    [item] = VisitReview().items(today=date(2026, 11, 23))
    assert item.done_on is not None


def test_the_first_visit_wait_moves_past_the_new_year_holidays_P4(registrar, head, dept_a):
    import time_machine

    with time_machine.travel(date(2026, 12, 29)):
        registered_appeal(registrar=registrar, department=dept_a, received_on=date(2026, 12, 29))
    [item] = FirstVisit().items(today=date(2026, 12, 30))
    # 4 days from Tue 29 Dec 2026 end on Sat 2 Jan 2027: days off run to 10 January
    assert item.due == date(2027, 1, 11)


def test_the_review_norm_counts_working_days_across_the_new_year_P13(
    registrar, head, specialist, dept_a
):
    import time_machine

    case = case_with_appeal(
        registrar=registrar, head=head, department=dept_a, specialist=specialist
    )
    with time_machine.travel(date(2026, 12, 30)):
        completed_visit(case=case, specialist=specialist, on=date(2026, 12, 30))
    [item] = VisitReview().items(today=date(2026, 12, 30))
    # 5 working days after Wed 30 Dec 2026: 11–15 January 2027 (31 Dec and 1–10 Jan are off)
    assert item.due == date(2027, 1, 15)


def test_a_reviewed_visit_stays_listed_from_the_local_day_the_window_opens_P13(
    registrar, head, specialist, dept_a
):
    """Reviewed on the first local day of the window (just after Moscow midnight, still the
    day before in UTC) it is listed; just before that midnight it is not."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from patronage.deadlines import DONE_WINDOW_DAYS
    from patronage.models import ReviewStatus, Visit

    case = case_with_appeal(
        registrar=registrar, head=head, department=dept_a, specialist=specialist
    )
    today = date(2026, 11, 23)
    first_day = today - timedelta(days=DONE_WINDOW_DAYS)
    inside = completed_visit(case=case, specialist=specialist, on=date(2026, 10, 1))
    outside = completed_visit(case=case, specialist=specialist, on=date(2026, 10, 2))
    for visit, moment in (
        (inside, datetime.combine(first_day, time(0, 10))),
        (outside, datetime.combine(first_day - timedelta(days=1), time(23, 50))),
    ):
        Visit.objects.filter(pk=visit.pk).update(
            review_status=ReviewStatus.ACCEPTED, reviewed_at=timezone.make_aware(moment)
        )
    keys = {item.key for item in VisitReview().items(today=today)}
    assert keys == {f"visit:{inside.pk}"}


def test_a_first_visit_stays_listed_the_window_after_it_and_an_awaited_one_always_P4(
    registrar, head, specialist, dept_a
):
    """`none_or_since` over the first completed visit: none yet (open) or within the window
    (done) is listed; a first visit longer ago is not."""
    from datetime import timedelta

    from patronage.deadlines import DONE_WINDOW_DAYS

    today = date(2026, 11, 23)
    first_day = today - timedelta(days=DONE_WINDOW_DAYS)
    cases = {}
    for name, visited in (("waiting", None), ("lately", first_day), ("long ago", first_day)):
        received = date(2026, 9, 1) if visited is None else visited - timedelta(days=2)
        case = case_with_appeal(
            registrar=registrar,
            head=head,
            department=dept_a,
            specialist=specialist,
            received_on=received,
        )
        if visited is not None:
            on = visited if name == "lately" else visited - timedelta(days=1)
            completed_visit(case=case, specialist=specialist, on=on)
        cases[name] = case
    items = {item.key: item for item in FirstVisit().items(today=today)}
    assert set(items) == {f"case:{cases['waiting'].pk}", f"case:{cases['lately'].pk}"}
    assert items[f"case:{cases['waiting'].pk}"].done_on is None
    assert items[f"case:{cases['lately'].pk}"].done_on == first_day
