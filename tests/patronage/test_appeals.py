"""Appeals: logging in the journals (P5), grounds (P1), registration numbers (P2, P3), scoping
of the registrar, the head and the specialist."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from patronage import actions
from patronage.models import Appeal, AppealGround, Channel
from tests.conftest import login
from tests.patronage.factories import AppealFactory, registered_appeal

NEW = reverse("patronage:appeal_create")
LIST = reverse("patronage:appeal_list")


def form_data(dept, **kw):
    data = {
        "channel": Channel.RECEPTION,
        "ground": AppealGround.PERSONAL,
        "department": dept.pk,
        "received_on": "02.03.2026",
        "registered_on": "03.03.2026",
        "sender": "Смирнова Ольга Ивановна",
        "family_name": "семья Смирновых",
        "family_address": "ул. Садовая, 1",
        "children": "Смирнов Артём, 11 лет",
        "content": "Просит помочь с оформлением пособий.",
    }
    data.update(kw)
    return data


@time_machine.travel(date(2026, 3, 10))
def test_registrar_logs_and_registers_an_appeal_P5(client, registrar, dept_a):
    response = login(client, registrar).post(NEW, form_data(dept_a))
    appeal = Appeal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == appeal.get_absolute_url()
    assert appeal.registration_number == "1/2026"
    assert appeal.channel == Channel.RECEPTION
    assert appeal.created_by == registrar and appeal.registered_by == registrar


@time_machine.travel(date(2026, 3, 10))
def test_an_appeal_can_wait_for_registration_P2(client, registrar, dept_a):
    login(client, registrar).post(NEW, form_data(dept_a, registered_on=""))
    appeal = Appeal.objects.get()
    assert appeal.number is None and not appeal.is_registered
    assert appeal.registration_overdue  # received 02.03, due 05.03, today 10.03
    response = client.post(
        reverse("patronage:appeal_register", args=[appeal.pk]), {"registered_on": "10.03.2026"}
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.registration_number == "1/2026"
    assert appeal.registered_late


@time_machine.travel(date(2026, 3, 10))
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"received_on": "11.03.2026"}, "received_on", "не может быть в будущем"),
        ({"received_on": "31.02.2026"}, "received_on", "дд.мм.гггг"),
        ({"registered_on": "01.03.2026"}, "registered_on", "раньше даты поступления"),
        ({"ground": AppealGround.PREVENTION_BODY}, "outgoing_number", "исходящий номер"),
        ({"basis_due": "01.03.2026"}, "basis_due", "раньше даты поступления"),
        ({"content": ""}, "content", "Обязательное поле"),
    ],
)
def test_bad_input_is_answered_in_russian(client, registrar, dept_a, changes, field, message):
    response = login(client, registrar).post(NEW, form_data(dept_a, **changes))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Appeal.objects.exists()


def test_numbers_are_unique_per_year_and_restart_each_year_P2(registrar, dept_a):
    first = registered_appeal(
        registrar=registrar, department=dept_a, received_on=date(2025, 12, 30)
    )
    second = registered_appeal(
        registrar=registrar,
        department=dept_a,
        received_on=date(2025, 12, 30),
        registered_on=date(2026, 1, 12),
    )
    third = registered_appeal(registrar=registrar, department=dept_a, received_on=date(2026, 1, 12))
    assert [first.registration_number, second.registration_number, third.registration_number] == [
        "1/2025",
        "1/2026",
        "2/2026",
    ]


def test_the_form_offers_the_five_grounds_of_the_sop_P1(client, registrar):
    choices = login(client, registrar).get(NEW).context["form"].fields["ground"].choices
    assert [value for value, _ in choices if value] == [
        "prevention_body",
        "personal",
        "citizen",
        "director_plan",
        "ipra",
    ]


def test_an_appeal_is_registered_once(registrar, dept_a):
    appeal = registered_appeal(registrar=registrar, department=dept_a)
    with pytest.raises(ValidationError, match="уже зарегистрировано"):
        actions.register_appeal(
            appeal=appeal, registered_on=date(2026, 3, 3), registered_by=registrar
        )


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_get_different_numbers_P2(registrar, dept_a):
    """Registrations in parallel threads never share a number (the counter row is locked)."""
    import threading

    from django.db import connection, connections

    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the lock is exercised on PostgreSQL")
    appeals = [AppealFactory(department=dept_a) for _ in range(6)]
    errors: list[Exception] = []

    def register(appeal):
        try:
            actions.register_appeal(
                appeal=appeal, registered_on=date(2026, 3, 2), registered_by=registrar
            )
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(a,)) for a in appeals]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    numbers = sorted(Appeal.objects.values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4, 5, 6]


def test_registrar_sees_every_department_and_the_specialist_only_theirs(
    client, registrar, specialist, specialist_b, dept_a, dept_b
):
    AppealFactory(department=dept_a, family_name="семья Ада")
    AppealFactory(department=dept_b, family_name="семья Бэ")
    page = login(client, registrar).get(LIST).content.decode()
    assert "семья Ада" in page and "семья Бэ" in page
    page = login(client, specialist).get(LIST).content.decode()
    assert "семья Ада" in page and "семья Бэ" not in page


def test_overdue_registrations_are_shown_to_the_registrar_and_the_head_P2(
    client, registrar, head, dept_a
):
    AppealFactory(department=dept_a, family_name="семья Опоздавших", received_on=date(2026, 3, 2))
    for user in (registrar, head):
        response = login(client, user).get(LIST)
        assert [a.family_name for a in response.context["overdue"]] == ["семья Опоздавших"]
        assert "Просрочена регистрация" in response.content.decode()
    response = client.get(LIST, {"status": "overdue"})
    assert len(response.context["page_obj"]) == 1


def test_late_registrations_are_filtered_P2(client, registrar, dept_a):
    registered_appeal(registrar=registrar, department=dept_a, registered_on=date(2026, 3, 10))
    registered_appeal(registrar=registrar, department=dept_a)
    response = login(client, registrar).get(LIST, {"status": "late"})
    assert len(response.context["page_obj"]) == 1
    assert response.context["late_count"] == 1


def test_outsider_gets_404_and_the_administrator_403(client, specialist_b, administrator, dept_a):
    appeal = AppealFactory(department=dept_a)
    url = reverse("patronage:appeal_detail", args=[appeal.pk])
    assert login(client, specialist_b).get(url).status_code == 404
    assert login(client, administrator).get(url).status_code == 403
    assert client.get(LIST).status_code == 403


def test_specialist_may_read_but_not_log_appeals(client, specialist, dept_a):
    appeal = AppealFactory(department=dept_a)
    login(client, specialist)
    assert client.get(reverse("patronage:appeal_detail", args=[appeal.pk])).status_code == 200
    assert client.get(NEW).status_code == 403
    assert (
        client.post(
            reverse("patronage:appeal_register", args=[appeal.pk]), {"registered_on": "03.03.2026"}
        ).status_code
        == 403
    )


def test_views_need_a_login(client, dept_a):
    appeal = AppealFactory(department=dept_a)
    for url in (LIST, NEW, reverse("patronage:appeal_detail", args=[appeal.pk])):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_wrong_methods_are_refused(client, registrar, dept_a):
    appeal = AppealFactory(department=dept_a)
    login(client, registrar)
    assert client.post(LIST).status_code == 405
    assert client.get(reverse("patronage:appeal_register", args=[appeal.pk])).status_code == 405
    assert client.get(reverse("patronage:appeal_open_case", args=[appeal.pk])).status_code == 405
    assert client.put(NEW).status_code == 405
