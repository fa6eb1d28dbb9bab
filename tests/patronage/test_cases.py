"""Patronage cases: opened from an appeal on a family, the specialist assigned (P6), scoping."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from organisation.models import Position
from patronage import actions
from patronage.models import PatronageCase, Visit, VisitKind
from recipients.models import Family
from tests.conftest import login
from tests.factories import FamilyFactory, UserFactory
from tests.patronage.factories import AppealFactory, case_with_appeal, registered_appeal


def open_url(appeal):
    return reverse("patronage:appeal_open_case", args=[appeal.pk])


def test_head_opens_a_case_on_a_new_family_from_the_appeal_P6(
    client, registrar, head, specialist, dept_a
):
    appeal = registered_appeal(registrar=registrar, department=dept_a, family_name="семья Орловых")
    response = login(client, head).post(
        open_url(appeal),
        {
            "new_family_name": "семья Орловых",
            "new_family_address": "ул. Лесная, 3",
            "specialist": specialist.pk,
            "opened_on": "02.03.2026",
        },
    )
    case = PatronageCase.objects.get()
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert case.family.name == "семья Орловых" and case.family.department == dept_a
    assert case.specialist == specialist
    appeal.refresh_from_db()
    assert appeal.case == case


def test_a_second_appeal_joins_the_open_case_of_the_family(registrar, head, dept_a):
    case = case_with_appeal(registrar=registrar, head=head, department=dept_a)
    again = registered_appeal(registrar=registrar, department=dept_a)
    joined = actions.open_case(appeal=again, opened_by=head, family=case.family)
    assert joined == case
    assert case.appeals.count() == 2
    assert PatronageCase.objects.count() == 1


def test_head_picks_only_families_of_the_department(client, registrar, head, dept_a, dept_b):
    appeal = registered_appeal(registrar=registrar, department=dept_a)
    foreign = FamilyFactory(department=dept_b)
    response = login(client, head).post(
        open_url(appeal), {"family": foreign.pk, "opened_on": "02.03.2026"}
    )
    assert response.status_code == 400
    assert "Выберите корректный вариант" in response.content.decode()
    assert not PatronageCase.objects.exists()


def test_an_unregistered_appeal_cannot_open_a_case_P4(head, dept_a):
    appeal = AppealFactory(department=dept_a)
    with pytest.raises(ValidationError, match="зарегистрируйте"):
        actions.open_case(appeal=appeal, opened_by=head, new_family_name="семья Н")


def test_case_needs_a_family(client, registrar, head, dept_a):
    appeal = registered_appeal(registrar=registrar, department=dept_a)
    response = login(client, head).post(
        open_url(appeal), {"new_family_name": "", "opened_on": "02.03.2026"}
    )
    assert response.status_code == 400
    assert "Выберите семью или укажите название новой семьи" in response.content.decode()


def test_registrar_and_specialist_cannot_open_cases(client, registrar, specialist, dept_a):
    appeal = registered_appeal(registrar=registrar, department=dept_a)
    for user in (registrar, specialist):
        response = login(client, user).post(
            open_url(appeal), {"new_family_name": "семья Н", "opened_on": "02.03.2026"}
        )
        assert response.status_code == 403


def test_head_of_another_department_gets_404(client, registrar, head_b, dept_a):
    appeal = registered_appeal(registrar=registrar, department=dept_a)
    response = login(client, head_b).post(
        open_url(appeal), {"new_family_name": "семья Н", "opened_on": "02.03.2026"}
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("position", "assigned", "visits"),
    [
        (Position.SOCIAL_WORK_SPECIALIST, True, True),
        (Position.DISTRICT_SOCIAL_WORKER, True, True),
        (Position.PSYCHOLOGIST, False, True),
        (Position.NURSE, False, True),
        (Position.SOCIAL_PEDAGOGUE, False, True),
        (Position.PEDAGOGUE, False, False),
    ],
)
def test_only_the_positions_of_the_sop_are_assigned_P6_P11(
    registrar, head, dept_a, position, assigned, visits
):
    """P6: the specialist assigned to the family is a social work specialist or a district
    social worker; P11: a psychologist, nurse or social pedagogue takes part in visits."""
    case = case_with_appeal(registrar=registrar, head=head, department=dept_a)
    worker = UserFactory(position=position, department=dept_a)
    if assigned:
        actions.assign_specialist(case=case, specialist=worker, assigned_by=head)
        assert case.specialist == worker
    else:
        with pytest.raises(ValidationError, match="закрепляется специалист по социальной работе"):
            actions.assign_specialist(case=case, specialist=worker, assigned_by=head)
    visit = Visit(case=case, kind=VisitKind.PRIMARY, specialist=worker, planned_on=date(2026, 3, 4))
    if visits:
        assert actions.plan_visit(visit=visit, planned_by=head).pk
    else:
        with pytest.raises(ValidationError, match="Посещения семьи проводят"):
            actions.plan_visit(visit=visit, planned_by=head)


def test_a_specialist_of_another_department_is_not_assigned_P6(
    registrar, head, dept_a, specialist_b
):
    case = case_with_appeal(registrar=registrar, head=head, department=dept_a)
    with pytest.raises(ValidationError, match="отделении семьи"):
        actions.assign_specialist(case=case, specialist=specialist_b, assigned_by=head)


def test_head_assigns_through_the_case_page_P6(
    client, registrar, head, specialist, psychologist, dept_a
):
    case = case_with_appeal(registrar=registrar, head=head, department=dept_a)
    response = login(client, head).post(
        reverse("patronage:case_assign", args=[case.pk]), {"specialist": psychologist.pk}
    )
    case.refresh_from_db()
    assert case.specialist is None  # P6: a psychologist is not offered for assignment
    response = login(client, head).post(
        reverse("patronage:case_assign", args=[case.pk]), {"specialist": specialist.pk}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.specialist == specialist


def test_specialist_sees_the_cases_of_their_department_only(
    client, registrar, head, specialist, specialist_b, dept_a
):
    case = case_with_appeal(registrar=registrar, head=head, department=dept_a)
    url = reverse("patronage:case_detail", args=[case.pk])
    assert login(client, specialist).get(url).status_code == 200
    assert case in login(client, specialist).get(reverse("patronage:case_list")).context["page_obj"]
    assert login(client, specialist_b).get(url).status_code == 404
    assert case not in client.get(reverse("patronage:case_list")).context["page_obj"]


def test_my_cases_are_those_assigned_to_me(client, registrar, head, specialist, dept_a):
    mine = case_with_appeal(
        registrar=registrar, head=head, department=dept_a, specialist=specialist
    )
    district = UserFactory(position=Position.DISTRICT_SOCIAL_WORKER, department=dept_a)
    other_appeal = registered_appeal(registrar=registrar, department=dept_a)
    other = actions.open_case(
        appeal=other_appeal, opened_by=head, new_family_name="семья Другая", specialist=district
    )
    cases = list(
        login(client, specialist)
        .get(reverse("patronage:case_list"), {"show": "mine"})
        .context["page_obj"]
    )
    assert cases == [mine]
    assert other not in cases


def test_director_sees_all_and_registrar_none(client, registrar, head, director, dept_a):
    case = case_with_appeal(registrar=registrar, head=head, department=dept_a)
    url = reverse("patronage:case_detail", args=[case.pk])
    assert login(client, director).get(url).status_code == 200
    assert login(client, registrar).get(url).status_code == 403
    assert login(client, registrar).get(reverse("patronage:case_list")).status_code == 403


def test_closing_a_case_with_planned_visits_is_refused(registrar, head, specialist, dept_a):
    case = case_with_appeal(
        registrar=registrar, head=head, department=dept_a, specialist=specialist
    )
    from tests.patronage.factories import planned_visit

    planned_visit(case=case, specialist=specialist)
    with pytest.raises(ValidationError, match="запланированные посещения"):
        actions.close_case(case=case, closed_on=date(2026, 3, 5), reason="x", closed_by=head)


def test_the_registrar_does_not_reach_families(registrar):
    """The registrar names the family in free text: no family is visible to that role."""
    FamilyFactory()
    assert not Family.objects.visible_to(registrar).exists()


def test_case_views_refuse_wrong_methods_and_anonymous(client, registrar, head, dept_a):
    case = case_with_appeal(registrar=registrar, head=head, department=dept_a)
    assert client.get(reverse("patronage:case_list")).status_code == 302
    login(client, head)
    assert client.get(reverse("patronage:case_assign", args=[case.pk])).status_code == 405
    assert client.get(reverse("patronage:case_close", args=[case.pk])).status_code == 405
    assert client.post(reverse("patronage:case_detail", args=[case.pk])).status_code == 405


def test_the_case_list_finds_a_family_by_name_or_address_case_and_yo_folded(
    client, registrar, head, specialist, dept_a
):
    case = case_with_appeal(registrar=registrar, head=head, department=dept_a)
    family = case.family
    family.name = "Семья Ёлкиных"
    family.address = "ул. Садовая, 5"
    family.save()
    login(client, head)
    for q in ("елкиных", "ЁЛКИН", "садовая"):
        response = client.get(reverse("patronage:case_list"), {"q": q, "show": "all"})
        assert [c.pk for c in response.context["page_obj"]] == [case.pk], q
    response = client.get(reverse("patronage:case_list"), {"q": "Петров", "show": "all"})
    assert list(response.context["page_obj"]) == []


def test_a_refused_closing_keeps_the_form_and_the_typed_reason(client, registrar, head, dept_a):
    """Bad input to closing a case: the form again, the message next to the date, the reason
    typed still there."""
    case = case_with_appeal(registrar=registrar, head=head, department=dept_a)
    url = reverse("patronage:case_close", args=[case.pk])
    response = login(client, head).post(
        url, {"closed_on": "01.01.1900", "reason": "Семья переехала в Курск"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["closed_on"]
    body = response.content.decode()
    assert "Семья переехала в Курск" in body and "01.01.1900" in body
    case.refresh_from_db()
    assert case.closed_on is None


def test_a_refused_assignment_keeps_the_form(client, registrar, head, psychologist, dept_a):
    case = case_with_appeal(registrar=registrar, head=head, department=dept_a)
    response = login(client, head).post(
        reverse("patronage:case_assign", args=[case.pk]), {"specialist": psychologist.pk}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["specialist"]
