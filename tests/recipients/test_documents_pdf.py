"""Printed forms: the application, consent, contract, enrolment order and register extract,
with names declined and signature lines."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from orders import actions as order_actions
from orders.models import OrderKind
from organisation.models import AccessKind, AccessLog
from tests.factories import FamilyFactory, RecipientFactory, RepresentativeFactory
from tests.recipients.factories import ConsentFactory, prepare_enrolment
from tests.reports.test_pdf import pdf_text

POLICE = "ОПДН ОМВД России по Белгородскому району"


@pytest.fixture
def girl(dept_a, specialist):
    """Анна Петровна Кузьмина, 12, represented by her mother Елена Викторовна."""
    from recipients.models import Relation, Representation

    family = FamilyFactory(department=dept_a, name="Семья Кузьминых")
    child = RecipientFactory(
        department=dept_a,
        family=family,
        last_name="Кузьмина",
        first_name="Анна",
        patronymic="Петровна",
        sex="female",
        birth_date=date(2013, 9, 2),
        snils="112-233-445 95",
    )
    mother = RepresentativeFactory(
        family=family,
        last_name="Кузьмина",
        first_name="Елена",
        patronymic="Викторовна",
        sex="female",
        id_document="паспорт 1415 222333",
    )
    Representation.objects.create(recipient=child, representative=mother, relation=Relation.MOTHER)
    prepare_enrolment(child, mother, specialist)
    ConsentFactory(recipient=child, given_by=mother, third_parties=POLICE)
    return child


def _text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    return " ".join(pdf_text(response.content).split())


def test_application_form_is_prefilled_with_declined_names(client, specialist, director, girl):
    client.force_login(specialist)
    text = _text(client.get(reverse("recipients:application_pdf", args=[girl.pk])))
    assert "от Кузьминой Елены Викторовны" in text  # genitive
    assert "моей дочери Кузьминой Анне Петровне" in text  # dative
    assert "Директору" in text and "Петровой А. С." in text
    assert "Хочу ходить в центр." in text  # the minor's opinion (12 years old)
    assert "Мнение несовершеннолетней (ребёнку исполнилось 10 лет)" in text
    # The list of circumstances ends with a full stop, not «…насилие в семье;».
    assert "насилие в семье. Мнение несовершеннолетней" in text
    # The girl signs as «Несовершеннолетняя» (gender from her recorded sex, issue 13).
    assert "Несовершеннолетняя" in text and "подпись" in text
    assert AccessLog.objects.filter(kind=AccessKind.PRINT, recipient_id=girl.pk).exists()


def test_consent_form_names_the_parties_and_scopes(client, specialist, girl):
    client.force_login(specialist)
    consent = girl.consents.get()
    text = _text(client.get(reverse("recipients:consent_pdf", args=[consent.pk])))
    assert "Я, Кузьмина Елена Викторовна" in text
    assert "являясь матерью несовершеннолетней Кузьминой Анны Петровны" in text
    assert POLICE in text
    assert "Кузьмина Е. В." in text  # under the signature line


def test_the_consent_prints_the_recorded_identity_document_without_a_blank_after_it(
    client, specialist, girl
):
    """The child's document was printed as recorded and then «; дата выдачи, кем выдан: ____»,
    as if the issuer and date recorded with it were missing; the blank is left only when
    nothing is recorded."""
    client.force_login(specialist)
    url = reverse("recipients:consent_pdf", args=[girl.consents.get().pk])
    girl.identity_document = "III-ЛЕ № 123456, отдел ЗАГС г. Белгорода, 12.09.2013"
    girl.save(update_fields=["identity_document"])
    text = _text(client.get(url))
    assert "III-ЛЕ № 123456, отдел ЗАГС г. Белгорода, 12.09.2013" in text
    assert "кем выдан:" not in text
    girl.identity_document = ""
    girl.save(update_fields=["identity_document"])
    assert "серия, номер, дата выдачи, кем выдан:" in _text(client.get(url))


def test_contract_is_free_and_declines_the_parties_O10(client, specialist, director, girl):
    client.force_login(specialist)
    contract = girl.contracts.get()
    text = _text(client.get(reverse("recipients:contract_pdf", args=[contract.pk])))
    assert "в лице директора Петровой Анны Сергеевны" in text
    assert "являющаяся матерью несовершеннолетней Кузьминой Анны Петровны" in text
    assert "несовершеннолетней Кузьминой Анне Петровне социальные услуги" in text
    assert "бесплатно" in text
    assert "Петрова А. С." in text and "Кузьмина Е. В." in text


@time_machine.travel(date(2026, 1, 12))
def test_enrolment_order_declines_the_minor_and_has_signature_lines_O12(
    client, head, director, girl
):
    order = order_actions.draft_order(
        kind=OrderKind.ENROLMENT,
        recipient=girl,
        drafted_by=head,
        effective_on=date(2026, 1, 13),
    )
    client.force_login(head)
    text = _text(client.get(reverse("orders:pdf", args=[order.pk])))
    assert "ПРОЕКТ" in text
    order_actions.approve_order(order=order, approved_by=director)
    text = _text(client.get(reverse("orders:pdf", args=[order.pk])))
    assert "ПРОЕКТ" not in text
    assert "№ 1-26" in text and "12.01.2026" in text
    assert "Зачислить" in text, text
    assert "несовершеннолетнюю Кузьмину Анну Петровну" in text, text
    assert "с 13.01.2026" in text
    assert "Директор" in text and "Петрова А. С." in text
    assert "Кузнецова И. В." in text  # the head who drafted it


@time_machine.travel(date(2026, 2, 2))
def test_register_extract_names_the_third_party_and_the_consent_O6(client, specialist, girl):
    client.force_login(specialist)
    response = client.get(
        reverse("recipients:extract_pdf", args=[girl.pk]), {"third_party": POLICE}
    )
    text = _text(response)
    assert f"Выдана: {POLICE}" in text
    assert "Кузьмина Анна Петровна, 02.09.2013 года рождения" in text
    assert "данного Кузьминой Еленой Викторовной" in text  # instrumental


def test_minor_signs_the_application_from_age_ten_only_O7_O27(client, specialist, dept_a, girl):
    """The minor takes part (O7) and gives an opinion from ten (O27): a signature line of
    their own on the application; none for a younger child."""
    client.force_login(specialist)
    text = _text(client.get(reverse("recipients:application_pdf", args=[girl.pk])))
    assert "Несовершеннолетняя" in text and "Кузьмина А. П." in text
    little = RecipientFactory(
        department=dept_a,
        family=girl.family,
        first_name="Ольга",
        sex="female",
        last_name="Кузьмина",
        patronymic="Петровна",
        birth_date=date(2020, 4, 1),
    )
    text = _text(client.get(reverse("recipients:application_pdf", args=[little.pk])))
    assert "Несовершеннолетний" not in text and "Несовершеннолетняя" not in text
    assert "Кузьминой Ольге Петровне" in text


def test_the_application_asks_the_opinion_by_the_age_on_its_date_O27(
    client, specialist, dept_a, girl
):
    """The minor's opinion is asked from the age of ten on the day the application is
    submitted: a boy who was nine then and is ten now has no opinion section and no signature
    line of his own on it, as his application did not need one."""
    from recipients import actions
    from recipients.models import Relation, Representation

    mother = girl.representations.get().representative
    boy = RecipientFactory(
        department=dept_a,
        family=girl.family,
        last_name="Кузьмин",
        first_name="Олег",
        patronymic="Петрович",
        sex="male",
        birth_date=date(2016, 10, 1),
    )
    Representation.objects.create(recipient=boy, representative=mother, relation=Relation.MOTHER)
    with time_machine.travel(date(2026, 9, 1)):
        actions.record_application(
            recipient=boy,
            representative=mother,
            submitted_on=date(2026, 9, 1),
            recorded_by=specialist,
        )
    client.force_login(specialist)
    with time_machine.travel(date(2026, 11, 30)):
        text = _text(client.get(reverse("recipients:application_pdf", args=[boy.pk])))
    assert "моему сыну Кузьмину Олегу Петровичу" in text
    assert "Мнение несовершеннолетнего" not in text and "Несовершеннолетний" not in text
