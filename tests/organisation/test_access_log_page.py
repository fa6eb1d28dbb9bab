"""The access log as its reader sees it: each opened record named by its kind and number, not
by the key the log keeps; the wide lists of an office (the log, the orders) on a tablet."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import login
from tests.factories import RecipientFactory
from tests.html import tables_in_boxes

pytestmark = pytest.mark.django_db


def test_the_access_log_names_the_record_kind_and_number(client, dept_a, head):
    """The column «Запись» showed «recipients.recipient:17», the model's label."""
    child = RecipientFactory(department=dept_a)
    login(client, head)
    assert client.get(reverse("recipients:detail", args=[child.pk])).status_code == 200
    page = client.get(reverse("access_log")).content.decode()
    assert f">получатель социальных услуг № {child.pk}</a>" in page
    assert "recipients.recipient:" not in page


@pytest.mark.parametrize(
    "name", ["orders:list", "access_log", "recipients:access_log_all"], ids=lambda n: n
)
def test_the_office_lists_scroll_in_their_box_on_a_tablet(client, dept_a, director, name):
    """At 800 px the orders and the access log pushed the whole page sideways."""
    RecipientFactory(department=dept_a)
    login(client, director)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert tables_in_boxes(response.content.decode())
