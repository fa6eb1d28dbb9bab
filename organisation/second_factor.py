"""The second factor (issue 11, point 2): a one-time code from an authenticator app (TOTP,
django-otp) after the password, with ten single-use recovery codes.

Everyone with a role signs in with it; it is enrolled at the first sign-in. Only the
administrator resets it, as an action logged in the admin's history and told to the owner
and to the director. With `DEMO=true` (allowed only together with `DEBUG`, see
config/settings.py) no code is asked, so the demo logins work without a phone.
"""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from organisation import accounts
from organisation.models import User

RECOVERY_CODES = 10
APP_DEVICE_NAME = "Приложение-аутентификатор"
RECOVERY_DEVICE_NAME = "Коды восстановления"


def required() -> bool:
    return not getattr(settings, "DEMO", False)


def is_enrolled(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def describe(user: User) -> str:
    if not user.pk:
        return "—"
    if is_enrolled(user):
        left = StaticToken.objects.filter(device__user=user).count()
        return f"настроен (приложение; кодов восстановления: {left})"
    return "не настроен: будет настроен при следующем входе"


def pending_device(user: User) -> TOTPDevice:
    """The unconfirmed app device being enrolled, made once per enrolment."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def qr_svg(device: TOTPDevice) -> str:
    import qrcode
    import qrcode.image.svg

    out = io.BytesIO()
    qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage).save(out)
    svg = out.getvalue().decode()
    return svg[svg.index("<svg") :]  # inline in the page: no XML declaration


def secret_base32(device: TOTPDevice) -> str:
    from base64 import b32encode

    raw = b32encode(device.bin_key).decode()
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


@transaction.atomic
def confirm_enrolment(*, user: User, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the app device with its first code; returns the fresh recovery codes."""
    if not device.verify_token(token):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    return new_recovery_codes(user)


@transaction.atomic
def new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
    return codes


def verify(user: User, token: str) -> TOTPDevice | StaticDevice | None:
    """The device that accepts this code: six digits are the app's, anything else a recovery
    code (used once). Each device throttles its own failures (django-otp)."""
    token = "".join(token.split())
    model: type[TOTPDevice] | type[StaticDevice] = (
        TOTPDevice if token.isdigit() and len(token) == 6 else StaticDevice
    )
    for device in model.objects.filter(user=user, confirmed=True):
        with transaction.atomic():
            locked = model.objects.select_for_update().get(pk=device.pk)
            if locked.verify_token(token):
                return locked
    return None


@transaction.atomic
def reset_by_administrator(*, account: User, reset_by: User) -> None:
    """Remove the account's devices: the owner enrols again at the next sign-in. The owner and
    the director are told; the admin's history keeps who did it and when."""
    TOTPDevice.objects.filter(user=account).delete()
    StaticDevice.objects.filter(user=account).delete()
    accounts.hold_if_open_without_owner(account=account, changed_by=reset_by)
    accounts.notify_account(
        user=account,
        message=f"Администратор {reset_by} сбросил ваш второй фактор входа. При следующем входе "
        "настройте приложение заново. Если вы об этом не просили, сообщите директору.",
    )
    for director in accounts.directors():
        if director.pk == account.pk:
            continue
        accounts.notify_account(
            user=director,
            # «Кузнецова И. В.» ends the sentence with its own full stop
            message=f"Администратор {reset_by} сбросил второй фактор входа сотрудника "
            f"{(account.short_name or account.username).rstrip('.')}.",
        )
