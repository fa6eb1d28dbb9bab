"""The register extract for the regional register (O26; 442-ФЗ art. 25): fields, dates, formats,
who may have it and the access log."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from organisation.models import AccessKind, AccessLog
from recipients.models import Application
from reports.stats.register import EXTRACT_HEADERS
from services.models import IndividualProgramme
from tests.conftest import login
from tests.factories import RecipientFactory, RepresentativeFactory
from tests.reports.test_statistics import _order


@pytest.fixture
def people(dept_a, dept_b, director):
    a = RecipientFactory(
        department=dept_a,
        last_name="Орлова",
        first_name="Вера",
        patronymic="Ильинична",
        sex="female",
        birth_date=date(2014, 2, 3),
        snils="112-233-445 95",
        address="г. Белгород, ул. Мира, 5",
        identity_document="II-ЛЕ № 123456",
        first_day_of_stay=date(2026, 3, 2),
    )
    rep = RepresentativeFactory(family=a.family)
    Application.objects.create(recipient=a, representative=rep, submitted_on=date(2026, 2, 20))
    IndividualProgramme.objects.create(
        recipient=a, number="ИП-7", drawn_up_on=date(2026, 2, 25), valid_from=date(2026, 3, 2)
    )
    _order(a, "enrolment", date(2026, 3, 2), director)
    b = RecipientFactory(
        department=dept_b,
        last_name="Зайцев",
        first_day_of_stay=date(2026, 3, 1),
    )
    _order(b, "enrolment", date(2026, 3, 1), director)
    return a, b


ON = {"mode": "date", "on": "10.03.2026"}


def test_extract_xlsx_has_the_fields_of_art_25_O26(client, people, director):
    a, _b = people
    login(client, director)
    response = client.get(reverse("stats:register_extract"), {**ON, "format": "xlsx"})
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    header = rows.index(tuple(EXTRACT_HEADERS))
    data = {r[1]: r for r in rows[header + 1 :]}
    assert set(data) == {"Орлова", "Зайцев"}
    row = dict(zip(EXTRACT_HEADERS, data["Орлова"], strict=True))
    assert row["Регистрационный номер"] == a.pk
    assert row["Дата рождения"].date() == date(2014, 2, 3)
    assert row["Пол"] == "женский"
    assert row["СНИЛС"] == "112-233-445 95"
    assert row["Реквизиты документа"] == "II-ЛЕ № 123456"
    assert row["Дата подачи заявления"].date() == date(2026, 2, 20)
    assert row["Номер ИППСУ"] == "ИП-7"
    assert row["Дата ИППСУ"].date() == date(2026, 2, 25)
    assert row["Адрес места жительства"] == "г. Белгород, ул. Мира, 5"


def test_extract_csv_is_utf8_and_logged_in_the_access_log_O26(client, people, director):
    a, b = people
    login(client, director)
    response = client.get(reverse("stats:register_extract"), {**ON, "format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffРегистрационный номер;Фамилия;")
    assert "Орлова;Вера;Ильинична;03.02.2014;женский" in text
    logged = AccessLog.objects.filter(kind=AccessKind.EXPORT, user=director)
    assert set(logged.values_list("recipient_id", flat=True)) == {a.pk, b.pk}


def test_extract_on_a_date_before_enrolment_is_empty(client, people, director):
    login(client, director)
    response = client.get(
        reverse("stats:register_extract"), {"mode": "date", "on": "01.02.2026", "format": "csv"}
    )
    assert response.content.decode("utf-8").strip().count("\n") == 0  # the header only


def test_head_gets_only_the_department(client, people, head):
    login(client, head)
    response = client.get(reverse("stats:register_extract"), {**ON, "format": "csv"})
    text = response.content.decode("utf-8")
    assert "Орлова" in text and "Зайцев" not in text


def test_extract_of_changes_in_a_period(client, people, director):
    login(client, director)
    response = client.get(
        reverse("stats:register_extract"),
        {"mode": "changes", "date_from": "02.03.2026", "date_to": "05.03.2026", "format": "csv"},
    )
    text = response.content.decode("utf-8")
    assert "Орлова" in text  # enrolled on 02.03


def test_extract_form_errors_in_russian(client, people, director):
    login(client, director)
    response = client.get(
        reverse("stats:register_extract"),
        {"mode": "changes", "date_from": "05.03.2026", "format": "csv"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["date_to"] == ["Укажите конец периода."]
    assert not AccessLog.objects.filter(kind=AccessKind.EXPORT).exists()
