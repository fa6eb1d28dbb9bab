"""The one function that turns any template into an A4 PDF (WeasyPrint).

Printed forms live in `templates/<app>/print/*.html` and extend `reports/print/base.html`
(A4, margins of ГОСТ Р 7.0.97-2016, Liberation Serif — metrically Times New Roman — kept in
`static/fonts/` so a document looks the same on every machine). Only local files are ever
fetched while rendering: no network access, whatever the document contains.
"""

from __future__ import annotations

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


def html_to_pdf(html: str) -> bytes:
    """HTML to PDF, reading local files only (fonts, images of static/)."""
    import weasyprint  # imported late: the web app runs without Pango until a PDF is asked for

    fetcher = weasyprint.URLFetcher(allowed_protocols=["file", "data"])
    return weasyprint.HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf()


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
