"""Sane dates: one rule per kind of date on the model fields, shared by forms, actions and
the admin (organisation/dates.py)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from organisation.dates import (
    AdultBirthDate,
    ChildBirthDate,
    PastEvent,
    PlannedEvent,
    term_errors,
)
from organisation.models import CalendarDay
from patronage import actions as patronage_actions
from patronage.models import Appeal
from tests.conftest import login
from tests.patronage.factories import AppealFactory, case_with_appeal, registered_appeal

TODAY = date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.mark.parametrize(
    ("rule", "value", "message"),
    [
        (PastEvent("Дата поступления"), date(1900, 1, 1), "раньше открытия центра \\(1990 г"),
        (PastEvent("Дата поступления"), date(2026, 3, 11), "не может быть в будущем"),
        (PlannedEvent("Срок"), date(1900, 1, 1), "раньше открытия центра"),
        (PlannedEvent("Срок"), date(2031, 3, 11), "слишком далеко"),
        (ChildBirthDate("Дата рождения"), date(2026, 3, 11), "не может быть в будущем"),
        (ChildBirthDate("Дата рождения"), date(1960, 5, 1), "не мог быть несовершеннолетним"),
        (AdultBirthDate("Дата рождения"), date(1880, 5, 1), "проверьте год"),
    ],
)
def test_each_kind_of_date_refuses_the_absurd(rule, value, message):
    with pytest.raises(ValidationError, match=message):
        rule(value)


@pytest.mark.parametrize(
    ("rule", "value"),
    [
        (PastEvent("Дата"), TODAY),
        (PastEvent("Дата"), date(1990, 1, 1)),
        (PlannedEvent("Срок"), date(2031, 3, 10)),
        (ChildBirthDate("Дата рождения"), date(2010, 6, 1)),
        (AdultBirthDate("Дата рождения"), date(1980, 6, 1)),
    ],
)
def test_sane_dates_pass(rule, value):
    rule(value)


def test_the_opening_year_is_configured(settings):
    settings.CENTRE_OPENING_YEAR = 2005
    with pytest.raises(ValidationError, match="2005"):
        PastEvent("Дата")(date(2004, 12, 31))


def test_a_term_ending_before_it_starts():
    assert term_errors(date(2026, 3, 2), date(2026, 3, 1), end_field="e", message="m") == {
        "e": ["m"]
    }
    assert term_errors(date(2026, 3, 2), date(2026, 3, 2), end_field="e", message="m") == {}
    assert term_errors(None, date(2026, 3, 1), end_field="e", message="m") == {}


def test_an_appeal_received_in_1900_is_refused_by_the_action_P2(registrar, dept_a):
    """The review's case: «зарегистрировано с опозданием на 46343 дня»."""
    with pytest.raises(ValidationError) as exc:
        registered_appeal(registrar=registrar, department=dept_a, received_on=date(1900, 1, 1))
    assert "раньше открытия центра" in str(exc.value.message_dict["received_on"])
    assert not Appeal.objects.exists()


def test_an_appeal_form_with_a_date_of_1900_answers_with_the_message_and_keeps_the_text(
    client, registrar, dept_a
):
    response = login(client, registrar).post(
        reverse("patronage:appeal_create"),
        {
            "channel": "reception",
            "ground": "personal",
            "department": dept_a.pk,
            "received_on": "01.01.1900",
            "sender": "Смирнова Ольга Ивановна",
            "family_name": "семья Смирновых",
            "family_address": "ул. Садовая, 1",
            "content": "Просит помочь с оформлением пособий.",
        },
    )
    assert response.status_code in (200, 400)
    assert "раньше открытия центра" in str(response.context["form"].errors["received_on"])
    assert "Просит помочь с оформлением пособий." in response.content.decode()


def test_registering_an_appeal_in_the_future_is_refused_P2(registrar, dept_a):
    appeal = AppealFactory(department=dept_a)
    with pytest.raises(ValidationError, match="Дата регистрации не может быть в будущем"):
        patronage_actions.register_appeal(
            appeal=appeal, registered_on=date(2026, 3, 11), registered_by=registrar
        )


def test_a_calendar_correction_for_1900_is_refused_in_the_admin(client, administrator):
    response = login(client, administrator).post(
        reverse("admin:organisation_calendarday_add"),
        {"date": "01.01.1900", "is_working": "on", "note": "опечатка"},
    )
    assert response.status_code == 200
    assert "раньше открытия центра" in response.content.decode()
    assert not CalendarDay.objects.exists()


def test_a_recommendation_due_before_its_visit_is_refused(registrar, head, specialist, dept_a):
    from patronage.models import Recommendation, Visit

    case = case_with_appeal(registrar=registrar, head=head, department=dept_a)
    visit = Visit.objects.create(
        case=case, specialist=specialist, kind="primary", visited_on=date(2026, 3, 5)
    )
    rec = Recommendation(case=case, visit=visit, text="Оформить пособие", due_on=date(2026, 3, 4))
    with pytest.raises(ValidationError) as exc:
        rec.full_clean()
    assert exc.value.message_dict["due_on"] == ["Срок выполнения раньше посещения."]
