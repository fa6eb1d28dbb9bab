"""Long forms in the browser (issue 17): the visit form keeps a draft on the device — restored
with a notice after a reload, forgotten once the visit is recorded — and every long form
submitted empty re-renders with its error summary, the page passing axe-core like every
other page of the journeys (see conftest.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from patronage.models import Visit, VisitStatus
from tests.browser.conftest import Rendered, log_in
from tests.patronage.factories import case_with_appeal, planned_visit
from tests.services.factories import EnrolledRecipientFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _visit(registrar, head, specialist, department) -> Visit:
    today = timezone.localdate()
    case = case_with_appeal(
        registrar=registrar,
        head=head,
        department=department,
        specialist=specialist,
        received_on=today - timedelta(days=2),
    )
    return planned_visit(case=case, specialist=specialist, planned_on=today)


def test_the_visit_form_keeps_a_draft_across_a_reload_and_forgets_it_when_recorded(
    page, live_server, registrar, head, specialist, dept_a
):
    visit = _visit(registrar, head, specialist, dept_a)
    page.set_viewport_size({"width": 800, "height": 1280})
    log_in(page, live_server, specialist.username)
    url = f"{live_server.url}{reverse('patronage:visit_record', args=[visit.pk])}"
    page.goto(url)
    course = page.get_by_label("Ход посещения и выявленная ситуация")
    course.fill("Беседа с матерью на кухне.")
    # typing is saved after a pause, and the note (shorter then) says so: waited for, lest the
    # page move under the next click
    page.get_by_test_id("draft-note").get_by_text("Черновик сохранён на этом устройстве").wait_for()
    page.get_by_label("Беседа").check()  # a change saves at once
    page.wait_for_function(f"() => localStorage.getItem('draft:visit-{visit.pk}') !== null")

    page.reload()  # restored on DOMContentLoaded, before the load event that reload waits for
    assert course.input_value() == "Беседа с матерью на кухне."
    assert page.get_by_label("Беседа").is_checked()
    note = page.get_by_test_id("draft-note")
    assert "Восстановлен черновик, сохранённый на этом устройстве" in note.inner_text()
    assert page.get_by_role("button", name="Сбросить черновик").is_visible()

    page.get_by_label("Наблюдение").check()
    page.get_by_label("Педагогические").check()
    page.get_by_label("Акт социального патронажа").check()
    page.get_by_label("Заключение (выводы)").fill("Нуждается в патронаже.")
    page.locator("#id_rec-0-text").fill("Не оставлять детей одних.")
    page.get_by_label("Работа с клиентом, мин").fill("30")
    with page.expect_navigation():  # the visit's page, which forgets the draft, loaded
        page.get_by_role("button", name="Записать посещение").click()
    visit.refresh_from_db()
    assert visit.status == VisitStatus.COMPLETED
    assert page.evaluate(f"() => localStorage.getItem('draft:visit-{visit.pk}')") is None


def _submit_empty(page, axe_recorder, url: str) -> None:
    """Open a form, submit it untouched, and keep the re-rendered page for axe-core (the
    recorder keeps the pages of GET requests only)."""
    page.goto(url)
    with page.expect_navigation():  # the form re-rendered with its errors, loaded
        page.locator("main form[method='post'] [type='submit']").first.click()
    summary = page.get_by_test_id("error-summary")
    assert summary.is_visible(), url
    # each link of the summary leads to a field of the form (an error of the whole form, as
    # the visit's «nothing recorded», has no field to link to)
    links = summary.get_by_role("link")
    for i in range(links.count()):
        target = links.nth(i).get_attribute("href") or ""
        assert target.startswith("#") and page.locator(target).count() == 1, (url, target)
    width = (page.viewport_size or {}).get("width", 0)
    key = (f"{page.url} (POST)", 400, width)
    axe_recorder.documents[key] = Rendered(page.url, 400, page.content(), page.viewport_size)


def test_long_forms_submitted_empty_pass_axe_with_their_error_summary(
    page, live_server, axe_recorder, registrar, head, specialist, psychologist, dept_a
):
    child = EnrolledRecipientFactory(department=dept_a, last_name="Орлов")
    visit = _visit(registrar, head, specialist, dept_a)
    forms = {
        registrar: [reverse("patronage:appeal_create")],
        specialist: [
            reverse("recipients:create"),
            reverse("patronage:visit_record", args=[visit.pk]),
            reverse("services:log"),
            reverse("services:log_group"),
        ],
        psychologist: [
            reverse("rehab_programs:diagnostic_add", args=[child.pk]),
            reverse("rehab_programs:programme_create", args=[child.pk]),
        ],
        head: [  # (the card's and the family's edit forms and the order open filled in: see
            # tests/test_error_summaries.py for their summaries)
            reverse("recipients:contract_add", args=[child.pk]),
        ],
    }
    for user, urls in forms.items():
        page.context.clear_cookies()
        log_in(page, live_server, user.username)
        for url in urls:
            _submit_empty(page, axe_recorder, f"{live_server.url}{url}")
    assert sum(1 for key in axe_recorder.documents if key[0].endswith("(POST)")) == 8
