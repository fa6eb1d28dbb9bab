"""Issue 11, points 2 and 5: the second factor, idle sessions, lockout, long usernames."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from organisation.models import Notification, NotificationEvent

PASSWORD = "test-pass-123"


@pytest.fixture
def second_factor_on(settings):
    settings.DEMO = False


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in(client, user, password: str = PASSWORD):
    return client.post(reverse("login"), {"username": user.username, "password": password})


def test_the_second_factor_is_enrolled_at_the_first_sign_in(client, specialist, second_factor_on):
    sign_in(client, specialist)
    response = client.get(reverse("recipients:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("second_factor_setup"))
    page = client.get(response["Location"])
    assert "<svg" in page.content.decode()  # the QR code, drawn in the page

    device = TOTPDevice.objects.get(user=specialist, confirmed=False)
    wrong = client.post(reverse("second_factor_setup"), {"code": "000000"})
    assert "Код не подошёл" in wrong.content.decode()
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=5)):  # after the throttle
        done = client.post(
            reverse("second_factor_setup"), {"code": code_for(device), "next": "/recipients/"}
        )
    assert done.status_code == 200
    assert len(done.context["codes"]) == 10
    assert client.get(reverse("recipients:list")).status_code == 200


def test_the_next_sign_in_asks_for_the_code_and_a_recovery_code_works_once(
    client, specialist, second_factor_on
):
    device = TOTPDevice.objects.create(user=specialist, name="app", confirmed=True)
    from organisation import second_factor

    codes = second_factor.new_recovery_codes(specialist)
    sign_in(client, specialist)
    response = client.get(reverse("home"))
    assert response["Location"].startswith(reverse("second_factor_verify"))
    assert client.get(reverse("recipients:list")).status_code == 302

    wrong = client.post(reverse("second_factor_verify"), {"code": "123456"})
    assert "Код не подошёл" in wrong.content.decode()
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=5)):  # after the throttle
        ok = client.post(reverse("second_factor_verify"), {"code": code_for(device)})
        assert ok.status_code == 302
        assert client.get(reverse("recipients:list")).status_code == 200

    client.logout()
    sign_in(client, specialist)
    client.post(reverse("second_factor_verify"), {"code": codes[0]})
    assert client.get(reverse("recipients:list")).status_code == 200
    assert not StaticToken.objects.filter(token=codes[0]).exists()  # used up


@pytest.mark.parametrize("role", ["head", "director", "registrar", "administrator"])
def test_every_role_passes_the_second_factor(client, request, role, second_factor_on):
    user = request.getfixturevalue(role)
    sign_in(client, user)
    assert client.get(reverse("home"))["Location"].startswith(reverse("second_factor_setup"))


def test_the_demo_mode_asks_no_code(client, specialist, settings):
    settings.DEMO = True
    sign_in(client, specialist)
    assert client.get(reverse("home")).status_code == 200


def test_only_the_administrator_resets_a_second_factor_and_owner_and_director_are_told(
    client, administrator, director, specialist, head
):
    TOTPDevice.objects.create(user=specialist, name="app", confirmed=True)
    client.force_login(head)
    response = client.post(
        reverse("admin:organisation_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [specialist.pk]},
    )
    assert response.status_code == 302 and "login" in response["Location"]
    assert TOTPDevice.objects.filter(user=specialist).exists()

    client.force_login(administrator)
    client.post(
        reverse("admin:organisation_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [specialist.pk]},
    )
    assert not TOTPDevice.objects.filter(user=specialist).exists()
    told = Notification.objects.filter(event=NotificationEvent.ACCOUNT)
    assert told.filter(user=specialist, message__contains="сбросил ваш второй фактор").exists()
    assert told.filter(user=director, message__contains="сбросил второй фактор").exists()
    assert LogEntry.objects.filter(
        object_id=str(specialist.pk), change_message__contains="второй фактор"
    ).exists()


def test_an_idle_session_ends_after_thirty_minutes(client, specialist, settings):
    assert settings.SESSION_IDLE_MINUTES == 30
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        sign_in(client, specialist)
        traveller.shift(dt.timedelta(minutes=25))
        assert client.get(reverse("home")).status_code == 200  # activity moves the expiry
        traveller.shift(dt.timedelta(minutes=25))
        assert client.get(reverse("home")).status_code == 200
        traveller.shift(dt.timedelta(minutes=31))
        response = client.get(reverse("home"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_failures_from_many_addresses_lock_the_account(client, specialist, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("login"),
            {"username": specialist.username, "password": "wrong"},
            REMOTE_ADDR=f"10.0.0.{n + 1}",
        )
    response = client.post(
        reverse("login"),
        {"username": specialist.username, "password": PASSWORD},
        REMOTE_ADDR="10.0.1.99",
    )
    assert response.status_code == 429


def test_a_username_longer_than_the_field_is_a_failed_login(client, specialist, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(
            reverse("login"), {"username": specialist.username + "x" * 300, "password": "x"}
        )
        assert response.status_code in (200, 429)
    assert response.status_code in (200, 429)
    from axes.models import AccessAttempt

    assert AccessAttempt.objects.exists()
