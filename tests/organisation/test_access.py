"""Roles and department scoping: the one mechanism every view goes through."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.http import Http404

from organisation.access import ScopedQuerySet, get_object_for, scoped_queryset
from organisation.models import Position, Role
from recipients.models import Recipient
from tests.factories import RecipientFactory, UserFactory

CASE_APPS = {"recipients", "services", "patronage", "rehab_programs", "consilium"}


@pytest.mark.parametrize(
    ("position", "role"),
    [
        (Position.SOCIAL_WORK_SPECIALIST, Role.SPECIALIST),
        (Position.DISTRICT_SOCIAL_WORKER, Role.SPECIALIST),
        (Position.PSYCHOLOGIST, Role.SPECIALIST),
        (Position.SOCIAL_PEDAGOGUE, Role.SPECIALIST),
        (Position.NURSE, Role.SPECIALIST),
        (Position.PEDAGOGUE, Role.SPECIALIST),
        (Position.HEAD, Role.HEAD),
        (Position.DIRECTOR, Role.DIRECTOR),
        (Position.REGISTRAR, Role.REGISTRAR),
        (Position.ADMINISTRATOR, Role.ADMINISTRATOR),
    ],
)
def test_role_follows_from_position(position, role):
    assert UserFactory.build(position=position).role == role


@pytest.fixture
def child_a(dept_a):
    return RecipientFactory(department=dept_a, last_name="Орлов")


@pytest.fixture
def child_b(dept_b):
    return RecipientFactory(department=dept_b, last_name="Белов")


def test_specialist_and_head_see_only_their_department(specialist, head, child_a, child_b):
    for user in (specialist, head):
        assert list(Recipient.objects.visible_to(user)) == [child_a]


def test_director_sees_every_department(director, child_a, child_b):
    assert set(Recipient.objects.visible_to(director)) == {child_a, child_b}


def test_registrar_and_administrator_see_no_case_content(registrar, administrator, child_a):
    assert not Recipient.objects.visible_to(registrar).exists()
    assert not Recipient.objects.visible_to(administrator).exists()


def test_a_specialist_without_department_sees_nothing(db, child_a):
    # The database refuses such a user; an unsaved one still must not see anything.
    user = UserFactory.build(position=Position.PSYCHOLOGIST, department=None)
    user.is_active = True
    assert not Recipient.objects.visible_to(user).exists()


def test_anonymous_and_inactive_users_see_nothing(specialist, child_a):
    from django.contrib.auth.models import AnonymousUser

    assert not Recipient.objects.visible_to(AnonymousUser()).exists()
    specialist.is_active = False
    assert not Recipient.objects.visible_to(specialist).exists()


def test_get_object_for_answers_404_outside_the_scope(specialist, child_b):
    with pytest.raises(Http404):
        get_object_for(specialist, Recipient, child_b.pk)


def test_get_object_for_answers_404_for_a_bad_key(specialist):
    with pytest.raises(Http404):
        get_object_for(specialist, Recipient, "not-a-number")


def test_get_object_for_answers_403_to_a_reader_who_asks_to_write(director, specialist, child_a):
    assert get_object_for(director, Recipient, child_a.pk) == child_a
    with pytest.raises(PermissionDenied):
        get_object_for(director, Recipient, child_a.pk, write=True)
    assert get_object_for(specialist, Recipient, child_a.pk, write=True) == child_a


def test_scoping_refuses_a_model_without_a_scoped_queryset():
    from organisation.models import Department

    with pytest.raises(TypeError):
        scoped_queryset(Department)


def test_every_case_model_is_scoped_and_keeps_history():
    """A model of a case app that holds data about a child or family must be reachable only
    through visible_to(), and every change to it must be kept in history."""
    for model in apps.get_models():
        if model._meta.app_label not in CASE_APPS or model.__name__.startswith("Historical"):
            continue
        if getattr(model, "SCOPE_EXEMPT", False):  # reference data such as the catalogue
            continue
        assert isinstance(model._default_manager.all(), ScopedQuerySet), model
        assert hasattr(model, "history"), f"{model.__name__} keeps no history"


def test_role_permissions_come_from_the_role_table(director, head, specialist, administrator):
    assert director.has_perm("organisation.view_access_log")
    assert head.has_perm("organisation.audit_records")
    assert not specialist.has_perm("organisation.audit_records")
    assert administrator.has_perm("organisation.change_calendarday")
    assert not director.has_perm("organisation.change_calendarday")


def test_an_inactive_user_has_no_role_permissions(director):
    director.is_active = False
    assert not director.has_perm("organisation.view_access_log")
