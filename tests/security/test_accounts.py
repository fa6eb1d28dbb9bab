"""Issue 11, point 1: separation of duties. The administrator keeps accounts but cannot reach
case content by changing them — each escalation path of the attack report is a test here."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from organisation.models import Notification, NotificationEvent, Position, Role, User
from recipients.models import Recipient
from tests.factories import RecipientFactory, UserFactory


def admin_form(user: User, **changes: Any) -> dict[str, Any]:
    """The admin's user change form as the browser posts it, with some fields changed."""
    data: dict[str, Any] = {
        "username": user.username,
        "last_name": user.last_name,
        "first_name": user.first_name,
        "patronymic": user.patronymic,
        "position": user.position,
        "department": user.department_id or "",
        "email": user.email,
        "phone": user.phone,
        "is_active": "on" if user.is_active else "",
        # what an attacker adds by hand: the form must ignore all of it
        "is_superuser": "on",
        "is_staff": "on",
        "groups": [],
        "user_permissions": [],
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def add_head_account(client, administrator: User, department: Any):  # type: ignore[no-untyped-def]
    """The administrator adds «newhead», a head of `department`, in the admin's user form."""
    client.force_login(administrator)
    return client.post(
        reverse("admin:organisation_user_add"),
        {
            "username": "newhead",
            "password1": "Vr3menny-parol-2026",
            "password2": "Vr3menny-parol-2026",
            "usable_password": "true",
            "last_name": "Новикова",
            "first_name": "Ольга",
            "position": Position.HEAD,
            "department": department.pk,
        },
    )


def change_url(user: User) -> str:
    return reverse("admin:organisation_user_change", args=[user.pk])


def confirm(client, account: User) -> None:  # type: ignore[no-untyped-def]
    """«Подтвердить» on the director's list: the form names the position and department shown."""
    account = User.objects.get(pk=account.pk)
    client.post(
        reverse("staff_confirm", args=[account.pk]),
        {
            "decision": "confirm",
            "position": account.position,
            "department": account.department_id or "",
            "email": account.email,
        },
    )


def test_the_user_form_offers_no_superuser_flag_groups_or_permissions(
    client, administrator, specialist
):
    client.force_login(administrator)
    content = client.get(change_url(specialist)).content.decode()
    assert 'name="position"' in content
    for field in ("is_superuser", "is_staff", "groups", "user_permissions"):
        assert f'name="{field}"' not in content, field


def test_the_administrator_cannot_make_itself_a_superuser(client, administrator, dept_a):
    client.force_login(administrator)
    response = client.post(change_url(administrator), admin_form(administrator))
    assert response.status_code == 302
    administrator.refresh_from_db()
    assert not administrator.is_superuser


def test_per_user_and_group_permissions_grant_nothing(administrator, dept_a):
    """Rights come from the role table alone: a grant left in the database (or made in a
    shell) does not widen the administrator's role."""
    view_recipient = Permission.objects.get(codename="view_recipient")
    administrator.user_permissions.add(view_recipient)
    group = Group.objects.create(name="все права")
    group.permissions.add(view_recipient)
    administrator.groups.add(group)
    administrator = User.objects.get(pk=administrator.pk)  # no permission cache
    assert not administrator.has_perm("recipients.view_recipient")
    assert "recipients.view_recipient" not in administrator.get_all_permissions()
    RecipientFactory(department=dept_a)
    assert not Recipient.objects.visible_to(administrator).exists()


def test_the_administrator_cannot_change_its_own_position(client, administrator, dept_a):
    client.force_login(administrator)
    client.post(
        change_url(administrator),
        admin_form(administrator, position=Position.DIRECTOR, department=dept_a.pk),
    )
    administrator.refresh_from_db()
    assert administrator.position == Position.ADMINISTRATOR
    assert administrator.role == Role.ADMINISTRATOR


@pytest.mark.parametrize("position", [Position.HEAD, Position.DIRECTOR, Position.PSYCHOLOGIST])
def test_a_position_given_by_the_administrator_waits_for_the_director(
    client, administrator, director, specialist, dept_a, position
):
    RecipientFactory(department=dept_a)
    client.force_login(administrator)
    response = client.post(change_url(specialist), admin_form(specialist, position=position))
    assert response.status_code == 302
    specialist.refresh_from_db()
    assert specialist.awaiting_confirmation
    assert specialist.role == Role.NONE
    assert not Recipient.objects.visible_to(specialist).exists()
    assert not specialist.get_all_permissions()
    note = Notification.objects.get(user=director, event=NotificationEvent.ACCOUNT)
    assert "Подтвердите должность" in note.message

    client.force_login(director)
    page = client.get(reverse("staff_confirmations")).content.decode()
    assert specialist.username in page
    confirm(client, specialist)
    specialist.refresh_from_db()
    assert not specialist.awaiting_confirmation
    assert specialist.position == position
    assert Notification.objects.filter(user=specialist, event=NotificationEvent.ACCOUNT).exists()


def test_the_director_may_reject_a_position(client, administrator, director, specialist):
    client.force_login(administrator)
    client.post(change_url(specialist), admin_form(specialist, position=Position.HEAD))
    client.force_login(director)
    client.post(reverse("staff_confirm", args=[specialist.pk]), {"decision": "reject"})
    specialist.refresh_from_db()
    assert not specialist.is_active
    assert specialist.role == Role.NONE


def test_a_new_account_made_by_the_administrator_waits_and_has_a_temporary_password(
    client, administrator, director, dept_a
):
    response = add_head_account(client, administrator, dept_a)
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(username="newhead")
    assert user.role == Role.NONE
    assert user.must_change_password
    assert not user.is_superuser and not user.is_staff


def test_only_the_director_confirms(client, head, specialist):
    specialist.awaiting_confirmation = True
    specialist.save()
    client.force_login(head)
    assert client.get(reverse("staff_confirmations")).status_code == 403
    response = client.post(reverse("staff_confirm", args=[specialist.pk]))
    assert response.status_code == 403
    specialist.refresh_from_db()
    assert specialist.awaiting_confirmation


def test_a_password_set_by_the_administrator_is_temporary_and_the_owner_is_told(
    client, administrator, director
):
    # enrolled: a temporary password on an account without a second factor waits for the
    # director (tests/security/test_takeover.py)
    TOTPDevice.objects.create(user=director, name="app", confirmed=True)
    client.force_login(administrator)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[director.pk]),
        {"password1": "Zahvat-direktora-2026", "password2": "Zahvat-direktora-2026"},
    )
    assert response.status_code == 302
    director.refresh_from_db()
    assert director.must_change_password
    note = Notification.objects.get(user=director, event=NotificationEvent.ACCOUNT)
    assert "временный пароль" in note.message

    # signing in with it leads to the password page and nowhere else
    client.logout()
    client.post(
        reverse("login"), {"username": director.username, "password": "Zahvat-direktora-2026"}
    )
    assert client.get(reverse("recipients:list"))["Location"] == reverse("password_change")
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "Zahvat-direktora-2026",
            "new_password1": "Svoy-parol-direktora-77",
            "new_password2": "Svoy-parol-direktora-77",
        },
    )
    assert response.status_code == 302
    director.refresh_from_db()
    assert not director.must_change_password
    assert client.get(reverse("recipients:list")).status_code == 200


def test_a_superuser_account_is_out_of_the_administrators_reach(client, administrator):
    root = UserFactory(
        username="root", is_superuser=True, is_staff=True, position=Position.ADMINISTRATOR
    )
    root.department = None
    root.save()
    client.force_login(administrator)
    assert client.get(change_url(root)).status_code == 302  # «does not exist» redirect
    response = client.post(
        reverse("admin:auth_user_password_change", args=[root.pk]),
        {"password1": "Zahvat-root-2026-x", "password2": "Zahvat-root-2026-x"},
    )
    assert response.status_code in (302, 404)
    root.refresh_from_db()
    assert not root.check_password("Zahvat-root-2026-x")


def test_only_the_administrator_role_enters_the_admin_even_when_marked_staff(client, director):
    director.is_staff = True
    director.save()
    client.force_login(director)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_every_user_changes_their_own_password(client, specialist):
    client.force_login(specialist)
    assert client.get(reverse("password_change")).status_code == 200
    response = client.post(
        reverse("password_change"),
        {"old_password": "нет", "new_password1": "a", "new_password2": "b"},
    )
    assert response.status_code == 200
    assert "Текущий пароль введён неверно" in response.content.decode()
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "test-pass-123",
            "new_password1": "Novyi-parol-2026",
            "new_password2": "Novyi-parol-2026",
        },
    )
    assert response.status_code == 302
    specialist.refresh_from_db()
    assert specialist.check_password("Novyi-parol-2026")


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"position": Position.HEAD, "department": "DEPT"}, "demoted"),
        ({"is_active": ""}, "switched off"),
        ({"email": "chuzhoy@example.org"}, "held: a new e-mail waits for a director"),
    ],
)
def test_the_only_director_is_not_taken_away_by_the_administrator(
    client, administrator, director, dept_a, change, why
):
    """Separation of duties the other way round: the administrator could leave the centre
    without anyone to confirm positions (the director demoted, switched off, or held by a
    change that waits for a director). The form refuses it with the reason, the typed values
    kept; with a second confirmed director the same change goes through."""
    client.force_login(administrator)
    data = admin_form(director, **{k: dept_a.pk if v == "DEPT" else v for k, v in change.items()})
    response = client.post(change_url(director), data)
    assert response.status_code == 200, why
    page = response.content.decode()
    assert "единственный действующий директор" in page
    assert data.get("email", director.email) in page
    director.refresh_from_db()
    assert director.position == Position.DIRECTOR and director.is_active
    assert not director.awaiting_confirmation

    UserFactory(position=Position.DIRECTOR, department=None)
    response = client.post(change_url(director), data)
    assert response.status_code == 302, (why, response.context["adminform"].form.errors)
