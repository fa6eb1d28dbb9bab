"""Consent to the processing of personal data gates any disclosure beyond the centre (O6)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from organisation.models import AccessKind, AccessLog
from recipients import actions
from recipients.models import Consent, ConsentScope
from tests.recipients.factories import ConsentFactory, child_with_mother

POLICE = "ОПДН ОМВД России по Белгородскому району"


@pytest.fixture
def family(dept_a):
    return child_with_mother(dept_a, last_name="Орлов")


def test_consent_covers_only_its_scopes_O6(family):
    child, mother = family
    consent = ConsentFactory(
        recipient=child, given_by=mother, third_parties=f"{POLICE}\nМБОУ «СОШ № 5»"
    )
    on = date(2026, 2, 1)
    assert consent.covers(ConsentScope.PROCESSING, on=on)
    assert consent.covers(ConsentScope.TRANSFER, "опдн омвд россии по белгородскому району", on)
    assert consent.covers(ConsentScope.TRANSFER, "МБОУ СОШ № 5", on)  # quotes ignored
    assert not consent.covers(ConsentScope.TRANSFER, "Газета «Вести»", on)
    assert not consent.covers(ConsentScope.TRANSFER, None, on)  # a transfer names its party
    assert not consent.covers(ConsentScope.MEDIA, on=on)
    assert not consent.covers(ConsentScope.WEBSITE, on=on)
    assert not consent.covers(ConsentScope.PROCESSING, on=date(2026, 1, 1))  # before it was given


def test_withdrawn_consent_covers_nothing_from_the_withdrawal_O6(family, specialist):
    child, mother = family
    consent = ConsentFactory(recipient=child, given_by=mother, covers_website=True)
    actions.withdraw_consent(
        consent=consent, withdrawn_on=date(2026, 3, 1), note="Заявление", withdrawn_by=specialist
    )
    assert consent.covers(ConsentScope.WEBSITE, on=date(2026, 2, 28))
    assert not consent.covers(ConsentScope.WEBSITE, on=date(2026, 3, 1))


def test_ensure_disclosure_allowed_refuses_in_russian_without_consent_O6(family, specialist):
    child, mother = family
    with pytest.raises(actions.DisclosureNotAllowed) as exc:
        actions.ensure_disclosure_allowed(recipient=child, scope=ConsentScope.MEDIA)
    assert "Нет действующего письменного согласия" in str(exc.value)
    consent = ConsentFactory(recipient=child, given_by=mother, covers_media=True)
    assert (
        actions.ensure_disclosure_allowed(
            recipient=child, scope=ConsentScope.MEDIA, on=date(2026, 2, 1)
        )
        == consent
    )


def test_register_extract_for_a_third_party_needs_a_consent_naming_it_O6(
    client, specialist, family
):
    child, mother = family
    client.force_login(specialist)
    url = reverse("recipients:extract_pdf", args=[child.pk])
    response = client.get(url, {"third_party": POLICE})
    # refused: the form again with the reason next to the field and the party kept (issue 12)
    assert response.status_code == 400
    assert "передача сведений запрещена" in response.context["form"].errors["third_party"][0]
    assert f'value="{POLICE}"' in response.content.decode()
    assert not AccessLog.objects.filter(kind=AccessKind.EXPORT).exists()

    ConsentFactory(recipient=child, given_by=mother, third_parties=POLICE)
    with time_machine.travel(date(2026, 2, 1)):
        response = client.get(url, {"third_party": POLICE})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    entry = AccessLog.objects.get(kind=AccessKind.EXPORT)
    assert POLICE in entry.detail and entry.user == specialist


def test_register_extract_without_a_named_party_is_refused(client, specialist, family):
    client.force_login(specialist)
    response = client.get(reverse("recipients:extract_pdf", args=[family[0].pk]))
    assert response.status_code == 400
    assert response.context["form"].errors["third_party"] == [
        "Укажите, кому выдаётся выписка из регистра."
    ]
    assert 'method="get"' in response.content.decode()


@time_machine.travel(date(2026, 2, 1))
def test_consent_is_recorded_and_withdrawn_through_the_card(client, specialist, family):
    child, mother = family
    client.force_login(specialist)
    response = client.post(
        reverse("recipients:consent_add", args=[child.pk]),
        {"given_by": mother.pk, "given_on": "01.02.2026", "covers_processing": "on"},
    )
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert consent.given_by == mother and consent.created_by == specialist
    url = reverse("recipients:consent_withdraw", args=[consent.pk])
    response = client.post(url, {"withdrawn_on": "01.01.2026", "note": "Заявление матери"})
    assert "раньше, чем оно дано" in str(response.context["form"].errors)
    response = client.post(url, {"withdrawn_on": "01.02.2026", "note": "Заявление матери"})
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_on == date(2026, 2, 1)


@time_machine.travel(date(2026, 2, 1))
def test_consent_form_answers_bad_input_in_russian(client, specialist, family):
    child, _mother = family
    client.force_login(specialist)
    url = reverse("recipients:consent_add", args=[child.pk])
    response = client.post(url, {"given_on": "05.02.2026"})
    errors = response.context["form"].errors
    assert "не может быть в будущем" in errors["given_on"][0]
    assert "на что дано согласие" in errors["__all__"][0]


def test_consent_of_another_department_is_404(client, specialist_b, family):
    child, mother = family
    consent = ConsentFactory(recipient=child, given_by=mother)
    client.force_login(specialist_b)
    assert client.get(reverse("recipients:consent_withdraw", args=[consent.pk])).status_code == 404
    assert client.get(reverse("recipients:consent_pdf", args=[consent.pk])).status_code == 404


def test_consent_from_a_stranger_is_refused(family, dept_a, specialist):
    from django.core.exceptions import ValidationError

    child, _mother = family
    _other, stranger = child_with_mother(dept_a, last_name="Петров")
    with pytest.raises(ValidationError):
        actions.record_consent(
            recipient=child, recorded_by=specialist, given_by=stranger, given_on=date(2026, 1, 1)
        )
