"""No lost update on the programmes: two people editing one ИППСУ (services) or one ИПСРН
(rehab_programs) at once — the later save is refused with what changed meanwhile, keeping
what was typed; sent again, it saves knowingly."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from rehab_programs.models import RehabProgramme
from services.models import IndividualProgramme
from tests.forms import form_data
from tests.rehab_programs.factories import enrolled_child, mother_of, programme
from tests.services.factories import EnrolledRecipientFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime(2026, 12, 15, 10, tzinfo=ZoneInfo("Europe/Moscow"))):
        yield


def _open(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return form_data(response.context["form"])


def test_a_stale_ippsu_save_is_refused_with_what_changed_and_keeps_the_input(
    client, specialist, head, dept_a
):
    ippsu = ProgrammeFactory(
        recipient=EnrolledRecipientFactory(department=dept_a), number="7", notes=""
    )
    url = reverse("services:programme_edit", args=[ippsu.pk])
    mine = _open(client, specialist, url)
    theirs = _open(client, head, url)

    theirs["number"] = "7-бис"
    client.force_login(head)
    assert client.post(url, theirs).status_code == 302

    mine["notes"] = "Согласовано с матерью"
    client.force_login(specialist)
    response = client.post(url, mine)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Пока вы редактировали, запись изменил(а)" in body
    assert "«7» → «7-бис»" in body  # what the other person changed
    assert "Согласовано с матерью" in body  # what this user typed is still in the form
    ippsu.refresh_from_db()
    assert (ippsu.number, ippsu.notes) == ("7-бис", "")

    again = form_data(response.context["form"])
    assert client.post(url, again).status_code == 302
    ippsu.refresh_from_db()
    assert ippsu.notes == "Согласовано с матерью"


def test_an_ippsu_edit_keeps_its_term_ordered(client, specialist, dept_a):
    ippsu = ProgrammeFactory(recipient=EnrolledRecipientFactory(department=dept_a))
    url = reverse("services:programme_edit", args=[ippsu.pk])
    data = _open(client, specialist, url)
    data["valid_until"] = "01.01.2026"
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Дата окончания раньше даты начала." in response.content.decode()
    assert IndividualProgramme.objects.get(pk=ippsu.pk).valid_until is None


def test_a_stale_ipsrn_save_is_refused_with_what_changed_and_keeps_the_input(
    client, psychologist, head, dept_a
):
    child = enrolled_child(dept_a)
    ipsrn = programme(child, psychologist)
    url = reverse("rehab_programs:programme_edit", args=[ipsrn.pk])
    mine = _open(client, psychologist, url)
    theirs = _open(client, head, url)

    theirs["goal"] = "Снижение тревожности"
    client.force_login(head)
    assert client.post(url, theirs).status_code == 302

    mine["drawn_up_on"] = "11.09.2026"
    client.force_login(psychologist)
    response = client.post(url, mine)
    body = response.content.decode()
    assert "Пока вы редактировали, запись изменил(а)" in body
    assert "Снижение тревожности" in body
    assert "11.09.2026" in body
    ipsrn.refresh_from_db()
    assert (ipsrn.goal, ipsrn.drawn_up_on) == ("Снижение тревожности", date(2026, 9, 10))

    again = form_data(response.context["form"])
    assert client.post(url, again).status_code == 302
    assert RehabProgramme.objects.get(pk=ipsrn.pk).drawn_up_on == date(2026, 9, 11)


def test_an_ipsrn_is_not_dated_before_its_primary_diagnostics(client, psychologist, dept_a):
    child = enrolled_child(dept_a)
    ipsrn = programme(child, psychologist)
    url = reverse("rehab_programs:programme_edit", args=[ipsrn.pk])
    data = _open(client, psychologist, url)
    data["drawn_up_on"] = "02.09.2026"
    response = client.post(url, data)
    assert "раньше первичной диагностики" in response.content.decode()
    assert RehabProgramme.objects.get(pk=ipsrn.pk).drawn_up_on == date(2026, 9, 10)


def test_a_stale_familiarisation_does_not_write_over_the_parents_O17(
    client, specialist, psychologist, dept_a
):
    """The form of O17 showed the programme as read and saved all six fields: the curator's
    note of the explanation, sent from a page opened before the mother's familiarisation was
    recorded, wiped that familiarisation out without a word."""
    child = enrolled_child(dept_a)
    ipsrn = programme(child, psychologist)
    url = reverse("rehab_programs:familiarisation", args=[ipsrn.pk])
    mine = _open(client, psychologist, url)
    theirs = _open(client, specialist, url)

    theirs.update(parent_familiarised=str(mother_of(child).pk), parent_familiarised_on="14.12.2026")
    client.force_login(specialist)
    assert client.post(url, theirs).status_code == 302

    mine.update(minor_explained_on="15.12.2026", minor_explanation="Беседа о целях программы")
    client.force_login(psychologist)
    response = client.post(url, mine)
    body = response.content.decode()
    assert "Пока вы редактировали, запись изменил(а)" in body
    assert "Беседа о целях программы" in body  # what this user typed is still in the form
    ipsrn.refresh_from_db()
    assert ipsrn.parent_familiarised_on == date(2026, 12, 14)
    assert ipsrn.minor_explanation == ""
