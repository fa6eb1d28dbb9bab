"""«Мой день» per specialist: the services of their position for the day's children, a search,
twenty children to a page, the head choosing whose day to look at, and «отменить» for a few
minutes after a mark."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from organisation.models import Position
from rehab_programs.models import Activity, ProgrammeVersion, RehabProgramme, VersionStatus
from services.models import RecordStatus, ServiceRecord
from tests.conftest import login
from tests.factories import UserFactory
from tests.services.factories import (
    EnrolledRecipientFactory,
    ProgrammeFactory,
    ProgrammeLineFactory,
    ServiceRecordFactory,
    service,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def nurse(dept_a):
    return UserFactory(
        username="nurse_a", position=Position.NURSE, department=dept_a, education="medical"
    )


def _activity(child, responsible, *, service=None, description="", status="approved", **kw):
    """An activity of the child's ИПСРН as the consilium's approval leaves it (the approval
    itself is tested in tests/rehab_programs): a programme, its first version, the activity."""
    programme = RehabProgramme.objects.filter(recipient=child).first()
    if programme is None:
        programme = RehabProgramme.objects.create(
            recipient=child, drawn_up_on=date(2026, 9, 10), curator=responsible
        )
    version = programme.versions.filter(status=status).first()
    if version is None:
        approved = status == VersionStatus.APPROVED
        version = ProgrammeVersion.objects.create(
            programme=programme,
            number=programme.versions.count() + 1,
            status=status,
            proposed_on=date(2026, 9, 10),
            proposed_by=responsible,
            protocol_number="7" if approved else "",
            protocol_date=date(2026, 9, 15) if approved else None,
        )
    fields = {"due_on": date(2026, 12, 20), "expected_result": "Снижение тревожности", **kw}
    return Activity.objects.create(
        programme=programme,
        added_in=version,
        service=service,
        description=description,
        responsible=responsible,
        **fields,
    )


def _plan(child, *codes):
    programme = ProgrammeFactory(recipient=child)
    return [ProgrammeLineFactory(programme=programme, service=service(c)) for c in codes]


def test_a_nurse_sees_medical_services_and_not_psychological_ones(client, nurse, child):
    _plan(child, "2.3.2", "3.1.1")
    days = login(client, nurse).get(reverse("agenda:my_day")).context["children"]
    assert [p.service.code for p in days[0].planned] == ["2.3.2"]


def test_a_child_with_nothing_of_this_specialist_is_not_in_their_day(
    client, nurse, psychologist, dept_a, child
):
    _plan(child, "3.1.1")
    other = EnrolledRecipientFactory(department=dept_a, last_name="Зайцев")
    _plan(other, "2.4")  # the nurse's consultation
    nurse_day = login(client, nurse).get(reverse("agenda:my_day")).context["children"]
    assert [d.recipient for d in nurse_day] == [other]
    psych_day = login(client, psychologist).get(reverse("agenda:my_day")).context["children"]
    assert [d.recipient for d in psych_day] == [child]


def test_the_search_finds_a_child_by_name_with_yo_and_any_case(client, nurse, dept_a, child):
    _plan(child, "2.3.2")
    alena = EnrolledRecipientFactory(department=dept_a, last_name="Сёмина", first_name="Алёна")
    _plan(alena, "2.3.2")
    login(client, nurse)
    found = client.get(reverse("agenda:my_day"), {"q": "СЕМИНА"}).context["children"]
    assert [d.recipient for d in found] == [alena]
    found = client.get(reverse("agenda:my_day"), {"q": "алена"}).context["children"]
    assert [d.recipient for d in found] == [alena]
    page = client.get(reverse("agenda:my_day"), {"q": "Петров"}).content.decode()
    assert "Никого не найдено по запросу «Петров»" in page


def test_twenty_children_to_a_page_whatever_the_department(client, nurse, dept_a, frozen_today):
    for c in EnrolledRecipientFactory.create_batch(23, department=dept_a):
        _plan(c, "2.3.2")
    login(client, nurse)
    first = client.get(reverse("agenda:my_day")).context
    assert len(first["children"]) == 20
    assert first["page_obj"].paginator.count == 23
    second = client.get(reverse("agenda:my_day"), {"page": 2}).context
    assert len(second["children"]) == 3
    assert (second["page_obj"].number, second["page_obj"].paginator.count) == (2, 23)
    # the paginator's rules stand: past the end the last page, nonsense the first
    assert first["children"][0].recipient not in [d.recipient for d in second["children"]]
    past = client.get(reverse("agenda:my_day"), {"page": 9}).context
    assert (past["page_obj"].number, len(past["children"])) == (2, 3)
    nonsense = client.get(reverse("agenda:my_day"), {"page": "x"}).context
    assert (nonsense["page_obj"].number, len(nonsense["children"])) == (1, 20)
    assert nonsense["page_obj"].has_next() and not second["page_obj"].has_next()
    # a superscript digit («²».isdigit() is true) and a page too far for the database's OFFSET
    for odd, number in [("²", 1), ("٣", 1), ("-1", 1), ("99999999999999999999", 2)]:
        response = client.get(reverse("agenda:my_day"), {"page": odd})
        assert response.status_code == 200, odd
        assert response.context["page_obj"].number == number, odd
    assert client.get(reverse("agenda:my_day"), {"page": "9" * 18}).context["page_obj"].number == 2


def test_the_head_chooses_whose_day_to_look_at(client, head, nurse, psychologist, dept_a, child):
    _plan(child, "2.4", "3.1.1")
    login(client, head)
    everyone = client.get(reverse("agenda:my_day")).context["children"]
    assert [p.service.code for p in everyone[0].planned] == ["2.4", "3.1.1"]
    response = client.get(reverse("agenda:my_day"), {"specialist": psychologist.pk})
    assert [p.service.code for p in response.context["children"][0].planned] == ["3.1.1"]
    page = response.content.decode()
    assert "День специалиста: Соколов Д. А." in page
    # the options: the department's specialists with their positions, the chosen one selected
    assert f'<option value="{psychologist.pk}" selected>Соколов Д. А. — ' in page
    assert f'<option value="{nurse.pk}">{nurse.short_name} — ' in page


def test_the_head_may_not_look_at_another_departments_specialist(client, head, specialist_b, child):
    _plan(child, "2.3.2")
    response = login(client, head).get(reverse("agenda:my_day"), {"specialist": specialist_b.pk})
    assert response.status_code == 200
    assert response.context["subject"] is None  # the choice is refused, the department shown
    assert "Выберите корректный вариант" in response.content.decode()


def test_a_specialist_has_no_choice_of_specialist(client, nurse, psychologist, child):
    _plan(child, "3.1.1")
    response = login(client, nurse).get(reverse("agenda:my_day"), {"specialist": psychologist.pk})
    assert response.context["children"] == []
    assert 'name="specialist"' not in response.content.decode()


def test_a_mark_is_undone_within_five_minutes(client, nurse, child):
    (line,) = _plan(child, "2.3.2")
    login(client, nurse)
    page = client.post(
        reverse("agenda:my_day_log_line", args=[line.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    record = ServiceRecord.objects.get()
    assert reverse("agenda:my_day_undo", args=[record.pk]) in page
    response = client.post(reverse("agenda:my_day_undo", args=[record.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    record.refresh_from_db()
    assert record.status == RecordStatus.CANCELLED
    assert record.cancellation_reason == "Отметка отменена сразу после внесения."
    assert "на этой неделе: 0 из 3" in response.content.decode()


def test_after_five_minutes_the_mark_is_cancelled_in_the_journal_instead(client, nurse, child):
    (line,) = _plan(child, "2.3.2")
    login(client, nurse)
    client.post(reverse("agenda:my_day_log_line", args=[line.pk]))
    record = ServiceRecord.objects.get()
    later = datetime(2026, 11, 20, 11, 6, tzinfo=ZoneInfo("Europe/Moscow"))
    with time_machine.travel(later, tick=False):
        page = client.get(reverse("agenda:my_day")).content.decode()
        assert reverse("agenda:my_day_undo", args=[record.pk]) not in page
        response = client.post(reverse("agenda:my_day_undo", args=[record.pk]), follow=True)
    assert "Прошло больше 5 минут" in response.content.decode()
    record.refresh_from_db()
    assert record.status == RecordStatus.DONE


def test_only_the_author_undoes_a_mark(client, nurse, head, child):
    (line,) = _plan(child, "2.3.2")
    login(client, nurse).post(reverse("agenda:my_day_log_line", args=[line.pk]))
    record = ServiceRecord.objects.get()
    response = login(client, head).post(reverse("agenda:my_day_undo", args=[record.pk]))
    assert response.status_code == 403
    record.refresh_from_db()
    assert record.status == RecordStatus.DONE


def test_undo_needs_post_and_the_department(client, nurse, specialist_b, child, child_b):
    (line,) = _plan(child_b, "2.3.2")
    login(client, specialist_b).post(reverse("agenda:my_day_log_line", args=[line.pk]))
    record = ServiceRecord.objects.get()
    login(client, nurse)
    assert client.get(reverse("agenda:my_day_undo", args=[record.pk])).status_code == 405
    assert client.post(reverse("agenda:my_day_undo", args=[record.pk])).status_code == 404
    assert record.created_at > record.created_at - timedelta(minutes=1)


# Moved from tests/services/test_views.py with the page


def test_my_day_lists_todays_children_and_planned_services(client, specialist, child, child_b):
    ProgrammeLineFactory(programme=ProgrammeFactory(recipient=child), service=service("2.3.2"))
    response = login(client, specialist).get(reverse("agenda:my_day"))
    days = response.context["children"]
    assert [d.recipient for d in days] == [child]
    assert [p.line.service.code for p in days[0].planned] == ["2.3.2"]
    assert "Белов" not in response.content.decode()


@pytest.mark.parametrize(("n", "activities", "queries"), [(5, 1, 16), (30, 1, 16), (30, 0, 15)])
def test_my_day_keeps_a_constant_number_of_queries(
    client, specialist, dept_a, frozen_today, django_assert_num_queries, n, activities, queries
):
    """The same queries at 5 and at 30 children (a page and a half: a query per child would
    add twenty), each with a service of the ИППСУ and an activity of the ИПСРН; the page holds
    twenty (one query more than before the activities: the activities of the page's children;
    one more for the calendar's corrections of the year, read to show a day off as such; one
    more for the ids of the specialist's services, read first so that the database plans the
    children's lines before the services' lines; the count of the children read with the page,
    in one query; the services of the lines and of today's records read once; one more for the
    counts of «once per period» norms; one more, small, for whether the specialist answers for
    any activity not done at all).
    Without one, the activities' query is not made."""
    for c in EnrolledRecipientFactory.create_batch(n, department=dept_a):
        programme = ProgrammeFactory(recipient=c)
        ProgrammeLineFactory(programme=programme, service=service("2.3.2"))
        ProgrammeLineFactory(programme=programme, service=service("1.3"), count=1, per="period")
        ServiceRecordFactory(recipient=c, service=service("1.3"), date=frozen_today)
        if activities:
            _activity(c, specialist, service=service("2.3.2"))
    login(client, specialist)
    with django_assert_num_queries(queries):
        response = client.get(reverse("agenda:my_day"))
    assert len(response.context["children"]) == min(n, 20)
    assert response.context["page_obj"].paginator.count == n
    assert all(len(d.activities) == activities for d in response.context["children"])
    assert all(len(d.records) == 1 for d in response.context["children"])
    assert all(
        [(p.service.code, p.done_in_span) for p in d.planned] == [("1.3", 1), ("2.3.2", 0)]
        for d in response.context["children"]
    )


@pytest.mark.parametrize(("activities", "queries"), [(1, 15), (0, 14)])
def test_my_day_of_every_specialist_skips_the_activities_when_none_is_open(
    client, head, dept_a, frozen_today, specialist, django_assert_num_queries, activities, queries
):
    """The head's page (every specialist) asks first whether a child of the page has an
    activity not done: only then are the activities read (and shown, with the responsible)."""
    for c in EnrolledRecipientFactory.create_batch(25, department=dept_a):
        ProgrammeLineFactory(programme=ProgrammeFactory(recipient=c), service=service("2.3.2"))
        if activities:
            _activity(c, specialist, service=service("2.3.2"))
    login(client, head)
    with django_assert_num_queries(queries):
        response = client.get(reverse("agenda:my_day"))
    assert len(response.context["children"]) == 20
    assert all(len(d.activities) == activities for d in response.context["children"])
    assert response.content.decode().count(f"· {specialist.short_name}<") == 20 * activities


def test_one_click_logs_a_planned_service_in_my_day(client, specialist, child):
    line = ProgrammeLineFactory(
        programme=ProgrammeFactory(recipient=child), service=service("2.3.2")
    )
    response = login(client, specialist).post(
        reverse("agenda:my_day_log_line", args=[line.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "на этой неделе: 1 из 3" in response.content.decode()
    record = ServiceRecord.objects.get()
    assert (record.date, record.duration_minutes, record.programme_line) == (
        date(2026, 11, 20),
        15,
        line,
    )


def test_one_click_on_another_departments_line_answers_404(client, specialist, child_b):
    line = ProgrammeLineFactory(
        programme=ProgrammeFactory(recipient=child_b), service=service("2.3.2")
    )
    response = login(client, specialist).post(reverse("agenda:my_day_log_line", args=[line.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("birth_date", "age"),
    [(date(2023, 6, 1), "3 года"), (date(2015, 6, 1), "11 лет"), (date(2025, 6, 1), "1 год")],
)
def test_my_day_shows_the_age_with_the_right_plural_form(
    client, specialist, dept_a, frozen_today, birth_date, age
):
    """«3 года», «11 лет», «1 год» — never «3 лет» (the plural helper)."""
    child = EnrolledRecipientFactory(department=dept_a, birth_date=birth_date)
    ProgrammeLineFactory(programme=ProgrammeFactory(recipient=child), service=service("2.3.2"))
    page = login(client, specialist).get(reverse("agenda:my_day")).content.decode()
    assert f">{age}</span>" in page


# The ИПСРН's activities beside the catalogue services


def test_my_day_shows_the_ipsrn_activities_assigned_to_this_specialist_O20(
    client, nurse, psychologist, head, dept_a, child
):
    """A child with no ИППСУ line but an activity of the ИПСРН is in the responsible
    specialist's day, and only theirs; an activity done, withdrawn or not yet approved by the
    consilium is not shown."""
    consultation = _activity(child, psychologist, service=service("3.1.1"))
    talk = _activity(child, nurse, description="Беседа о режиме дня", due_on=date(2026, 11, 10))
    _activity(
        child,
        psychologist,
        description="Уже выполнено",
        done_on=date(2026, 11, 1),
        actual_result="Выполнено",
    )
    _activity(child, psychologist, description="Предложено", status=VersionStatus.PROPOSED)
    login(client, psychologist)
    response = client.get(reverse("agenda:my_day"))
    (row,) = response.context["children"]
    assert row.recipient == child and row.planned == []
    assert [a.activity for a in row.activities] == [consultation]
    page = response.content.decode()
    assert reverse("agenda:my_day_log_activity", args=[consultation.pk]) in page
    assert "Предложено" not in page and "Уже выполнено" not in page

    (row,) = login(client, nurse).get(reverse("agenda:my_day")).context["children"]
    assert [a.activity for a in row.activities] == [talk]
    assert row.activities[0].overdue  # due 10.11.2026, today is 20.11.2026
    page = client.get(reverse("agenda:my_day")).content.decode()
    assert "до 10.11.2026, просрочено" in page
    assert reverse("agenda:my_day_log_activity", args=[talk.pk]) not in page  # not a service

    response = login(client, head).get(reverse("agenda:my_day"))
    (row,) = response.context["children"]
    assert {a.activity for a in row.activities} == {consultation, talk}
    response = client.get(reverse("agenda:my_day"), {"specialist": nurse.pk})
    assert [a.activity for a in response.context["children"][0].activities] == [talk]


def test_a_withdrawn_activity_leaves_the_day_O20(client, psychologist, child):
    activity = _activity(child, psychologist, service=service("3.1.1"))
    revision = ProgrammeVersion.objects.create(
        programme=activity.programme,
        number=2,
        status=VersionStatus.APPROVED,
        proposed_on=date(2026, 10, 1),
        proposed_by=psychologist,
        protocol_number="9",
        protocol_date=date(2026, 10, 5),
    )
    Activity.objects.filter(pk=activity.pk).update(removed_in=revision)
    assert login(client, psychologist).get(reverse("agenda:my_day")).context["children"] == []


def test_one_click_on_an_activity_logs_its_catalogue_service(client, psychologist, child):
    """Without an ИППСУ line the session is logged with the activity as its ground; with one,
    it is tied to the line. The mark can be undone like any other."""
    activity = _activity(child, psychologist, service=service("3.1.1"))
    login(client, psychologist)
    url = reverse("agenda:my_day_log_activity", args=[activity.pk])
    page = client.post(url, HTTP_HX_REQUEST="true").content.decode()
    record = ServiceRecord.objects.get()
    assert (record.service.code, record.provider, record.programme_line) == (
        "3.1.1",
        psychologist,
        None,
    )
    assert record.reason_outside_programme.startswith("Мероприятие ИПСРН до 20.12.2026")
    assert reverse("agenda:my_day_undo", args=[record.pk]) in page
    (line,) = _plan(child, "3.1.1")
    client.post(url)
    assert ServiceRecord.objects.latest("pk").programme_line == line


def test_an_activity_that_is_not_a_service_is_not_marked(client, nurse, child):
    activity = _activity(child, nurse, description="Беседа о режиме дня")
    login(client, nurse)
    response = client.post(
        reverse("agenda:my_day_log_activity", args=[activity.pk]), HTTP_HX_REQUEST="true"
    )
    assert "результат вносится в ИПСРН" in response.content.decode()
    assert not ServiceRecord.objects.exists()


def test_an_activity_of_another_department_answers_404(client, nurse, specialist_b, child_b):
    activity = _activity(child_b, specialist_b, service=service("2.3.2"))
    response = login(client, nurse).post(reverse("agenda:my_day_log_activity", args=[activity.pk]))
    assert response.status_code == 404
    assert not ServiceRecord.objects.exists()


def test_the_old_address_of_my_day_redirects_with_its_query(client, nurse):
    response = login(client, nurse).get(reverse("services:my_day"), {"q": "Орлов"})
    assert response.status_code == 302
    assert response["Location"] == reverse("agenda:my_day") + "?q=%D0%9E%D1%80%D0%BB%D0%BE%D0%B2"


@pytest.mark.parametrize("minutes", ["99999999999999999999999", "100000"])
def test_a_duration_beyond_a_day_is_refused_not_a_500(client, nurse, child, minutes):
    """The form fuzzer: «Мой день» takes `duration_minutes` from the POST; one too big for the
    column was an OverflowError (SQLite) or a DataError (PostgreSQL). A session lasts at most a
    day: the mark is refused with the reason, nothing is logged."""
    (line,) = _plan(child, "2.3.2")
    login(client, nurse)
    response = client.post(
        reverse("agenda:my_day_log_line", args=[line.pk]),
        {"duration_minutes": minutes},
        follow=True,
    )
    assert response.status_code == 200
    assert "не более суток (1440 мин)" in response.content.decode()
    assert not ServiceRecord.objects.exists()


def test_the_row_written_in_python_escapes_what_people_typed(client, psychologist, child):
    """The rows are written by a template tag (`my_day_row`): the texts are escaped as the
    template escaped them."""
    _activity(child, psychologist, service=service("3.1.1"), description='<b>"Беседа"</b> & игра')
    page = login(client, psychologist).get(reverse("agenda:my_day")).content.decode()
    assert "<b>" not in page
    assert "&lt;b&gt;&quot;Беседа&quot;&lt;/b&gt; &amp; игра" in page
    assert 'data-testid="mark-activity"' in page


def test_the_page_whose_sql_is_built_once_reads_the_children_anew(
    client, specialist, dept_a, frozen_today
):
    """The page's SQL is kept per shape (scope, day, whose day, search, page): the next
    request reads the children as they are now, and another search has its own."""
    first = EnrolledRecipientFactory(department=dept_a, last_name="Абрамов")
    _plan(first, "2.3.2")
    login(client, specialist)
    url = reverse("agenda:my_day")
    assert [d.recipient for d in client.get(url).context["children"]] == [first]
    second = EnrolledRecipientFactory(department=dept_a, last_name="Борисов")
    _plan(second, "2.3.2")
    response = client.get(url)
    assert [d.recipient for d in response.context["children"]] == [first, second]
    assert response.context["page_obj"].paginator.count == 2
    searched = client.get(url, {"q": "борисов"}).context["children"]
    assert [d.recipient for d in searched] == [second]
    assert client.get(url, {"page": "2"}).context["page_obj"].number == 1


@pytest.mark.parametrize(
    "nxt", ["/\\evil.example/", "/\t/evil.example/", "//evil.example/", "https://evil.example/"]
)
def test_after_an_undo_the_next_address_is_only_one_of_ours(client, nurse, child, nxt):
    """A browser reads «/\\host» and «/<tab>/host» as «//host»: another site."""
    (line,) = _plan(child, "2.3.2")
    login(client, nurse)
    client.post(reverse("agenda:my_day_log_line", args=[line.pk]))
    record = ServiceRecord.objects.get()
    response = client.post(reverse("agenda:my_day_undo", args=[record.pk]), {"next": nxt})
    assert response.status_code == 302
    assert response["Location"] == reverse("agenda:my_day")
