"""A specialist's day in the browser: «Мой день», one click on a planned service, then a group
session of several children with one submit."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from services.models import GroupSession, ServiceRecord
from tests.browser.conftest import log_in
from tests.services.factories import (
    EnrolledRecipientFactory,
    ProgrammeFactory,
    ProgrammeLineFactory,
    service,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_specialist_logs_a_planned_service_and_a_group_session(page, live_server, specialist):
    today = timezone.localdate()
    since = today - timedelta(days=30)
    children = [
        EnrolledRecipientFactory(
            department=specialist.department,
            last_name=last,
            first_day_of_stay=since,
            birth_date=date(today.year - 10, 1, 15),
        )
        for last in ("Андреев", "Борисов", "Васильев")
    ]
    for child in children:
        programme = ProgrammeFactory(recipient=child, valid_from=since, drawn_up_on=since)
        ProgrammeLineFactory(programme=programme, service=service("2.3.2"), count=3)

    log_in(page, live_server, specialist.username)
    page.get_by_role("link", name="Открыть «Мой день»").click()
    card = page.get_by_test_id("child-card").filter(has_text="Андреев")
    card.get_by_role("button", name="Отметить 2.3.2").click()
    card = page.get_by_test_id("child-card").filter(has_text="Андреев")
    card.get_by_text("на этой неделе: 1 из 3").wait_for()
    assert ServiceRecord.objects.filter(recipient=children[0]).count() == 1

    page.get_by_test_id("group-link").click()  # the group form has its own page now
    form = page.get_by_test_id("group-form")
    form.get_by_label("Услуга").select_option(label="2.3.2 " + service("2.3.2").display_name[:114])
    for last in ("Борисов", "Васильев"):
        form.get_by_label(last).check()
    form.get_by_label("Продолжительность, мин").fill("10")
    form.get_by_role("button", name="Внести групповое занятие").click()
    assert "не менее 15 мин" in page.content()  # answered next to the field, nothing saved
    assert not GroupSession.objects.exists()
    page.get_by_label("Продолжительность, мин").fill("20")
    page.get_by_role("button", name="Внести").click()
    page.get_by_text("Групповое занятие 2.3.2 внесено в журнал: 2 ребёнка.").wait_for()
    assert GroupSession.objects.get().records.count() == 2
