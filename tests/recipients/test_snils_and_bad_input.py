"""SNILS checksum, and every bad input of the card answered in Russian next to the field."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from organisation.versioning import version_of
from recipients.forms import RecipientForm
from recipients.models import Family, Recipient
from recipients.validators import normalise_snils, snils_checksum
from tests.factories import FamilyFactory, RecipientFactory
from tests.recipients.factories import valid_snils


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("112-233-445 95", "112-233-445 95"),
        ("11223344595", "112-233-445 95"),
        (" 112 233 445 95 ", "112-233-445 95"),
        ("001-001-998 00", "001-001-998 00"),  # numbers up to 001-001-998 are not checked
    ],
)
def test_valid_snils_is_accepted_and_formatted(typed, stored):
    assert normalise_snils(typed) == stored


@pytest.mark.parametrize("typed", ["112-233-445 96", "112-233-446 95", "123-456-789 00"])
def test_snils_with_a_wrong_control_number_is_refused(typed):
    with pytest.raises(ValidationError) as exc:
        normalise_snils(typed)
    assert "контрольное число" in exc.value.messages[0]


@pytest.mark.parametrize("typed", ["1122334459", "112-233-445 9X", "СНИЛС"])
def test_snils_of_the_wrong_shape_is_refused(typed):
    with pytest.raises(ValidationError) as exc:
        normalise_snils(typed)
    assert "11 цифр" in exc.value.messages[0]


def _digits_with_weighted_sum(total: int) -> str:
    """Nine digits whose weighted sum (weights 9..1) is `total`."""
    digits = []
    for weight in range(9, 0, -1):
        d = min(9, total // weight)
        digits.append(d)
        total -= d * weight
    assert total == 0
    return "".join(map(str, digits))


@pytest.mark.parametrize(
    ("total", "control"),
    [(99, 99), (100, 0), (101, 0), (102, 1), (150, 49), (201, 0), (202, 0), (300, 98)],
)
def test_checksum_rules_for_every_range_of_the_sum(total, control):
    """< 100: the sum; 100 or 101: 00; > 101: modulo 101, where 100 again gives 00."""
    assert snils_checksum(_digits_with_weighted_sum(total)) == control


def test_generated_demo_snils_pass_the_check():
    for n in range(50):
        assert normalise_snils(valid_snils(n)) == valid_snils(n)


def _form_data(family, **overrides):
    data = {
        "last_name": "Ковалёв",
        "first_name": "Артём",
        "patronymic": "Игоревич",
        "sex": "male",
        "birth_date": "12.04.2016",
        "identity_document_kind": "birth_certificate",
        "identity_document": "II-ЛЕ № 123456",
        "snils": valid_snils(1),
        "family": family.pk,
        "circumstances": ["adaptation"],
    }
    data.update(overrides)
    return data


@time_machine.travel(date(2026, 11, 23))
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("snils", "112-233-445 96", "контрольное число"),
        ("birth_date", "01.01.2027", "не может быть в будущем"),
        ("birth_date", "01.01.2005", "от 3 до 18 лет"),
        ("birth_date", "01.06.2025", "от 3 до 18 лет"),
        ("birth_date", "31.02.2016", "дд.мм.гггг"),
    ],
)
def test_bad_input_is_answered_in_russian_next_to_the_field(
    client, specialist, dept_a, field, value, message
):
    family = FamilyFactory(department=dept_a)
    client.force_login(specialist)
    response = client.post(reverse("recipients:create"), _form_data(family, **{field: value}))
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert any(message in e for e in errors), errors
    assert not Recipient.objects.exists()


def test_ipra_without_disability_is_refused():
    form = RecipientForm(data={"ipra": "№ 123 от 01.02.2024", "has_disability": False})
    form.is_valid()
    assert "ребёнку-инвалиду" in form.errors["has_disability"][0]


@time_machine.travel(date(2026, 11, 23))
def test_duplicate_by_snils_is_offered_as_already_registered(client, specialist, dept_a):
    family = FamilyFactory(department=dept_a)
    existing = RecipientFactory(department=dept_a, snils=valid_snils(1), last_name="Другой")
    client.force_login(specialist)
    response = client.post(reverse("recipients:create"), _form_data(family))
    assert response.status_code == 200, response
    assert not response.context["form"].errors.get("snils"), response.context["form"].errors
    assert response.context["duplicates"] == [(existing, True)], response.context["form"].errors
    assert "уже зарегистрирован" in response.content.decode()
    assert existing.get_absolute_url() in response.content.decode()
    assert Recipient.objects.count() == 1


@time_machine.travel(date(2026, 11, 23))
def test_duplicate_by_name_and_birth_date_ignores_case_and_yo(client, specialist, dept_a):
    family = FamilyFactory(department=dept_a)
    existing = RecipientFactory(
        department=dept_a,
        last_name="КОВАЛЕВ",
        first_name="артем",
        patronymic="Игоревич",
        birth_date=date(2016, 4, 12),
    )
    client.force_login(specialist)
    response = client.post(reverse("recipients:create"), _form_data(family, snils=""))
    assert "уже зарегистрирован" in response.content.decode()
    assert existing.get_absolute_url() in response.content.decode()
    assert Recipient.objects.count() == 1


@time_machine.travel(date(2026, 11, 23))
@pytest.mark.parametrize(
    "invisible",
    [
        "\u00ad",
        "\u200b",
        "\ufeff",
        "\u202e",
        "\u2066",
    ],  # soft hyphen from Word, zero width, BOM, bidi
)
def test_a_name_with_an_invisible_character_is_still_a_duplicate_and_stored_without_it(
    client, specialist, dept_a, invisible
):
    """Word's soft hyphen or a zero-width or direction character pasted into a name is not
    seen on the screen: the card is the same child's, and the name is stored as it reads."""
    family = FamilyFactory(department=dept_a)
    existing = RecipientFactory(
        department=dept_a,
        last_name="Ковалев",
        first_name="Артем",
        patronymic="Игоревич",
        birth_date=date(2016, 4, 12),
    )
    client.force_login(specialist)
    typed = {"last_name": f"Кова{invisible}лёв", "first_name": f"Артём{invisible}", "snils": ""}
    response = client.post(reverse("recipients:create"), _form_data(family, **typed))
    assert "уже зарегистрирован" in response.content.decode()
    assert existing.get_absolute_url() in response.content.decode()
    assert Recipient.objects.count() == 1
    existing.delete()
    client.post(reverse("recipients:create"), _form_data(family, **typed))
    created = Recipient.objects.get()
    assert (created.last_name, created.first_name) == ("Ковалёв", "Артём")


@time_machine.travel(date(2026, 11, 23))
def test_duplicate_in_another_department_is_named_without_a_link(
    client, specialist, dept_a, dept_b
):
    family = FamilyFactory(department=dept_a)
    other = RecipientFactory(department=dept_b, snils=valid_snils(1))
    client.force_login(specialist)
    response = client.post(reverse("recipients:create"), _form_data(family))
    body = response.content.decode()
    assert "в другом отделении" in body
    assert other.get_absolute_url() not in body


@time_machine.travel(date(2026, 11, 23))
def test_new_recipient_is_registered_with_a_new_family(client, specialist, dept_a):
    client.force_login(specialist)
    data = _form_data(FamilyFactory(department=dept_a))
    data.pop("family")
    data["new_family_name"] = "Семья Ковалёвых"
    response = client.post(reverse("recipients:create"), data)
    recipient = Recipient.objects.get()
    assert response.status_code == 302
    assert response["Location"] == recipient.get_absolute_url()
    assert recipient.family.name == "Семья Ковалёвых"
    assert recipient.department == dept_a
    assert recipient.status == "applicant"
    assert recipient.snils == valid_snils(1)
    assert recipient.created_by == specialist


@time_machine.travel(date(2026, 11, 23))
def test_a_refused_duplicate_leaves_no_new_family_behind_O26(client, specialist, dept_a):
    """Registration with a new family is one action in one transaction: when the child is
    refused as already registered, the family typed with it is not kept either."""
    RecipientFactory(department=dept_a, snils=valid_snils(1), last_name="Другой")
    families_before = Family.objects.count()
    client.force_login(specialist)
    data = _form_data(FamilyFactory(department=dept_a))
    data.pop("family")
    data["new_family_name"] = "Семья Ковалёвых"
    response = client.post(reverse("recipients:create"), data)
    assert response.status_code == 200
    assert "уже зарегистрирован" in response.content.decode()
    assert Family.objects.count() == families_before + 1  # only the factory's family
    assert not Family.objects.filter(name="Семья Ковалёвых").exists()


@time_machine.travel(date(2026, 11, 23))
def test_no_family_chosen_or_created_is_answered(client, specialist, dept_a):
    client.force_login(specialist)
    data = _form_data(FamilyFactory(department=dept_a))
    data.pop("family")
    response = client.post(reverse("recipients:create"), data)
    assert "создайте новую" in response.context["family_form"].errors["new_family_name"][0]


def test_editing_keeps_history_and_refuses_a_wrong_snils(client, specialist, dept_a):
    recipient = RecipientFactory(department=dept_a, school="")
    client.force_login(specialist)
    url = reverse("recipients:edit", args=[recipient.pk])
    data = _form_data(recipient.family, school="МБОУ «СОШ № 5»", birth_date="20.05.2015")
    data["last_name"] = recipient.last_name
    data["first_name"] = recipient.first_name
    data["patronymic"] = recipient.patronymic
    data["version"] = version_of(recipient)  # as the form's hidden field sends it
    response = client.post(url, data)
    assert response.status_code == 302
    recipient.refresh_from_db()
    assert recipient.school == "МБОУ «СОШ № 5»"
    data["version"] = version_of(recipient)
    assert recipient.history.count() == 2
    response = client.post(url, {**data, "snils": "112-233-445 96"})
    assert "контрольное число" in response.context["form"].errors["snils"][0]
