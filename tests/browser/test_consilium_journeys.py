"""The head records the consilium's decision on a child's ИПСРН and prints the protocol."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from consilium import actions
from rehab_programs import actions as rehab_actions
from rehab_programs.models import ProgrammeVersion, VersionStatus
from tests.browser.conftest import log_in
from tests.rehab_programs.factories import composition, diagnostic, enrolled_child

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_head_approves_a_programme_at_the_consilium_and_prints_the_protocol(
    page, live_server, dept_a, head, psychologist, specialist, director
):
    today = timezone.localdate()
    child = enrolled_child(
        dept_a,
        first_day=today - timedelta(days=30),
        last_name="Орлов",
        first_name="Артём",
        patronymic="Игоревич",
    )
    diagnostic(child, psychologist, on=today - timedelta(days=28))
    programme = rehab_actions.draw_up_rehab_programme(
        recipient=child,
        drawn_up_by=psychologist,
        drawn_up_on=today - timedelta(days=25),
        curator=psychologist,
    )
    rehab_actions.add_activity(
        programme=programme,
        added_by=psychologist,
        responsible=psychologist,
        due_on=today + timedelta(days=30),
        description="Коррекционные занятия с психологом",
        expected_result="Снижение тревожности",
    )
    composition(director, head, psychologist, specialist, on=today - timedelta(days=60))
    meeting = actions.schedule_meeting(department=dept_a, held_on=today, prepared_by=head)
    actions.add_agenda_item(
        meeting=meeting,
        recipient=child,
        inputs="Первичная диагностика, проект ИПСРН",
        added_by=head,
    )

    log_in(page, live_server, head.username)
    page.locator("#mainNav").get_by_role("button", name="Реабилитация").or_(
        page.locator("#mainNav").get_by_role("link", name="Реабилитация")
    ).click()
    page.locator("#mainNav").get_by_role("link", name="ПМП консилиум").click()
    page.get_by_role("link", name=f"№ {meeting.number}").click()
    assert "не принято" in page.get_by_test_id("decision-1").inner_text()
    page.get_by_role("link", name="Записать решение").click()
    page.get_by_label("утвердить ИПСРН").check()
    page.get_by_label("Формулировка решения").fill("Утвердить ИПСРН, куратор — Соколов Д. А.")
    with page.expect_navigation():
        page.get_by_role("button", name="Записать решение в протокол").click()
    assert "Решение записано в протокол" in page.content()
    assert "утвердить ИПСРН" in page.get_by_test_id("decision-1").inner_text()

    href = page.get_by_test_id("protocol-pdf").get_attribute("href") or ""
    pdf = page.request.get(f"{live_server.url}{href}")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")

    page.get_by_role("link", name="Орлов Артём Игоревич").click()
    page.get_by_role("link", name=f"ИПСРН от {programme.drawn_up_on:%d.%m.%Y}").click()
    assert "Действует редакция № 1" in page.get_by_test_id("programme-status").inner_text()
    version = ProgrammeVersion.objects.get(programme=programme)
    assert version.status == VersionStatus.APPROVED
    assert version.protocol_number == str(meeting.number)
