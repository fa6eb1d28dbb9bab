from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook

from reports.xlsx import build_xlsx, xlsx_response


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
