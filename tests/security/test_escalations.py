"""Issue 11: the escalation paths of the attack report, each as a test (those about accounts
are in test_accounts.py)."""

from __future__ import annotations

from datetime import date

import pytest
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


OTHER_DEPARTMENT = (
    "Такой ребёнок уже состоит на учёте в другом отделении — обратитесь к заведующему"
)


@time_machine.travel(date(2026, 11, 23))
@pytest.mark.parametrize("by", ["snils", "name_and_birth_date"])
def test_a_duplicate_in_another_department_is_refused_without_an_oracle(
    client, specialist, dept_a, dept_b, by
):
    """Issue 11, point 4: the new-child form answered a SNILS (or a name and birth date) of a
    child of another department with that child's name, birth date and link."""
    from tests.factories import FamilyFactory
    from tests.recipients.factories import valid_snils
    from tests.recipients.test_snils_and_bad_input import _form_data

    other = RecipientFactory(
        department=dept_b,
        snils=valid_snils(1),
        last_name="Засекреченная",
        first_name="Артёма",
        birth_date=date(2012, 1, 2),
    )
    family = FamilyFactory(department=dept_a)
    data = (
        _form_data(family, last_name="Новый", first_name="Иван")
        if by == "snils"
        else _form_data(
            family,
            snils="",
            last_name="засекреченная",
            first_name="АРТЁМА",
            patronymic="",
            birth_date="02.01.2012",
        )
    )
    if by == "name_and_birth_date":
        other.patronymic = ""
        other.save()
    client.force_login(specialist)
    response = client.post(reverse("recipients:create"), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert OTHER_DEPARTMENT in body
    assert other.get_absolute_url() not in body
    assert "02.01.2012" not in body or by == "name_and_birth_date"  # the typed date is kept
    if by == "snils":
        assert "Засекреченная" not in body


@time_machine.travel(date(2026, 11, 23))
def test_editing_a_card_into_a_duplicate_of_another_department_says_nothing_about_it(
    client, specialist, dept_a, dept_b
):
    from tests.recipients.factories import valid_snils

    other = RecipientFactory(
        department=dept_b, snils=valid_snils(2), last_name="Засекреченная", first_name="Мира"
    )
    mine = RecipientFactory(department=dept_a, snils=valid_snils(3))
    client.force_login(specialist)
    page = client.get(reverse("recipients:edit", args=[mine.pk]))
    data = {
        k: v
        for k, v in page.context["form"].initial.items()
        if v not in (None, "") and not isinstance(v, list | tuple)
    }
    data.update(
        {
            "snils": valid_snils(2),
            "birth_date": mine.birth_date.strftime("%d.%m.%Y"),
            "circumstances": mine.circumstances or ["adaptation"],
            "family": mine.family_id,
        }
    )
    response = client.post(reverse("recipients:edit", args=[mine.pk]), data)
    body = response.content.decode()
    assert OTHER_DEPARTMENT in body, response.context["form"].errors
    assert "Засекреченная" not in body and other.get_absolute_url() not in body


def test_a_post_without_a_body_is_a_reading_and_is_logged(client, specialist, dept_a):
    """Issue 11, point 2: the forms take `request.POST or None`, so a POST with an empty body
    (the CSRF token sent as a header) shows the record as a GET does — the edit form with the
    child's SNILS and address — and the access log, written for GET only, missed it."""
    from organisation.models import AccessKind, AccessLog

    child = RecipientFactory(department=dept_a, last_name="Тихомирова")
    client.force_login(specialist)
    response = client.post(reverse("recipients:edit", args=[child.pk]))
    assert response.status_code == 200 and "Тихомирова" in response.content.decode()
    row = AccessLog.objects.get()
    assert row.record == f"recipients.recipient:{child.pk}" and row.kind == AccessKind.EDIT


def test_a_change_answered_with_the_page_is_logged_and_one_that_is_done_is_not(
    client, specialist, dept_a
):
    """A POST that carries a form is a change, kept by the history. Refused by the form, it is
    answered with the edit form again — the child's name, birth date, SNILS and address — and
    that is an opening like a GET, written once however often the view looks the record up.
    A change that is done (a redirect) and one refused outright (403) are not openings."""
    from organisation.models import AccessKind, AccessLog

    child = RecipientFactory(department=dept_a, last_name="Тихомирова")
    client.force_login(specialist)
    response = client.post(reverse("recipients:edit", args=[child.pk]), {"last_name": ""})
    assert response.status_code == 200 and "Тихомирова" in response.content.decode()
    assert response.context["form"].errors
    row = AccessLog.objects.get()
    assert row.record == f"recipients.recipient:{child.pk}" and row.kind == AccessKind.EDIT
    assert row.user == specialist

    AccessLog.objects.all().delete()
    response = client.post(
        reverse("recipients:archive", args=[child.pk]), {"reason": "Переезд семьи"}
    )
    assert response.status_code in (302, 403)
    assert not AccessLog.objects.exists()


def test_a_refused_step_shown_again_with_status_400_is_logged_P6(
    client, registrar, head, specialist, dept_a
):
    """A POST-only step refused by its form answers 400 with the form on its own page, titled
    with the record (`refused_form_page`): an opening too."""
    from organisation.models import AccessLog
    from tests.patronage.factories import case_with_appeal

    case = case_with_appeal(
        registrar=registrar, head=head, department=dept_a, specialist=specialist
    )
    client.force_login(head)
    response = client.post(reverse("patronage:case_close", args=[case.pk]), {"reason": ""})
    assert response.status_code == 400 and str(case) in response.content.decode()
    assert AccessLog.objects.get().record == f"patronage.patronagecase:{case.pk}"
