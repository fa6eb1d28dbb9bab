"""Enrolment papers: application (O27), need recognition (O1), contract (O10). The director's
order that enrols is tested in tests/orders/."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from recipients import actions
from recipients.models import (
    Contract,
    ContractTerm,
)
from tests.recipients.factories import child_with_mother, prepare_enrolment

FIRST_DAY = date(2026, 1, 13)


@pytest.fixture
def family(dept_a):
    return child_with_mother(dept_a, last_name="Орлов", birth_date=date(2015, 5, 20))


@pytest.fixture
def ready(family, specialist):
    child, mother = family
    prepare_enrolment(child, mother, specialist)
    return child


# --- Application, protocol, contract ---


def test_application_from_age_ten_needs_the_minors_opinion_O27(family, specialist):
    child, mother = family  # born 20.05.2015: ten on 20.05.2025
    with pytest.raises(ValidationError) as exc:
        actions.record_application(
            recipient=child,
            representative=mother,
            submitted_on=date(2025, 6, 1),
            recorded_by=specialist,
        )
    assert "исполнилось 10 лет" in exc.value.message_dict["minor_opinion"][0]
    # A recorded reason why asking would harm the minor is enough.
    app = actions.record_application(
        recipient=child,
        representative=mother,
        submitted_on=date(2025, 6, 1),
        recorded_by=specialist,
        opinion_not_asked_reason="Заключение психолога от 30.05.2025",
    )
    assert app.opinion_recorded


def test_application_before_age_ten_needs_no_opinion_O27(family, specialist):
    child, mother = family
    app = actions.record_application(
        recipient=child,
        representative=mother,
        submitted_on=date(2025, 5, 19),
        recorded_by=specialist,
    )
    assert not app.needs_minor_opinion and app.opinion_recorded


def test_application_form_answers_in_russian_O27(client, specialist, family):
    child, mother = family
    client.force_login(specialist)
    response = client.post(
        reverse("recipients:application_add", args=[child.pk]),
        {"representative": mother.pk, "submitted_on": "01.06.2025"},
    )
    assert "исполнилось 10 лет" in response.context["form"].errors["minor_opinion"][0]
    response = client.post(
        reverse("recipients:application_add", args=[child.pk]),
        {"representative": mother.pk, "submitted_on": "01.06.2025", "minor_opinion": "Хочу"},
    )
    assert response.status_code == 302
    assert child.applications.get().minor_opinion == "Хочу"


def test_need_recognition_needs_a_circumstance_of_section_1_4_O1(client, specialist, family):
    child, _mother = family
    client.force_login(specialist)
    url = reverse("recipients:need_recognition_add", args=[child.pk])
    data = {"number": "15", "decided_on": "12.01.2026", "issued_by": "УСЗН"}
    response = client.post(url, data)
    assert "хотя бы одно обстоятельство" in response.context["form"].errors["circumstances"][0]
    response = client.post(url, {**data, "circumstances": ["damage", "adaptation"]})
    assert response.status_code == 302
    protocol = child.need_recognitions.get()
    assert protocol.circumstances == ["damage", "adaptation"]
    assert len(protocol.get_circumstances_display()) == 2


def test_contract_is_always_free_O10(family, specialist):
    child, mother = family
    contract = actions.conclude_contract(
        recipient=child,
        representative=mother,
        number="7",
        concluded_on=date(2026, 1, 12),
        term=ContractTerm.PERMANENT,
        concluded_by=specialist,
    )
    assert contract.is_free
    with pytest.raises(IntegrityError), transaction.atomic():
        Contract.objects.filter(pk=contract.pk).update(is_free=False)


def test_temporary_contract_needs_its_end_date(client, specialist, family):
    child, mother = family
    client.force_login(specialist)
    url = reverse("recipients:contract_add", args=[child.pk])
    data = {
        "representative": mother.pk,
        "number": "7",
        "concluded_on": "12.01.2026",
        "term": "temporary",
    }
    response = client.post(url, data)
    assert "срок действия" in response.context["form"].errors["valid_until"][0]
    response = client.post(url, {**data, "valid_until": "01.01.2026"})
    assert "позже даты договора" in response.context["form"].errors["valid_until"][0]
    assert client.post(url, {**data, "valid_until": "31.12.2026"}).status_code == 302


def test_contract_numbers_come_from_the_yearly_register_O26(client, specialist, family):
    """Numbers of contracts are given by the register (next_number), not typed: 1/2026, 2/2026;
    a typed number is kept for a paper contract and may not repeat within the year."""
    child, mother = family
    made = [
        actions.conclude_contract(
            recipient=child,
            representative=mother,
            concluded_on=date(2026, 1, 12),
            term=ContractTerm.PERMANENT,
            concluded_by=specialist,
        )
        for _ in range(2)
    ]
    assert [c.number for c in made] == ["1/2026", "2/2026"]
    paper = actions.conclude_contract(
        recipient=child,
        representative=mother,
        number="15-Д",
        concluded_on=date(2026, 1, 10),
        term=ContractTerm.PERMANENT,
        concluded_by=specialist,
    )
    assert paper.number == "15-Д"
    client.force_login(specialist)
    url = reverse("recipients:contract_add", args=[child.pk])
    data = {"representative": mother.pk, "concluded_on": "12.01.2026", "term": "permanent"}
    response = client.post(url, {**data, "number": "15-Д"})
    assert "таким номером" in response.context["form"].errors["number"][0]
    assert "15-Д" in response.content.decode()
    assert client.post(url, data).status_code == 302
    assert child.contracts.order_by("-pk").first().number == "3/2026"
