"""Sane dates on the recipients' records, in the model layer (forms, actions and the admin
share them): a birth date makes a minor (0–18) on the day of recording; enrolment, stay,
consent, application, contract and document dates not before the centre opened and not in the
future unless they are plans."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from recipients import actions
from recipients.models import ContractTerm, Recipient
from tests.factories import RecipientFactory
from tests.recipients.factories import child_with_mother

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(date(2026, 3, 10)):
        yield


def _errors(instance, field):
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict.get(field, [])


def test_a_birth_date_makes_a_minor_on_the_day_of_recording(dept_a):
    adult = RecipientFactory.build(department=dept_a, birth_date=date(2008, 3, 9), family=None)
    assert "совершеннолетний" in " ".join(_errors(adult, "birth_date"))
    minor = RecipientFactory.build(department=dept_a, birth_date=date(2008, 3, 11), family=None)
    minor.full_clean(exclude=["family"])


def test_a_child_recorded_as_a_minor_stays_valid_when_grown_up(dept_a):
    child = RecipientFactory(department=dept_a, birth_date=date(2008, 6, 1))
    with time_machine.travel(date(2027, 1, 10)):  # 18 now, but recorded at 17
        Recipient.objects.get(pk=child.pk).full_clean(exclude=["family"])


@pytest.mark.parametrize(
    ("born", "word"), [(date(2026, 3, 11), "в будущем"), (date(1900, 1, 1), "несовершеннолетним")]
)
def test_a_birth_date_in_the_future_or_of_another_century_is_refused(dept_a, born, word):
    child = RecipientFactory.build(department=dept_a, birth_date=born, family=None)
    assert word in " ".join(_errors(child, "birth_date"))


def test_the_first_day_of_stay_may_be_planned_but_not_before_the_opening(dept_a):
    child = RecipientFactory(department=dept_a, birth_date=date(2015, 1, 1))
    child.first_day_of_stay = date(2026, 4, 1)  # a planned enrolment
    child.full_clean(exclude=["family"])
    child.first_day_of_stay = date(1900, 1, 1)
    assert "раньше открытия центра" in " ".join(_errors(child, "first_day_of_stay"))


def test_a_contract_of_1900_is_refused_by_the_action(dept_a, specialist):
    child, mother = child_with_mother(dept_a)
    with pytest.raises(ValidationError) as caught:
        actions.conclude_contract(
            recipient=child,
            representative=mother,
            concluded_on=date(1900, 1, 1),
            term=ContractTerm.PERMANENT,
            concluded_by=specialist,
        )
    assert "раньше открытия центра" in " ".join(caught.value.message_dict["concluded_on"])


def test_a_document_received_in_the_future_is_refused_by_the_action(dept_a, specialist):
    child, _mother = child_with_mother(dept_a)
    with pytest.raises(ValidationError) as caught:
        actions.add_document(
            recipient=child, kind="medical", received_on=date(2026, 3, 11), added_by=specialist
        )
    assert "в будущем" in " ".join(caught.value.message_dict["received_on"])


def test_a_consent_of_1900_is_refused_by_the_form(client, specialist, dept_a):
    from django.urls import reverse

    child, mother = child_with_mother(dept_a)
    client.force_login(specialist)
    response = client.post(
        reverse("recipients:consent_add", args=[child.pk]),
        {"given_by": mother.pk, "given_on": "01.01.1900"},
    )
    assert response.status_code in (200, 400)
    assert "раньше открытия центра" in " ".join(response.context["form"].errors["given_on"])
