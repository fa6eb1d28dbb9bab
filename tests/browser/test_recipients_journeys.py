"""The main path of enrolment in the browser: a specialist registers a child and completes the
personal file, the head drafts the enrolment order, the director approves it."""

from __future__ import annotations

from datetime import date

import pytest

from orders.models import Order, OrderStatus
from recipients.models import CHECKLIST, Recipient, RecipientStatus
from tests.browser.conftest import log_in
from tests.recipients.factories import valid_snils

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_out(page):
    page.get_by_role("button", name="Выйти").click()
    page.wait_for_url("**/login/")


def test_child_is_registered_and_enrolled_by_order_O12(
    page, live_server, specialist, head, director, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    today = date.today().strftime("%d.%m.%Y")
    log_in(page, live_server, specialist.username)
    page.get_by_role("link", name="Регистр получателей").first.click()
    page.get_by_role("link", name="Новый получатель").click()
    page.locator("#id_last_name").fill("Семёнова")
    page.locator("#id_first_name").fill("Алёна")
    page.locator("#id_patronymic").fill("Игоревна")
    page.locator("#id_sex").select_option("female")
    page.locator("#id_birth_date").fill("14.03.2016")
    page.locator("#id_snils").fill("112-233-445 96")
    page.locator("#id_new_family_name").fill("Семья Семёновых")
    page.get_by_role("button", name="Сохранить").click()
    assert "не сходится контрольное число" in page.content()  # answered next to the field
    page.locator("#id_snils").fill(valid_snils(7))
    page.locator("#id_new_family_name").fill("Семья Семёновых")
    page.get_by_role("button", name="Сохранить").click()
    assert page.get_by_test_id("recipient-name").inner_text() == "Семёнова Алёна Игоревна"
    child = Recipient.objects.get()

    # The mother, then the documents of §5.1 (one scan uploaded), application, protocol, contract.
    page.get_by_role("link", name="Добавить представителя").click()
    page.locator("#id_last_name").fill("Семёнова")
    page.locator("#id_first_name").fill("Ирина")
    page.locator("#id_patronymic").fill("Павловна")
    page.locator("#id_id_document").fill("паспорт 1415 111222")
    page.locator("#id_relation").select_option("mother")
    page.get_by_role("button", name="Сохранить").click()
    assert "мать" in page.get_by_test_id("representatives").inner_text()

    scan = tmp_path / "svid.pdf"
    scan.write_bytes(b"%PDF-1.4\n%%EOF\n")
    for i, kind in enumerate(CHECKLIST):
        page.goto(f"{live_server.url}/recipients/{child.pk}/documents/new/?kind={kind}")
        page.locator("#id_received_on").fill(today)
        if i == 2:
            page.locator("#id_scan").set_input_files(str(scan))
        page.locator("#id_certify").check()
        page.get_by_role("button", name="Сохранить").click()
    assert "Личное дело укомплектовано" in page.get_by_test_id("completeness").inner_text()

    page.get_by_role("link", name="записать").nth(1).click()  # the application
    page.locator("#id_representative").select_option(index=1)
    page.locator("#id_submitted_on").fill(today)
    page.get_by_role("button", name="Сохранить").click()
    assert "исполнилось 10 лет" in page.content()  # the minor's opinion is required (O27)
    page.locator("#id_minor_opinion").fill("Хочу заниматься рисованием.")
    page.get_by_role("button", name="Сохранить").click()

    page.goto(f"{live_server.url}/recipients/{child.pk}/need-recognition/new/")
    page.locator("#id_number").fill("112")
    page.locator("#id_decided_on").fill(today)
    page.locator("#id_issued_by").fill("УСЗН Белгородского района")
    page.locator("input[name=circumstances][value=family_conflict]").check()
    page.get_by_role("button", name="Сохранить").click()

    # O12: the child and the mother are familiarised with the conditions and the rules.
    page.goto(f"{live_server.url}/recipients/{child.pk}/familiarisation/new/")
    page.locator("input[name=kinds][value=service_order]").check()
    page.locator("input[name=kinds][value=internal_rules]").check()
    page.locator("#id_on").fill(today)
    page.locator("#id_representative").select_option(index=1)
    page.get_by_role("button", name="Сохранить").click()

    page.goto(f"{live_server.url}/recipients/{child.pk}/contract/new/")
    page.locator("#id_representative").select_option(index=1)
    page.locator("#id_number").fill("45")
    page.locator("#id_concluded_on").fill(today)
    page.locator("#id_term").select_option("permanent")
    page.get_by_role("button", name="Сохранить").click()
    assert "Всё готово к зачислению" in page.content()

    # The register finds her case-insensitively, «е» for «ё».
    page.goto(f"{live_server.url}/recipients/?q=семенова алена")
    assert "Семёнова Алёна Игоревна" in page.get_by_test_id("register").inner_text()
    _log_out(page)

    # The head drafts the order.
    log_in(page, live_server, head.username)
    page.goto(f"{live_server.url}{child.get_absolute_url()}")
    page.get_by_role("link", name="Подготовить приказ о зачислении").click()
    page.locator("#id_effective_on").fill(today)
    page.get_by_role("button", name="Сохранить").click()
    assert page.get_by_test_id("order-status").inner_text() == "Проект"
    assert page.get_by_role("button", name="Утвердить приказ").count() == 0
    _log_out(page)

    # The director approves it.
    log_in(page, live_server, director.username)
    page.get_by_role("link", name="Приказы").first.click()
    page.get_by_role("link", name="о зачислении на социальное обслуживание").click()
    page.get_by_role("button", name="Утвердить приказ").click()
    assert page.get_by_test_id("order-status").inner_text() == "Утверждён"
    order = Order.objects.get()
    assert order.status == OrderStatus.APPROVED and order.number == 1
    child.refresh_from_db()
    assert child.status == RecipientStatus.ENROLLED
    assert child.first_day_of_stay == date.today()
