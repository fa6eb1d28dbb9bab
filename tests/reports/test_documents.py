"""Every printed document from realistic records: the text extracted back (pypdf) carries each
required element, and no placeholder that the records can resolve («(а)», «____» for a
recorded date). Issue 13; the rules named are those the documents prove (O7, O10, O14, O22,
O25, P9). The PNG pages of all documents: `manage.py render_documents` (see README)."""

from __future__ import annotations

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from consilium import actions as consilium_actions
from recipients import actions as recipient_actions
from recipients.models import FamiliarisationKind, Relation, Representation
from reports import names
from reports.tabular import Column, Signature, table_pdf
from services import actions as service_actions
from services.models import UrgentServiceAct
from tests.factories import FamilyFactory, RecipientFactory, RepresentativeFactory, UserFactory
from tests.recipients.factories import ConsentFactory, prepare_enrolment
from tests.rehab_programs.factories import composition, decide, enrolled_child, programme
from tests.reports.test_pdf import pdf_text
from tests.services.factories import ProgrammeFactory, ProgrammeLineFactory, service

NOW = datetime(2026, 11, 20, 11, 0, tzinfo=ZoneInfo("Europe/Moscow"))
CENTRE = {
    "CENTRE_ADDRESS": "308000, г. Белгород, ул. Примерная, д. 1",
    "CENTRE_PHONE": "+7 (4722) 00-00-00",
    "CENTRE_CITY": "г. Белгород",
    "CENTRE_INN": "3123000000",
    "CENTRE_OGRN": "1023101000000",
}


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def centre(settings):
    for key, value in CENTRE.items():
        setattr(settings, key, value)
    return settings


@pytest.fixture
def girl(dept_a, specialist):
    """Анна Петровна Кузьмина, 12, enrolled papers in order; her mother Елена Викторовна."""
    family = FamilyFactory(
        department=dept_a, name="Семья Кузьминых", address="г. Белгород, ул. Садовая, д. 3"
    )
    child = RecipientFactory(
        department=dept_a,
        family=family,
        last_name="Кузьмина",
        first_name="Анна",
        patronymic="Петровна",
        sex="female",
        birth_date=date(2013, 9, 2),
        snils="112-233-445 95",
        identity_document="III-ЛЕ № 123456",
    )
    mother = RepresentativeFactory(
        family=family,
        last_name="Кузьмина",
        first_name="Елена",
        patronymic="Викторовна",
        sex="female",
        id_document="паспорт 1415 222333, выдан УМВД России по Белгородской области 01.02.2015",
        address="г. Белгород, ул. Садовая, д. 3, кв. 5",
        phone="+7 900 000-00-00",
    )
    Representation.objects.create(recipient=child, representative=mother, relation=Relation.MOTHER)
    prepare_enrolment(child, mother, specialist)
    ConsentFactory(recipient=child, given_by=mother, given_on=date(2026, 1, 12))
    return child


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    return " ".join(pdf_text(response.content).split())


def _pages(response) -> list[str]:
    reader = PdfReader(io.BytesIO(response.content))
    return [" ".join((p.extract_text() or "").split()) for p in reader.pages]


def _no_placeholders(text: str) -> None:
    for placeholder in ("(а)", "(ей)", "(яя)", "(ая)", "(O", "(П"):
        assert placeholder not in text, placeholder


# --- the helper ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("masculine", "feminine", "placeholder"),
    [
        ("ознакомлен", "ознакомлена", "ознакомлен(а)"),
        ("несовершеннолетнего", "несовершеннолетней", "несовершеннолетнего(ей)"),
        ("Несовершеннолетний", "Несовершеннолетняя", "Несовершеннолетний(яя)"),
        ("действующего", "действующей", "действующего(ей)"),
        ("являющийся", "являющаяся", "являющийся(аяся)"),
        ("выдал", "выдала", "выдал(а)"),
        # Several words: only those that differ take the alternative.
        (
            "Заключение получил родитель",
            "Заключение получила родитель",
            "Заключение получил(а) родитель",
        ),
        ("моему подопечному", "моей подопечной", "моему(ей) подопечному(ой)"),
    ],
)
def test_words_agree_with_the_sex_and_keep_the_placeholder_only_when_unknown(
    masculine, feminine, placeholder
):
    class Person:
        last_name, first_name, patronymic, sex = "Гончаренко", "Саша", "", ""

    assert names.agree(Person(), masculine, feminine) == placeholder
    Person.sex = "female"
    assert names.agree(Person(), masculine, feminine) == feminine
    Person.sex = "male"
    assert names.agree(Person(), masculine, feminine) == masculine
    # A name alone (a string): the patronymic tells it.
    assert names.agree("Петрова Анна Сергеевна", masculine, feminine) == feminine
    assert names.agree("Соколов Дмитрий Андреевич", masculine, feminine) == masculine


def test_a_staff_members_recorded_sex_agrees_the_signature_and_declines_the_surname(
    client, specialist, girl
):
    """An employee without a patronymic: the sex recorded in the account (the admin's «Пол»)
    gives «Услуги предоставила» and «Ким», not «предоставил(а)»; unrecorded, the document
    keeps the placeholder rather than guess."""
    nurse = UserFactory(
        last_name="Ким", first_name="Алина", patronymic="", sex="", department=specialist.department
    )
    act = _urgent_act(girl, nurse, "Ночью.")
    client.force_login(specialist)
    url = reverse("services:urgent_act_pdf", args=[act.pk])
    assert "Услуги предоставил(а)" in _text(client.get(url))
    nurse.sex = "female"
    nurse.save(update_fields=["sex"])
    text = _text(client.get(url))
    assert "Услуги предоставила" in text and "предоставил(а)" not in text
    assert names.full_name(nurse, names.Case.INSTRUMENTAL) == "Ким Алиной"
    nurse.first_name, nurse.sex = "Олег", "male"
    assert names.full_name(nurse, names.Case.INSTRUMENTAL) == "Кимом Олегом"


# --- recipients' documents -------------------------------------------------------------------


def test_the_contract_follows_the_model_form_with_the_parties_details_O10(
    client, centre, specialist, director, girl
):
    contract = girl.contracts.get()
    ProgrammeFactory(
        recipient=girl, number="41", drawn_up_on=date(2026, 1, 12), valid_from=date(2026, 1, 12)
    )
    text = _text(login_get(client, specialist, "recipients:contract_pdf", contract.pk))
    assert "в лице директора Петровой Анны Сергеевны, действующей на основании Устава" in text
    assert "являющаяся матерью несовершеннолетней Кузьминой Анны Петровны" in text
    assert "индивидуальной программы предоставления социальных услуг от 12.01.2026 № 41" in text
    assert "Услуги предоставляются несовершеннолетней бесплатно" in text
    assert "бесплатно" in text and "г. Белгород" in text
    for detail in CENTRE.values():
        if detail != "г. Белгород":
            assert detail in text, detail
    assert "паспорт 1415 222333" in text and "+7 900 000-00-00" in text
    assert "Адреса, реквизиты и подписи Сторон".upper() in text.upper()
    _no_placeholders(text)


def test_the_consent_carries_everything_of_152_fz_article_9(client, centre, specialist, girl):
    consent = girl.consents.get()
    response = login_get(client, specialist, "recipients:consent_pdf", consent.pk)
    text = _text(response)
    # 1, 2: the subject and the representative: name, address, document with issue date/issuer
    assert "Кузьмина Анна Петровна, 02.09.2013" in text and "ул. Садовая, д. 3" in text
    assert "III-ЛЕ № 123456" in text
    assert "выдан УМВД России по Белгородской области 01.02.2015" in text
    assert "Документ, подтверждающий полномочия представителя" in text
    # 3: the operator and its address
    assert CENTRE["CENTRE_ADDRESS"] in text and CENTRE["CENTRE_INN"] in text
    # 4, 5, 7: purposes, the list of data (health included), the actions and the ways
    assert "Цель обработки".upper() in text.upper()
    assert "сведения о состоянии здоровья" in text
    assert "Сбор, запись, систематизация" in text and "смешанная обработка" in text
    # 8: the term and how to withdraw
    assert "Согласие действует с 12.01.2026" in text and "может быть отозвано" in text
    assert "несовершеннолетней Кузьминой Анны Петровны" in text
    # The signature page carries the last text: the term and the withdrawal with the line.
    last = _pages(response)[-1]
    assert "отозвано" in last and "подпись" in last
    _no_placeholders(text)


def test_a_guardian_of_unknown_sex_reads_word_by_word_and_is_not_given_a_birth_certificate(
    client, centre, specialist, dept_a
):
    """«Смит Анна», a guardian with no patronymic and no recorded sex, of «Дюма Александр»: the
    application reads «моему(ей) подопечному(ой)», not «моему подопечному(й подопечной)», and
    names who recorded it as receiving it; the consent does not offer the child's birth
    certificate as a guardian's authority (that is the guardianship body's act, to fill in)."""
    family = FamilyFactory(
        department=dept_a, name="Семья Дюма", address="г. Белгород, ул. Лесная, 1"
    )
    child = RecipientFactory(
        department=dept_a,
        family=family,
        last_name="Дюма",
        first_name="Александр",
        patronymic="",
        sex="",  # not recorded (an old record): the patronymic does not tell it either
        birth_date=date(2013, 3, 1),
        identity_document="III-ЛЕ № 654321",
    )
    guardian = RepresentativeFactory(
        family=family, last_name="Смит", first_name="Анна", patronymic="", sex=""
    )
    Representation.objects.create(
        recipient=child, representative=guardian, relation=Relation.GUARDIAN
    )
    prepare_enrolment(child, guardian, specialist)
    consent = ConsentFactory(recipient=child, given_by=guardian)
    client.force_login(specialist)
    text = _text(client.get(reverse("recipients:application_pdf", args=[child.pk])))
    assert "моему(ей) подопечному(ой) Дюма Александру" in text
    assert "подопечному(й" not in text
    received = names.agree(specialist, "Заявление принял", "Заявление приняла")
    assert f"{received} {specialist.short_name}" in text and "принял(а)" not in text
    text = _text(client.get(reverse("recipients:consent_pdf", args=[consent.pk])))
    assert "опекун:" in text and "свидетельство о рождении Дюма" not in text


def test_the_familiarisation_sheet_prints_the_recorded_dates_only_O9(client, specialist, girl):
    mother = girl.representations.get().representative
    recipient_actions.record_familiarisation(
        recipient=girl,
        kinds=[FamiliarisationKind.SERVICE_ORDER, FamiliarisationKind.INTERNAL_RULES],
        on=date(2026, 1, 13),
        recorded_by=specialist,
        representative=mother,
    )
    text = _text(login_get(client, specialist, "recipients:familiarisation_pdf", girl.pk))
    assert text.count("13.01.2026") == 2  # two documents dated, the other two left to fill
    assert text.count("«___»") == 2  # the two undated rows, to fill by hand
    assert "С документами ознакомлена: Кузьмина Е. В." in text
    assert "С документами ознакомлена: Кузьмина А. П." in text  # twelve years old
    assert "Несовершеннолетняя (с 10 лет)" in text
    assert "Ознакомил" in text and specialist.last_name in text
    _no_placeholders(text)


def test_a_child_under_ten_does_not_confirm_the_familiarisation_by_signature_O9(
    client, specialist, girl
):
    """Only those who sign are said to confirm «своими подписями»: a child under ten has no
    signature line, so the mother alone confirms, in the singular."""
    from recipients.models import Recipient

    Recipient.objects.filter(pk=girl.pk).update(birth_date=date(2019, 9, 2))
    mother = girl.representations.get().representative
    recipient_actions.record_familiarisation(
        recipient=girl,
        kinds=[FamiliarisationKind.SERVICE_ORDER],
        on=date(2026, 1, 13),
        recorded_by=specialist,
        representative=mother,
    )
    text = _text(login_get(client, specialist, "recipients:familiarisation_pdf", girl.pk))
    assert "Несовершеннолетняя (с 10 лет)" not in text
    assert "своими подписями" not in text
    assert (
        "Законный представитель Кузьмина Елена Викторовна своей подписью подтверждает "
        "ознакомление несовершеннолетней Кузьминой Анны Петровны с документами"
    ) in text


def test_the_register_extract_is_signed_by_the_woman_who_issues_it_O6(
    client, dept_a, girl, director
):
    woman = UserFactory(
        last_name="Соколова", first_name="Мария", patronymic="Ильинична", department=dept_a
    )
    consent = girl.consents.get()
    consent.third_parties = "ОПДН ОМВД России по Белгородскому району"
    consent.save()
    client.force_login(woman)
    text = _text(
        client.get(
            reverse("recipients:extract_pdf", args=[girl.pk]),
            {"third_party": "ОПДН ОМВД России по Белгородскому району"},
        )
    )
    assert "Выписку выдала" in text and "Соколова М. И." in text
    assert "Дата выдачи: 20.11.2026" in text
    _no_placeholders(text)


# --- services ---------------------------------------------------------------------------------


def test_the_individual_programme_prints_in_the_form_of_order_874n_with_refusals_O7(
    client, centre, specialist, girl
):
    programme_ = ProgrammeFactory(recipient=girl, number="41")
    ProgrammeLineFactory(programme=programme_, service=service("2.3.2"), count=3)
    consultation = ProgrammeLineFactory(programme=programme_, service=service("3.1.1"), count=1)
    mother = girl.representations.get().representative
    service_actions.record_refusal(
        line=consultation,
        signed_on=date(2026, 11, 16),
        recorded_by=specialist,
        signed_by=mother,
        reason="посещает психолога по месту жительства",
    )
    client.force_login(specialist)
    text = _text(client.get(reverse("services:programme_pdf", args=[programme_.pk])))
    assert (
        "приказом Министерства труда и социальной защиты Российской Федерации от 10.11.2014 № 874н"
        in text
    )
    assert "ИНДИВИДУАЛЬНАЯ ПРОГРАММА" in text and "№ 41" in text
    assert "Кузьмина Анна Петровна" in text and "женский" in text and "112-233-445 95" in text
    assert "Социально-медицинские услуги" in text and "2.3.2" in text
    assert "не реже 3 раз в неделю" in text
    assert "Отказ от социального обслуживания, социальной услуги".upper() in text.upper()
    assert "посещает психолога по месту жительства" in text and "16.11.2026" in text
    assert "Кузьмина Е. В." in text  # the refusal and the agreement are hers to sign
    assert "полустационарная" in text
    assert "согласна" in text
    _no_placeholders(text)


def test_a_section_of_the_individual_programme_never_ends_a_page_with_its_heading_O7(
    client, specialist, girl
):
    """«III. Социально-психологические услуги» stayed alone at the foot of page 1 of the demo's
    ИППСУ, its services on page 2: a heading row keeps to its first row, wherever it falls."""
    import re

    from recipients.models import Recipient

    programme_ = ProgrammeFactory(recipient=girl, number="41")
    for code in ("2.3.2", "3.1.1", "4.1.3"):
        ProgrammeLineFactory(programme=programme_, service=service(code), count=1)
    heading = re.compile(r"^(?:I|II|III|IV|V|VI|VII|VIII)\. ")
    row = re.compile(r"\d\.\d\.\d|^—$")
    client.force_login(specialist)
    for extra in range(0, 22, 5):  # the heading at five places of the first page's foot
        address = "г. Белгород, ул. Садовая, д. 3, " + "кв. 5, " * (extra * 3)  # ≤ 500
        Recipient.objects.filter(pk=girl.pk).update(address=address)
        response = client.get(reverse("services:programme_pdf", args=[programme_.pk]))
        for page in _pages_lines(response):
            headings = [i for i, line in enumerate(page) if heading.match(line)]
            if headings:
                after = page[headings[-1] + 1 :]
                assert any(row.search(line) for line in after), (extra, page[headings[-1]])


def test_a_table_row_longer_than_a_page_leaves_no_page_with_a_heading_alone_O7(
    client, specialist, girl
):
    """A refusal's reason of several thousand characters: the row is split across pages like
    text, instead of being pushed off a page that is then left with its heading alone."""
    programme_ = ProgrammeFactory(recipient=girl, number="41")
    ProgrammeLineFactory(programme=programme_, service=service("2.3.2"), count=3)
    consultation = ProgrammeLineFactory(programme=programme_, service=service("3.1.1"), count=1)
    service_actions.record_refusal(
        line=consultation,
        signed_on=date(2026, 11, 16),
        recorded_by=specialist,
        signed_by=girl.representations.get().representative,
        reason="Семья объяснила причину отказа подробно, со всеми обстоятельствами. " * 80,
    )
    client.force_login(specialist)
    pages = _pages(client.get(reverse("services:programme_pdf", args=[programme_.pk])))
    for n, page in enumerate(pages, 1):
        assert len(page.split()) > 40, (n, page)


def _pages_lines(response) -> list[list[str]]:
    reader = PdfReader(io.BytesIO(response.content))
    return [
        [" ".join(x.split()) for x in (p.extract_text() or "").splitlines()] for p in reader.pages
    ]


def _urgent_act(child, provider, conditions: str) -> UrgentServiceAct:
    """An act of urgent service С.1 given to `child` on 19.11.2026."""
    act = UrgentServiceAct.objects.create(
        recipient=child,
        provider=provider,
        date=date(2026, 11, 19),
        conditions=conditions,
        created_by=provider,
    )
    act.services.set([service("С.1")])
    return act


def test_an_unsigned_urgent_act_leaves_the_signer_blank_O22(client, specialist, girl):
    act = _urgent_act(girl, specialist, "Доставлена ночью без тёплой одежды.")
    client.force_login(specialist)
    url = reverse("services:urgent_act_pdf", args=[act.pk])
    text = _text(client.get(url))
    assert "Получатель социальных услуг (законный представитель)" in text
    assert "Кузьмина А. П." not in text  # the child is not put on the signer's line
    mother = girl.representations.get().representative
    service_actions.record_urgent_act_signed(
        act=act, signed_on=date(2026, 11, 20), recorded_by=specialist, signed_by=mother
    )
    text = _text(client.get(url))
    assert "Кузьмина Е. В." in text and "20.11.2026" in text  # the recorded date, not «____»
    assert "«____»" not in text
    _no_placeholders(text.replace("(законный представитель)", ""))


# --- consilium and the ИПСРН -----------------------------------------------------------------


def test_the_protocol_lists_who_attended_and_only_they_sign_O14(
    client, dept_a, director, head, psychologist, specialist, centre
):
    composition(director, head, psychologist, specialist)
    child = enrolled_child(
        dept_a, last_name="Орлов", first_name="Артём", patronymic="Игоревич", sex="male"
    )
    with time_machine.travel(
        datetime(2026, 12, 15, 10, 0, tzinfo=ZoneInfo("Europe/Moscow")), tick=False
    ):
        programme(child, psychologist)
        decision = decide(
            head,
            child,
            "approve",
            on=date(2026, 12, 14),
            text="Утвердить ИПСРН, куратор — Соколов Д. А.",
        )
        meeting = decision.item.meeting
        url = reverse("consilium:protocol_pdf", args=[meeting.pk])
        client.force_login(head)
        text = _text(client.get(url))
        assert "Присутствовали".upper() in text.upper()
        assert "Кузнецова И. В." not in text  # not recorded: lines to fill by hand
        assert "несовершеннолетнего Орлова Артёма Игоревича" in text  # the agenda's subject
        chair, secretary = meeting.composition.members.order_by("role")[:2]
        client.force_login(head)
        response = client.post(
            reverse("consilium:attendance", args=[meeting.pk]),
            {"attendees": [chair.pk, secretary.pk]},
        )
        assert response.status_code == 302
        text = _text(client.get(url))
    assert "Кузнецова Ирина Владимировна" in text and "Соколов Дмитрий Андреевич" in text
    assert "Отсутствовали".upper() in text.upper()
    assert text.count("подпись") == 2
    assert "г. Белгород" in text
    # The typed wording opens with the decision's kind: printed once, not under the kind.
    assert "Решили: Утвердить ИПСРН, куратор — Соколов Д. А." in text
    assert text.count("Утвердить ИПСРН") == 1
    _no_placeholders(text)


def test_attendance_is_recorded_by_the_head_after_the_meeting_only_O14(
    dept_a, director, head, psychologist, specialist
):
    composition(director, head, psychologist, specialist)
    with time_machine.travel(
        datetime(2026, 12, 10, 10, 0, tzinfo=ZoneInfo("Europe/Moscow")), tick=False
    ):
        meeting = consilium_actions.schedule_meeting(
            department=dept_a, held_on=date(2026, 12, 14), prepared_by=head
        )
        with pytest.raises(Exception, match="ещё не состоялось"):
            consilium_actions.record_attendance(
                meeting=meeting, attendees=meeting.composition.members.all(), recorded_by=head
            )


# --- journals -------------------------------------------------------------------------------


def test_a_long_table_numbers_pages_from_the_second_and_keeps_rows_with_the_signatures():
    rows = [
        [i, date(2026, 11, 2), f"Получатель {i}", "Оздоровительная гимнастика"]
        for i in range(1, 121)
    ]
    data = table_pdf(
        title="Журнал учета социальных услуг",
        subtitle="за ноябрь 2026 года",
        columns=[
            Column("№", 1),
            Column("Дата", 2),
            Column("Получатель", 4, wrap=True),
            Column("Услуга", 6, wrap=True),
        ],
        rows=rows,
        signatures=[Signature("Заведующий отделением", "Кузнецова И. В.")],
    )
    pages = [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(data)).pages]
    assert len(pages) >= 3
    assert pages[0].startswith("МБУ") or "ЖУРНАЛ" in pages[0]
    assert not pages[0].split()[0].isdigit()  # no number on the first page
    assert pages[1].split()[0] == "2"
    assert "Получатель 120" in pages[-1] and "Заведующий отделением" in pages[-1]
    assert "Получатель 118" in pages[-1]  # the last rows stay with the signatures


def login_get(client, user, name, pk):
    client.force_login(user)
    return client.get(reverse(name, args=[pk]))


# --- orders ---------------------------------------------------------------------------------


def test_the_enrolment_order_cites_its_real_grounds_with_numbers_and_dates_O12(
    client, centre, head, director, girl
):
    from orders import actions as order_actions
    from orders.models import OrderKind

    order = order_actions.draft_order(
        kind=OrderKind.ENROLMENT, recipient=girl, drafted_by=head, effective_on=date(2026, 1, 13)
    )
    client.force_login(head)
    text = _text(client.get(reverse("orders:pdf", args=[order.pk])))
    # In the genitive after «на основании», with the application's date, the protocol's and the
    # contract's numbers and dates (prepare_enrolment: 12.01.2026, № 15, № 1/2026).
    assert (
        "на основании заявления Кузьминой Елены Викторовны от 12.01.2026, протокола о признании "
        "нуждающимся в социальном обслуживании № 15 от 12.01.2026" in text
    )
    assert "договора о предоставлении социальных услуг № 1/2026 от 12.01.2026." in text
    assert "на основании:" not in text and "услуг, ПРИКАЗЫВАЮ" not in text
    assert "ПРОЕКТ" in text and "(проект)" not in text
    assert "Петрова А. С." not in text  # the director has not signed the draft
    assert "Проект подготовила" in text and "С приказом ознакомлена" in text
    order_actions.approve_order(order=order, approved_by=director)
    text = _text(client.get(reverse("orders:pdf", args=[order.pk])))
    assert "ПРОЕКТ" not in text and "Петрова А. С." in text
    _no_placeholders(text)


def test_the_discharge_order_quotes_the_protocol_in_the_genitive_O24(
    dept_a, director, head, psychologist, specialist
):
    from orders import actions as order_actions

    composition(director, head, psychologist, specialist)
    child = enrolled_child(dept_a)
    with time_machine.travel(
        datetime(2026, 12, 15, 10, 0, tzinfo=ZoneInfo("Europe/Moscow")), tick=False
    ):
        programme(child, psychologist)
        decision = decide(head, child, "discharge", on=date(2026, 12, 14), ground="term_end")
        order = order_actions.draft_discharge_order(
            decision=decision, drafted_by=head, effective_on=date(2026, 12, 15)
        )
    assert order.grounds.startswith(
        "решения психолого-медико-педагогического консилиума (протокол № "
    )
    assert "от 14.12.2026) о прекращении социального обслуживания по основанию: " in order.grounds


def _user_strings(source: str) -> list[tuple[int, str]]:
    """String literals of a module except docstrings (English, for developers)."""
    import ast

    tree = ast.parse(source)
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def test_no_rule_ids_in_text_meant_for_users():
    """Issue 13: rule ids («(П10)», «(O3)») are for developers and tests, never in the Russian
    text of templates, messages, labels or help texts."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    # A rule id standing alone anywhere in the text: «(O3)», «(п. 3.5, O23)», «O4.»; not a
    # service code («П.1») nor part of a word or number.
    rule = re.compile(r"(?<![\w/.-])[ПPОO]\d{1,2}(?![\w.])")
    cyrillic = re.compile(r"[А-Яа-яЁё]")
    found = []
    for path in root.glob("templates/**/*.html"):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if cyrillic.search(line) and rule.search(line) and not line.strip().startswith("//"):
                found.append(f"{path.relative_to(root)}:{n}")
    for path in root.glob("*/**/*.py"):
        if {".venv", "tests", "migrations", "bench"} & set(path.relative_to(root).parts):
            continue
        for n, text in _user_strings(path.read_text(encoding="utf-8")):
            if cyrillic.search(text) and rule.search(text):
                found.append(f"{path.relative_to(root)}:{n}: {text[:60]}")
    assert found == []


# --- typed text the page must hold ------------------------------------------------------------


def _words_beyond_the_margin(pdf: bytes) -> list[str]:
    """The words `pdftotext -bbox` finds right of the text area (A4 less the right margin)."""
    import re
    import shutil
    import subprocess

    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils are not installed")
    xml = subprocess.run(
        ["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    beyond = []
    for page in re.split(r"<page ", xml)[1:]:
        width = float(re.search(r'width="([\d.]+)"', page).group(1))  # type: ignore[union-attr]
        right = width - 12 * 72 / 25.4  # the right margin of the print base, 12 mm
        for x_max, word in re.findall(r'xMax="([\d.]+)"[^>]*>([^<]*)</word>', page):
            if float(x_max) > right + 1:
                beyond.append(word)
    return beyond


def test_a_long_unbroken_word_typed_into_a_record_wraps_inside_the_page(
    client, centre, specialist, girl
):
    """A text pasted without spaces (a link, a number run together) is broken to the page's
    width, in a paragraph and in a table cell, not run off the sheet and cut."""
    long_word = "ЖЖЖЖЖЖЖЖЖЖ" * 25
    mother = girl.representations.get().representative
    mother.id_document = f"паспорт {long_word}"
    mother.address = long_word
    mother.save()
    response = login_get(client, specialist, "recipients:consent_pdf", girl.consents.get().pk)
    assert response.status_code == 200
    assert _words_beyond_the_margin(response.content) == []
    assert long_word in "".join(pdf_text(response.content).split())


def test_a_long_unbroken_word_in_a_journal_wraps_inside_its_cell():
    """The long journals (ReportLab) break a word wider than its cell too: no text runs into
    the next cell or off the sheet."""
    long_word = "ЖЖЖЖЖЖЖЖЖЖ" * 25
    data = table_pdf(
        title="Журнал учета социальных услуг",
        subtitle="за ноябрь 2026 года",
        columns=[
            Column("№", 1),
            Column("Услуга", 6, wrap=True),
            Column("Примечание", 4, wrap=True),
        ],
        rows=[[1, f"Гимнастика {long_word}", long_word]],
    )
    assert _words_beyond_the_margin(data) == []
    assert "".join(pdf_text(data).split()).count(long_word) == 2


@pytest.mark.parametrize("at", [1, 6, 11])
def test_a_record_longer_than_a_page_continues_on_the_next_page(at):
    """An appeal's content pasted from a letter (thousands of words) is taller than a page: its
    row continues on the next page, whole, instead of the layout failing (a server error)."""
    rows = [[i, "слово " * (900 if i == at else 3), "x"] for i in range(1, 12)]
    data = table_pdf(
        title="Журнал регистрации обращений",
        subtitle="за ноябрь 2026 года",
        columns=[Column("№", 1), Column("Содержание", 6, wrap=True), Column("Семья", 4)],
        rows=rows,
        signatures=[Signature("Заведующий отделением", "Кузнецова И. В.")],
    )
    assert pdf_text(data).count("слово") == 900 + 10 * 3


def test_a_direction_override_typed_into_a_record_does_not_turn_the_printed_text_around(
    client, centre, specialist, girl
):
    """U+202E pasted into an address would print «ул. Садовая» as «яаводаС .лу»: the document
    prints the characters in the order they were typed."""
    mother = girl.representations.get().representative
    mother.address = "г. Белгород, \u202eул. Садовая\u202c, д. 3"
    mother.save()
    response = login_get(client, specialist, "recipients:consent_pdf", girl.consents.get().pk)
    text = _text(response)
    assert "ул. Садовая, д. 3" in text
    assert "яаводаС" not in text
