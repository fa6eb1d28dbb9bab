"""The recipient card: scoping, the access log, history, family and representatives."""

from __future__ import annotations

import pytest
from django.urls import reverse

from organisation.models import AccessKind, AccessLog
from organisation.versioning import version_of
from recipients.models import Relation, Representative
from tests.factories import RecipientFactory
from tests.recipients.factories import child_with_mother


@pytest.fixture
def child_a(dept_a):
    child, _mother = child_with_mother(dept_a, last_name="Орлов")
    return child


@pytest.fixture
def child_b(dept_b):
    return RecipientFactory(department=dept_b, last_name="Белов")


def test_card_shows_the_child_family_and_representatives(client, specialist, child_a):
    client.force_login(specialist)
    response = client.get(reverse("recipients:detail", args=[child_a.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Орлов Иван Сергеевич" in body or child_a.full_name in body
    assert "Смирнова Ольга Ивановна" in body  # the mother
    assert "мать" in body
    assert "паспорт 1416 123456" in body
    assert "20.05.2015" in body and "лет" in body  # date of birth with the age


def test_card_of_another_department_is_404_for_specialist_and_head(
    client, specialist, head, child_b
):
    for user in (specialist, head):
        client.force_login(user)
        for name in ("detail", "edit", "history", "family_edit", "consent_add", "document_add"):
            url = reverse(f"recipients:{name}", args=[child_b.pk])
            assert client.get(url).status_code == 404, (user, name)


def test_director_reads_every_card_but_may_not_edit(client, director, child_b):
    client.force_login(director)
    assert client.get(reverse("recipients:detail", args=[child_b.pk])).status_code == 200
    assert client.get(reverse("recipients:edit", args=[child_b.pk])).status_code == 403


def test_card_needs_a_login_and_refuses_post(client, specialist, child_a):
    url = reverse("recipients:detail", args=[child_a.pk])
    assert client.get(url).status_code == 302
    client.force_login(specialist)
    assert client.post(url).status_code == 405


def test_every_opening_of_the_card_is_logged(client, specialist, director, child_a):
    url = reverse("recipients:detail", args=[child_a.pk])
    client.force_login(specialist)
    client.get(url)
    client.get(url)
    client.force_login(director)
    client.get(url)
    log = AccessLog.objects.filter(recipient_id=child_a.pk, kind=AccessKind.CARD)
    assert [e.user for e in log.order_by("pk")] == [specialist, specialist, director]


def test_access_log_is_read_by_the_head_and_the_director_only(
    client, specialist, head, head_b, director, child_a
):
    client.force_login(specialist)
    client.get(reverse("recipients:detail", args=[child_a.pk]))
    url = reverse("recipients:access_log", args=[child_a.pk])
    assert client.get(url).status_code == 403
    assert client.get(reverse("recipients:access_log_all")).status_code == 403
    client.force_login(head)
    response = client.get(url)
    assert response.status_code == 200
    assert specialist.full_name in response.content.decode()
    client.force_login(head_b)  # another department's head
    assert client.get(url).status_code == 404
    response = client.get(reverse("recipients:access_log_all"))
    assert list(response.context["page_obj"]) == []
    client.force_login(director)
    response = client.get(reverse("recipients:access_log_all"))
    assert {e.user for e in response.context["page_obj"]} == {specialist}


def test_history_shows_who_changed_what(client, specialist, head, child_a):
    from recipients import actions

    actions.update_recipient(recipient=child_a, changed_by=specialist, school="Школа № 5")
    client.force_login(head)
    response = client.get(reverse("recipients:history", args=[child_a.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "школа, детский сад" in body
    assert "Школа № 5" in body
    assert "Семья" in body and "Представитель: Смирнова Ольга Ивановна" in body


def test_history_refuses_post(client, specialist, child_a):
    client.force_login(specialist)
    assert client.post(reverse("recipients:history", args=[child_a.pk])).status_code == 405


def test_representative_is_added_with_relation_and_id_document(client, specialist, child_a):
    client.force_login(specialist)
    url = reverse("recipients:representative_add", args=[child_a.pk])
    response = client.post(url, {"last_name": "Смирнов", "first_name": "Сергей", "sex": "male"})
    assert "Обязательное поле" in str(response.context["form"].errors["id_document"])
    response = client.post(
        url,
        {
            "last_name": "Смирнов",
            "first_name": "Сергей",
            "patronymic": "Петрович",
            "sex": "male",
            "id_document": "паспорт 1410 654321",
            "relation": Relation.FATHER,
        },
    )
    assert response.status_code == 302
    father = Representative.objects.get(first_name="Сергей")
    assert father.family == child_a.family
    assert child_a.representations.get(representative=father).relation == Relation.FATHER


def test_representative_of_another_family_cannot_be_edited_through_this_card(
    client, specialist, child_a, dept_a
):
    _other_child, other_mother = child_with_mother(dept_a, last_name="Петров")
    client.force_login(specialist)
    url = reverse("recipients:representative_edit", args=[child_a.pk, other_mother.pk])
    assert client.get(url).status_code == 404


def test_family_is_edited_and_its_name_searched(client, specialist, child_a):
    client.force_login(specialist)
    response = client.post(
        reverse("recipients:family_edit", args=[child_a.pk]),
        {
            "name": "Семья Орловых",
            "address": "ул. Щорса, 1",
            "composition": "Бабушка",
            "version": version_of(child_a.family),  # as the form's hidden field sends it
        },
    )
    assert response.status_code == 302
    child_a.refresh_from_db()
    assert "орловых" in child_a.search_text
    assert "семья" not in child_a.search_text  # the generic word is not searched


def test_archiving_is_for_the_head_and_keeps_the_record(client, specialist, head, child_a):
    url = reverse("recipients:archive", args=[child_a.pk])
    client.force_login(specialist)
    assert client.post(url).status_code == 403
    client.force_login(head)
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    child_a.refresh_from_db()
    assert child_a.archived_at is not None
    assert client.get(reverse("recipients:detail", args=[child_a.pk])).status_code == 200


def test_an_enrolled_recipient_is_not_archived(client, head, child_a):
    from datetime import date, timedelta

    from django.utils import timezone

    client.force_login(head)
    today = timezone.localdate()
    # enrolled now; enrolled from a day to come; discharged from a day to come: all kept
    for first_day, last_day in (
        (date(2026, 1, 12), None),
        (today + timedelta(days=3), None),
        (date(2026, 1, 12), today + timedelta(days=3)),
    ):
        child_a.first_day_of_stay, child_a.discharged_on = first_day, last_day
        child_a.save()
        client.post(reverse("recipients:archive", args=[child_a.pk]))
        child_a.refresh_from_db()
        assert child_a.archived_at is None, (first_day, last_day)
    # discharged yesterday: may be archived
    child_a.discharged_on = today - timedelta(days=1)
    child_a.save()
    client.post(reverse("recipients:archive", args=[child_a.pk]))
    child_a.refresh_from_db()
    assert child_a.archived_at is not None


def test_menu_shows_recipients_to_case_roles_and_orders_to_head_and_director(
    client, specialist, head, director, registrar
):
    for user, recipients_shown, orders_shown in [
        (specialist, True, False),
        (head, True, True),
        (director, True, True),
        (registrar, False, False),
    ]:
        client.force_login(user)
        labels = [i["label"] for i in client.get(reverse("home")).context["nav_items"]]
        assert ("Регистр получателей" in labels) == recipients_shown, user
        assert ("Приказы" in labels) == orders_shown, user


def test_the_card_of_an_enrolled_child_links_to_services_and_rehabilitation(
    client, specialist, dept_a
):
    from datetime import date

    from tests.factories import RecipientFactory

    child = RecipientFactory(department=dept_a, first_day_of_stay=date(2026, 1, 12))
    applicant = RecipientFactory(department=dept_a)
    client.force_login(specialist)
    card = client.get(reverse("recipients:detail", args=[child.pk])).content.decode()
    assert reverse("services:recipient", args=[child.pk]) in card
    assert reverse("rehab_programs:recipient", args=[child.pk]) in card
    for url in (
        reverse("services:recipient", args=[child.pk]),
        reverse("rehab_programs:recipient", args=[child.pk]),
    ):
        assert client.get(url).status_code == 200
    card = client.get(reverse("recipients:detail", args=[applicant.pk])).content.decode()
    assert reverse("services:recipient", args=[applicant.pk]) not in card


def test_the_card_agrees_who_gave_the_consent_with_her_sex(client, specialist, dept_a):
    """«дала: Смирнова …» for the mother, where the card wrote «дал(а)» for everyone."""
    from tests.recipients.factories import ConsentFactory

    child, mother = child_with_mother(dept_a)
    ConsentFactory(recipient=child, given_by=mother)
    client.force_login(specialist)
    page = client.get(reverse("recipients:detail", args=[child.pk])).content.decode()
    assert f"дала: {mother.full_name}" in page and "дал(а)" not in page
