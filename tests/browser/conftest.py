"""Browser journeys: Playwright drives Debian's chromium against the live test server.

Never a browser that a tool downloads. Without /usr/bin/chromium the journeys are skipped on a
developer's machine and fail in CI (CI=true), where they must run.
"""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def catalogue(transactional_db):
    """Transactional tests flush what the data migrations loaded: load the catalogue again."""
    from importlib import import_module

    from django.apps import apps

    loader = import_module("services.migrations.0002_load_catalogue").load_catalogue
    loader(apps, None)
    import_module("services.migrations.0004_patronage_without_total_bound").forwards(apps, None)
    import_module("services.migrations.0006_load_providers_and_recipients_O31_O32").load_providers(
        apps, None
    )


@pytest.fixture
def page(browser, live_server, catalogue):
    context = browser.new_context(
        locale="ru-RU", timezone_id="Europe/Moscow", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def log_in(page, live_server, username: str, password: str = "test-pass-123") -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Пароль").fill(password)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_load_state("networkidle")
