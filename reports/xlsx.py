"""XLSX exports: one function for every register and journal (openpyxl)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if value is None:
        return ""
    if isinstance(value, (str, int, float, date)):
        return value
    return str(value)


def build_xlsx(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    title: str = "Лист1",
    caption: str = "",
) -> bytes:
    """A workbook with an optional caption line, a bold header row and дд.мм.гггг dates."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title[:31]
    if caption:
        ws.append([caption])
        ws["A1"].font = Font(bold=True, size=12)
        ws.append([])
    ws.append(list(headers))
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    widths = [len(h) for h in headers]
    for row in rows:
        values = [_cell(v) for v in row]
        ws.append(values)
        for i, v in enumerate(values):
            if isinstance(v, datetime):
                ws.cell(ws.max_row, i + 1).number_format = "DD.MM.YYYY HH:MM"
            elif isinstance(v, date):
                ws.cell(ws.max_row, i + 1).number_format = "DD.MM.YYYY"
            widths[i] = max(widths[i], min(len(str(v)), 60))
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(10, w + 2)
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def xlsx_response(
    filename: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    title: str = "Лист1",
    caption: str = "",
) -> HttpResponse:
    response = HttpResponse(
        build_xlsx(headers, rows, title=title, caption=caption), content_type=XLSX_TYPE
    )
    response["Content-Disposition"] = content_disposition_header(True, filename) or ""
    response["Cache-Control"] = "no-store"
    return response


def sheets_response(
    filename: str, sheets: Sequence[tuple[str, Iterable[Sequence[Any]]]], *, caption: str = ""
) -> HttpResponse:
    """A workbook of several sheets of free-form rows (a statistical report: one sheet per
    section, each table a title line, a header line and its rows)."""
    wb = Workbook()
    first = wb.active
    assert first is not None
    wb.remove(first)
    for title, rows in sheets:
        ws = wb.create_sheet(title[:31].replace("/", "-"))
        if caption:
            ws.append([caption])
            ws["A1"].font = Font(bold=True, size=12)
        for row in rows:
            ws.append([_cell(v) for v in row])
        ws.column_dimensions["A"].width = 70
        for letter in "BCD":
            ws.column_dimensions[letter].width = 14
    buffer = io.BytesIO()
    wb.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename) or ""
    response["Cache-Control"] = "no-store"
    return response
