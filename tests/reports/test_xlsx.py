from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from reports.xlsx import build_xlsx, write_xlsx, xlsx_response


def test_xlsx_has_caption_headers_rows_and_russian_dates():
    data = build_xlsx(
        ["ФИО", "Дата рождения"],
        [["Иванов Иван", date(2015, 3, 9)], ["Петрова Анна", None]],
        title="Регистр",
        caption="Регистр получателей",
    )
    ws = load_workbook(io.BytesIO(data)).active
    assert ws.title == "Регистр"
    assert ws["A1"].value == "Регистр получателей"
    assert [c.value for c in ws[3]] == ["ФИО", "Дата рождения"]
    assert ws["A4"].value == "Иванов Иван"
    assert ws["B4"].number_format == "DD.MM.YYYY"
    assert ws["B5"].value in ("", None)


def test_xlsx_response_is_a_download():
    response = xlsx_response("Регистр.xlsx", ["a"], [[1]])
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "no-store"


FORMULA_TEXTS = ["=1+2", "+7 900 000-00-00", "-5", "@SUM(A1:A2)", "\tс табуляцией"]
ILLEGAL = [chr(c) for c in [*range(0, 9), 11, 12, *range(14, 32)]]


@pytest.mark.parametrize("text", FORMULA_TEXTS)
def test_a_text_that_looks_like_a_formula_is_stored_as_text(text):
    ws = load_workbook(io.BytesIO(build_xlsx(["a"], [[text]]))).active
    cell = ws["A2"]
    assert cell.value == text
    assert cell.data_type == "s"
    assert cell.quotePrefix


@pytest.mark.parametrize("char", ILLEGAL, ids=[f"0x{ord(c):02x}" for c in ILLEGAL])
def test_characters_xlsx_cannot_hold_are_removed(char):
    ws = load_workbook(io.BytesIO(build_xlsx([f"за{char}головок"], [[f"до{char}после"]]))).active
    assert ws["A1"].value == "заголовок"
    assert ws["A2"].value == "допосле"


def test_rows_are_streamed_and_progress_reported():
    seen = []
    buffer = io.BytesIO()
    count = write_xlsx(
        buffer, ["n", "дата"], ([i, date(2026, 1, 1)] for i in range(2500)), progress=seen.append
    )
    assert count == 2500 and seen == [1000, 2000]
    ws = load_workbook(buffer, read_only=True).active
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 2500 and rows[-1][0] == 2499
