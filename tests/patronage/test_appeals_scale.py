"""Appeals at scale: the registration term, "overdue" and "late" computed by the database agree
with `Appeal.registration_due` (P2, P3); search in any case with «е» for «ё»."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from organisation import calendar
from organisation.models import CalendarDay
from patronage.models import Appeal, AppealGround
from tests.conftest import login
from tests.patronage.factories import AppealFactory

# Every day from before the 2026 New Year holidays to after the May holidays.
DAYS = [date(2025, 12, 20) + timedelta(days=i) for i in range(150)]


def test_the_database_computes_the_registration_term_of_every_day_P2_P3(dept_a):
    for d in DAYS:
        AppealFactory(department=dept_a, received_on=d)
    AppealFactory(department=dept_a, received_on=date(2026, 1, 3), basis_due=date(2026, 1, 20))
    rows = Appeal.objects.with_registration_due()
    assert rows.count() == len(DAYS) + 1
    for a in rows:
        assert a.due == a.registration_due, a.received_on


def test_registered_late_in_the_database_is_the_python_rule_P2_P3(dept_a):
    """Registered on the last day of the term and the day after, for every day of receipt (a
    term across the holidays ends many calendar days later), and a basis document's term
    shorter than three days: the database's «с опозданием» is the property's, although it
    compares the dates only for appeals registered more than three calendar days after
    receipt or with a basis term."""
    for d in DAYS[:60]:
        term = Appeal(received_on=d).registration_due
        AppealFactory(department=dept_a, received_on=d, registered_on=term)
        AppealFactory(department=dept_a, received_on=d, registered_on=term + timedelta(days=1))
    short = AppealFactory(
        department=dept_a,
        received_on=date(2026, 3, 2),
        basis_due=date(2026, 3, 3),
        registered_on=date(2026, 3, 4),
    )
    late = set(Appeal.objects.with_registration_due().registered_late())
    assert short in late
    assert late == {a for a in Appeal.objects.all() if a.registered_late}
    assert len(late) == 61


@pytest.mark.parametrize("today", [date(2026, 1, 5), date(2026, 1, 12), date(2026, 3, 10)])
def test_the_overdue_and_late_counts_are_the_python_rule_P2_P3(dept_a, dept_b, today):
    """`registration_counts` computes each day's term once and joins it to the appeals: for
    every day of receipt across the New Year and the 23 February holidays, registered on the
    last day of the term, the day after, or not at all, with and without a basis document's
    term, its counts are those of the properties; another department's appeals are not
    counted in a department's scope, archived ones nowhere."""
    for d in DAYS[:80]:
        term = Appeal(received_on=d).registration_due
        if d < today:
            AppealFactory(department=dept_a, received_on=d, registered_on=min(term, today))
        if term + timedelta(days=1) <= today:
            AppealFactory(department=dept_a, received_on=d, registered_on=term + timedelta(days=1))
        if d <= today:
            AppealFactory(department=dept_a, received_on=d)
    AppealFactory(department=dept_a, received_on=DAYS[0], basis_due=DAYS[1])
    AppealFactory(department=dept_a, received_on=DAYS[0], basis_due=DAYS[1], registered_on=DAYS[2])
    AppealFactory(department=dept_b, received_on=DAYS[0])
    AppealFactory(department=dept_a, received_on=DAYS[0], archived_at=timezone.now())
    with time_machine.travel(today, tick=False):
        scope = Appeal.objects.active().filter(department=dept_a)
        expected = (
            sum(1 for a in scope if a.registration_overdue),
            sum(1 for a in scope if a.registered_late),
        )
        assert scope.registration_counts(today)[:2] == expected
        assert expected[0] > 0 and expected[1] > 0
        assert Appeal.objects.active().registration_counts(today)[:2] == (
            expected[0] + 1,
            expected[1],
        )
        unregistered = scope.unregistered()
        counts = scope.registration_counts(today, listed=unregistered)
        assert counts[:2] == expected and counts.listed == unregistered.count() > 0
        assert expected == (
            scope.registration_overdue(today).count(),
            scope.registered_late().count(),
        )


def test_a_correction_of_the_calendar_moves_the_term_in_the_database_P2(dept_a):
    """Received Monday 02.03.2026: due Thursday 05.03; with the 5th made a day off, the 6th."""
    appeal = AppealFactory(department=dept_a, received_on=date(2026, 3, 2))
    CalendarDay.objects.create(date=date(2026, 3, 5), is_working=False, note="поправка")
    calendar.sync_days()
    assert Appeal.objects.with_registration_due().get(pk=appeal.pk).due == date(2026, 3, 6)


@pytest.fixture
def appeals(dept_a):
    on_time = AppealFactory(
        department=dept_a, received_on=date(2026, 3, 2), registered_on=date(2026, 3, 4)
    )
    late = AppealFactory(
        department=dept_a, received_on=date(2026, 3, 2), registered_on=date(2026, 3, 10)
    )
    overdue = AppealFactory(department=dept_a, received_on=date(2026, 3, 2))
    waiting = AppealFactory(department=dept_a, received_on=date(2026, 3, 19))
    return {"on_time": on_time, "late": late, "overdue": overdue, "waiting": waiting}


@pytest.mark.parametrize(
    ("status", "expected"),
    [("overdue", {"overdue"}), ("late", {"late"}), ("unregistered", {"overdue", "waiting"})],
)
def test_late_and_overdue_filters_run_in_the_database_P2(
    client, registrar, appeals, status, expected
):
    with time_machine.travel(date(2026, 3, 20), tick=False):
        response = login(client, registrar).get(
            reverse("patronage:appeal_list"), {"status": status}
        )
    names = {k for k, a in appeals.items() if a in response.context["page_obj"]}
    assert names == expected
    assert response.context["page_obj"].paginator.count == len(expected)
    with time_machine.travel(date(2026, 3, 20), tick=False):
        response = client.get(
            reverse("patronage:appeal_list"), {"status": status, "date_to": "18.03.2026"}
        )
    names = {k for k, a in appeals.items() if a in response.context["page_obj"]}
    assert names == expected - {"waiting"}
    assert response.context["page_obj"].paginator.count == len(expected - {"waiting"})
    assert response.context["overdue_count"] == 1 and response.context["late_count"] == 1


@pytest.mark.parametrize(
    ("typed", "found"),
    [("семенов", True), ("СЕМЁНОВЫХ", True), ("алёна", True), ("садовая", True), ("петров", False)],
)
def test_appeal_search_ignores_case_and_e_yo(client, registrar, dept_a, typed, found):
    appeal = AppealFactory(
        department=dept_a,
        family_name="семья Семёновых",
        children="Алена, 7 лет",
        family_address="ул. Садовая",
        ground=AppealGround.CITIZEN,
    )
    response = login(client, registrar).get(reverse("patronage:appeal_list"), {"q": typed})
    assert (appeal in response.context["page_obj"]) is found


def test_the_appeal_list_keeps_its_queries_whatever_the_number_of_appeals(
    client, registrar, dept_a, django_assert_max_num_queries
):
    for i in range(60):
        AppealFactory(department=dept_a, received_on=date(2026, 1, 1) + timedelta(days=i))
    login(client, registrar)
    client.get(reverse("patronage:appeal_list"))
    with django_assert_max_num_queries(12):
        client.get(reverse("patronage:appeal_list"))


@pytest.mark.parametrize(
    ("typed", "found"),
    [("семенов", True), ("СЕМЁНОВЫХ", True), ("садовая", True), ("орлов", False)],
)
def test_case_search_ignores_case_and_e_yo(client, head, dept_a, typed, found):
    from tests.factories import FamilyFactory
    from tests.patronage.factories import CaseFactory

    case = CaseFactory(
        family=FamilyFactory(department=dept_a, name="семья Семёновых", address="ул. Садовая, 3")
    )
    response = login(client, head).get(reverse("patronage:case_list"), {"q": typed})
    assert (case in response.context["page_obj"]) is found


def test_a_nul_typed_into_the_case_search_is_dropped_not_a_500(client, head, dept_a):
    """The form fuzzer: a NUL in `?q=` was a DataError (500) on PostgreSQL."""
    from tests.factories import FamilyFactory
    from tests.patronage.factories import CaseFactory

    case = CaseFactory(family=FamilyFactory(department=dept_a, name="семья Семёновых"))
    response = login(client, head).get(reverse("patronage:case_list"), {"q": "семен\x00ов"})
    assert response.status_code == 200
    assert case in response.context["page_obj"]
