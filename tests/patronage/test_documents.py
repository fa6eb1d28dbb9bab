"""Printed documents: the act of a visit (P9) and the journals for a period (P5)."""

from __future__ import annotations

import io
from datetime import date

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from patronage.models import ActKind, Channel, VisitAct
from services.models import ServiceRecord
from tests.conftest import login
from tests.factories import RecipientFactory, RepresentativeFactory, UserFactory
from tests.patronage.factories import AppealFactory, case_with_appeal, completed_visit
from tests.reports.test_pdf import pdf_text


def test_the_housing_act_prints_with_declined_names_and_signatures_P9(
    client, registrar, head, dept_a
):
    social = UserFactory(
        username="morozova",
        last_name="Морозова",
        first_name="Ольга",
        patronymic="Николаевна",
        department=dept_a,
    )
    case = case_with_appeal(registrar=registrar, head=head, department=dept_a, specialist=social)
    mother = RepresentativeFactory(
        family=case.family,
        last_name="Смирнова",
        first_name="Ольга",
        patronymic="Ивановна",
        sex="female",
    )
    RepresentativeFactory(
        family=case.family, last_name="Смирнов", first_name="Пётр", patronymic="Ильич", sex="male"
    )
    RecipientFactory(family=case.family, department=dept_a, first_name="Артём")
    visit = completed_visit(
        case=case, specialist=social, recs=["Оформить полис ОМС."], present=[mother]
    )
    response = login(client, social).get(reverse("patronage:visit_act_pdf", args=[visit.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content).split())
    assert "обследования жилищно-бытовых условий семьи Смирновых" in text
    assert "Семья Смирновых Адрес" in text  # the row «Семья», not «Семья семья Смирновых»
    assert "составлен Морозовой Ольгой Николаевной" in text
    assert "в присутствии Смирновой Ольги Ивановны" in text
    assert "Спальное место" in text and "Место для занятий" in text
    assert "Оформить полис ОМС." in text
    assert "подпись" in text and "Морозова О. Н." in text and "Смирнова О. И." in text
    # Only the mother was recorded as present: the father is in the family's composition but
    # is neither «в присутствии» nor given a familiarisation line (P9: facts only).
    assert "Смирнов Пётр Ильич" in text  # the composition of the family
    assert "Смирнова Петра" not in text and "Смирнов П. И." not in text
    assert "С актом ознакомлена" in text and "ознакомлен(а)" not in text
    assert "Оформить полис ОМС. —" not in text  # no stray dot before the term


def test_an_act_with_nobody_recorded_present_leaves_the_lines_to_fill_P9(
    client, registrar, head, specialist, dept_a
):
    """Presence comes from the record: with none recorded no representative is named, and one
    blank familiarisation line is left to fill by hand; the place and number are printed."""
    case = case_with_appeal(
        registrar=registrar, head=head, department=dept_a, specialist=specialist
    )
    RepresentativeFactory(
        family=case.family, last_name="Белова", first_name="Юлия", patronymic="Андреевна"
    )
    visit = completed_visit(case=case, specialist=specialist)
    response = login(client, specialist).get(reverse("patronage:visit_act_pdf", args=[visit.pk]))
    text = " ".join(pdf_text(response.content).split())
    assert "в присутствии Беловой" not in text and "Белова Ю. А." not in text
    assert "Белова Юлия Андреевна" in text  # listed in the family's composition only
    assert "С актом ознакомлен(а)" in text
    assert f"№ {visit.act.pk}" in text
    assert "Доходы семьи" in text and "Состав семьи" in text
    assert "Заведующий отделением" in text  # the second signature of the centre


def test_a_patronage_report_is_signed_as_a_report_P9(client, registrar, head, specialist, dept_a):
    """A visit that ended with «Отчёт о патронаже» had the parent sign «С актом ознакомлена»."""
    case = case_with_appeal(
        registrar=registrar, head=head, department=dept_a, specialist=specialist
    )
    mother = RepresentativeFactory(family=case.family, last_name="Белова", sex="female")
    report = VisitAct(kind=ActKind.REPORT, summary="Беседа с матерью.", conclusion="Нуждается.")
    visit = completed_visit(case=case, specialist=specialist, present=[mother], act=report)
    response = login(client, specialist).get(reverse("patronage:visit_act_pdf", args=[visit.pk]))
    text = " ".join(pdf_text(response.content).split())
    assert "ОТЧЁТ О ПАТРОНАЖЕ" in text.upper()
    assert "С отчётом ознакомлена" in text and "С актом" not in text


def test_the_journal_note_of_a_visit_names_the_kind_once_P14(registrar, head, specialist, dept_a):
    case = case_with_appeal(
        registrar=registrar, head=head, department=dept_a, specialist=specialist
    )
    RecipientFactory(family=case.family, department=dept_a)
    visit = completed_visit(case=case, specialist=specialist)
    note = ServiceRecord.objects.get(source=f"patronage.visit:{visit.pk}").notes
    assert note.startswith("Первичный патронаж семьи")
    assert "патронаж патронаж" not in note


def test_the_act_of_an_outsider_is_404(client, registrar, head, specialist, specialist_b, dept_a):
    case = case_with_appeal(
        registrar=registrar, head=head, department=dept_a, specialist=specialist
    )
    visit = completed_visit(case=case, specialist=specialist)
    url = reverse("patronage:visit_act_pdf", args=[visit.pk])
    assert login(client, specialist_b).get(url).status_code == 404
    assert login(client, registrar).get(url).status_code == 403


def test_the_reception_journal_prints_for_a_period_P5(client, registrar, dept_a, dept_b):
    AppealFactory(department=dept_a, family_name="семья Внутри", received_on=date(2026, 3, 2))
    AppealFactory(department=dept_b, family_name="семья Б", received_on=date(2026, 3, 3))
    AppealFactory(department=dept_a, family_name="семья Позже", received_on=date(2026, 4, 2))
    AppealFactory(
        department=dept_a,
        family_name="семья Звонок",
        received_on=date(2026, 3, 2),
        channel=Channel.PHONE,
    )
    query = {"channel": "reception", "date_from": "01.03.2026", "date_to": "31.03.2026"}
    login(client, registrar)
    page = client.get(reverse("patronage:journal"), query)
    assert [a.family_name for a in page.context["appeals"]] == ["семья Внутри", "семья Б"]

    text = " ".join(pdf_text(client.get(reverse("patronage:journal_pdf"), query).content).split())
    assert "ЖУРНАЛ ПРИЁМА ГРАЖДАН" in text and "01.03.2026 — 31.03.2026" in text
    # The headings fit their columns whole: no «Дата посту пления» broken without a hyphen.
    assert text.count("Дата поступления") == 1 and "Срок регистрации Дата регистрации" in text
    assert "семья Внутри" in text and "семья Позже" not in text and "семья Звонок" not in text

    response = client.get(reverse("patronage:journal_xlsx"), query)
    sheet = load_workbook(io.BytesIO(response.content)).active
    families = [row[7] for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert any("семья Внутри" in f for f in families) and len(families) == 2


def test_the_journal_on_screen_goes_page_by_page_numbered_on_and_exports_it_all_P5(
    client, registrar, dept_a
):
    """On screen 50 records a page, numbered on from the pages before, with the period's total;
    the PDF and the XLSX hold the whole period."""
    from patronage.views import JOURNAL_PAGE

    for day in range(1, 29):
        AppealFactory.create_batch(
            2, department=dept_a, received_on=date(2026, 2, day), family_name=f"семья {day:02d}"
        )
    AppealFactory(department=dept_a, received_on=date(2026, 2, 14), content="Длинное " * 30)
    query = {"channel": "reception", "date_from": "01.02.2026", "date_to": "28.02.2026"}
    login(client, registrar)
    first = client.get(reverse("patronage:journal"), query)
    html = first.content.decode()
    assert JOURNAL_PAGE == 50
    assert "За период 01.02.2026 — 28.02.2026: 57 записей." in html
    assert "Страница 1 из 2 (всего 57)" in html
    rows = html.split("<tbody>")[1].split("</tbody>")[0].split("</tr>")[:-1]
    assert len(rows) == 50
    assert rows[0].strip().startswith("<tr>\n    <td>1</td>")
    assert "семья 01" in rows[0] and "семья 28" not in html
    long_row = next(r for r in rows if "Длинное" in r)
    assert '<td class="small">' + ("Длинное " * 15)[:119] + "…</td>" in long_row
    second = client.get(reverse("patronage:journal"), {**query, "page": 2}).content.decode()
    rows = second.split("<tbody>")[1].split("</tbody>")[0].split("</tr>")[:-1]
    assert len(rows) == 7
    assert rows[0].strip().startswith("<tr>\n    <td>51</td>")
    assert "семья 28" in rows[-1] and "<td>57</td>" in rows[-1]
    response = client.get(reverse("patronage:journal_xlsx"), {**query, "page": 2})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert len(list(sheet.iter_rows(min_row=4, values_only=True))) == 57


def test_the_journal_is_scoped_to_the_department_of_a_head(client, head, dept_a, dept_b):
    AppealFactory(department=dept_a, family_name="семья А", received_on=date(2026, 3, 2))
    AppealFactory(department=dept_b, family_name="семья Б", received_on=date(2026, 3, 2))
    query = {"channel": "reception", "date_from": "01.03.2026", "date_to": "31.03.2026"}
    text = pdf_text(login(client, head).get(reverse("patronage:journal_pdf"), query).content)
    assert "семья А" in text and "семья Б" not in text
    # Who printed it is stated as such; the keeper of the journal is not recorded, so the head
    # who prints it is not named as «Журнал ведёт»: that line is left to fill by hand.
    text = " ".join(text.split())
    today = timezone.localdate()
    assert f"Сформировано {today:%d.%m.%Y}, {head.short_name}" in text
    assert "Журнал ведёт" in text and f"Журнал ведёт {head.short_name}" not in text


def test_a_bad_period_is_answered_in_russian(client, registrar):
    response = login(client, registrar).get(
        reverse("patronage:journal"),
        {"channel": "phone", "date_from": "31.03.2026", "date_to": "01.03.2026"},
    )
    assert response.status_code == 400
    assert "Конец периода раньше его начала." in response.content.decode()


def test_the_journal_is_closed_to_the_administrator(client, administrator):
    assert login(client, administrator).get(reverse("patronage:journal")).status_code == 403


def test_the_signatures_of_an_act_never_stand_alone_on_a_page_P9(
    client, registrar, head, specialist, dept_a
):
    """However long the recorded texts, the last recommendation is printed on the page of the
    signatures (the demo's report act with a long conclusion put them alone on page 4)."""
    from pypdf import PdfReader

    from patronage.models import VisitAct

    case = case_with_appeal(
        registrar=registrar, head=head, department=dept_a, specialist=specialist
    )
    visit = completed_visit(case=case, specialist=specialist, recs=["Записать ребёнка в кружок."])
    login(client, specialist)
    sentence = "Семья проживает в квартире, условия для ребёнка созданы, со слов матери. "
    # Without the closing block, lengths 34–44 put the signatures alone on page 3: a step of
    # six (about four lines) lands in such a window wherever the page breaks.
    for repeats in range(20, 62, 6):
        VisitAct.objects.filter(visit=visit).update(conclusion=sentence * repeats)
        data = client.get(reverse("patronage:visit_act_pdf", args=[visit.pk])).content
        pages = [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages]
        assert "подпись" in pages[-1]
        assert "Записать ребёнка в кружок" in pages[-1], (repeats, pages[-1])


def test_a_recorded_text_longer_than_a_page_flows_on_without_leaving_a_page_blank_P9(
    client, registrar, head, specialist, dept_a
):
    """What was explained to the family, typed at length: its row of the act is split across
    pages like text. Kept whole, it was pushed to the next page and left the page before it
    with a single row («Выявленные проблемы», four words of 13 pages)."""
    from pypdf import PdfReader

    from patronage.models import Visit, VisitAct

    case = case_with_appeal(
        registrar=registrar, head=head, department=dept_a, specialist=specialist
    )
    visit = completed_visit(case=case, specialist=specialist, recs=["Записать ребёнка в кружок."])
    login(client, specialist)
    long_text = " ".join(f"слово{i}" for i in range(2500))
    for model, where, field in (
        (Visit, {"pk": visit.pk}, "explanation"),
        (VisitAct, {"visit": visit}, "food"),
    ):
        model.objects.filter(**where).update(**{field: long_text})
        data = client.get(reverse("patronage:visit_act_pdf", args=[visit.pk])).content
        pages = [p.extract_text().split() for p in PdfReader(io.BytesIO(data)).pages]
        words = " ".join(" ".join(p) for p in pages)
        assert all(f"слово{i} " in words for i in range(0, 2500, 100)), field
        assert all(len(page) > 100 for page in pages[:-1]), (field, [len(p) for p in pages])
        model.objects.filter(**where).update(**{field: "Кратко."})
