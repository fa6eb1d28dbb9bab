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
