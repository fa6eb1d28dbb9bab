"""The one function that turns any template into an A4 PDF (WeasyPrint).

Printed forms live in `templates/<app>/print/*.html` and extend `reports/print/base.html`
(A4, margins of ГОСТ Р 7.0.97-2016, Liberation Serif — metrically Times New Roman — kept in
`static/fonts/` so a document looks the same on every machine). Only local files are ever
fetched while rendering: no network access, whatever the document contains. A typed word longer
than `LONG_WORD` characters (a pasted link, digits run together) gets a break opportunity every
`WORD_PIECE` characters, so it wraps at the edge of its line or cell instead of running off the
sheet; shorter words and the layout of every table stay as they were. A direction override
pasted into a record is dropped: the text prints in the order it was typed.
"""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header

from reports.centre import centre


def render_pdf(
    template_name: str, context: dict[str, Any], request: HttpRequest | None = None
) -> bytes:
    """Render `template_name` with `context` and return the PDF's bytes."""
    details = centre()
    html = render_to_string(
        template_name,
        {
            "centre": details,
            "centre_name": details.name,
            "centre_city": details.city,
            "centre_address": details.address,
            **context,
        },
        request=request,
    )
    return html_to_pdf(html)


LONG_WORD = 30
WORD_PIECE = 15
ZERO_WIDTH_SPACE = "\u200b"
# A run of a text node's characters without a space, a tag, an entity or a hyphen (each of those
# already lets a line break or must stay whole).
_LONG_RUN = re.compile(rf"[^\s<>&;\-{ZERO_WIDTH_SPACE}]{{{LONG_WORD + 1},}}")
_PIECES = re.compile(rf"(.{{{WORD_PIECE}}})(?=.)", re.DOTALL)


# Direction embeddings, overrides and isolates: one pasted into a record would print the text
# after it turned around («ул. Садовая» as «яаводаС .лу»).
_DIRECTION_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def printable_text(html: str) -> str:
    """The HTML with, in the body's text (the head, its styles and font paths, are left alone),
    no direction controls and a zero-width space every `WORD_PIECE` characters of each run
    longer than `LONG_WORD`."""
    head, found, body = html.partition("<body")
    if not found:
        return html
    parts = re.split(r"(<[^>]*>)", found + body)  # tags at odd places, text between them
    for i in range(0, len(parts), 2):
        parts[i] = _LONG_RUN.sub(
            lambda m: _PIECES.sub(rf"\1{ZERO_WIDTH_SPACE}", m.group()),
            _DIRECTION_CONTROLS.sub("", parts[i]),
        )
    return head + "".join(parts)


def html_to_pdf(html: str) -> bytes:
    """HTML to PDF, reading local files only (fonts, images of static/)."""
    import weasyprint  # imported late: the web app runs without Pango until a PDF is asked for

    fetcher = weasyprint.URLFetcher(allowed_protocols=["file", "data"])
    return weasyprint.HTML(
        string=printable_text(html), base_url=None, url_fetcher=fetcher
    ).write_pdf()


def pdf_response(
    template_name: str,
    context: dict[str, Any],
    filename: str,
    request: HttpRequest | None = None,
    *,
    download: bool = False,
) -> HttpResponse:
    """An HTTP response with the rendered PDF, opened in the browser unless `download`."""
    return pdf_bytes_response(
        render_pdf(template_name, context, request), filename, download=download
    )


def pdf_bytes_response(data: bytes, filename: str, *, download: bool = False) -> HttpResponse:
    """An HTTP response with a PDF made elsewhere (`reports.tabular` for long tables)."""
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(download, filename) or ""
    response["Cache-Control"] = "no-store"  # personal data: never kept by a proxy or the browser
    return response
