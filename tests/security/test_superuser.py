"""Issue 11, point 1: `manage.py createsuperuser` works with the custom User, and a superuser
reaches case content only as its role does: behind the second factor, through the policy, and
written to the access log."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from organisation import policy
from organisation.models import AccessLog, Position, Role, User
from tests.factories import RecipientFactory


@pytest.fixture
def superuser(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Длинный-пароль-2026")
    call_command(
        "createsuperuser",
        "--noinput",
        username="root",
        email="root@example.org",
        stdout=io.StringIO(),
    )
    return User.objects.get(username="root")


def test_createsuperuser_on_the_command_line_works(superuser):
    """The custom User needs a position (and a department for a department role): the
    command asks nothing more than Django's and the account gets the director's position."""
    assert superuser.is_superuser and superuser.is_staff
    assert superuser.position == Position.DIRECTOR
    assert superuser.department_id is None
    assert superuser.role == Role.DIRECTOR
    assert superuser.check_password("Длинный-пароль-2026")


def test_a_superuser_with_a_department_role_needs_its_department(db):
    with pytest.raises(ValueError, match="отделение"):
        User.objects.create_superuser("root2", "r@example.org", "x", position=Position.HEAD)


def test_a_superuser_may_only_what_its_role_may(superuser):
    """Django lets a superuser pass every permission check; the policy does not."""
    assert policy.may(superuser, "orders.approve_order")
    assert not policy.may(superuser, "services.log_service")
    assert not policy.may(superuser, "recipients.add_recipient")


def test_a_superuser_reads_case_content_only_after_the_second_factor(
    client, settings, superuser, dept_a
):
    settings.DEMO = False  # production: the second factor is asked
    child = RecipientFactory(department=dept_a)
    client.force_login(superuser)
    response = client.get(reverse("recipients:detail", args=[child.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("second_factor_setup"))
    assert not AccessLog.objects.exists()
    admin = client.get(reverse("admin:index"))
    assert admin.status_code == 302
    assert admin["Location"].startswith(reverse("second_factor_setup"))


def test_a_superusers_reading_of_case_content_is_in_the_access_log(client, superuser, dept_a):
    child = RecipientFactory(department=dept_a, last_name="Орлова")
    client.force_login(superuser)
    response = client.get(reverse("recipients:detail", args=[child.pk]), REMOTE_ADDR="10.9.8.7")
    assert response.status_code == 200
    row = AccessLog.objects.get()
    assert row.user == superuser
    assert row.recipient_id == child.pk
    assert row.address == "10.9.8.7"
