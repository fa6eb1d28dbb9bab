"""«Мой день» per specialist: the services of their position for the day's children, a search,
twenty children to a page, the head choosing whose day to look at, and «отменить» for a few
minutes after a mark."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from organisation.models import Position
from services.models import RecordStatus, ServiceRecord
from tests.conftest import login
from tests.factories import UserFactory
from tests.services.factories import (
    EnrolledRecipientFactory,
    ProgrammeFactory,
    ProgrammeLineFactory,
    service,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def nurse(dept_a):
    return UserFactory(
        username="nurse_a", position=Position.NURSE, department=dept_a, education="medical"
    )


def _plan(child, *codes):
    programme = ProgrammeFactory(recipient=child)
    return [ProgrammeLineFactory(programme=programme, service=service(c)) for c in codes]


def test_a_nurse_sees_medical_services_and_not_psychological_ones(client, nurse, child):
    _plan(child, "2.3.2", "3.1.1")
    days = login(client, nurse).get(reverse("services:my_day")).context["children"]
    assert [p.service.code for p in days[0].planned] == ["2.3.2"]


def test_a_child_with_nothing_of_this_specialist_is_not_in_their_day(
    client, nurse, psychologist, dept_a, child
):
    _plan(child, "3.1.1")
    other = EnrolledRecipientFactory(department=dept_a, last_name="Зайцев")
    _plan(other, "2.4")  # the nurse's consultation
    nurse_day = login(client, nurse).get(reverse("services:my_day")).context["children"]
    assert [d.recipient for d in nurse_day] == [other]
    psych_day = login(client, psychologist).get(reverse("services:my_day")).context["children"]
    assert [d.recipient for d in psych_day] == [child]


def test_the_search_finds_a_child_by_name_with_yo_and_any_case(client, nurse, dept_a, child):
    _plan(child, "2.3.2")
    alena = EnrolledRecipientFactory(department=dept_a, last_name="Сёмина", first_name="Алёна")
    _plan(alena, "2.3.2")
    login(client, nurse)
    found = client.get(reverse("services:my_day"), {"q": "СЕМИНА"}).context["children"]
    assert [d.recipient for d in found] == [alena]
    found = client.get(reverse("services:my_day"), {"q": "алена"}).context["children"]
    assert [d.recipient for d in found] == [alena]
    page = client.get(reverse("services:my_day"), {"q": "Петров"}).content.decode()
    assert "Никого не найдено по запросу «Петров»" in page


def test_twenty_children_to_a_page_whatever_the_department(client, nurse, dept_a, frozen_today):
    for c in EnrolledRecipientFactory.create_batch(23, department=dept_a):
        _plan(c, "2.3.2")
    login(client, nurse)
    first = client.get(reverse("services:my_day")).context
    assert len(first["children"]) == 20
    assert first["page_obj"].paginator.count == 23
    second = client.get(reverse("services:my_day"), {"page": 2}).context
    assert len(second["children"]) == 3


def test_the_head_chooses_whose_day_to_look_at(client, head, nurse, psychologist, dept_a, child):
    _plan(child, "2.4", "3.1.1")
    login(client, head)
    everyone = client.get(reverse("services:my_day")).context["children"]
    assert [p.service.code for p in everyone[0].planned] == ["2.4", "3.1.1"]
    response = client.get(reverse("services:my_day"), {"specialist": psychologist.pk})
    assert [p.service.code for p in response.context["children"][0].planned] == ["3.1.1"]
    assert "День специалиста: Соколов Д. А." in response.content.decode()


def test_the_head_may_not_look_at_another_departments_specialist(client, head, specialist_b, child):
    _plan(child, "2.3.2")
    response = login(client, head).get(reverse("services:my_day"), {"specialist": specialist_b.pk})
    assert response.status_code == 200
    assert response.context["subject"] is None  # the choice is refused, the department shown
    assert "Выберите корректный вариант" in response.content.decode()


def test_a_specialist_has_no_choice_of_specialist(client, nurse, psychologist, child):
    _plan(child, "3.1.1")
    response = login(client, nurse).get(reverse("services:my_day"), {"specialist": psychologist.pk})
    assert response.context["children"] == []
    assert 'name="specialist"' not in response.content.decode()


def test_a_mark_is_undone_within_five_minutes(client, nurse, child):
    (line,) = _plan(child, "2.3.2")
    login(client, nurse)
    page = client.post(
        reverse("services:log_planned", args=[line.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    record = ServiceRecord.objects.get()
    assert reverse("services:record_undo", args=[record.pk]) in page
    response = client.post(
        reverse("services:record_undo", args=[record.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    record.refresh_from_db()
    assert record.status == RecordStatus.CANCELLED
    assert record.cancellation_reason == "Отметка отменена сразу после внесения."
    assert "на этой неделе: 0 из 3" in response.content.decode()


def test_after_five_minutes_the_mark_is_cancelled_in_the_journal_instead(client, nurse, child):
    (line,) = _plan(child, "2.3.2")
    login(client, nurse)
    client.post(reverse("services:log_planned", args=[line.pk]))
    record = ServiceRecord.objects.get()
    later = datetime(2026, 11, 20, 11, 6, tzinfo=ZoneInfo("Europe/Moscow"))
    with time_machine.travel(later, tick=False):
        page = client.get(reverse("services:my_day")).content.decode()
        assert reverse("services:record_undo", args=[record.pk]) not in page
        response = client.post(reverse("services:record_undo", args=[record.pk]), follow=True)
    assert "Прошло больше 5 минут" in response.content.decode()
    record.refresh_from_db()
    assert record.status == RecordStatus.DONE


def test_only_the_author_undoes_a_mark(client, nurse, head, child):
    (line,) = _plan(child, "2.3.2")
    login(client, nurse).post(reverse("services:log_planned", args=[line.pk]))
    record = ServiceRecord.objects.get()
    response = login(client, head).post(reverse("services:record_undo", args=[record.pk]))
    assert response.status_code == 403
    record.refresh_from_db()
    assert record.status == RecordStatus.DONE


def test_undo_needs_post_and_the_department(client, nurse, specialist_b, child, child_b):
    (line,) = _plan(child_b, "2.3.2")
    login(client, specialist_b).post(reverse("services:log_planned", args=[line.pk]))
    record = ServiceRecord.objects.get()
    login(client, nurse)
    assert client.get(reverse("services:record_undo", args=[record.pk])).status_code == 405
    assert client.post(reverse("services:record_undo", args=[record.pk])).status_code == 404
    assert record.created_at > record.created_at - timedelta(minutes=1)
