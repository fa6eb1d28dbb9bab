"""Long tabular documents (the journal of services, the reception journals) as PDF, fast.

WeasyPrint lays out a long HTML table at about 12 ms a row on this machine (a month's journal
of 1,000 records took 12–20 s), because its table layout is general-purpose. These documents are
one table with a title and signatures, so ReportLab (a library made for drawing PDF
programmatically) draws them directly: about 1 ms a row. They follow the same rules as the
documents of `reports/print/base.html`: A4, margins of ГОСТ Р 7.0.97-2016, Liberation Serif
embedded from `static/fonts/`, page numbers from the second page at the top centre, the header
row repeated on every page, and the last rows of the table kept on the page of the signatures.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings
from django.contrib.staticfiles import finders

FONT = "DocumentSerif"
FONT_BOLD = "DocumentSerif-Bold"
MM = 72 / 25.4
# ГОСТ Р 7.0.97-2016, 5.3: at least 20 mm left, 10 right, 20 top and bottom.
MARGINS_MM = {"left": 25, "right": 12, "top": 20, "bottom": 20}
# Rows of the table that stay with the signatures on the last page.
ROWS_WITH_SIGNATURES = 3


@dataclass(frozen=True)
class Column:
    title: str
    width: float  # relative width; the columns share the page's width in these proportions
    wrap: bool = False  # long text that wraps inside the cell (slower: a paragraph per cell)


@dataclass(frozen=True)
class Signature:
    who: str
    name: str = ""


@lru_cache(maxsize=1)
def _register_fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name, file in (
        (FONT, "fonts/LiberationSerif-Regular.ttf"),
        (FONT_BOLD, "fonts/LiberationSerif-Bold.ttf"),
    ):
        path = finders.find(file)
        if not path:
            raise FileNotFoundError(file)
        pdfmetrics.registerFont(TTFont(name, str(Path(path))))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD)


def _wrapped(text: str, font_size: float, room: float) -> str:
    """`text` broken into lines of the cell's width (ReportLab's `simpleSplit` breaks at spaces
    only): a word wider than the cell is cut where it reaches the edge."""
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines = []
    for line in simpleSplit(text, FONT, font_size, room):
        # a line wider than the cell is one word (simpleSplit fills lines word by word)
        while " " not in line and len(line) > 1 and stringWidth(line, FONT, font_size) > room:
            fits, wider = 1, len(line)  # the longest head that fits, by bisection
            while wider - fits > 1:
                middle = (fits + wider) // 2
                if stringWidth(line[:middle], FONT, font_size) <= room:
                    fits = middle
                else:
                    wider = middle
            n = fits
            lines.append(line[:n])
            line = line[n:]
        lines.append(line)
    return "\n".join(lines)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime") and not isinstance(value, str):
        return value.strftime("%d.%m.%Y")
    return str(value)


def table_pdf(
    *,
    title: str,
    subtitle: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    signatures: Sequence[Signature] = (),
    note: str = "",
    landscape: bool = True,
    font_size: float = 8.5,
    empty_text: str = "Записей нет.",
) -> bytes:
    """A PDF of one long table: the centre's name, the title, the table, a note, signatures."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.pagesizes import landscape as to_landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import (
        KeepTogether,
        LongTable,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    _register_fonts()
    page = to_landscape(A4) if landscape else A4
    body = ParagraphStyle("body", fontName=FONT, fontSize=12, leading=15)
    centred = ParagraphStyle("centred", parent=body, alignment=TA_CENTER)
    heading = ParagraphStyle(
        "heading", parent=centred, fontName=FONT_BOLD, fontSize=14, leading=18, spaceAfter=2 * MM
    )
    head = ParagraphStyle(
        "head",
        fontName=FONT_BOLD,
        fontSize=font_size,
        leading=font_size * 1.18,
        alignment=TA_CENTER,
    )
    small = ParagraphStyle("small", parent=body, fontSize=9, leading=11)

    width = page[0] - (MARGINS_MM["left"] + MARGINS_MM["right"]) * MM
    total = sum(c.width for c in columns)
    widths = [width * c.width / total for c in columns]
    wrapped = [i for i, c in enumerate(columns) if c.wrap]

    data: list[list[Any]] = [[Paragraph(escape(c.title), head) for c in columns]]
    # Long text is broken into lines here, once, with the font's metrics: a plain string with
    # line breaks is drawn many times faster than a Paragraph per cell.
    inner = {i: widths[i] - 3 * MM for i in wrapped}
    # A row is drawn whole on one page: a longer one (a letter pasted into an appeal) goes on
    # in rows below it, half a page each, instead of failing the layout.
    most = max(1, int((page[1] - (MARGINS_MM["top"] + MARGINS_MM["bottom"]) * MM) / 2 / font_size))
    for row in rows:
        cells: list[Any] = [_cell(v) for v in row]
        lines = {i: _wrapped(cells[i], font_size, room).split("\n") for i, room in inner.items()}
        for i, wrapped_lines in lines.items():
            cells[i] = "\n".join(wrapped_lines[:most])
        data.append(cells)
        for start in range(most, max((len(v) for v in lines.values()), default=0), most):
            data.append(
                [
                    "\n".join(lines[i][start : start + most]) if i in lines else ""
                    for i in range(len(cells))
                ]
            )

    style = TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), FONT, font_size, font_size * 1.18),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 1.5 * MM),
            ("RIGHTPADDING", (0, 0), (-1, -1), 1.5 * MM),
            ("TOPPADDING", (0, 0), (-1, -1), 0.8 * MM),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0.8 * MM),
        ]
    )
    story: list[Any] = [
        Paragraph(f"<b>{escape(settings.CENTRE_NAME)}</b>", centred),
        Spacer(0, 5 * MM),
        Paragraph(escape(title).upper(), heading),
        Paragraph(escape(subtitle), centred),
        Spacer(0, 4 * MM),
    ]
    closing: list[Any] = []
    if len(data) == 1:
        data.append([empty_text] + [""] * (len(columns) - 1))
        style.add("SPAN", (0, 1), (-1, 1))
    # The last rows go in a table of their own, kept on one page with the signatures, so
    # that no page carries signatures alone.
    keep = min(ROWS_WITH_SIGNATURES, len(data) - 1)
    main, tail = data[: len(data) - keep], data[len(data) - keep :]
    if len(main) > 1:
        story.append(LongTable(main, colWidths=widths, repeatRows=1, style=style))
        closing.append(Table(tail, colWidths=widths, style=style))
    else:
        closing.append(Table(main + tail, colWidths=widths, repeatRows=1, style=style))
    if note:
        closing += [Spacer(0, 2 * MM), Paragraph(escape(note), small)]
    if signatures:
        closing.append(Spacer(0, 8 * MM))
        sign_rows = [[s.who, "", s.name] for s in signatures]
        sign = Table(sign_rows, colWidths=[width * 0.35, width * 0.25, width * 0.3], hAlign="LEFT")
        sign.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), FONT, 12),
                    ("LINEBELOW", (1, 0), (1, -1), 0.5, colors.black),
                    ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                    ("TOPPADDING", (0, 0), (-1, -1), 6 * MM),
                ]
            )
        )
        closing.append(sign)
    story.append(KeepTogether(closing))

    def number_pages(canvas: Any, doc: Any) -> None:
        # ГОСТ Р 7.0.97-2016, 5.4: from the second page, in the middle of the top margin.
        if doc.page > 1:
            canvas.setFont(FONT, 12)
            canvas.drawCentredString(page[0] / 2, page[1] - 12 * MM, str(doc.page))

    out = io.BytesIO()
    SimpleDocTemplate(
        out,
        pagesize=page,
        leftMargin=MARGINS_MM["left"] * MM,
        rightMargin=MARGINS_MM["right"] * MM,
        topMargin=MARGINS_MM["top"] * MM,
        bottomMargin=MARGINS_MM["bottom"] * MM,
        title=title,
        author=settings.CENTRE_NAME,
    ).build(story, onFirstPage=number_pages, onLaterPages=number_pages)
    return out.getvalue()
