"""Every exported text is typed with formula prefixes and characters XLSX cannot hold: each
export stores it as text, without those characters, never as a formula."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import login
from tests.factories import FamilyFactory, RecipientFactory
from tests.patronage.factories import AppealFactory
from tests.services.factories import ServiceRecordFactory

# What a user might type: the four formula starts and a tab, then the control characters.
TYPED = ["=1+2", "+79000000000", "-1", "@SUM(A1)", "\tтекст", "в\x0bкладка", "звон\x07ок\x1f"]


def _cleaned(text: str) -> str:
    return "".join(c for c in text if c == "\t" or ord(c) >= 32)


def _cells(response):
    assert response.status_code == 200, response.status_code
    ws = load_workbook(io.BytesIO(response.content)).active
    return [c for row in ws.iter_rows() for c in row]


def _assert_safe(cells, typed: str) -> None:
    for cell in cells:
        assert cell.data_type != "f", cell.coordinate
        if isinstance(cell.value, str):
            assert all(c == "\t" or ord(c) >= 32 for c in cell.value), cell.coordinate
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert any(_cleaned(typed) in t for t in texts)


@pytest.mark.parametrize("typed", TYPED)
def test_journal_of_services_export_is_safe_for_every_field(client, specialist, typed):
    record = ServiceRecordFactory(
        department=specialist.department,
        recipient__department=specialist.department,
        recipient__last_name=typed,
        recipient__first_name=typed,
        recipient__patronymic=typed,
        provider=specialist,
        notes=typed,
        reason_outside_programme=typed,
        cancellation_reason=typed,
        date=date(2026, 11, 2),
    )
    specialist.last_name = typed
    specialist.save()
    record.service.name = typed
    record.service.save()
    response = login(client, specialist).get(
        reverse("services:journal_xlsx"), {"date_from": "01.11.2026", "date_to": "30.11.2026"}
    )
    _assert_safe(_cells(response), typed)


@pytest.mark.parametrize("typed", TYPED)
def test_register_export_is_safe_for_every_field(client, specialist, typed):
    dept = specialist.department
    dept.name = f"{typed} отделение"
    dept.save()
    family = FamilyFactory(department=dept, name=typed)
    RecipientFactory(
        department=dept, family=family, last_name=typed, first_name=typed, patronymic=typed
    )
    response = login(client, specialist).get(reverse("recipients:export"))
    _assert_safe(_cells(response), typed)


@pytest.mark.parametrize("typed", TYPED)
def test_appeal_journal_export_is_safe_for_every_field(client, registrar, dept_a, typed):
    AppealFactory(
        department=dept_a,
        received_on=date(2026, 3, 2),
        sender=typed,
        outgoing_number=typed,
        family_name=typed,
        family_address=typed,
        content=typed,
    )
    query = {"channel": "reception", "date_from": "01.03.2026", "date_to": "31.03.2026"}
    response = login(client, registrar).get(reverse("patronage:journal_xlsx"), query)
    _assert_safe(_cells(response), typed)


@pytest.mark.parametrize("typed", TYPED)
def test_register_extract_csv_never_starts_a_cell_with_a_formula_O26(client, director, typed):
    """A spreadsheet opens the CSV and reads a cell starting with = + - @ as a formula: such a
    cell is quoted with an apostrophe (the OWASP rule), and Word's control characters dropped."""
    import csv

    from tests.reports.test_register_extract import ON, _order

    child = RecipientFactory(
        last_name=typed,
        first_name=typed,
        patronymic=typed,
        address=typed,
        identity_document=typed,
        first_day_of_stay=date(2026, 3, 2),
    )
    _order(child, "enrolment", date(2026, 3, 2), director)
    response = login(client, director).get(
        reverse("stats:register_extract"), {**ON, "format": "csv"}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    cells = [c for row in rows[1:] for c in row]
    assert cells
    for cell in cells:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
        assert all(c == "\t" or ord(c) >= 32 for c in cell), cell
    assert any(_cleaned(typed) in c for c in cells)
