"""Documents: one PDF function, a Cyrillic font kept in the repo, names declined."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from pypdf import PdfReader

from reports.names import Case, full_name, short_name
from reports.pdf import html_to_pdf, render_pdf


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def embedded_fonts(data: bytes) -> set[str]:
    """Names of the fonts whose files are embedded in the PDF."""
    reader = PdfReader(io.BytesIO(data))
    fonts = set()
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for ref in (resources.get("/Font") or {}).values():
            font: Any = ref.get_object()
            descendants = font.get("/DescendantFonts") or [font]
            for f in descendants:
                descriptor = f.get_object().get("/FontDescriptor")
                if descriptor and any(
                    k in descriptor.get_object() for k in ("/FontFile2", "/FontFile3")
                ):
                    fonts.add(str(font["/BaseFont"]))
    return fonts


@pytest.mark.parametrize(
    ("name", "case", "expected"),
    [
        ("Иванов Иван Петрович", Case.DATIVE, "Иванову Ивану Петровичу"),
        ("Иванов Иван Петрович", Case.GENITIVE, "Иванова Ивана Петровича"),
        ("Петрова Анна Сергеевна", Case.DATIVE, "Петровой Анне Сергеевне"),
        ("Петрова Анна Сергеевна", Case.GENITIVE, "Петровой Анны Сергеевны"),
        ("Черных Олег Викторович", Case.DATIVE, "Черных Олегу Викторовичу"),
        ("Шевчук Ольга Андреевна", Case.DATIVE, "Шевчук Ольге Андреевне"),
        ("Кузьмина Мария Ильинична", Case.INSTRUMENTAL, "Кузьминой Марией Ильиничной"),
        ("Петров-Водкин Кузьма Сергеевич", Case.DATIVE, "Петрову-Водкину Кузьме Сергеевичу"),
    ],
)
def test_names_are_declined(name, case, expected):
    assert full_name(name, case) == expected


def test_short_names_decline_the_surname_only():
    assert short_name("Иванов Иван Петрович", Case.DATIVE) == "Иванову И. П."


def test_a_known_sex_is_used_when_the_name_alone_is_ambiguous():
    class Person:
        last_name, first_name, patronymic, sex = "Гончаренко", "Саша", "", "female"

    assert full_name(Person(), Case.DATIVE) == "Гончаренко Саше"
    Person.sex = "male"
    assert full_name(Person(), Case.DATIVE) == "Гончаренко Саше"


def test_render_pdf_keeps_the_cyrillic_and_embeds_the_repo_font(director):
    data = render_pdf(
        "reports/print/demo.html", {"person": director, "declensions": [], "today": None}
    )
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert "Настоящая справка выдана Петровой Анне Сергеевне" in " ".join(text.split())
    # The font family of the print base (Liberation Serif from static/fonts), embedded.
    assert any(f.endswith("Document-Serif") for f in embedded_fonts(data))


@pytest.mark.urls("tests.reports.urls_with_demo")
def test_the_demo_document_is_an_a4_pdf_with_declined_names(client, director):
    client.force_login(director)
    response = client.get(reverse("reports:demo"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    reader = PdfReader(io.BytesIO(response.content))
    box = reader.pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)
    text = " ".join(pdf_text(response.content).split())
    assert "Петровой Анны Сергеевны" in text  # genitive
    assert "Петровой Анне Сергеевне" in text  # dative
    assert "Петровой А. С." in text


@pytest.mark.urls("tests.reports.urls_with_demo")
def test_the_demo_document_refuses_post(client, director):
    client.force_login(director)
    assert client.post(reverse("reports:demo")).status_code == 405


def test_the_pdf_renderer_fetches_no_network_resource():
    """Whatever a document contains, rendering it sends nothing over the network."""
    import http.server
    import threading

    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/tracker.png"
        data = html_to_pdf(f'<p>Проверка</p><img src="{url}"><link rel="stylesheet" href="{url}">')
    finally:
        server.shutdown()
    assert data.startswith(b"%PDF")
    assert hits == []
