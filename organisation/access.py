"""Who may see and change which records: the one scoping mechanism every view goes through.

A model that holds case content (anything about a child or a family) uses a manager built from
`ScopedQuerySet` and says two things about itself:

- `department_lookup`: the path from the model to `organisation.Department`
  (e.g. "department" on a recipient, "case__department" on a visit);
- `read_roles` / `write_roles`: which roles see it and which may change it.

Views never call `Model.objects.filter(...)` on such a model directly; they call
`Model.objects.visible_to(user)` for lists and `get_object_for(user, Model, pk, write=...)` for one
record. A record outside the user's scope answers 404 (its existence is not disclosed); a record
the user may see but not change answers 403.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest

from organisation.models import DEPARTMENT_ROLES, Role

if TYPE_CHECKING:
    from organisation.models import User

M = TypeVar("M", bound=models.Model)


class AuthenticatedRequest(HttpRequest):
    """A request behind the login: views annotate `request` with it to reach `user.role`."""

    user: User


CASE_READ_ROLES = frozenset({Role.SPECIALIST, Role.HEAD, Role.DIRECTOR})
CASE_WRITE_ROLES = frozenset({Role.SPECIALIST, Role.HEAD})


class ScopedQuerySet(models.QuerySet[M]):
    department_lookup: str = "department"
    read_roles: frozenset[Role] = CASE_READ_ROLES
    write_roles: frozenset[Role] = CASE_WRITE_ROLES

    def visible_to(self, user: User | Any) -> Self:
        """The records this user may open: own department for specialists and heads, all for
        the centre-wide roles that read this kind of record, none for anyone else."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        role = user.role
        if role not in self.read_roles:
            return self.none()
        if role in DEPARTMENT_ROLES:
            if user.department_id is None:
                return self.none()
            return self.filter(**{self.department_lookup: user.department_id})
        return self.all()


def scoped_queryset(model: type[M]) -> ScopedQuerySet[M]:
    """The model's default queryset, refusing models that are not scoped."""
    qs = model._default_manager.all()
    if not isinstance(qs, ScopedQuerySet):
        raise TypeError(f"{model.__name__} has no ScopedQuerySet: it cannot be shown to users.")
    return qs


def get_object_for(
    user: User | Any,
    model_or_queryset: type[M] | ScopedQuerySet[M],
    pk: Any,
    *,
    write: bool = False,
) -> M:
    """One record for this user: 404 when outside their scope, 403 when they may only read it."""
    qs = (
        model_or_queryset
        if isinstance(model_or_queryset, models.QuerySet)
        else scoped_queryset(model_or_queryset)
    )
    if not isinstance(qs, ScopedQuerySet):
        raise TypeError("get_object_for needs a ScopedQuerySet.")
    try:
        obj = qs.visible_to(user).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Запись не найдена или недоступна.") from exc
    if write and user.role not in qs.write_roles:
        raise PermissionDenied("Недостаточно прав для изменения этой записи.")
    return obj


def can_write(user: User | Any, model: type[models.Model]) -> bool:
    qs = scoped_queryset(model)
    return bool(getattr(user, "is_authenticated", False) and user.role in qs.write_roles)
