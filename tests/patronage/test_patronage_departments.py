"""P12: social patronage is done by the day-stay department and the rehabilitation department for
children with disabilities; other departments get no appeals and no cases."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from organisation import demo
from organisation.models import Department
from patronage import actions
from patronage.models import Appeal, PatronageCase
from tests.conftest import login
from tests.factories import DepartmentFactory
from tests.patronage.factories import AppealFactory, registered_appeal
from tests.patronage.test_appeals import NEW, form_data


@pytest.fixture
def no_patronage(db):
    return DepartmentFactory(name="Отделение социальной диагностики", does_patronage=False)


def test_a_new_department_does_no_patronage_by_default_P12(db):
    assert Department.objects.create(name="Отделение приёма").does_patronage is False


@time_machine.travel(date(2026, 3, 10))
def test_appeal_form_offers_only_patronage_departments_P12(client, registrar, dept_a, no_patronage):
    response = login(client, registrar).get(NEW)
    choices = list(response.context["form"].fields["department"].queryset)
    assert dept_a in choices and no_patronage not in choices


@time_machine.travel(date(2026, 3, 10))
def test_appeal_to_a_department_without_patronage_is_refused_P12(client, registrar, no_patronage):
    response = login(client, registrar).post(NEW, form_data(no_patronage))
    assert response.status_code == 200
    assert response.context["form"].errors["department"]
    assert not Appeal.objects.exists()


def test_log_appeal_refuses_a_department_without_patronage_P12(registrar, no_patronage):
    appeal = AppealFactory.build(department=no_patronage)
    with pytest.raises(ValidationError) as exc:
        actions.log_appeal(appeal=appeal, logged_by=registrar)
    assert "не ведёт социальный патронаж" in str(exc.value.message_dict["department"])


@time_machine.travel(date(2026, 3, 10))
def test_no_case_opens_in_a_department_that_stopped_patronage_P12(client, registrar, head, dept_a):
    appeal = registered_appeal(registrar=registrar, department=dept_a)
    dept_a.does_patronage = False
    dept_a.save()
    with pytest.raises(ValidationError, match="не ведёт социальный патронаж"):
        actions.open_case(appeal=appeal, opened_by=head, new_family_name="семья Н")
    url = reverse("patronage:appeal_open_case", args=[appeal.pk])
    response = login(client, head).post(
        url, {"new_family_name": "семья Н", "opened_on": "05.03.2026"}
    )
    assert response.status_code == 400
    assert "не ведёт социальный патронаж" in response.content.decode()
    assert not PatronageCase.objects.exists()


def test_demo_departments_do_patronage_P12(db):
    import io

    demo.load(io.StringIO())
    names = [name for name, _ in demo.DEPARTMENTS.values()]
    assert Department.objects.filter(name__in=names, does_patronage=True).count() == len(names)
