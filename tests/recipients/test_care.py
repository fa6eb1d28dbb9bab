"""Care records on the card: the notice of an emergency hospitalisation (O35), information
requests within two working days and the visitors' log (O38), clothing, footwear and hygiene
items issued (O39)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from recipients import actions
from recipients.deadlines import HospitalisationNotice, InformationRequestAnswer
from recipients.models import (
    Hospitalisation,
    InformationRequest,
    ItemIssue,
    ItemKind,
    NoticeMethod,
    VisitorEntry,
    VisitorKind,
)
from tests.recipients.factories import child_with_mother

MSK = ZoneInfo("Europe/Moscow")
NOW = datetime(2026, 11, 27, 15, 0, tzinfo=MSK)  # a Friday


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def family(dept_a):
    return child_with_mother(dept_a, last_name="Орлов", first_name="Пётр")


def _hospitalise(child, by, **notice):
    return actions.record_hospitalisation(
        recipient=child,
        recorded_by=by,
        hospitalised_at=datetime(2026, 11, 27, 11, 0, tzinfo=MSK),
        hospital="Детская областная больница",
        reason="аппендицит",
        **notice,
    )


def test_a_hospitalisation_without_a_notice_is_flagged_and_due_the_same_day_O35(
    client, family, specialist, head
):
    child, _mother = family
    h = _hospitalise(child, specialist)
    assert not h.is_notified
    items = list(HospitalisationNotice().items(today=date(2026, 11, 27)))
    assert [(i.due, i.responsible_id) for i in items] == [(date(2026, 11, 27), head.pk)]
    client.force_login(specialist)
    page = client.get(reverse("recipients:detail", args=[child.pk])).content.decode()
    assert 'data-testid="hospitalisation-not-notified"' in page
    assert reverse("recipients:hospitalisation_notice", args=[h.pk]) in page


def test_the_notice_records_who_when_how_and_by_whom_O35(client, family, specialist):
    child, mother = family
    h = _hospitalise(child, specialist)
    client.force_login(specialist)
    url = reverse("recipients:hospitalisation_notice", args=[h.pk])
    response = client.post(url, {"notified_on": "27.11.2026", "notified_time": "10:00"})
    assert response.status_code == 200  # who and how are missing; what was typed is kept
    body = response.content.decode()
    assert "27.11.2026" in body and "Обязательное поле" in body
    response = client.post(
        url,
        {
            "notified": mother.pk,
            "notified_on": "27.11.2026",
            "notified_time": "10:00",
            "notice_method": NoticeMethod.PHONE,
        },
    )
    assert "Известить можно не раньше госпитализации." in response.content.decode()
    response = client.post(
        url,
        {
            "notified": mother.pk,
            "notified_on": "27.11.2026",
            "notified_time": "11:10",
            "notice_method": NoticeMethod.PHONE,
        },
    )
    assert response.status_code == 302
    h.refresh_from_db()
    assert (h.notified, h.notified_by, h.notice_method) == (mother, specialist, "phone")
    assert h.notified_at == datetime(2026, 11, 27, 11, 10, tzinfo=MSK)
    item = next(iter(HospitalisationNotice().items(today=date(2026, 11, 27))))
    assert item.done_on == date(2026, 11, 27)
    with pytest.raises(ValidationError):  # recorded once
        actions.record_hospitalisation_notice(
            hospitalisation=h,
            notified=mother,
            notified_at=NOW,
            notice_method=NoticeMethod.PHONE,
            notified_by=specialist,
        )


def test_only_the_childs_representative_can_be_the_one_notified_O35(family, specialist, dept_a):
    child, _mother = family
    _other_child, stranger = child_with_mother(dept_a, last_name="Иванов")
    with pytest.raises(ValidationError) as exc:
        _hospitalise(
            child,
            specialist,
            notified=stranger,
            notified_at=datetime(2026, 11, 27, 11, 5, tzinfo=MSK),
            notice_method=NoticeMethod.PHONE,
        )
    assert exc.value.message_dict["notified"] == ["Это не законный представитель ребёнка."]
    assert not Hospitalisation.objects.exists()


def test_the_hospitalisation_form_records_the_notice_at_once_O35(client, family, specialist):
    child, mother = family
    client.force_login(specialist)
    url = reverse("recipients:hospitalisation_add", args=[child.pk])
    response = client.post(
        url,
        {
            "hospitalised_on": "27.11.2026",
            "hospitalised_time": "11:00",
            "hospital": "ДОКБ",
            "notified": mother.pk,
            "notified_on": "27.11.2026",
            "notified_time": "11:15",
            "notice_method": NoticeMethod.IN_PERSON,
        },
    )
    assert response.status_code == 302
    assert Hospitalisation.objects.get().is_notified
    response = client.post(url, {"hospitalised_on": "32.11.2026", "hospital": ""})
    assert response.status_code == 200
    assert "Введите дату в виде дд.мм.гггг" in response.content.decode()


def test_information_is_due_within_two_working_days_O38(client, family, specialist, head):
    """Asked on Friday 27.11.2026: two working days are Monday and Tuesday — due 01.12.2026."""
    child, _mother = family
    request = actions.record_information_request(
        recipient=child,
        recorded_by=specialist,
        requested_on=date(2026, 11, 27),
        requested_by="Орлова Мария Ивановна",
        question="О включении в перечень рекомендуемых поставщиков",
    )
    assert request.answer_due == date(2026, 12, 1)
    [item] = InformationRequestAnswer().items(today=date(2026, 11, 27))
    assert (item.due, item.responsible_id, item.done_on) == (date(2026, 12, 1), head.pk, None)
    client.force_login(specialist)
    page = client.get(reverse("recipients:detail", args=[child.pk])).content.decode()
    assert "ответить до 01.12.2026" in page
    url = reverse("recipients:information_answer", args=[request.pk])
    response = client.post(url, {"answered_on": "26.11.2026", "answer": "Включён"})
    assert "Дата ответа не может быть раньше даты запроса." in response.content.decode()
    client.post(url, {"answered_on": "27.11.2026", "answer": "Включён в реестр"})
    request.refresh_from_db()
    assert request.is_answered and request.answered_by == specialist
    [item] = InformationRequestAnswer().items(today=date(2026, 11, 27))
    assert item.done_on == date(2026, 11, 27)


def test_the_information_request_form_keeps_bad_input_O38(client, family, specialist):
    child, _mother = family
    client.force_login(specialist)
    url = reverse("recipients:information_request_add", args=[child.pk])
    data = {"requested_on": "28.11.2026", "requested_by": "Мать", "question": "О реестре"}
    response = client.post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Дата не может быть в будущем." in body and 'value="Мать"' in body
    assert not InformationRequest.objects.exists()


def test_the_visitors_log_records_who_visited_whom_and_when_O38(client, family, specialist):
    child, _mother = family
    client.force_login(specialist)
    url = reverse("recipients:visitor_add", args=[child.pk])
    response = client.post(
        url,
        {
            "visitor": "Отец Сергий",
            "kind": VisitorKind.CLERGY,
            "visited_on": "27.11.2026",
            "visited_time": "12:30",
        },
    )
    assert response.status_code == 302
    entry = VisitorEntry.objects.get()
    assert entry.visited_at == datetime(2026, 11, 27, 12, 30, tzinfo=MSK)
    page = client.get(reverse("recipients:detail", args=[child.pk])).content.decode()
    assert "Отец Сергий (священнослужитель)" in page


def test_items_issued_are_listed_on_the_card_O39(client, family, specialist):
    child, _mother = family
    client.force_login(specialist)
    url = reverse("recipients:items_issue", args=[child.pk])
    response = client.post(
        url, {"kind": ItemKind.FOOTWEAR, "item": "сандалии", "quantity": "0", "issued_on": "x"}
    )
    assert response.status_code == 200
    assert not ItemIssue.objects.exists()
    client.post(
        url,
        {"kind": ItemKind.FOOTWEAR, "item": "сандалии", "quantity": "1", "issued_on": "27.11.2026"},
    )
    issue = ItemIssue.objects.get()
    assert (issue.issued_by, issue.quantity) == (specialist, 1)
    page = client.get(reverse("recipients:detail", args=[child.pk])).content.decode()
    assert "27.11.2026 — обувь: сандалии, 1 шт." in page


def test_care_records_of_another_department_are_404(client, family, specialist_b, specialist):
    child, _mother = family
    h = _hospitalise(child, specialist)
    client.force_login(specialist_b)
    assert client.get(reverse("recipients:hospitalisation_notice", args=[h.pk])).status_code == 404
    assert client.get(reverse("recipients:items_issue", args=[child.pk])).status_code == 404
