"""A specialist records the familiarisation with the provider's documents from the card (O9)
and a survey of quality (O5); the head reads the survey summary."""

from __future__ import annotations

from datetime import date

import pytest

from recipients.models import Familiarisation, QualitySurvey
from tests.browser.conftest import log_in
from tests.recipients.factories import child_with_mother

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_familiarisation_and_survey_from_the_card_O9_O5(
    page, live_server, dept_a, specialist, head
):
    child, _ = child_with_mother(dept_a, birth_date=date(2014, 5, 20))
    today = date.today().strftime("%d.%m.%Y")
    log_in(page, live_server, specialist.username)
    page.goto(f"{live_server.url}{child.get_absolute_url()}")
    assert page.get_by_test_id("familiarisation-missing").count() == 4
    page.locator("#familiarisation").get_by_role("link", name="записать").click()
    page.get_by_label("Порядок и условия предоставления социального обслуживания").check()
    page.get_by_label("Правила внутреннего распорядка воспитанников").check()
    page.locator("#id_on").fill(today)
    page.get_by_role("button", name="Сохранить").click()
    page.wait_for_url(f"**{child.get_absolute_url()}")
    assert page.get_by_test_id("familiarisation-missing").count() == 2
    assert Familiarisation.objects.filter(recipient=child).count() == 2

    page.get_by_test_id("survey-add").click()
    page.locator("#id_respondent").select_option("minor")
    page.locator("#id_answered_on").fill(today)
    for field in ("completeness", "timeliness", "politeness", "conditions"):
        page.locator(f"#id_{field}").select_option("4")
    page.get_by_role("button", name="Сохранить").click()
    page.wait_for_url(f"**{child.get_absolute_url()}")
    assert QualitySurvey.objects.filter(recipient=child).count() == 1

    page.get_by_role("button", name="Выйти").click()
    page.wait_for_url("**/login/")
    log_in(page, live_server, head.username)
    page.goto(f"{live_server.url}/recipients/quality/")
    assert "Анкет: 1" in page.get_by_test_id("survey-count").inner_text()
