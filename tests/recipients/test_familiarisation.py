"""The provider's duties (O9, §2.6.7; O12): familiarisation with the documents, the printed
«Лист ознакомления», belongings kept safe."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from recipients import actions, selectors
from recipients.models import Belonging, Familiarisation, FamiliarisationKind
from tests.factories import RecipientFactory
from tests.recipients.factories import child_with_mother
from tests.reports.test_pdf import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(date(2026, 3, 2), tick=False):
        yield


ALL_KINDS = [k.value for k in FamiliarisationKind]


@pytest.fixture
def pair(dept_a):
    return child_with_mother(
        dept_a, first_name="Иван", birth_date=date(2014, 5, 20)
    )  # 11 years old


def test_record_familiarisation_creates_one_row_per_kind_O9(pair, specialist):
    child, mother = pair
    rows = actions.record_familiarisation(
        recipient=child,
        recorded_by=specialist,
        kinds=[FamiliarisationKind.INTERNAL_RULES, FamiliarisationKind.SAFETY_RULES],
        on=date(2026, 3, 2),
        representative=mother,
    )
    assert len(rows) == 2
    assert {r.kind for r in Familiarisation.objects.filter(recipient=child)} == {
        "internal_rules",
        "safety_rules",
    }
    status = {s["kind"]: s["row"] for s in selectors.familiarisation_status(child)}
    assert status["internal_rules"] is not None
    assert status["service_order"] is None
    assert Familiarisation.history.count() == 2


def test_record_familiarisation_rejects_future_date_and_no_kind_O9(pair, specialist):
    child, _ = pair
    with pytest.raises(ValidationError) as exc:
        actions.record_familiarisation(
            recipient=child, recorded_by=specialist, kinds=[], on=date(2026, 3, 2)
        )
    assert "Отметьте хотя бы один документ." in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        actions.record_familiarisation(
            recipient=child, recorded_by=specialist, kinds=ALL_KINDS, on=date(2026, 3, 3)
        )
    assert "не может быть в будущем" in str(exc.value)


def test_representative_of_another_family_refused_O9(pair, specialist, dept_a):
    child, _ = pair
    _, stranger = child_with_mother(dept_a)
    with pytest.raises(ValidationError):
        actions.record_familiarisation(
            recipient=child,
            recorded_by=specialist,
            kinds=ALL_KINDS,
            on=date(2026, 3, 2),
            representative=stranger,
        )


def test_form_answers_bad_input_in_russian_O9(client, pair, specialist):
    child, _ = pair
    client.force_login(specialist)
    url = reverse("recipients:familiarisation_add", args=[child.pk])
    response = client.post(url, {"on": "03.03.2026"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Отметьте хотя бы один документ." in body
    assert "Дата ознакомления не может быть в будущем." in body
    assert not Familiarisation.objects.exists()


def test_form_records_and_card_shows_missing_O9(client, pair, specialist):
    child, mother = pair
    client.force_login(specialist)
    card = client.get(child.get_absolute_url()).content.decode()
    assert card.count('data-testid="familiarisation-missing"') == 4
    response = client.post(
        reverse("recipients:familiarisation_add", args=[child.pk]),
        {
            "kinds": ["service_order", "internal_rules"],
            "on": "02.03.2026",
            "representative": mother.pk,
        },
    )
    assert response.status_code == 302
    card = client.get(child.get_absolute_url()).content.decode()
    assert card.count('data-testid="familiarisation-missing"') == 2
    assert "Ознакомление (п. 2.6.7, 3.3.1)" in card
    assert "Правила техники безопасности и пожарной безопасности" in card


def test_views_need_login_scope_and_method_O9(client, pair, specialist_b):
    child, _ = pair
    urls = [
        reverse("recipients:familiarisation_add", args=[child.pk]),
        reverse("recipients:familiarisation_pdf", args=[child.pk]),
        reverse("recipients:belonging_add", args=[child.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # to the login page
    client.force_login(specialist_b)
    for url in urls:
        assert client.get(url).status_code == 404
    assert client.delete(urls[0]).status_code == 405


def test_director_reads_but_cannot_record_O9(client, pair, director):
    child, _ = pair
    client.force_login(director)
    assert client.get(reverse("recipients:familiarisation_pdf", args=[child.pk])).status_code == 200
    url = reverse("recipients:familiarisation_add", args=[child.pk])
    assert client.get(url).status_code == 403


def test_sheet_pdf_declines_names_and_has_signature_lines_O9(client, pair, specialist):
    child, mother = pair
    actions.record_familiarisation(
        recipient=child,
        recorded_by=specialist,
        kinds=ALL_KINDS,
        on=date(2026, 2, 27),
        representative=mother,
    )
    client.force_login(specialist)
    response = client.get(reverse("recipients:familiarisation_pdf", args=[child.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content).split())
    assert "ЛИСТ ОЗНАКОМЛЕНИЯ" in text
    assert "несовершеннолетнего Смирнова Ивана Сергеевича" in text
    assert "С документами ознакомлена: Смирнова О. И." in text
    assert "С документами ознакомлен: Смирнов И. С." in text
    assert "Правила внутреннего распорядка воспитанников" in text
    assert "27.02.2026" in text


def test_sheet_has_no_minor_signature_under_ten_O9(client, dept_a, specialist):
    child = RecipientFactory(department=dept_a, birth_date=date(2018, 1, 1))
    client.force_login(specialist)
    response = client.get(reverse("recipients:familiarisation_pdf", args=[child.pk]))
    text = " ".join(pdf_text(response.content).split())
    assert "Несовершеннолетний (с 10 лет)" not in text


def test_belongings_handed_over_and_returned_O9(client, pair, specialist, specialist_b):
    child, _ = pair
    client.force_login(specialist)
    response = client.post(
        reverse("recipients:belonging_add", args=[child.pk]),
        {"description": "Мобильный телефон", "handed_over_on": "01.03.2026"},
    )
    assert response.status_code == 302
    item = Belonging.objects.get()
    assert "Мобильный телефон" in client.get(child.get_absolute_url()).content.decode()
    url = reverse("recipients:belonging_return", args=[item.pk])
    response = client.post(url, {"returned_on": "03.03.2026"})
    assert "Дата возврата не может быть в будущем." in response.content.decode()
    assert client.post(url, {"returned_on": "02.03.2026"}).status_code == 302
    item.refresh_from_db()
    assert item.returned_on == date(2026, 3, 2)
    with pytest.raises(ValidationError):
        actions.return_belonging(belonging=item, returned_by=specialist, on=date(2026, 3, 2))
    client.force_login(specialist_b)
    assert client.get(url).status_code == 404


def test_belonging_returned_before_handed_over_refused_O9(pair, specialist):
    child, _ = pair
    item = actions.hand_over_belonging(
        recipient=child, accepted_by=specialist, description="Часы", on=date(2026, 3, 1)
    )
    with pytest.raises(ValidationError) as exc:
        actions.return_belonging(belonging=item, returned_by=specialist, on=date(2026, 2, 1))
    assert "раньше даты приёма" in str(exc.value)
