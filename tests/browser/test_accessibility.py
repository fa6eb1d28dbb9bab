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
