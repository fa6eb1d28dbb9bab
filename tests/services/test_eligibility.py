"""Who may give a service (O31) and who may receive it (O32), from the rows of the Order's table."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from organisation.models import PROVIDER_POSITIONS, Education, Position
from recipients.forms import RecipientForm
from services import actions
from services.eligibility import may_provide, may_receive
from services.models import Service, ServiceRecord
from tests.conftest import login
from tests.factories import UserFactory
from tests.services.factories import (
    DISABLED,
    EnrolledRecipientFactory,
    ProgrammeFactory,
    service,
)

pytestmark = pytest.mark.django_db
DAY = date(2026, 11, 19)


def _errors(exc_info) -> dict[str, list[str]]:
    return exc_info.value.message_dict


def _no_internal_ids(message: str) -> None:
    for token in ("O31", "O32", "provider_", "recipient_condition", "social_work", "medical"):
        assert token not in message


# --- O31: who provides --------------------------------------------------------------------


def test_every_service_of_the_catalogue_names_its_providers_O31():
    leaves = Service.objects.leaves()
    assert leaves.count() == 43
    for s in leaves:
        assert s.provider_positions, s.code
        assert set(s.provider_positions) <= set(PROVIDER_POSITIONS), s.code
        assert s.providers_basis, s.code
    assert Service.objects.get(code="2.2.1").provider_education == Education.MEDICAL
    assert Service.objects.get(code="3.1.1").provider_positions == [Position.PSYCHOLOGIST]


def test_health_procedures_need_medical_education_O31(child, dept_a):
    """2.2: «специалистами …, имеющими медицинское образование»."""
    nurse = UserFactory(username="nurse", position=Position.NURSE, department=dept_a)
    kwargs = {
        "recipient": child,
        "service": service("2.2.1"),
        "date": DAY,
        "duration_minutes": 5,
        "reason_outside_programme": "жалоба на недомогание",
    }
    with pytest.raises(ValidationError) as exc:
        actions.log_service(provider=nurse, **kwargs)
    [message] = _errors(exc)["service"]
    assert message == (
        "Услугу 2.2.1 оказывают только сотрудники с медицинским образованием; "
        "в вашей карточке сотрудника оно не указано."
    )
    _no_internal_ids(message)
    nurse.education = Education.MEDICAL
    nurse.save(update_fields=["education"])
    assert actions.log_service(provider=nurse, **kwargs).provider == nurse


def test_psychological_services_only_by_the_psychologist_O31(child, specialist, psychologist):
    """3.x: «в кабинете педагога — психолога»; a social work specialist is refused."""
    kwargs = {
        "recipient": child,
        "service": service("3.2"),
        "date": DAY,
        "duration_minutes": 20,
        "reason_outside_programme": "острая ситуация",
    }
    with pytest.raises(ValidationError) as exc:
        actions.log_service(provider=specialist, **kwargs)
    [message] = _errors(exc)["service"]
    assert message == (
        "Услугу 3.2 оказывает психолог; ваша должность — специалист по социальной работе."
    )
    _no_internal_ids(message)
    assert not ServiceRecord.objects.exists()
    assert actions.log_service(provider=psychologist, **kwargs).pk


def test_a_group_session_checks_its_provider_O31(dept_a, specialist, frozen_today):
    children = EnrolledRecipientFactory.create_batch(2, department=dept_a)
    with pytest.raises(ValidationError) as exc:
        actions.log_group_service(
            recipients=children,
            service=service("3.4.2"),
            provider=specialist,
            date=DAY,
            duration_minutes=40,
            reason_outside_programme="по рекомендации консилиума",
        )
    assert "оказывает психолог" in _errors(exc)["service"][0]


def test_the_form_shows_the_providers_reason_next_to_the_service_O31(client, specialist, child):
    response = login(client, specialist).post(
        reverse("services:log"),
        {
            "recipient": child.pk,
            "service": service("3.2").pk,
            "date": "19.11.2026",
            "duration_minutes": "20",
            "reason_outside_programme": "острая ситуация",
        },
    )
    assert response.status_code == 400
    assert "оказывает психолог" in response.context["form"].errors["service"][0]


def test_an_urgent_act_takes_only_services_its_provider_gives_O31(child, dept_a):
    head = UserFactory(username="head_x", position=Position.HEAD, department=dept_a)
    with pytest.raises(ValidationError) as exc:
        actions.draw_up_urgent_act(
            recipient=child,
            provider=head,
            date=DAY,
            services=[service("С.1")],
            conditions="ребёнок пришёл голодным",
        )
    assert "Услугу С.1 оказывает" in _errors(exc)["services"][0]


@pytest.mark.parametrize("position", PROVIDER_POSITIONS)
@pytest.mark.parametrize("education", ["", Education.MEDICAL])
def test_the_services_a_position_gives_are_the_ones_it_may_log_O31(position, education):
    """`providable_by` (for the logging forms) and `may_provide` (the refusal) agree."""
    user = UserFactory.build(position=position, education=education)
    listed = set(Service.objects.leaves().providable_by(user).values_list("code", flat=True))
    allowed = {s.code for s in Service.objects.leaves() if not may_provide(user, s)}
    assert listed == allowed
    assert ("2.2.1" in listed) == (education == Education.MEDICAL)


# --- O32: who receives --------------------------------------------------------------------


def test_category_7_only_for_limitations_of_life_activity_O32(dept_a, frozen_today):
    teacher = UserFactory(username="teacher", position=Position.PEDAGOGUE, department=dept_a)
    plain = EnrolledRecipientFactory(department=dept_a, last_name="Петров")
    limited = EnrolledRecipientFactory(
        department=dept_a,
        last_name="Сидоров",
        has_life_limitations=True,
        health_document="заключение ПМПК № 45 от 01.02.2025",
    )
    kwargs = {
        "service": service("7.1.1"),
        "provider": teacher,
        "date": DAY,
        "duration_minutes": 30,
        "reason_outside_programme": "по рекомендации специалистов",
    }
    with pytest.raises(ValidationError) as exc:
        actions.log_service(recipient=plain, **kwargs)
    [message] = _errors(exc)["recipient"]
    assert message.startswith("Услуга 7.1.1 оказывается детям с ограничениями жизнедеятельности")
    _no_internal_ids(message)
    assert actions.log_service(recipient=limited, **kwargs).pk


def test_a_disability_counts_only_with_its_document_in_force_O32(dept_a, frozen_today):
    s = service("7.1.2")
    child = EnrolledRecipientFactory(department=dept_a, has_disability=True)
    assert "нет ограничений или инвалидности" in may_receive(child, s, on=DAY)
    child.health_document = "справка МСЭ серия МСЭ-2024 № 1234567"
    child.health_status_until = date(2026, 11, 18)
    assert "действующим на 19.11.2026" in may_receive(child, s, on=DAY)
    child.health_status_until = date(2026, 11, 19)
    assert may_receive(child, s, on=DAY) == ""


def test_social_labour_services_for_disabled_minors_only_O32(dept_a, specialist, frozen_today):
    limited = EnrolledRecipientFactory(
        department=dept_a,
        birth_date=date(2010, 1, 1),
        has_life_limitations=True,
        health_document="заключение ПМПК № 7",
    )
    disabled = EnrolledRecipientFactory(department=dept_a, birth_date=date(2010, 1, 1), **DISABLED)
    s = service("5.1.1")
    assert "детям-инвалидам" in may_receive(limited, s, on=DAY)
    assert may_receive(disabled, s, on=DAY) == ""


def test_hygiene_services_are_not_restricted_to_disabled_children_O32(child, specialist):
    """1.7: «с учетом их возраста, состояния здоровья» — not only for disabled children."""
    record = actions.log_service(
        recipient=child,
        service=service("1.7.1"),
        provider=specialist,
        date=DAY,
        duration_minutes=5,
        reason_outside_programme="после прогулки",
    )
    assert record.pk
    assert service("1.7.1").recipient_condition == ""


def test_a_programme_does_not_plan_a_service_the_child_may_not_receive_O32(child, head):
    programme = ProgrammeFactory(recipient=child)
    with pytest.raises(ValidationError) as exc:
        actions.plan_service(
            programme=programme, service=service("7.1.2"), count=2, per="week", planned_by=head
        )
    assert "ограничениями жизнедеятельности" in _errors(exc)["service"][0]


def test_the_card_form_asks_for_the_supporting_document_O32():
    form = RecipientForm(data={"has_life_limitations": True, "health_document": " "})
    form.is_valid()
    assert "Укажите документ" in form.errors["health_document"][0]
    form = RecipientForm(data={"has_disability": False, "health_document": "справка МСЭ № 1"})
    form.is_valid()
    assert "не отмечено" in form.errors["has_life_limitations"][0]


def test_the_card_shows_the_status_with_its_document_O32(client, specialist, dept_a, frozen_today):
    child = EnrolledRecipientFactory(
        department=dept_a,
        has_life_limitations=True,
        health_document="заключение ПМПК № 45 от 01.02.2025",
        health_status_until=date(2027, 2, 1),
    )
    page = login(client, specialist).get(child.get_absolute_url()).content.decode()
    assert "ограничения жизнедеятельности" in page
    assert "заключение ПМПК № 45 от 01.02.2025, до 01.02.2027" in page
