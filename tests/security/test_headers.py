"""Issue 11, point 6: headers, no inline script or style, no personal data in mail output."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.mail import send_mail
from django.urls import reverse

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_pages_carry_a_csp_without_unsafe_inline_and_a_permissions_policy(client, specialist):
    client.force_login(specialist)
    response = client.get(reverse("home"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "camera=()" in response["Permissions-Policy"]


def test_pages_of_a_signed_in_user_are_not_cached(client, specialist):
    client.force_login(specialist)
    for url in (reverse("home"), reverse("recipients:list")):
        assert "no-store" in client.get(url)["Cache-Control"]


def test_the_login_page_has_the_headers_too(client, db):
    response = client.get(reverse("login"))
    assert "Content-Security-Policy" in response
    assert "Permissions-Policy" in response


def test_no_template_has_an_inline_script_handler_or_style():
    """What the CSP would block: script bodies, on*= handlers, style attributes and blocks.
    Printed forms (templates/*/print/, rendered to PDF, never served as pages) are exempt."""
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        if "print" in path.parts or path.name == "signature.html":
            continue
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text):
            offenders.append(f"{path}: inline <script>")
        if re.search(r"\son[a-z]+\s*=", text):
            offenders.append(f"{path}: on* handler")
        if re.search(r"\sstyle\s*=|<style", text):
            offenders.append(f"{path}: inline style")
    assert not offenders, offenders


def test_the_console_mail_backend_prints_no_letter(capsys, settings):
    settings.EMAIL_BACKEND = "organisation.mail.RedactedConsoleBackend"
    send_mail("Сроки", "Иванова Мария, СНИЛС 112-233-445 95", None, ["head@example.ru"])
    out = capsys.readouterr().out
    assert "content withheld" in out
    assert "Иванова" not in out and "112-233" not in out and "head@example.ru" not in out


def test_the_default_mail_backend_is_the_redacted_one():
    from config import settings as config_settings

    if "EMAIL_URL" not in __import__("os").environ:
        assert config_settings.EMAIL_BACKEND == "organisation.mail.RedactedConsoleBackend"


@pytest.mark.parametrize("host", ["evil.example", "a" * 300, "сайт.рф", "[::1"])
def test_a_forged_host_header_is_a_400_not_a_server_error(client, host):
    """Django refuses a Host outside ALLOWED_HOSTS before any user is read: the headers of the
    refusal are still added, and the answer is 400 (hostile input never makes a 500)."""
    response = client.get("/", HTTP_HOST=host)
    assert response.status_code == 400
    assert response["Permissions-Policy"]
