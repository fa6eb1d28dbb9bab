"""XLSX exports: one function for every register and journal (openpyxl, write-only mode).

Rows are streamed into the file as they come (openpyxl's write-only mode keeps no sheet in
memory), so the time and memory of an export grow linearly with its rows. Every text is made safe
on the way: a text starting with = + - @ or a tab is stored as text, never as a formula, and the
control characters an XLSX file cannot hold (vertical tab, form feed, …) are removed. A CSV
export has no cell types: `csv_value` quotes such a text with an apostrophe instead.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import IO, Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# A text starting with one of these would be read as a formula by a spreadsheet.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_CHARS = 32_767  # the limit of one XLSX cell
# Column widths are estimated from the header and the first rows (write-only mode sets them first).
WIDTH_SAMPLE_ROWS = 200
PROGRESS_EVERY = 1_000

Progress = Callable[[int], None]


def clean_text(value: str) -> str:
    """Drop the characters an XLSX file cannot hold and cut to the cell's limit."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)[:MAX_CELL_CHARS]


def csv_value(value: Any) -> Any:
    """A value of a CSV export: a date as дд.мм.гггг; a text cleaned like an XLSX cell and, when
    a spreadsheet would read it as a formula, quoted with an apostrophe (CSV has no cell type)."""
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, str):
        value = clean_text(value)
        return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value
    return value


def _value(value: Any) -> Any:
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, (int, float, date)):
        return value
    return clean_text(str(value))


class _Writer:
    """Turns Python values into write-only cells: dates formatted, texts neutralised."""

    def __init__(self, ws: WriteOnlyWorksheet) -> None:
        self.ws = ws

    def cell(self, value: Any) -> Any:
        if isinstance(value, datetime):
            cell = WriteOnlyCell(self.ws, value)
            cell.number_format = "DD.MM.YYYY HH:MM"
            return cell
        if isinstance(value, date):
            cell = WriteOnlyCell(self.ws, value)
            cell.number_format = "DD.MM.YYYY"
            return cell
        if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
            cell = WriteOnlyCell(self.ws, value)
            cell.data_type = "s"  # a text, never a formula
            cell.quotePrefix = True  # and it stays a text when the cell is edited
            return cell
        return value

    def bold(self, value: Any, **font: Any) -> Cell:
        cell = self.cell(value)
        if not isinstance(cell, Cell):
            cell = WriteOnlyCell(self.ws, cell)
        cell.font = Font(bold=True, **font)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        return cell


def write_xlsx(
    target: IO[bytes],
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    title: str = "Лист1",
    caption: str = "",
    progress: Progress | None = None,
) -> int:
    """Write a workbook (an optional caption line, a bold header row, дд.мм.гггг dates) to
    `target`, calling `progress(rows_written)` every thousand rows. Returns the number of rows."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(clean_text(title)[:31] or "Лист1")
    writer = _Writer(ws)

    values = ([_value(v) for v in row] for row in rows)
    sample = list(itertools.islice(values, WIDTH_SAMPLE_ROWS))
    widths = [len(h) for h in headers]
    for row in sample:
        for i, v in enumerate(row[: len(widths)]):
            shown = 10 if isinstance(v, date) else min(len(str(v)), 60)
            widths[i] = max(widths[i], shown)
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(10, w + 2)
    header_row = 1
    if caption:
        ws.append([writer.bold(_value(caption), size=12)])
        ws.append([])
        header_row = 3
    ws.freeze_panes = f"A{header_row + 1}"
    ws.append([writer.bold(_value(h)) for h in headers])

    count = 0
    for row in itertools.chain(sample, values):
        ws.append([writer.cell(v) for v in row])
        count += 1
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count)
    wb.save(target)
    return count


def build_xlsx(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    title: str = "Лист1",
    caption: str = "",
) -> bytes:
    """The workbook of `write_xlsx` as bytes (small exports and tests)."""
    buffer = io.BytesIO()
    write_xlsx(buffer, headers, rows, title=title, caption=caption)
    return buffer.getvalue()


def xlsx_response(
    filename: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    title: str = "Лист1",
    caption: str = "",
) -> HttpResponse:
    """A download of a small workbook; a large export runs as a background job (`reports.jobs`)."""
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
    wb = Workbook(write_only=True)
    for title, rows in sheets:
        ws = wb.create_sheet(clean_text(title)[:31].replace("/", "-") or "Лист")
        writer = _Writer(ws)
        ws.column_dimensions["A"].width = 70
        for letter in "BCD":
            ws.column_dimensions[letter].width = 14
        if caption:
            ws.append([writer.bold(_value(caption), size=12)])
        for row in rows:
            ws.append([writer.cell(_value(v)) for v in row])
    buffer = io.BytesIO()
    wb.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename) or ""
    response["Cache-Control"] = "no-store"
    return response
