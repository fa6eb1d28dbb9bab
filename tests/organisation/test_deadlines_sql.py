"""Each deadline kind's due date and state, computed by the database, equal the Python calendar's
on the tricky days: the New Year holidays, transferred days off, a working Saturday, 29 February,
the end of a month, and a year whose decree is not loaded (2030: the Labour Code alone)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from orders.deadlines import OrderAwaitingDecision
from organisation import calendar
from organisation.deadlines import Filter, rows, state_of
from patronage.deadlines import AppealRegistration, FirstVisit, VisitReview
from patronage.models import Appeal, ReviewStatus, VisitStatus
from recipients.deadlines import (
    CircumstanceChangeReview,
    ContractTermEnding,
    EighteenthBirthday,
    FourteenthBirthday,
    anniversary,
)
from recipients.models import CircumstanceChange
from services.deadlines import IndividualProgrammeTermEnding
from tests.factories import FamilyFactory, RecipientFactory
from tests.patronage.factories import AppealFactory, CaseFactory, VisitFactory

TRICKY = [
    date(2025, 10, 31),  # Friday before the working Saturday
    date(2025, 11, 1),  # a working Saturday
    date(2025, 11, 30),  # end of a month (three months later: 28 February)
    date(2025, 12, 30),
    date(2025, 12, 31),  # a transferred day off
    date(2026, 1, 1),  # New Year holidays
    date(2026, 1, 9),  # a moved day off (from Saturday 3 January)
    date(2026, 1, 11),
    date(2026, 2, 20),
    date(2026, 3, 6),  # before 8 March on a Sunday (9 March off)
    date(2026, 5, 8),  # before 9 May on a Saturday (11 May off)
    date(2026, 12, 30),
    date(2029, 12, 28),  # the terms run into 2030: no decree loaded
    date(2030, 1, 4),
]


def _todays(dues):
    """Days to judge the state on: around each due date (the day before, the day, the next)."""
    days = set()
    for due in dues:
        days |= {due - timedelta(days=3), due - timedelta(days=1), due, due + timedelta(days=1)}
    return sorted(days)


def assert_sql_is_python(kind, expected, *, todays=None, source=0):
    """`expected`: record pk -> (due, done) by the Python calendar. On each day, every row of
    the kind the database returns has that due date and the state `state_of` gives."""
    assert expected
    todays = todays or _todays({due for due, _done in expected.values()})
    seen = set()
    for today in todays:
        for row in rows(today=today, flt=Filter(kind=kind.code)):
            pk = row["dl_record"]
            if row["dl_source"] != source or pk not in expected:
                continue
            due, done = expected[pk]
            assert row["dl_due"] == due, (kind.code, pk, today)
            assert row["dl_done"] == done, (kind.code, pk, today)
            assert row["dl_state"] == state_of(due, done, today), (kind.code, pk, today)
            seen.add(pk)
    assert seen == set(expected), kind.code


@pytest.fixture(autouse=True)
def _working_days(db):
    """The table the deadline queries join (a flushed test database has it empty)."""
    calendar.sync_days()


def test_the_tricky_days_are_tricky():
    assert calendar.is_working_day(date(2025, 11, 1))  # Saturday
    assert not calendar.is_working_day(date(2026, 1, 9))  # Friday
    assert not calendar.is_confirmed_year(2030)


def test_appeal_registration_in_sql_is_the_python_term_P2_P3(dept_a, registrar):
    appeals = [AppealFactory(department=dept_a, received_on=d) for d in TRICKY]
    appeals[0].basis_due = date(2025, 11, 5)  # P3: the term of the basis document
    appeals[0].save(update_fields=["basis_due"])
    appeals[1].registered_on = date(2025, 11, 6)  # registered late
    appeals[1].save(update_fields=["registered_on"])
    expected = {
        a.pk: (a.registration_due, a.registered_on)
        for a in Appeal.objects.filter(pk__in=[a.pk for a in appeals])
    }
    assert_sql_is_python(AppealRegistration(), expected)


def test_first_visit_in_sql_is_the_python_term_P4(dept_a, head, specialist):
    kind = FirstVisit()
    waiting = [AppealFactory(department=dept_a, received_on=d, registered_on=d) for d in TRICKY]
    assert_sql_is_python(
        kind, {a.pk: (calendar.term_end(a.registered_on, 4), None) for a in waiting}, source=1
    )
    cases = {}
    for i, d in enumerate(TRICKY):
        case = CaseFactory(family=FamilyFactory(department=dept_a), opened_on=d)
        AppealFactory(department=dept_a, received_on=d, registered_on=d, case=case)
        if i % 3 == 0:  # visited on the fourth calendar day: sometimes late
            VisitFactory(
                case=case,
                specialist=specialist,
                status=VisitStatus.COMPLETED,
                planned_on=d,
                visited_on=d + timedelta(days=4),
            )
        cases[case.pk] = case
    expected = {pk: (c.first_visit_due, c.first_visit_on) for pk, c in cases.items()}
    # today within 30 days of the visit, so the visited ones stay listed
    todays = [d for due, _ in expected.values() for d in (due - timedelta(days=1), due)]
    assert_sql_is_python(kind, expected, todays=todays)


def test_visit_review_in_sql_counts_working_days_from_the_local_date_P13(dept_a, head, specialist):
    case = CaseFactory(family=FamilyFactory(department=dept_a))
    expected = {}
    for i, d in enumerate(TRICKY):
        # late in the evening, Moscow time: in UTC still the same day, the local date counts
        completed = timezone.make_aware(datetime.combine(d, time(23, 30)))
        visit = VisitFactory(
            case=case,
            specialist=specialist,
            status=VisitStatus.COMPLETED,
            planned_on=d,
            visited_on=d,
            completed_at=completed,
        )
        done = None
        if i % 4 == 0:
            visit.review_status = ReviewStatus.ACCEPTED
            visit.reviewed_at = timezone.make_aware(
                datetime.combine(d + timedelta(days=9), time(9))
            )
            visit.save(update_fields=["review_status", "reviewed_at"])
            done = d + timedelta(days=9)
        expected[visit.pk] = (calendar.add_working_days(d, 5), done)
    todays = [due for due, _ in expected.values()]
    assert_sql_is_python(VisitReview(), expected, todays=todays)


def test_order_decision_in_sql_is_two_working_days_from_the_draft_O12(dept_a, head, director):
    from orders import actions as order_actions
    from orders.models import Order, OrderKind
    from tests.recipients.factories import child_with_mother, prepare_enrolment

    child, mother = child_with_mother(dept_a)
    prepare_enrolment(child, mother, head)
    order = order_actions.draft_order(
        kind=OrderKind.ENROLMENT, recipient=child, drafted_by=head, effective_on=date(2026, 1, 12)
    )
    for d in TRICKY:
        Order.objects.filter(pk=order.pk).update(
            created_at=timezone.make_aware(datetime.combine(d, time(23, 45)))
        )
        assert_sql_is_python(
            OrderAwaitingDecision(), {order.pk: (calendar.add_working_days(d, 2), None)}
        )


def test_birthdays_in_sql_are_the_python_anniversaries_O1_O27(dept_a, head):
    births = [
        date(2008, 2, 29),  # 18 and 14 years later are common years: 1 March
        date(2012, 2, 29),
        date(2008, 12, 31),
        date(2012, 1, 1),
        date(2012, 1, 9),
        date(2011, 11, 1),
        date(2015, 12, 31),  # 14 in 2029, the passport term runs into 2030
    ]
    children = [
        RecipientFactory(
            department=dept_a,
            birth_date=b,
            first_day_of_stay=date(2020, 9, 1),
            identity_document_kind="birth_certificate",
        )
        for b in births
    ]
    eighteen = {c.pk: (anniversary(c.birth_date, 18), None) for c in children}
    assert_sql_is_python(
        EighteenthBirthday(),
        eighteen,
        todays=[due - timedelta(days=1) for due, _ in eighteen.values()],
    )
    fourteen = {
        c.pk: (calendar.term_end(anniversary(c.birth_date, 14), 90), None)
        for c in children
        if c.birth_date.year >= 2011
    }
    assert_sql_is_python(FourteenthBirthday(), fourteen)


def test_contract_and_programme_ends_in_sql_O4_O23(dept_a, head):
    from recipients.models import Contract, ContractTerm
    from services.models import IndividualProgramme
    from tests.rehab_programs.factories import enrolled_child

    contracts, programmes = {}, {}
    for d in TRICKY:
        child = enrolled_child(dept_a, first_day=date(2025, 9, 1))
        contract = Contract.objects.filter(recipient=child).get()
        Contract.objects.filter(pk=contract.pk).update(term=ContractTerm.TEMPORARY, valid_until=d)
        contracts[contract.pk] = (d, None)
        programme = IndividualProgramme.objects.filter(recipient=child).first()
        if programme is not None:
            IndividualProgramme.objects.filter(pk=programme.pk).update(valid_until=d)
            programmes[programme.pk] = (d, None)
    assert_sql_is_python(ContractTermEnding(), contracts)
    if programmes:
        assert_sql_is_python(IndividualProgrammeTermEnding(), programmes)


def test_circumstance_change_review_in_sql_O8(dept_a, head):
    child = RecipientFactory(department=dept_a, first_day_of_stay=date(2020, 9, 1))
    expected = {}
    for i, d in enumerate(TRICKY):
        change = CircumstanceChange.objects.create(
            recipient=child,
            reported_on=d,
            reported_by_name="Смирнова О. И.",
            what_changed="Сменился адрес",
            reviewed_on=d + timedelta(days=8) if i % 3 == 0 else None,
            reviewed_by=head if i % 3 == 0 else None,
        )
        expected[change.pk] = (change.review_due, change.reviewed_on)
    todays = [due for due, _ in expected.values()]
    assert_sql_is_python(CircumstanceChangeReview(), expected, todays=todays)


@pytest.mark.parametrize("today", [date(2025, 12, 29), date(2026, 1, 8), date(2025, 10, 31)])
def test_due_soon_in_sql_is_two_working_days_whatever_the_holidays(dept_a, head, today):
    """The state's "due soon" limit is the same count of working days as `state_of`'s."""
    from organisation.deadlines import soon_limit

    limit = soon_limit(today)
    for n in range(0, 20):
        due = today + timedelta(days=n)
        in_sql = due < limit
        assert in_sql == (calendar.working_days_between(today, due) <= 2), due


@pytest.mark.skipif(
    "postgres" not in __import__("os").environ.get("DATABASE_URL", ""),
    reason="query plans are PostgreSQL's",
)
def test_the_register_reads_the_working_days_by_index_and_never_the_journal(dept_a, head):
    """One plan for every kind: the working-day table is read through its index (no scan of
    the 16,000 days per item) and the journal of services is not read at all."""
    from django.db import connection

    RecipientFactory(department=dept_a, first_day_of_stay=date(2020, 9, 1))
    register = rows(today=date(2026, 11, 23), flt=Filter(department_id=dept_a.pk))
    with connection.cursor() as cur:
        cur.execute("SET LOCAL enable_seqscan = off")
        cur.execute(
            f"EXPLAIN SELECT * FROM ({register.sql}) r ORDER BY {register.ORDER}", register.params
        )
        plan = "\n".join(row[0] for row in cur.fetchall())
    assert "Seq Scan on organisation_workingday" not in plan, plan
    assert "services_servicerecord" not in plan, plan
