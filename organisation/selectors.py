"""Who holds a post: the staff lookups every app's deadlines, documents and jobs share."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.db.models import QuerySet

from organisation import policy
from organisation.models import ROLE_BY_POSITION, AccessLog, Position, Role, User


def _holder(position: Position) -> User | None:
    """The active holder of a post; the most recently appointed if several are active."""
    return (
        User.objects.filter(position=position, is_active=True)
        .order_by("-date_joined", "-pk")
        .first()
    )


def current_director() -> User | None:
    return _holder(Position.DIRECTOR)


def current_registrar() -> User | None:
    return _holder(Position.REGISTRAR)


def heads_by_department(department_ids: Iterable[int] | None = None) -> dict[int, User]:
    """The head of each department (of the given ones, or of all), in one query."""
    heads = User.objects.filter(position=Position.HEAD, is_active=True).order_by(
        "-date_joined", "-pk"
    )
    if department_ids is not None:
        heads = heads.filter(department_id__in=set(department_ids))
    result: dict[int, User] = {}
    for head in heads:
        if head.department_id is not None:
            result.setdefault(head.department_id, head)
    return result


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
