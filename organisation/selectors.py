"""Who holds a post: the staff lookups every app's deadlines, documents and jobs share."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone

from organisation import policy
from organisation.models import (
    DEPARTMENT_POSITIONS,
    DEPARTMENT_ROLES,
    ROLE_BY_POSITION,
    AccessLog,
    Notification,
    NotificationEvent,
    Position,
    QualificationUpgrade,
    Role,
    User,
)


def _holder(position: Position) -> User | None:
    """The active holder of a post; the most recently appointed if several are active. An
    account whose position waits for the director's confirmation holds no post yet."""
    return (
        User.objects.filter(position=position, is_active=True, awaiting_confirmation=False)
        .order_by("-date_joined", "-pk")
        .first()
    )


def current_director() -> User | None:
    return _holder(Position.DIRECTOR)


def current_registrar() -> User | None:
    return _holder(Position.REGISTRAR)


def heads_by_department(department_ids: Iterable[int] | None = None) -> dict[int, User]:
    """The head of each department (of the given ones, or of all), in one query."""
    heads = User.objects.filter(
        position=Position.HEAD, is_active=True, awaiting_confirmation=False
    ).order_by("-date_joined", "-pk")
    if department_ids is not None:
        heads = heads.filter(department_id__in=set(department_ids))
    result: dict[int, User] = {}
    for head in heads:
        if head.department_id is not None:
            result.setdefault(head.department_id, head)
    return result


def notifications_for(user: User | Any) -> QuerySet[Notification]:
    """The notifications under the user's bell. An account waiting for the director's
    confirmation has no role and sees nothing: of what it was told before (deadlines that name
    children and families) only the events of its own account stay."""
    qs = Notification.objects.filter(user_id=user.pk or 0)
    if not policy.reads_children(user):
        # no role (waiting for the director), or one without case content (an account just
        # made an administrator): only the events of its own account
        return qs.filter(event=NotificationEvent.ACCOUNT)
    if user.scope_changed_at is not None:
        # what was told before a change of position or department was for the former scope
        qs = qs.filter(
            Q(event=NotificationEvent.ACCOUNT) | Q(created_at__gte=user.scope_changed_at)
        )
    return qs


def who_may_be_told() -> dict[int, int | None]:
    """The users a deadline may be sent to, with the one department they may see (None: the
    centre-wide roles): active accounts with a confirmed position, in one query."""
    reach: dict[int, int | None] = {}
    users = User.objects.filter(is_active=True, awaiting_confirmation=False)
    for pk, position, department_id in users.values_list("pk", "position", "department_id"):
        role = ROLE_BY_POSITION.get(position)
        if role in policy.CHILDREN_READERS:  # a deadline names a child or a family
            reach[pk] = department_id if role in DEPARTMENT_ROLES else None
    return reach


def access_log_for(user: User) -> QuerySet[AccessLog]:
    """The log this user may read: the director all of it, a head the own department."""
    qs = AccessLog.objects.select_related("user", "department")
    if not policy.may(user, "organisation.view_access_log"):
        return qs.none()
    if policy.may(user, "organisation.view_all_departments"):
        return qs
    return qs.filter(department_id=user.department_id or 0)


SPECIALIST_POSITIONS = sorted(p for p, r in ROLE_BY_POSITION.items() if r == Role.SPECIALIST)


def specialists_visible_to(user: User) -> models.QuerySet[User]:
    """The active specialists whose work this user may look at: a head those of the own
    department, the director all; a specialist only themself."""
    qs = User.objects.filter(is_active=True, position__in=SPECIALIST_POSITIONS).select_related(
        "department"
    )
    if user.role == Role.DIRECTOR:
        return qs
    if user.role == Role.HEAD and user.department_id is not None:
        return qs.filter(department_id=user.department_id)
    return qs.filter(pk=user.pk)


# --- Qualification upgrades (O40, §4.3) --------------------------------------------------------


@dataclass
class QualificationRow:
    employee: User
    last: QualificationUpgrade | None
    due: date | None  # None: no upgrade recorded — due now

    def is_due(self, today: date) -> bool:
        return self.due is None or self.due <= today


def staff_for_qualification(user: User) -> models.QuerySet[User]:
    """The staff whose upgrades this user sees: a head the own department's specialists and
    heads, the director and the administrator everyone in a department post."""
    qs = User.objects.filter(is_active=True, position__in=DEPARTMENT_POSITIONS).select_related(
        "department"
    )
    if user.role == Role.HEAD:
        return qs.filter(department_id=user.department_id or 0)
    if user.role in (Role.DIRECTOR, Role.ADMINISTRATOR):
        return qs
    return qs.none()


def qualification_status(user: User, *, today: date | None = None) -> list[QualificationRow]:
    """O40: every employee the user sees with the last completed upgrade and when the next is
    due (every `QUALIFICATION_UPGRADE_YEARS` years, 3 by default); those due first. Two
    queries."""
    today = today or timezone.localdate()
    years = settings.QUALIFICATION_UPGRADE_YEARS
    staff = list(
        staff_for_qualification(user).prefetch_related(
            models.Prefetch(
                "qualification_upgrades",
                queryset=QualificationUpgrade.objects.order_by("-completed_on", "-pk"),
            )
        )
    )
    rows = []
    for employee in staff:
        upgrades = list(employee.qualification_upgrades.all())
        last = upgrades[0] if upgrades else None
        due = anniversary(last.completed_on, years) if last else None
        rows.append(QualificationRow(employee=employee, last=last, due=due))
    rows.sort(key=lambda r: (r.due or date.min, r.employee.last_name))
    return rows


def anniversary(d: date, years: int) -> date:
    """The same day `years` later (29 February → 28 February)."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)
