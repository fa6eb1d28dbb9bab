"""No lost update: two people editing one card (or family, representative, journal record)
at once — the later save is refused with what changed meanwhile, keeping what was typed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from recipients.models import Family, Recipient
from tests.forms import form_data
from tests.recipients.factories import child_with_mother

pytestmark = pytest.mark.django_db


@pytest.fixture
def child(dept_a):
    child, _mother = child_with_mother(dept_a, last_name="Орлов")
    return child


def _open(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return form_data(response.context["form"])


def test_a_stale_card_save_is_refused_with_what_changed_and_keeps_the_input(
    client, specialist, head, child
):
    url = reverse("recipients:edit", args=[child.pk])
    mine = _open(client, specialist, url)
    theirs = _open(client, head, url)

    theirs["address"] = "ул. Лесная, 2"
    client.force_login(head)
    assert client.post(url, theirs).status_code == 302

    mine["school"] = "Школа № 5"
    client.force_login(specialist)
    response = client.post(url, mine)
    assert response.status_code in (200, 400)
    body = response.content.decode()
    assert "Пока вы редактировали, запись изменил(а) Кузнецова И. В." in body
    assert "ул. Лесная, 2" in body  # what the other person changed
    assert "Школа № 5" in body  # what this user typed is still in the form
    child.refresh_from_db()
    assert (child.address, child.school) == ("ул. Лесная, 2", "")

    # Sent again after reading the message: saved, over the other change knowingly.
    again = form_data(response.context["form"])
    assert client.post(url, again).status_code == 302
    child.refresh_from_db()
    assert child.school == "Школа № 5"


def test_a_save_without_a_concurrent_change_goes_through(client, specialist, child):
    url = reverse("recipients:edit", args=[child.pk])
    data = _open(client, specialist, url)
    data["school"] = "Гимназия № 1"
    assert client.post(url, data).status_code == 302
    assert Recipient.objects.get(pk=child.pk).school == "Гимназия № 1"


def test_a_stale_family_save_is_refused(client, specialist, head, child):
    url = reverse("recipients:family_edit", args=[child.pk])
    mine = _open(client, specialist, url)
    theirs = _open(client, head, url)
    theirs["phone"] = "+7 900 000-00-00"
    client.force_login(head)
    assert client.post(url, theirs).status_code == 302
    mine["composition"] = "Бабушка, дедушка"
    client.force_login(specialist)
    response = client.post(url, mine)
    assert "Пока вы редактировали" in response.content.decode()
    assert "Бабушка, дедушка" in response.content.decode()
    assert Family.objects.get(pk=child.family_id).composition != "Бабушка, дедушка"


@pytest.mark.parametrize(
    "version",
    [
        "0001-01-01T00:00:00+05:00",  # before the calendar's first instant in UTC
        "9999-12-31T23:59:59-05:00",  # after its last
        "2026-03-02",  # a date without a time or a zone
        "²",
        "x" * 5000,
    ],
)
def test_a_tampered_version_is_refused_as_stale_not_a_server_error(
    client, specialist, child, version
):
    url = reverse("recipients:edit", args=[child.pk])
    data = _open(client, specialist, url)
    data["school"] = "Гимназия № 1"
    data["version"] = version
    response = client.post(url, data)
    assert response.status_code in (200, 400)
    body = response.content.decode()
    assert "Пока вы редактировали" in body and "Гимназия № 1" in body
    assert Recipient.objects.get(pk=child.pk).school == ""


@pytest.mark.parametrize("sent", ["missing", "empty"])
def test_a_form_without_its_version_is_refused_and_sent_again_saves(
    client, specialist, child, sent
):
    """A request that drops the hidden version (made by hand, or a page kept from before) cannot
    tell whether someone saved meanwhile: refused with the reason, what was typed kept; the form
    comes back with the current version, so sending it again saves."""
    url = reverse("recipients:edit", args=[child.pk])
    data = _open(client, specialist, url)
    data["school"] = "Гимназия № 1"
    if sent == "missing":
        del data["version"]
    else:
        data["version"] = ""
    response = client.post(url, data)
    assert response.status_code in (200, 400)
    body = response.content.decode()
    assert "Форма пришла без версии записи" in body and "Гимназия № 1" in body
    assert Recipient.objects.get(pk=child.pk).school == ""
    assert client.post(url, form_data(response.context["form"])).status_code == 302
    assert Recipient.objects.get(pk=child.pk).school == "Гимназия № 1"
