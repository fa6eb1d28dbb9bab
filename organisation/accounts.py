"""Account workflows: separation of duties between the administrator and the director.

The administrator keeps accounts (issue 11, point 1) but never reaches case content through
them: a position or department given by anyone but the director waits for the director's
confirmation (until then the account has no role and sees nothing); a password set by the
administrator is temporary; the owner of the account — and for second-factor resets the
director — is told through the notifications under the bell.
"""

from __future__ import annotations

import uuid

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from organisation import policy
from organisation.models import Notification, NotificationEvent, Position, User

ACCOUNT_KIND = "account"


def notify_account(*, user: User, message: str, url: str = "") -> Notification:
    """An account event for one user: under the bell at once, by e-mail with the next run of
    the notification job (the existing machinery, organisation/actions.py)."""
    return Notification.objects.create(
        user=user,
        kind=ACCOUNT_KIND,
        item_key=uuid.uuid4().hex,
        event=NotificationEvent.ACCOUNT,
        due=timezone.localdate(),
        message=message[:500],
        url=url,
    )


def directors() -> list[User]:
    return list(
        User.objects.filter(position=Position.DIRECTOR, is_active=True, awaiting_confirmation=False)
    )


def may_grant_access(user: User) -> bool:
    """Only the director (or a command-line superuser) gives positions that reach case content."""
    return bool(user.is_superuser or policy.may(user, "organisation.confirm_position"))


def needs_confirmation(*, account: User, changed_by: User, is_new: bool, changed: set[str]) -> bool:
    """A new account, a change of position, department or e-mail (the letters of the
    notifications name children), or an account switched back on (its role would return at
    once), made by someone who may not grant access, waits for the director — unless the
    account becomes an administrator (reference data only)."""
    if may_grant_access(changed_by):
        return False
    switched_on = "is_active" in changed and account.is_active
    if not is_new and not switched_on and not ({"position", "department", "email"} & changed):
        return False
    return account.position != Position.ADMINISTRATOR


# What the administrator is told when a change would leave nobody to confirm positions
LAST_DIRECTOR = (
    "Это единственный действующий директор: после такого изменения некому будет подтверждать "
    "должности, и учётная запись директора останется без роли. Сначала заведите учётную запись "
    "нового директора и дождитесь, пока директор её подтвердит."
)


def leaves_no_director(
    *, account: User, changed_by: User, changed: set[str], position: str, is_active: bool
) -> bool:
    """Whether a change of `account` (the form's new `position` and `is_active`, the names of
    the fields it changes) takes away the centre's last confirmed director: a director demoted
    or switched off, or held for confirmation by a change of department or e-mail that
    someone else made (`needs_confirmation`) — with no other director, nobody but a
    command-line superuser could confirm anything again."""
    if not (
        account.pk
        and account.position == Position.DIRECTOR
        and account.is_active
        and not account.awaiting_confirmation
    ):
        return False
    held = not may_grant_access(changed_by) and bool({"department", "email"} & changed)
    if position == Position.DIRECTOR and is_active and not held:
        return False
    return not any(d.pk != account.pk for d in directors())


@transaction.atomic
def request_confirmation(*, account: User, requested_by: User, reason: str = "") -> None:
    """Hold the account until the director confirms its position and department."""
    User.objects.filter(pk=account.pk).update(awaiting_confirmation=True)
    account.awaiting_confirmation = True
    where = f", {account.department}" if account.department_id else ""
    for director in directors():
        notify_account(
            user=director,
            message=f"Подтвердите должность сотрудника {account.short_name or account.username}: "
            f"{account.get_position_display()}{where} (изменил {requested_by}{reason}).",
            url=reverse("staff_confirmations"),
        )


def hold_if_open_without_owner(*, account: User, changed_by: User) -> None:
    """A temporary password and a reset second factor together let whoever knows the password
    enrol a phone of their own and sign in as the owner: whichever of the two comes second,
    the account waits for the director, who confirms it once the owner has signed in."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if may_grant_access(changed_by) or account.position == Position.ADMINISTRATOR:
        return
    # (an account already waiting — a new one — is not announced to the director twice)
    open_to_holder = User.objects.filter(
        pk=account.pk, must_change_password=True, awaiting_confirmation=False
    ).exists()
    enrolled = TOTPDevice.objects.filter(user=account, confirmed=True).exists()
    if open_to_holder and not enrolled:
        request_confirmation(
            account=account,
            requested_by=changed_by,
            reason=": временный пароль и сброшенный второй фактор — вход возможен без владельца",
        )


class ChangedMeanwhile(Exception):
    """The account's position, department or e-mail is no longer what the director saw."""


@transaction.atomic
def confirm_position(*, account: User, confirmed_by: User, seen: tuple[str, str, str]) -> None:
    """Confirm the position, department and e-mail the director saw (`seen`: as the list
    showed them, the department's id as text): if the administrator changed any of them since
    (the row is locked and read again), nothing is confirmed."""
    if not may_grant_access(confirmed_by):
        raise PermissionError("Подтверждает должность только директор.")
    current = User.objects.select_for_update().get(pk=account.pk)
    if seen != (current.position, str(current.department_id or ""), current.email):
        raise ChangedMeanwhile(
            f"Должность, отделение или адрес сотрудника {account} изменились, пока была открыта "
            "страница. Проверьте их и подтвердите снова."
        )
    account.awaiting_confirmation = False
    account.save(update_fields=["awaiting_confirmation"])
    notify_account(
        user=account,
        message=f"Директор подтвердил вашу должность: {account.get_position_display()}.",
    )


@transaction.atomic
def reject_position(*, account: User, rejected_by: User) -> None:
    """The account stays without a role and is switched off; the administrator sees it
    inactive and may set another position, which waits for the director again."""
    if not may_grant_access(rejected_by):
        raise PermissionError("Решение о должности принимает только директор.")
    account.is_active = False
    account.save(update_fields=["is_active"])


@transaction.atomic
def password_set_by_administrator(*, account: User, set_by: User) -> None:
    """A password someone else set is temporary: the owner sets their own at the next sign-in
    and is told it happened."""
    User.objects.filter(pk=account.pk).update(must_change_password=True)
    account.must_change_password = True
    hold_if_open_without_owner(account=account, changed_by=set_by)
    notify_account(
        user=account,
        message=f"Администратор {set_by} задал вам временный пароль "
        f"({timezone.localtime():%d.%m.%Y %H:%M}). Если это были не вы, сообщите директору.",
    )


@transaction.atomic
def password_changed_by_owner(*, account: User) -> None:
    User.objects.filter(pk=account.pk).update(must_change_password=False)
    account.must_change_password = False
