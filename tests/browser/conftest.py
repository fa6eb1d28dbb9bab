"""Browser journeys: Playwright drives Debian's chromium against the live test server.

Never a browser that a tool downloads. Without /usr/bin/chromium the journeys are skipped on a
developer's machine and fail in CI (CI=true), where they must run.
"""

from __future__ import annotations

import base64
import functools
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


@functools.cache
def _axe_source() -> str:
    """axe.min.js, read once a process and handed to each replay tab as an init script."""
    return AXE.read_text(encoding="utf-8")


# axe-core's default rules (no options but the result type): the violations, with the first
# three nodes of each.
_AXE_RUN = (
    "() => axe.run(document, {resultTypes: ['violations']})"
    ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
    " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' ' +"
    " (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 160))})))"
)


def _intercept_documents(context, tab, stage: str, handler) -> None:  # type: ignore[no-untyped-def]
    """Pause each document request of the tab (at the request or at the response stage) and
    hand it to the handler, through the DevTools protocol's Fetch domain. A Playwright route
    would do the same but switches the browser's HTTP cache off, so that every page would fetch
    its stylesheets, scripts and fonts from the live server again; this leaves the cache on."""
    session = context.new_cdp_session(tab)
    session.on("Fetch.requestPaused", lambda event: handler(session, event))
    pattern = {"urlPattern": "*", "resourceType": "Document", "requestStage": stage}
    session.send("Fetch.enable", {"patterns": [pattern]})


def _go_on(session, method: str, params: dict) -> None:  # type: ignore[no-untyped-def,type-arg]
    """Let a paused request go on; a tab closed meanwhile (a journey's last page still
    loading when its context closes) has nothing left to go on."""
    from playwright.sync_api import Error

    try:
        session.send(method, params)
    except Error as error:
        if "closed" not in str(error):
            raise


def _body(session, event) -> str:  # type: ignore[no-untyped-def]
    body = session.send("Fetch.getResponseBody", {"requestId": event["requestId"]})
    if body["base64Encoded"]:
        return base64.b64decode(body["body"]).decode("utf-8", errors="replace")
    return str(body["body"])


class _ReplayTab:
    """One tab of a journey's context in which the recorded documents are checked one after
    another: each is served from memory at its own URL (the stylesheets and scripts come from
    the same server, or from the context's HTTP cache), axe-core is put into every document the
    tab opens by an init script, and the tab takes the document's viewport (or the context's)."""

    def __init__(self, context) -> None:  # type: ignore[no-untyped-def]
        self.tab = context.new_page()
        self.default_viewport = self.tab.viewport_size
        self.tab.add_init_script(script=_axe_source())
        self.current: Rendered | None = None
        self.served = False
        _intercept_documents(context, self.tab, "Request", self._serve)

    def _serve(self, session, event) -> None:  # type: ignore[no-untyped-def]
        doc = self.current
        if doc is not None and event["request"]["url"] == doc.url:
            self.served = True
            _go_on(
                session,
                "Fetch.fulfillRequest",
                {
                    "requestId": event["requestId"],
                    "responseCode": 200,
                    "responseHeaders": [
                        {"name": "Content-Type", "value": "text/html; charset=utf-8"}
                    ],
                    "body": base64.b64encode(doc.html.encode()).decode("ascii"),
                },
            )
        else:  # another document the page asks for comes from the server, as it would
            _go_on(session, "Fetch.continueRequest", {"requestId": event["requestId"]})

    def violations(self, doc: Rendered) -> list[dict]:  # type: ignore[type-arg]
        viewport = doc.viewport or self.default_viewport
        if self.tab.viewport_size != viewport:
            self.tab.set_viewport_size(viewport)
        self.current, self.served = doc, False
        self.tab.goto(doc.url)
        if not self.served:
            raise AssertionError(f"the replay of {doc.url} did not load the recorded document")
        return self.tab.evaluate(_AXE_RUN)  # type: ignore[no-any-return]


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
    recording: bool = True

    def record(self, page) -> None:  # type: ignore[no-untyped-def]
        """Keep the HTML of every document the server renders for the journey's tab (and for
        any tab it opens) as the browser receives it."""
        self.page = page
        _intercept_documents(page.context, page, "Response", self._keep)
        page.context.on("page", lambda tab: self._tap(tab))

    def _tap(self, tab) -> None:  # type: ignore[no-untyped-def]
        if self.recording:
            _intercept_documents(tab.context, tab, "Response", self._keep)

    def _keep(self, session, event) -> None:  # type: ignore[no-untyped-def]
        """A GET's rendered page (not a redirect) is kept; the browser gets the response
        unchanged. A form's POST goes straight through: what it renders is the page of its
        GET, with errors. The page a redirect leads to is not kept (as with a Playwright
        route, which sees a redirect's first request only)."""
        try:
            request = event["request"]
            status = event.get("responseStatusCode")
            headers = {h["name"].lower(): h["value"] for h in event.get("responseHeaders", [])}
            if (
                self.recording
                and request["method"] == "GET"
                and status is not None
                and not 300 <= status < 400
                and "redirectedRequestId" not in event
                and headers.get("content-type", "").startswith("text/html")
            ):
                path = urlsplit(request["url"]).path
                viewport = self.page.viewport_size if self.page is not None else None
                width = (viewport or {}).get("width", 0)
                if (path, status, width) not in self.documents:
                    html = _body(session, event)
                    rendered = Rendered(request["url"], status, html, viewport)
                    self.documents[(path, status, width)] = rendered
        finally:
            _go_on(session, "Fetch.continueRequest", {"requestId": event["requestId"]})

    def violations(self, context) -> list[str]:  # type: ignore[no-untyped-def]
        """Replay every captured document in one tab of the context (same server, same static
        files) and run axe-core on it; the serious and critical violations, one line each."""
        self.recording = False
        found: list[str] = []
        replay: _ReplayTab | None = None
        for doc in self.documents.values():
            key = _markup_key(doc)
            if key in _CHECKED:
                found.extend(f"{urlsplit(doc.url).path} {line}" for line in _CHECKED[key])
                continue
            if replay is None:
                replay = _ReplayTab(context)
            this = [
                f"[{doc.status}, {(doc.viewport or {}).get('width', '')} px] "
                f"{v['impact']} {v['id']}: {v['help']} — {', '.join(v['nodes'])}"
                for v in replay.violations(doc)
                if v["impact"] in AXE_FAILING
            ]
            _CHECKED[key] = this
            found.extend(f"{urlsplit(doc.url).path} {line}" for line in this)
        if replay is not None:
            replay.tab.close()
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
    page = context.new_page()
    page.set_default_timeout(15_000)
    axe_recorder.record(page)
    yield page
    failed = request.node.rep_call.failed if hasattr(request.node, "rep_call") else False
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
    with page.expect_navigation():  # the start page, or the form again with its error, loaded
        page.get_by_role("button", name="Войти").click()
