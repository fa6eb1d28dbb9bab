"""Who may see and change which records: the one scoping mechanism every view goes through.

A model that holds case content (anything about a child or a family) uses a manager built from
`ScopedQuerySet` and says two things about itself:

- `department_lookup`: the path from the model to `organisation.Department`
  (e.g. "department" on a recipient, "case__department" on a visit);
- `recipient_lookup`: the path to the child the record is about.

Which roles see and change each kind of record is the policy's (organisation/policy.py,
`RECORD_READERS` / `RECORD_WRITERS`). Views never call `Model.objects.filter(...)` on such a
model directly; they call `Model.objects.visible_to(user)` for lists and
`get_object_for(request, Model, pk, action=...)` for one record. A record outside the user's
scope answers 404 (its existence is not disclosed); a record the user may see but not take the
action on answers 403.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Self, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.http import Http404, HttpRequest

from organisation import policy
from organisation.models import DEPARTMENT_ROLES, AccessKind, AccessLog

if TYPE_CHECKING:
    from organisation.models import User

M = TypeVar("M", bound=models.Model)

# `ScopedQuerySet.scope_of` for the roles that see every record of a kind
EVERYTHING = "everything"


class AuthenticatedRequest(HttpRequest):
    """A request behind the login: views annotate `request` with it to reach `user.role`."""

    user: User


class ScopedQuerySet(models.QuerySet[M]):
    department_lookup: str = "department"
    # the path to the child the record is about ("pk" on a recipient, "recipient" on most case
    # records); None when the record is about a family or a group
    recipient_lookup: str | None = "recipient"
    # whether opening one record is written to the access log (not for the user's own jobs)
    logs_openings: bool = True

    def visible_to(self, user: User | Any) -> Self:
        """The records this user may open: own department for specialists and heads, all for
        the centre-wide roles that read this kind of record, none for anyone else."""
        return self.in_scope(self.scope_of(user))

    def scope_of(self, user: User | Any) -> int | str | None:
        """What `visible_to` gives the user, as a value a page may key its built SQL on: None
        for nothing, the department's id for a department role, `EVERYTHING` for all."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return None
        role = user.role
        if role not in policy.readers(self.model):
            return None
        if role in DEPARTMENT_ROLES:
            return user.department_id
        return EVERYTHING

    def in_scope(self, scope: int | str | None) -> Self:
        """The records of a scope of `scope_of`."""
        if scope is None:
            return self.none()
        if scope == EVERYTHING:
            return self.all()
        return self.filter(**{self.department_lookup: scope})


def scoped_queryset(model: type[M]) -> ScopedQuerySet[M]:
    """The model's default queryset, refusing models that are not scoped."""
    qs = model._default_manager.all()
    if not isinstance(qs, ScopedQuerySet):
        raise TypeError(f"{model.__name__} has no ScopedQuerySet: it cannot be shown to users.")
    return qs


def get_object_for(
    who: HttpRequest | User | Any,
    model_or_queryset: type[M] | ScopedQuerySet[M],
    pk: Any,
    *,
    action: str | None = None,
    write: bool = False,
    kind: AccessKind | str | None = None,
) -> M:
    """One record: 404 when outside the scope, 403 when the policy refuses the action on it
    (`action`: a role's action such as "orders.approve_order", or `policy.CHANGE`; `write=True`
    is short for `action=policy.CHANGE`).

    Views pass the request: then reading the record (GET) is written to the access log —
    who, what, when, from where — with the kind taken from the URL (a PDF, an XLSX, a scan,
    the history, an edit form, a page) unless `kind` says otherwise; a change (a POST with a
    form) is written too when it is answered with a page (`defer_opening`). Actions and
    selectors pass a user and log nothing."""
    request = who if isinstance(who, HttpRequest) else None
    user: Any = request.user if request is not None else who
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
    if write and action is None:
        action = policy.CHANGE
    if action is not None:
        policy.require(
            user,
            action,
            obj,
            message=""
            if action != policy.CHANGE
            else "Недостаточно прав для изменения этой записи.",
        )
    if request is not None and qs.logs_openings:
        if is_reading(request):
            log_opening(request, obj, kind=kind or kind_of(request))
        else:
            defer_opening(request, obj, kind=kind or kind_of(request))
    return obj


def is_reading(request: HttpRequest) -> bool:
    """A GET or HEAD — or a POST with nothing in it: the views' forms take `request.POST or
    None`, so a POST with an empty body (the CSRF token sent as a header) shows the page as a
    GET does, and is logged as one. A POST that carries a form is a change (kept by the
    history), not an opening."""
    if request.method in ("GET", "HEAD"):
        return True
    return request.method == "POST" and not request.POST and not request.FILES


def kind_of(request: HttpRequest) -> AccessKind:
    """What kind of opening a URL is."""
    path = request.path
    if path.endswith(".pdf") or "/pdf/" in path or path.endswith("/pdf"):
        return AccessKind.PRINT
    if path.endswith(".xlsx") or "xlsx" in request.GET.get("format", ""):
        return AccessKind.EXPORT
    if "/scan/" in path:
        return AccessKind.DOCUMENT
    if "/history/" in path:
        return AccessKind.HISTORY
    if any(f"/{word}/" in path for word in ("edit", "correct", "amend", "record")):
        return AccessKind.EDIT
    return AccessKind.PAGE


# --- Opening a record: the access log (issue 11, point 3) --------------------------------------


def client_address(request: HttpRequest) -> str | None:
    """Where the request came from: the proxy's X-Forwarded-For behind the TLS proxy (the
    production settings trust it), REMOTE_ADDR otherwise."""
    from django.conf import settings

    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()[:45] or None
    return request.META.get("REMOTE_ADDR") or None


def log_opening(
    request: HttpRequest,
    records: models.Model | Sequence[models.Model],
    *,
    kind: AccessKind | str = AccessKind.PAGE,
    detail: str = "",
) -> None:
    """Write the access log for records opened by this request: who, what, when, from where.
    One row per record (an export of the register writes one row per child in it)."""
    items = [records] if isinstance(records, models.Model) else list(records)
    if not items:
        return
    user: Any = request.user
    address = client_address(request)
    path = request.get_full_path()[:300]
    rows = []
    for obj in items:
        qs = obj.__class__._default_manager.all()
        recipient_lookup = getattr(qs, "recipient_lookup", None)
        department_lookup = getattr(qs, "department_lookup", "department")
        rows.append(
            AccessLog(
                user=user,
                kind=kind,
                record=f"{obj._meta.label_lower}:{obj.pk}",
                recipient_id=policy.follow(obj, recipient_lookup),
                department_id=policy.follow(obj, department_lookup),
                path=path,
                address=address,
                detail=detail[:300],
            )
        )
    AccessLog.objects.bulk_create(rows)


# A change's records, kept on its request until the answer says whether it was shown
_DEFERRED = "_access_deferred_openings"


def defer_opening(request: HttpRequest, obj: models.Model, *, kind: AccessKind | str) -> None:
    """A POST that carries a form opens its record too when it is answered with a page — the
    form again with its errors, the card with a refusal — rather than with a redirect after
    the change: the record is kept on the request, and `log_deferred_openings` writes it once
    the answer is known (`organisation.middleware.DeferredOpeningsMiddleware`)."""
    deferred: dict[str, tuple[models.Model, AccessKind | str]] = request.__dict__.setdefault(
        _DEFERRED, {}
    )
    deferred.setdefault(f"{obj._meta.label_lower}:{obj.pk}", (obj, kind))


# The answers that show a page about the record: a page, or the form again with what was
# refused (`organisation.forms.refused_form_page` and the journals' forms answer 400).
SHOWN = frozenset({200, 400, 409, 422})


def log_deferred_openings(request: HttpRequest, status_code: int) -> None:
    """Write the openings of `defer_opening` when the change was answered with a page (a
    status of `SHOWN`): whoever sent it read what that page shows of the record. A redirect,
    a refusal of access (403, 404) or an error writes nothing."""
    deferred = request.__dict__.pop(_DEFERRED, None)
    if not deferred or status_code not in SHOWN:
        return
    by_kind: dict[AccessKind | str, list[models.Model]] = {}
    for obj, kind in deferred.values():
        by_kind.setdefault(kind, []).append(obj)
    for kind, records in by_kind.items():
        log_opening(request, records, kind=kind)


def log_export(request: HttpRequest, *, what: str, detail: str = "") -> None:
    """An export of a list (a register, a journal) as XLSX or PDF: one row with the filter."""
    user: Any = request.user
    AccessLog.objects.create(
        user=user,
        kind=AccessKind.EXPORT,
        record=what[:80],
        department_id=user.department_id,
        path=request.get_full_path()[:300],
        address=client_address(request),
        detail=detail[:300],
    )
