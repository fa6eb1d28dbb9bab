"""Issue 11, point 1: the administrator cannot sign in as someone. A temporary password alone
is stopped by the owner's second factor, a reset second factor alone by the owner's password;
both together would open the account to whoever knows the temporary password, so the account
waits for the director (the second person) whichever of the two comes second."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from organisation.models import Notification, NotificationEvent, Role, User
from recipients.models import Recipient
from tests.factories import RecipientFactory
from tests.security.test_accounts import add_head_account, confirm


def set_password(client, account: User) -> None:
    response = client.post(
        reverse("admin:auth_user_password_change", args=[account.pk]),
        {"password1": "Zahvat-akkaunta-2026", "password2": "Zahvat-akkaunta-2026"},
    )
    assert response.status_code == 302


def reset_second_factor(client, account: User) -> None:
    response = client.post(
        reverse("admin:organisation_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [account.pk]},
    )
    assert response.status_code == 302


@pytest.mark.parametrize("order", ["password_first", "second_factor_first"])
def test_a_temporary_password_and_a_reset_second_factor_wait_for_the_director(
    client, administrator, director, head, dept_a, order
):
    RecipientFactory(department=dept_a)
    TOTPDevice.objects.create(user=head, name="app", confirmed=True)
    client.force_login(administrator)
    steps = [set_password, reset_second_factor]
    if order == "second_factor_first":
        steps.reverse()
    steps[0](client, head)
    head = User.objects.get(pk=head.pk)
    assert not head.awaiting_confirmation  # one of the two alone holds nothing
    steps[1](client, head)

    head = User.objects.get(pk=head.pk)
    assert head.awaiting_confirmation
    assert head.role == Role.NONE
    assert not Recipient.objects.visible_to(head).exists()
    notes = Notification.objects.filter(user=director, event=NotificationEvent.ACCOUNT)
    assert any("вход возможен без владельца" in n.message for n in notes)
    assert not any(".." in n.message for n in notes)

    client.force_login(director)
    confirm(client, head)
    head = User.objects.get(pk=head.pk)
    assert head.role == Role.HEAD


def test_a_temporary_password_for_an_enrolled_account_holds_nothing(
    client, administrator, specialist
):
    TOTPDevice.objects.create(user=specialist, name="app", confirmed=True)
    client.force_login(administrator)
    set_password(client, specialist)
    specialist = User.objects.get(pk=specialist.pk)
    assert specialist.must_change_password
    assert not specialist.awaiting_confirmation


def test_a_new_account_is_announced_to_the_director_once(client, administrator, director, dept_a):
    add_head_account(client, administrator, dept_a)
    assert User.objects.get(username="newhead").awaiting_confirmation
    assert Notification.objects.filter(user=director).count() == 1
