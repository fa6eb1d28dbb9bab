"""The axe-core check of the journeys can fail: a page with an unnamed field and low contrast
is caught."""

from __future__ import annotations

import pytest

from tests.browser.conftest import AxeRecorder, Rendered

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BAD = (
    '<!DOCTYPE html><html lang="ru"><head><title>x</title></head><body><main>'
    '<select name="q"><option>1</option></select>'
    '<p style="color:#ccc;background:#fff">бледный текст</p></main></body></html>'
)


def test_axe_reports_an_unnamed_field_and_low_contrast(browser, live_server):
    recorder = AxeRecorder()
    url = f"{live_server.url}/bad-page/"
    recorder.documents[("/bad-page/", 200, 0)] = Rendered(url, 200, BAD)
    context = browser.new_context()
    found = recorder.violations(context)
    context.close()
    assert any("critical select-name" in f for f in found)
    assert any("serious color-contrast" in f for f in found)


def test_a_document_met_again_is_not_replayed_but_keeps_its_violations(browser, live_server):
    """The same markup at the same width (only its tokens differ) is checked once a run: the
    second journey that meets it gets the first one's findings without a new tab."""
    url = f"{live_server.url}/bad-page-again/"
    found = []
    for token in ("a" * 40, "b" * 40):
        recorder = AxeRecorder()
        html = BAD.replace("<main>", f'<main><input type="hidden" value="{token}">')
        recorder.documents[("/bad-page-again/", 200, 0)] = Rendered(url, 200, html)
        context = browser.new_context()
        opened: list[object] = []
        context.on("page", lambda tab, opened=opened: opened.append(tab))
        found.append(recorder.violations(context))
        context.close()
        assert len(opened) == (1 if token[0] == "a" else 0)
    assert found[0] == found[1]
    assert any("critical select-name" in f for f in found[1])


CLEAN = (
    '<!DOCTYPE html><html lang="ru"><head><title>x</title></head><body><main>'
    "<h1>Чистая страница</h1><p>обычный текст</p></main></body></html>"
)


def test_one_replay_tab_checks_each_document_afresh(browser, live_server):
    """The documents of a journey are replayed one after another in a single tab: a violation
    planted in a document checked after a clean one is reported, and a clean document checked
    after it inherits nothing from it."""
    recorder = AxeRecorder()
    planted = BAD.replace("бледный текст", "бледный текст после чистой страницы")
    for i, html in enumerate((CLEAN, planted, CLEAN.replace("Чистая", "Вторая чистая"))):
        url = f"{live_server.url}/replayed-{i}/"
        recorder.documents[(f"/replayed-{i}/", 200, 0)] = Rendered(url, 200, html)
    context = browser.new_context()
    opened: list[object] = []
    context.on("page", lambda tab: opened.append(tab))
    found = recorder.violations(context)
    context.close()
    assert len(opened) == 1
    assert any(f.startswith("/replayed-1/ [200,  px] critical select-name") for f in found)
    assert any(f.startswith("/replayed-1/ [200,  px] serious color-contrast") for f in found)
    assert not [f for f in found if not f.startswith("/replayed-1/")]


def test_the_recorder_keeps_the_rendered_pages_and_leaves_the_http_cache_on(browser, live_server):
    """A GET's page is kept as the server rendered it; the stylesheets of the next page come
    from the browser's cache (or a 304), not downloaded again as under a Playwright route."""
    recorder = AxeRecorder()
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    page = context.new_page()
    recorder.record(page)
    page.goto(f"{live_server.url}/login/")
    page.goto(f"{live_server.url}/login/?next=/agenda/")
    css = page.evaluate(
        "() => performance.getEntriesByType('resource')"
        ".filter(r => r.name.endsWith('bootstrap.min.css'))"
        ".map(r => [r.transferSize, r.encodedBodySize])"
    )
    context.close()
    assert list(recorder.documents) == [("/login/", 200, 1024)]
    kept = recorder.documents[("/login/", 200, 1024)]
    assert kept.url == f"{live_server.url}/login/" and kept.viewport == {
        "width": 1024,
        "height": 768,
    }
    assert 'name="password"' in kept.html and "Войти" in kept.html
    assert len(css) == 1 and css[0][0] < css[0][1]
