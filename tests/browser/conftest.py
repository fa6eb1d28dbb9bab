"""Browser journeys: Playwright drives Debian's chromium against the live test server.

Never a browser that a tool downloads. Without /usr/bin/chromium the journeys are skipped on a
developer's machine and fail in CI (CI=true), where they must run.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

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


AXE = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe-core" / "axe.min.js"
# What fails a journey: axe-core's two worst impact levels, on the WCAG 2.1 A/AA rules and the
# best practices (landmarks, headings, names).
AXE_FAILING = ("critical", "serious")


@dataclass
class Rendered:
    """A document the server sent during a journey: checked with axe-core at the end."""

    url: str
    status: int
    html: str
    viewport: dict | None = None  # type: ignore[type-arg]


def _serve(html: str):  # type: ignore[no-untyped-def]
    def handler(route) -> None:  # type: ignore[no-untyped-def]
        route.fulfill(status=200, body=html, content_type="text/html; charset=utf-8")

    return handler


# What axe-core found in each document already checked in this process, by the document's
# HTML with its per-request tokens blanked and its viewport width: the same markup at the same
# width gives the same result, so a login page or a start page met again in the next journey
# is not replayed again (its violations, if any, are reported again).
_CHECKED: dict[tuple[str, int], list[str]] = {}
_PER_REQUEST = re.compile(r'nonce="[^"]*"|[A-Za-z0-9_-]{32,}')


def _markup_key(doc: Rendered) -> tuple[str, int]:
    html = _PER_REQUEST.sub("", doc.html)
    return hashlib.sha256(html.encode()).hexdigest(), (doc.viewport or {}).get("width", 0)


@dataclass
class AxeRecorder:
    documents: dict[tuple[str, int, int], Rendered] = field(default_factory=dict)
    page: Any = None  # the journey's tab, whose viewport a replay takes

    def capture(self, route) -> None:  # type: ignore[no-untyped-def]
        """Fetch a page as the browser would (redirects left to the browser), keep the HTML the
        server rendered, and hand the response on unchanged."""
        request = route.request
        if request.resource_type != "document" or request.method != "GET":
            # A form's POST goes straight through: holding it up would let a journey's next
            # navigation overtake it. What it renders is the page of its GET, with errors.
            route.continue_()
            return
        response = route.fetch(max_redirects=0)
        content_type = response.headers.get("content-type", "")
        rendered = response.status < 300 or response.status >= 400
        if rendered and content_type.startswith("text/html"):
            path = urlsplit(request.url).path
            viewport = self.page.viewport_size if self.page is not None else None
            width = (viewport or {}).get("width", 0)
            self.documents.setdefault(
                (path, response.status, width),
                Rendered(request.url, response.status, response.text(), viewport),
            )
        route.fulfill(response=response)

    def violations(self, context) -> list[str]:  # type: ignore[no-untyped-def]
        """Replay every captured document in a fresh tab (same server, same static files) and
        run axe-core on it; the serious and critical violations, one line each."""
        found: list[str] = []
        for doc in self.documents.values():
            key = _markup_key(doc)
            if key in _CHECKED:
                found.extend(f"{urlsplit(doc.url).path} {line}" for line in _CHECKED[key])
                continue
            this: list[str] = []
            tab = context.new_page()
            if doc.viewport:
                tab.set_viewport_size(doc.viewport)  # type: ignore[arg-type]
            tab.route(doc.url, _serve(doc.html))
            tab.goto(doc.url)
            tab.add_script_tag(path=str(AXE))
            result = tab.evaluate(
                "() => axe.run(document, {resultTypes: ['violations']})"
                ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
                " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' ' +"
                " (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 160))})))"
            )
            for v in result:
                if v["impact"] in AXE_FAILING:
                    this.append(
                        f"[{doc.status}, {(doc.viewport or {}).get('width', '')} px] "
                        f"{v['impact']} {v['id']}: {v['help']} — {', '.join(v['nodes'])}"
                    )
            tab.close()
            _CHECKED[key] = this
            found.extend(f"{urlsplit(doc.url).path} {line}" for line in this)
        return found


@pytest.fixture
def axe_recorder():
    return AxeRecorder()


@pytest.fixture
def page(browser, live_server, axe_recorder, request):
    """A tab of a fresh browser context. Every HTML page the server sends during the journey is
    checked with axe-core (vendored from the npm registry) at the end: a journey fails on any
    critical or serious violation."""
    context = browser.new_context(
        locale="ru-RU", timezone_id="Europe/Moscow", viewport={"width": 1280, "height": 900}
    )
    context.route("**/*", axe_recorder.capture)
    page = context.new_page()
    page.set_default_timeout(15_000)
    axe_recorder.page = page
    yield page
    failed = request.node.rep_call.failed if hasattr(request.node, "rep_call") else False
    context.unroute("**/*")
    found = [] if failed else axe_recorder.violations(context)
    context.close()
    if found:
        pytest.fail(
            "axe-core: serious or critical accessibility violations\n" + "\n".join(found),
            pytrace=False,
        )


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):  # type: ignore[no-untyped-def]
    report = yield
    if report.when == "call":
        item.rep_call = report
    return report


def log_in(page, live_server, username: str, password: str = "test-pass-123") -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Пароль").fill(password)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_load_state("networkidle")
