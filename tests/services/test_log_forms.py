"""Logging in the fewest steps: the services of the specialist's position in the form they are
given, the catalogue's duration pre-filled, children with age and department, a type-ahead
filter over long lists, and an error summary at the top of the form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from organisation.models import Position
from tests.conftest import login
from tests.factories import UserFactory
from tests.services.factories import service

pytestmark = pytest.mark.django_db


@pytest.fixture
def nurse(dept_a):
    return UserFactory(
        username="nurse_a", position=Position.NURSE, department=dept_a, education="medical"
    )


def _codes(response):
    """The services the form's list offers (the field still accepts any, for the reason)."""
    return {s.code for s in response.context["form"]._offered}


def test_the_group_form_offers_group_services_only_O3(client, psychologist, frozen_today):
    codes = _codes(login(client, psychologist).get(reverse("services:log_group")))
    assert {"3.1.2", "3.3.2", "3.4.2", "3.2"} <= codes  # group, or either way
    assert not codes & {"3.1.1", "3.3.1", "3.4.1"}  # individual only


def test_the_single_form_offers_no_group_only_service_O3(client, psychologist, frozen_today):
    codes = _codes(login(client, psychologist).get(reverse("services:log")))
    assert {"3.1.1", "3.2"} <= codes
    assert "3.1.2" not in codes


def test_a_nurse_is_not_offered_psychological_consultation(client, nurse, frozen_today):
    codes = _codes(login(client, nurse).get(reverse("services:log")))
    assert "2.2.1" in codes
    assert not {c for c in codes if c.startswith("3.")}


def test_the_duration_comes_from_the_catalogue_O29(client, nurse, frozen_today):
    login(client, nurse)
    response = client.get(reverse("services:log_group"), {"service": service("2.3.2").pk})
    assert response.context["form"]["duration_minutes"].value() == 15
    page = response.content.decode()
    assert f'value="{service("2.3.2").pk}" selected data-minutes="15"' in page
    assert 'data-duration-target="id_duration_minutes"' in page


def test_children_are_listed_with_age_and_department(client, nurse, child):
    page = login(client, nurse).get(reverse("services:log_group")).content.decode()
    assert "Орлов Иван" in page
    assert "9 лет, ОД" in page


def test_the_lists_have_a_type_ahead_filter(client, nurse, child):
    login(client, nurse)
    assert (
        'data-filter-for="div_id_recipients"'
        in client.get(reverse("services:log_group")).content.decode()
    )
    single = client.get(reverse("services:log")).content.decode()
    assert 'data-filter-for="id_recipient"' in single
    assert 'data-filter-for="id_service"' in single


def test_the_error_summary_links_to_each_field(client, nurse, child):
    response = login(client, nurse).post(
        reverse("services:log_group"), {"service": "", "date": "31.02.2026"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-testid="error-summary"' in page
    assert "Форма не сохранена: 5 ошибок" in page
    assert '<a href="#id_service" class="alert-link">Услуга</a>' in page
    assert '<a href="#div_id_recipients" class="alert-link">Дети</a>' in page
    assert '<a href="#id_date" class="alert-link">Дата</a>' in page
