"""Issue 11: the escalation paths of the attack report, each as a test (those about accounts
are in test_accounts.py)."""

from __future__ import annotations

from datetime import date

import time_machine
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from patronage.models import Appeal
from recipients.models import Recipient
from tests.factories import RecipientFactory
from tests.patronage.test_appeals import NEW, form_data


@time_machine.travel(date(2026, 3, 10))
def test_a_head_cannot_log_an_appeal_into_the_other_department_P12(client, head, dept_a, dept_b):
    dept_a.does_patronage = dept_b.does_patronage = True
    dept_a.save()
    dept_b.save()
    client.force_login(head)
    response = client.post(NEW, form_data(dept_b))
    assert response.status_code == 200
    assert not Appeal.objects.exists()
    assert client.post(NEW, form_data(dept_a)).status_code == 302
    assert Appeal.objects.get().department == dept_a


def test_the_admin_view_on_site_does_not_tell_which_children_exist(client, administrator, dept_a):
    """Issue 11, point 4: «view on site» answered a redirect for an existing child and 404 for
    a missing one; now both are the same 404."""
    child = RecipientFactory(department=dept_a, last_name="Тихомирова")
    ct = ContentType.objects.get_for_model(Recipient)
    client.force_login(administrator)
    existing = client.get(reverse("admin:view_on_site", args=[ct.pk, child.pk]))
    missing = client.get(reverse("admin:view_on_site", args=[ct.pk, child.pk + 1000]))
    assert existing.status_code == missing.status_code == 404
    assert "Тихомирова" not in existing.content.decode()
