"""O30: information about the Order and the complaints book is available to recipients."""

from __future__ import annotations

import io

from django.urls import reverse
from pypdf import PdfReader


def test_the_notice_is_open_without_a_login_O30(client, db, settings):
    settings.CONTROL_BODIES = "Министерство социальной защиты; г. Белгород; 8 (4722) 00-00-00"
    response = client.get(reverse("public_info"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "книга жалоб" in content
    assert "Порядок предоставляется для ознакомления" in content
    assert "Министерство социальной защиты" in content


def test_the_login_page_links_to_the_notice_O30(client, db):
    assert reverse("public_info") in client.get(reverse("login")).content.decode()


def test_the_notice_prints_for_the_information_stand_O30(client, db):
    response = client.get(reverse("public_info_pdf"))
    assert response.status_code == 200
    text = " ".join(
        "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).split()
    )
    assert "книга жалоб и предложений" in text


def test_the_notice_refuses_post(client, db):
    assert client.post(reverse("public_info")).status_code == 405
