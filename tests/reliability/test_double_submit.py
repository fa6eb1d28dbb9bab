"""Idempotent submits: a form posted twice (double click, back and resend, a retried request)
creates one record; a second withdrawal or certification is refused with a message."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from organisation.idempotency import ALREADY_SENT
from patronage.models import Appeal
from recipients import actions as recipient_actions
from tests.concurrency import run_at_once, skip_unless_postgresql
from tests.conftest import login
from tests.forms import form_data
from tests.recipients.factories import child_with_mother

NEW_APPEAL = reverse("patronage:appeal_create")


def _appeal_form(client, registrar, dept):
    response = login(client, registrar).get(NEW_APPEAL)
    data = form_data(response.context["form"])
    data.update(
        channel="reception",
        ground="personal",
        department=str(dept.pk),
        received_on="02.03.2026",
        registered_on="03.03.2026",
        sender="Смирнова Ольга Ивановна",
        family_name="семья Смирновых",
        family_address="ул. Садовая, 1",
        content="Просит помочь с оформлением пособий.",
    )
    assert data["submit_token"]
    return data


@pytest.mark.django_db
@time_machine.travel(date(2026, 3, 10))
def test_an_appeal_posted_twice_is_logged_once_P5(client, registrar, dept_a):
    data = _appeal_form(client, registrar, dept_a)
    first = client.post(NEW_APPEAL, data)
    second = client.post(NEW_APPEAL, data, follow=True)
    appeal = Appeal.objects.get()
    assert first["Location"] == appeal.get_absolute_url()
    assert second.redirect_chain[0][0] == appeal.get_absolute_url()
    assert ALREADY_SENT in second.content.decode()
    assert appeal.registration_number == "1/2026"


@pytest.mark.django_db
@time_machine.travel(date(2026, 3, 10))
def test_a_refused_form_can_be_corrected_and_sent_with_the_same_token(client, registrar, dept_a):
    data = _appeal_form(client, registrar, dept_a)
    refused = client.post(NEW_APPEAL, {**data, "content": ""})
    assert refused.status_code in (200, 400) and not Appeal.objects.exists()
    assert client.post(NEW_APPEAL, data).status_code == 302
    assert Appeal.objects.count() == 1


@pytest.mark.django_db
@time_machine.travel(date(2026, 3, 10))
def test_two_new_forms_make_two_appeals(client, registrar, dept_a):
    """The token is per form shown, not per content: a second appeal of the same family is
    logged when it is a new form."""
    client.post(NEW_APPEAL, _appeal_form(client, registrar, dept_a))
    client.post(NEW_APPEAL, _appeal_form(client, registrar, dept_a))
    assert Appeal.objects.count() == 2


@pytest.mark.django_db
@time_machine.travel(date(2026, 1, 12))
def test_a_contract_posted_twice_is_stored_once_O26(client, specialist, dept_a):
    child, mother = child_with_mother(dept_a, birth_date=date(2015, 5, 20))
    url = reverse("recipients:contract_add", args=[child.pk])
    client.force_login(specialist)
    data = form_data(client.get(url).context["form"])
    data.update(
        number="17", concluded_on="12.01.2026", representative=str(mother.pk), term="permanent"
    )
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert child.contracts.count() == 1


@pytest.mark.django_db(transaction=True)
@time_machine.travel(date(2026, 3, 10))
def test_a_double_click_at_the_same_moment_logs_one_appeal_P5(registrar, dept_a):
    skip_unless_postgresql()
    data = _appeal_form(Client(), registrar, dept_a)

    def post():
        client = Client()
        client.force_login(registrar)
        return client.post(NEW_APPEAL, data).status_code

    results, errors = run_at_once([post, post, post])
    assert not errors
    assert results == [302, 302, 302]
    assert Appeal.objects.count() == 1


@pytest.mark.django_db
@time_machine.travel(date(2026, 3, 10))
def test_a_second_withdrawal_of_consent_is_refused_O6(specialist, dept_a):
    child, mother = child_with_mother(dept_a, birth_date=date(2015, 5, 20))
    consent = recipient_actions.record_consent(
        recipient=child, given_by=mother, given_on=date(2026, 3, 2), recorded_by=specialist
    )
    recipient_actions.withdraw_consent(
        consent=consent, withdrawn_on=date(2026, 3, 5), note="", withdrawn_by=specialist
    )
    stale = type(consent).objects.get(pk=consent.pk)
    stale.withdrawn_on = None  # a second tab that still shows the consent as given
    with pytest.raises(ValidationError, match=r"Согласие уже отозвано 05\.03\.2026"):
        recipient_actions.withdraw_consent(
            consent=stale, withdrawn_on=date(2026, 3, 9), note="", withdrawn_by=specialist
        )
    consent.refresh_from_db()
    assert consent.withdrawn_on == date(2026, 3, 5)


@pytest.mark.django_db
@time_machine.travel(date(2026, 3, 10))
def test_a_forged_token_is_not_stored_and_is_no_server_error(client, registrar, dept_a):
    """The form fuzzer: a NUL in `submit_token` was a DataError (500) on PostgreSQL when the
    token was stored. Only a token of the form's own shape is kept; any other is ignored."""
    from organisation.models import FormSubmission

    data = _appeal_form(client, registrar, dept_a)
    response = client.post(NEW_APPEAL, {**data, "submit_token": "нуль\x00внутри"})
    assert response.status_code in (200, 400)  # the hidden field refuses a NUL
    assert not Appeal.objects.exists()
    response = client.post(NEW_APPEAL, {**data, "submit_token": "x" * 64})
    assert response.status_code == 302
    assert Appeal.objects.count() == 1
    assert not FormSubmission.objects.exists()
