"""O8 (Order §2.6.6): representatives report changes of the circumstances of need; the head of
the department reviews them within the centre's norm of five working days."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from organisation.deadlines import State, kind_by_code
from recipients import actions
from recipients.deadlines import CircumstanceChangeReview
from recipients.models import CircumstanceChange
from tests.conftest import login
from tests.recipients.factories import child_with_mother

TODAY = date(2026, 3, 10)  # Tuesday


def add_url(child):
    return reverse("recipients:circumstance_change_add", args=[child.pk])


def review_url(change):
    return reverse("recipients:circumstance_change_review", args=[change.pk])


@pytest.fixture
def family_a(dept_a):
    return child_with_mother(dept_a)


def report(child, mother, user, **kw):
    data = {
        "reported_on": TODAY,
        "what_changed": "Мать потеряла работу, семья переехала.",
        "reported_by": mother,
        "revise_circumstances": True,
    }
    data.update(kw)
    return actions.record_circumstance_change(recipient=child, recorded_by=user, **data)


@time_machine.travel(TODAY)
def test_specialist_records_a_change_reported_by_the_mother_O8(client, specialist, family_a):
    child, mother = family_a
    response = login(client, specialist).post(
        add_url(child),
        {
            "reported_on": "06.03.2026",
            "reported_by": mother.pk,
            "what_changed": "Мать потеряла работу.",
            "revise_circumstances": "on",
        },
    )
    assert response.status_code == 302
    change = CircumstanceChange.objects.get()
    assert change.recipient == child and change.reported_by == mother
    assert change.reported_on == date(2026, 3, 6) and change.revise_circumstances
    assert change.created_by == specialist and not change.is_reviewed
    assert change.history.count() == 1


@time_machine.travel(TODAY)
def test_a_change_may_be_reported_by_someone_named_in_free_text_O8(specialist, family_a):
    child, _ = family_a
    change = report(child, None, specialist, reported_by=None, reported_by_name="Бабушка, Иванова")
    assert change.reporter == "Бабушка, Иванова"
    with pytest.raises(ValidationError) as exc:
        report(child, None, specialist, reported_by=None, reported_by_name=" ")
    assert "reported_by" in exc.value.message_dict


@time_machine.travel(TODAY)
def test_a_future_date_is_answered_in_russian_next_to_the_field_O8(client, specialist, family_a):
    child, mother = family_a
    response = login(client, specialist).post(
        add_url(child),
        {"reported_on": "11.03.2026", "reported_by": mother.pk, "what_changed": "Переезд."},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["reported_on"] == [
        "Дата сообщения не может быть в будущем."
    ]
    with pytest.raises(ValidationError, match="в будущем"):
        report(child, mother, specialist, reported_on=date(2026, 3, 11))
    assert not CircumstanceChange.objects.exists()


@time_machine.travel(TODAY)
def test_outsider_department_gets_404_O8(client, specialist, specialist_b, head_b, family_a):
    child, mother = family_a
    change = report(child, mother, specialist)
    assert login(client, specialist_b).get(add_url(child)).status_code == 404
    client.logout()
    response = login(client, head_b).post(review_url(change), {"decision": "Пересмотреть."})
    assert response.status_code == 404
    assert not CircumstanceChange.objects.visible_to(specialist_b).exists()
    assert CircumstanceChange.objects.visible_to(specialist).count() == 1


@time_machine.travel(TODAY)
def test_only_the_head_reviews_and_only_by_post_O8(client, specialist, head, director, family_a):
    child, mother = family_a
    change = report(child, mother, specialist)
    assert login(client, specialist).post(review_url(change), {"decision": "x"}).status_code == 403
    client.logout()
    assert login(client, director).post(review_url(change), {"decision": "x"}).status_code == 403
    client.logout()
    login(client, head)
    assert client.get(review_url(change)).status_code == 405
    assert client.put(add_url(child)).status_code == 405
    response = client.post(review_url(change), {"decision": "Пересмотреть обстоятельства."})
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.reviewed_by == head and change.reviewed_on == TODAY
    assert change.decision == "Пересмотреть обстоятельства."
    with pytest.raises(ValidationError, match="уже рассмотрено"):
        actions.review_circumstance_change(change=change, reviewed_by=head, decision="ещё раз")


def test_views_need_a_login_O8(client, family_a):
    child, _ = family_a
    assert client.get(add_url(child)).status_code == 302


def test_deadline_due_five_working_days_after_the_report_head_responsible_O8(
    specialist, head, family_a
):
    child, mother = family_a
    with time_machine.travel(date(2026, 12, 28)):  # Monday before the New Year holidays
        change = report(child, mother, specialist, reported_on=date(2026, 12, 28))
    kind = kind_by_code("circumstance_change")
    assert isinstance(kind, CircumstanceChangeReview)
    [item] = kind.items(today=date(2026, 12, 28))
    # 29, 30 Dec; 31 Dec and 1–10 Jan are days off; then 11, 12, 13 Jan 2027
    assert item.due == change.review_due == date(2027, 1, 13)
    assert item.responsible_id == head.pk and item.department_id == child.department_id
    assert item.state(date(2026, 12, 28)) == State.ON_TIME
    assert item.state(date(2027, 1, 14)) == State.OVERDUE
    with time_machine.travel(date(2027, 1, 14)):
        actions.review_circumstance_change(change=change, reviewed_by=head, decision="Учтено.")
    [item] = kind.items(today=date(2027, 1, 14))
    assert item.done_on == date(2027, 1, 14)
    assert item.state(date(2027, 1, 14)) == State.DONE_LATE
    assert list(kind.items(today=date(2027, 1, 14), department_id=child.department_id + 1)) == []


@time_machine.travel(TODAY)
def test_card_shows_the_changes_and_the_add_link_O8(client, specialist, head, director, family_a):
    child, mother = family_a
    report(child, mother, specialist, what_changed="Отец вернулся в семью.")
    page = login(client, specialist).get(child.get_absolute_url()).content.decode()
    assert "Изменения обстоятельств (п. 2.6.6)" in page
    assert "Отец вернулся в семью." in page and "Рассмотреть до 17.03.2026" in page
    assert add_url(child) in page
    assert "Рассмотрено</button>" not in page  # the specialist does not review
    client.logout()
    assert (
        "Рассмотрено</button>" in login(client, head).get(child.get_absolute_url()).content.decode()
    )
    client.logout()
    page = login(client, director).get(child.get_absolute_url()).content.decode()
    assert "Отец вернулся в семью." in page and add_url(child) not in page


@time_machine.travel(TODAY)
def test_a_refused_review_keeps_the_form_O8(client, specialist, head, family_a):
    """An empty decision: the form again with the message next to it (no redirect + flash)."""
    child, mother = family_a
    change = report(child, mother, specialist)
    response = login(client, head).post(review_url(change), {"decision": "   "})
    assert response.status_code == 400
    assert response.context["form"].errors["decision"]
    change.refresh_from_db()
    assert change.reviewed_on is None
