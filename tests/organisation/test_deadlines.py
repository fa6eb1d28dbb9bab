"""The deadline register, notifications and escalation."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from organisation import calendar, deadlines
from organisation.actions import notify_deadlines
from organisation.deadlines import State, state_of
from organisation.models import Notification, NotificationEvent
from recipients.deadlines import EighteenthBirthday, anniversary
from recipients.models import IdentityDocumentKind
from tests.factories import RecipientFactory


@pytest.mark.parametrize(
    ("due", "done", "today", "state"),
    [
        (date(2026, 11, 30), None, date(2026, 11, 23), State.ON_TIME),
        (date(2026, 11, 25), None, date(2026, 11, 23), State.DUE_SOON),  # 2 working days ahead
        (date(2026, 11, 26), None, date(2026, 11, 23), State.ON_TIME),  # 3 working days ahead
        # across the New Year holidays: 12 Jan 2026 is 2 working days after 30 Dec 2025
        (date(2026, 1, 12), None, date(2025, 12, 29), State.DUE_SOON),
        (date(2026, 11, 23), None, date(2026, 11, 24), State.OVERDUE),
        (date(2026, 11, 23), date(2026, 11, 23), date(2026, 12, 1), State.DONE),
        (date(2026, 11, 23), date(2026, 11, 24), date(2026, 12, 1), State.DONE_LATE),
    ],
)
def test_state_is_derived_from_the_dates(db, due, done, today, state):
    assert state_of(due, done, today) == state


def test_anniversary_of_a_leap_day_birth():
    assert anniversary(date(2008, 2, 29), 18) == date(2026, 3, 1)
    assert anniversary(date(2008, 5, 20), 18) == date(2026, 5, 20)


# In service from a recent first day of stay (the state is derived from it): the primary
# diagnostics it sets due (O15) are not due soon by the days these tests run on.
IN_SERVICE = date(2026, 11, 20)


@pytest.fixture
def turning_18(dept_a, head):
    return RecipientFactory(
        department=dept_a,
        birth_date=date(2008, 11, 25),
        first_day_of_stay=IN_SERVICE,
        identity_document_kind=IdentityDocumentKind.PASSPORT,
    )


def test_the_18th_birthday_is_the_heads_deadline_O1(turning_18, head, dept_a):
    items = list(EighteenthBirthday().items(today=date(2026, 11, 23)))
    assert len(items) == 1
    item = items[0]
    assert item.due == date(2026, 11, 25)
    assert item.responsible_id == head.pk
    assert item.state(date(2026, 11, 23)) == State.DUE_SOON
    assert item.state(date(2026, 11, 26)) == State.OVERDUE


def test_the_18th_birthday_far_away_or_of_a_discharged_child_is_not_listed_O1(dept_a, head):
    RecipientFactory(department=dept_a, birth_date=date(2012, 1, 1), first_day_of_stay=IN_SERVICE)
    RecipientFactory(
        department=dept_a,
        birth_date=date(2008, 11, 25),
        first_day_of_stay=IN_SERVICE,
        discharged_on=date(2021, 5, 31),
    )
    assert list(EighteenthBirthday().items(today=date(2026, 11, 23))) == []


def test_the_job_notifies_the_responsible_once_however_often_it_runs(turning_18, head):
    first = notify_deadlines(today=date(2026, 11, 23))
    second = notify_deadlines(today=date(2026, 11, 23))
    assert first.created == 1
    assert second.created == 0
    note = Notification.objects.get()
    assert note.user == head
    assert note.event == NotificationEvent.DUE_SOON
    assert "18 лет" in note.message


def test_an_overdue_item_notifies_then_escalates_after_one_more_working_day(
    dept_a, head, specialist
):
    from django.db.models import DateField, Value

    from organisation.deadlines import DeadlineKind, deadline, user_value
    from organisation.models import Department

    class Demo(DeadlineKind):
        """A kind is a queryset annotated by `deadline()` and an `item` for display."""

        code, label = "demo", "Проверочный срок"

        def queryset(self, *, today):
            return deadline(
                Department.objects.filter(pk=dept_a.pk),
                due=Value(date(2026, 11, 20), output_field=DateField()),
                responsible=user_value(specialist.pk),
                department="pk",
            )

        def item(self, obj):
            return self.make(obj, key="x:1", title="сделать", url="/")

    original = deadlines.kinds
    demo = Demo()
    deadlines.kinds = lambda: (demo,)  # type: ignore[assignment]
    try:
        notify_deadlines(today=date(2026, 11, 23))  # Mon: overdue since Sat, due Fri
        assert list(Notification.objects.values_list("user_id", "event")) == [
            (specialist.pk, NotificationEvent.OVERDUE)
        ]
        notify_deadlines(today=date(2026, 11, 24))  # Tue: one more working day passed
        assert set(Notification.objects.values_list("user_id", "event")) == {
            (specialist.pk, NotificationEvent.OVERDUE),
            (head.pk, NotificationEvent.ESCALATED),
        }
    finally:
        deadlines.kinds = original


def test_the_job_rests_on_non_working_days(dept_a, head):
    RecipientFactory(
        department=dept_a,
        birth_date=date(2008, 11, 24),
        first_day_of_stay=IN_SERVICE,
        identity_document_kind=IdentityDocumentKind.PASSPORT,
    )
    result = notify_deadlines(today=date(2026, 11, 22))  # Sunday
    assert result.skipped_non_working_day
    assert not Notification.objects.exists()
    assert notify_deadlines(today=date(2026, 11, 22), force=True).created == 1


def test_users_with_an_address_get_one_letter_once(turning_18, head):
    head.email = "head@example.ru"
    head.save()
    notify_deadlines(today=date(2026, 11, 23))
    notify_deadlines(today=date(2026, 11, 23))
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["head@example.ru"]
    assert "18 лет" in mail.outbox[0].body


def test_the_job_uses_a_bounded_number_of_queries(dept_a, head, django_assert_max_num_queries):
    from recipients.models import Recipient

    def make(n, start):
        Recipient.objects.bulk_create(
            RecipientFactory.build(
                department=dept_a,
                family=None,
                birth_date=date(2008, 11, 25),
                first_day_of_stay=IN_SERVICE,
                identity_document_kind=IdentityDocumentKind.PASSPORT,
                last_name=f"Тест{start + i}",
            )
            for i in range(n)
        )

    from organisation.calendar import is_working_day

    is_working_day(date(2026, 11, 23))  # the calendar's corrections are read once per year
    calendar.sync_days()  # the working-day table is filled once (after a flush: here)
    # at most a few queries per kind (its records, the heads), whatever the number of items
    bound = 3 * len(deadlines.kinds()) + 5
    make(5, 0)
    with django_assert_max_num_queries(bound) as small:
        notify_deadlines(today=date(2026, 11, 23))
    # (SQLite takes at most 999 parameters per statement: stay within one insert batch; the
    # bench measures 10,000 items)
    make(60, 5)
    with django_assert_max_num_queries(bound) as large:
        notify_deadlines(today=date(2026, 11, 23))
    assert len(large.captured_queries) == len(small.captured_queries)
    assert Notification.objects.count() == 65


def test_my_deadlines_lists_what_is_mine(client, turning_18, head, specialist):
    client.force_login(head)
    response = client.get(reverse("my_deadlines"))
    assert response.status_code == 200
    assert turning_18.short_name in response.content.decode()
    client.force_login(specialist)
    assert turning_18.short_name not in client.get(reverse("my_deadlines")).content.decode()


def test_the_heads_board_and_the_directors_summary(client, turning_18, head, director, specialist):
    client.force_login(head)
    response = client.get(reverse("department_deadlines"))
    assert response.status_code == 200
    assert turning_18.short_name in response.content.decode()
    client.force_login(director)
    response = client.get(reverse("centre_deadlines"))
    assert response.status_code == 200
    assert "Достижение 18 лет" in response.content.decode()
    client.force_login(specialist)
    assert client.get(reverse("centre_deadlines")).status_code == 403
    assert client.get(reverse("department_deadlines")).status_code == 403


def test_the_bell_counts_unread_notifications_and_marks_them_read(client, turning_18, head):
    notify_deadlines(today=date(2026, 11, 23))
    client.force_login(head)
    content = client.get(reverse("home")).content.decode()
    assert 'data-testid="unread-count">1<' in content
    assert client.get(reverse("notifications_read")).status_code == 405
    client.post(reverse("notifications_read"))
    assert 'data-testid="unread-count"' not in client.get(reverse("home")).content.decode()


def test_the_management_command_runs_the_same_job(turning_18, head):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("notify_deadlines", "--date", "23.11.2026", stdout=out)
    assert "Новых уведомлений: 1" in out.getvalue()
    call_command("notify_deadlines", "--date", "23.11.2026", stdout=out)
    assert Notification.objects.count() == 1


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_celery_worker_writes_the_notification_through_redis(dept_a, head):
    """Integration: beat's task name, through the Redis broker, run by a real worker."""
    import os

    from celery.contrib.testing.worker import start_worker
    from django.utils import timezone

    from config.celery import app
    from organisation.tasks import notify_deadlines as task

    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not broker.startswith("redis://"):
        if os.environ.get("CI"):
            pytest.fail("CI must run with CELERY_BROKER_URL pointing at Redis")
        pytest.skip("no Redis broker configured (CELERY_BROKER_URL)")
    today = timezone.localdate()
    RecipientFactory(
        department=dept_a,
        birth_date=anniversary(today, -18),
        first_day_of_stay=IN_SERVICE,
        identity_document_kind=IdentityDocumentKind.PASSPORT,
    )  # turns 18 today: due soon, or due today
    app.conf.update(task_always_eager=False, broker_url=broker, result_backend=broker)
    app._backend_cache = None  # the app keeps the backend it made first (none in eager tests)
    vars(app._local).pop("backend", None)
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
            result = task.delay().get(timeout=30)
    finally:
        app.conf.update(task_always_eager=True, result_backend=None)
        app._backend_cache = None
        vars(app._local).pop("backend", None)
    from organisation.calendar import is_working_day

    if is_working_day(today):
        assert result["created"] == 1
        assert Notification.objects.filter(user=head).exists()
    else:
        assert result["skipped"] is True


def test_the_director_picks_a_department_and_bad_input_is_ignored(client, director, dept_a, dept_b):
    client.force_login(director)
    for query in ("", f"?department={dept_b.pk}", "?department=abc", "?department=999999"):
        assert client.get(reverse("department_deadlines") + query).status_code == 200
    assert (
        dept_b.name
        in client.get(reverse("department_deadlines") + f"?department={dept_b.pk}").content.decode()
    )


def test_deadline_pages_keep_their_size_however_much_is_overdue(client, dept_a, head, director):
    """«Мои сроки» pages by 50; the board and the summary show the ten soonest and the count."""
    import time_machine

    from rehab_programs.models import Area, Diagnostic, RehabProgramme, Stage

    for i in range(55):
        child = RecipientFactory(
            department=dept_a,
            birth_date=date(2008, 11, 1 + i % 28),
            first_day_of_stay=date(2026, 9, 1),
            identity_document_kind=IdentityDocumentKind.PASSPORT,
        )
        # in service since September, the diagnostics (O15) and the programme (O16) long done:
        # only the 18th birthday is due
        Diagnostic.objects.create(
            recipient=child,
            stage=Stage.PRIMARY,
            area=Area.PSYCHOLOGICAL,
            conducted_on=date(2026, 9, 2),
            conducted_by=head,
            methods="—",
            results="—",
        )
        RehabProgramme.objects.create(recipient=child, drawn_up_on=date(2026, 9, 10), curator=head)
    with time_machine.travel(date(2026, 11, 30), tick=False):
        client.force_login(head)
        mine = client.get(reverse("my_deadlines"))
        assert len(mine.context["rows"]) == 50
        assert len(client.get(reverse("my_deadlines"), {"page": 2}).context["rows"]) == 5
        board = client.get(reverse("department_deadlines"))
        [(items, count)] = board.context["board"].values()
        assert len(items) == 10 and count == 55
        assert "Показаны ближайшие 10 из 55" in board.content.decode()
        client.force_login(director)
        summary = client.get(reverse("centre_deadlines")).context["summary"]
        row = next(r for r in summary if r["kind"].code == EighteenthBirthday.code)
        assert len(row["overdue"]) == 10 and row["overdue_count"] == 55


def test_one_query_gives_a_pages_counts_and_rows_as_the_register_does(
    client, dept_a, head, director, django_assert_num_queries
):
    """The deadline pages ask the register once for its counts and the rows shown (a common
    table expression read twice): the same counts and rows, in the same order, as counting and
    slicing the register separately; a page past the end falls back on the last one."""
    import time_machine

    for i in range(55):
        RecipientFactory(
            department=dept_a,
            birth_date=date(2008, 11 if i % 3 else 12, 1 + i % 28),
            first_day_of_stay=IN_SERVICE,
            identity_document_kind=IdentityDocumentKind.PASSPORT,
        )
    today = date(2026, 11, 30)
    scope = deadlines.scope_of(head)
    open_only = deadlines.Filter(open_only=True)
    overdue = frozenset({State.OVERDUE.value})
    with time_machine.travel(today, tick=False):
        separate = deadlines.state_counts(today=today, flt=scope)
        listed = list(deadlines.rows(today=today, flt=replace(scope, open_only=True)))
        # Each child's 18th birthday (O1) and primary diagnostics from the first day (O15).
        assert len(listed) == 110
        register = deadlines.rows(today=today, flt=scope)
        with django_assert_num_queries(1):
            counts = register.counts_and_page("dl_kind", open_only, 50, 50)
        assert counts == separate
        with django_assert_num_queries(0):
            assert register[50:55] == listed[50:55]
        counts, first = deadlines.rows(today=today).counts_and_first_per(
            "dl_kind", "dl_kind", 3, states=overdue
        )
        assert counts == deadlines.state_counts(today=today)
        assert first == deadlines.first_per(
            today=today, flt=deadlines.Filter(states=overdue), key="dl_kind", n=3
        )
        assert [r["dl_due"] for r in first] == sorted(r["dl_due"] for r in first)

        client.force_login(head)
        for page, shown in (("1", listed[:50]), ("2", listed[50:100]), ("99", listed[100:])):
            response = client.get(reverse("my_deadlines"), {"page": page})
            keys = [item.key for item, _state in response.context["rows"]]
            assert keys == [f"recipient:{r['dl_record']}" for r in shown]
            assert response.context["page_obj"].paginator.count == 110
