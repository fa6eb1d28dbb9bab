"""The main path of social patronage in the browser: the registrar logs an appeal, the head
opens the case and assigns a specialist, the specialist plans and records the visit on a
tablet-sized screen and opens the act; the head reviews it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from patronage.models import Appeal, PatronageCase, Visit, VisitStatus
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_out(page):
    page.wait_for_load_state("load")  # the stylesheet decides whether the menu is collapsed
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():  # the menu is collapsed on a tablet
        toggler.click()
        # Bootstrap marks the menu `.show` once it has finished opening: a click on a button
        # still sliding in may land on nothing
        page.locator(".navbar-collapse.show").wait_for(state="visible")
    button = page.get_by_role("button", name="Выйти")
    button.wait_for(state="visible")  # the collapsed menu has opened
    with page.expect_navigation(url="**/login/"):
        button.click()


def test_an_appeal_becomes_a_visit_recorded_on_a_tablet_P15(
    page, live_server, registrar, head, specialist, dept_a
):
    today = timezone.localdate()
    received = (today - timedelta(days=2)).strftime("%d.%m.%Y")

    # The registrar logs a phone call and registers it at once (P5, P2).
    log_in(page, live_server, registrar.username)
    page.get_by_role("link", name="Обращения").first.click()
    page.get_by_role("link", name="Телефонный звонок").click()
    page.get_by_label("Журнал регистрации телефонных звонков").check()
    page.get_by_label("Основание").select_option("citizen")
    page.get_by_label("Отделение").select_option(str(dept_a.pk))
    page.get_by_label("Дата поступления").fill(received)
    page.get_by_label("От кого поступило").fill("Соседка, назвалась Анной")
    page.locator("#id_family_name").fill("семья Ковалёвых")
    page.get_by_label("Адрес семьи").fill("ул. Мичурина, д. 2")
    page.get_by_label("Содержание обращения").fill("Дети часто остаются дома одни.")
    page.get_by_role("button", name="Внести в журнал").click()
    appeal = Appeal.objects.get()
    assert f"№ {appeal.registration_number}" in page.content()
    log_out(page)

    # The head opens the case on a new family and assigns the specialist (P6).
    log_in(page, live_server, head.username)
    page.goto(f"{live_server.url}{appeal.get_absolute_url()}")
    page.get_by_label("Закрепить специалиста").select_option(str(specialist.pk))
    page.get_by_role("button", name="Открыть патронаж").click()
    case = PatronageCase.objects.get()
    assert page.get_by_test_id("case-specialist").inner_text().startswith(specialist.last_name)
    log_out(page)

    # The specialist plans and records the visit at tablet width (P7–P9, P15).
    page.set_viewport_size({"width": 768, "height": 1024})
    log_in(page, live_server, specialist.username)
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    page.get_by_role("link", name="Запланировать посещение").click()
    page.get_by_label("Первичный патронаж").check()
    page.get_by_label("Планируемая дата").fill(today.strftime("%d.%m.%Y"))
    page.get_by_role("button", name="Запланировать").click()
    page.get_by_role("link", name="Записать посещение").click()
    page.get_by_label("Наблюдение").check()
    page.get_by_label("Беседа").check()
    page.get_by_label("Педагогические").check()
    page.get_by_label("Акт социального патронажа").check()
    page.get_by_label("Ход посещения и выявленная ситуация").fill("Беседа с матерью.")
    page.get_by_label("Заключение (выводы)").fill("Нуждается в патронаже.")
    page.locator("#id_rec-0-text").fill("Не оставлять детей одних.")
    page.get_by_label("Работа с клиентом, мин").fill("-5")
    with page.expect_navigation():  # the refused form comes back
        page.get_by_role("button", name="Записать посещение").click()
    assert "Время не может быть отрицательным." in page.content()
    page.get_by_label("Работа с клиентом, мин").fill("55")
    with page.expect_navigation():  # the visit is recorded and its page shown
        page.get_by_role("button", name="Записать посещение").click()
    visit = Visit.objects.get()
    assert visit.status == VisitStatus.COMPLETED
    assert (
        "работа с клиентом: 55 мин при норме до 40" in page.get_by_test_id("minutes").inner_text()
    )
    page.screenshot(path="/tmp/patronage_visit_768.png", full_page=True)
    response = page.request.get(f"{live_server.url}/patronage/visits/{visit.pk}/act.pdf")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    log_out(page)

    # The head reviews it with remarks (P13).
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, head.username)
    page.get_by_role("link", name="Проверка записей").first.click()
    page.get_by_role("link", name=visit.visited_on.strftime("%d.%m.%Y")).click()
    page.get_by_label("Вернуть с замечаниями").check()
    page.get_by_role("textbox", name="Замечания").fill("Поясните превышение времени.")
    page.get_by_role("button", name="Сохранить").click()
    assert "Замечания переданы специалисту." in page.content()
