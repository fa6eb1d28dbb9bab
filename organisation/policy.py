"""The one authorisation path: may this user do this action (on this record)?

Every rule lives here, in three declared tables:

- `ROLE_ACTIONS`: the actions each role may take. An action is named like a Django permission,
  "app.verb_noun" (`orders.approve_order`, `agenda.view_agenda`); `RoleBackend`
  (organisation/roles.py) hands the same table to Django, so templates ask `perms.orders.…`.
- `RECORD_READERS` / `RECORD_WRITERS`: which roles see and change each kind of case record
  (by model label; the rest of case content follows `CASE_READ_ROLES` / `CASE_WRITE_ROLES`). The
  record verbs "view" and "change" are answered from them for the record given.
- `RECORD_CONDITIONS`: what an action asks of the record beyond the role — the author of a
  service record, the specialist of a visit.

And one rule for every record: a specialist or a head acts only on records of their own
department (`department_lookup` of the record's queryset, organisation/access.py).

Views use `allowed("action")` as a decorator, `may(request.user, …)` for what a page offers,
and `get_object_for(request, Model, pk, action=…)` (organisation/access.py) to open a record:
scoping, this policy and the access log in one call. Every action function that changes data
calls `require(user, …)` on the record it changes, so a Celery task or a command is checked too.

A superuser (made only by `manage.py createsuperuser`) has the actions of its position's role,
no more: Django's "a superuser has every permission" opens the admin to it, not case content.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models

from organisation.models import DEPARTMENT_ROLES, Role

# --- Actions per role -------------------------------------------------------------------------


def model_actions(
    app_label: str, *model_names: str, verbs: Iterable[str] = ("view", "add", "change")
) -> set[str]:
    return {f"{app_label}.{verb}_{name}" for name in model_names for verb in verbs}


# Reference data the administrator keeps: staff, departments, the calendar, the catalogue.
REFERENCE_DATA = model_actions(
    "organisation", "user", "department", "calendarday", "calendaryear", "centreworkday"
) | {"organisation.delete_calendarday", "organisation.delete_centreworkday"}
# The service catalogue of the Order (O3): categories and services, kept by the administrator.
REFERENCE_DATA |= model_actions("services", "servicecategory", "service")

# Social patronage (P1–P15): appeals and journals, cases, visits, the head's review.
PATRONAGE_READ = {"patronage.view_appeal", "patronage.view_patronagecase", "patronage.view_visit"}
PATRONAGE_VISITS = {"patronage.add_visit", "patronage.change_visit"}
PATRONAGE_REGISTRAR = {"patronage.view_appeal", "patronage.add_appeal", "patronage.change_appeal"}
PATRONAGE_HEAD = (
    PATRONAGE_READ
    | PATRONAGE_VISITS
    | PATRONAGE_REGISTRAR
    | {"patronage.open_case", "patronage.review_visit"}
)

# Pages of case content every role that reads it reaches (its scope decides what they show).
CASE_PAGES = {
    "recipients.view_register",  # the register of recipients (O26)
    "services.view_journal",  # the journal of services (P14)
    "services.view_individual_programmes",  # children and their ИППСУ in force (O2, O4)
    "services.view_compliance",  # the norms of the ИППСУ met or not (O18)
    "agenda.view_agenda",  # the calendar of plans
    "consilium.view_meeting",  # the consilium's meetings
    "rehab_programs.view_rehabprogramme",  # rehabilitation programmes
}
# Services: specialists and heads log services, draw up individual programmes (ИППСУ), record
# refusals and urgent-service acts; what they reach of it is scoped to their department.
SERVICE_WORK = {"services.log_service", "services.draw_up_programme", "services.draw_up_urgent_act"}
# The case work of a department: registering a child and working on the personal file, the
# day's work with the children («Мой день»).
DEPARTMENT_WORK = {"recipients.add_recipient", "agenda.view_my_day", *SERVICE_WORK, *CASE_PAGES}
# Overseeing a department's work (heads of their own, the director of every one).
OVERSIGHT = {
    "organisation.audit_records",  # P13: reviews and audits the records
    "organisation.view_access_log",  # who opened which record
    "organisation.view_department_deadlines",  # the board of overdue items
    "orders.view_order",  # orders (O12, O24)
    "recipients.view_quality_summary",  # O5: survey summary
    "reports.view_statistics",  # statistical reports and dashboards
    "services.oversee_specialists",  # «Мой день» of any specialist of the scope
    "organisation.view_qualificationupgrade",  # O40: whose qualification upgrade is due
}
# O40: qualification upgrades are recorded by the head (own department) or the administrator
# who keeps the staff list.
QUALIFICATION_RECORDING = {
    "organisation.view_qualificationupgrade",
    "organisation.add_qualificationupgrade",
}

ROLE_ACTIONS: dict[Role, frozenset[str]] = {
    Role.SPECIALIST: frozenset(
        PATRONAGE_READ
        | PATRONAGE_VISITS
        | DEPARTMENT_WORK
        | {"organisation.own_caseload"}  # lists start with their own visits, services, remarks
    ),
    Role.HEAD: frozenset(
        OVERSIGHT
        | PATRONAGE_HEAD
        | DEPARTMENT_WORK
        | QUALIFICATION_RECORDING
        | {
            "orders.draft_order",  # O12: drafts enrolment and discharge orders
            "recipients.archive_recipient",
            "recipients.review_circumstance_change",  # O8: reviews reported changes
            "consilium.prepare_meeting",  # O14, O19: prepares the meeting and its agenda
            "consilium.record_decision",  # O19: records the decisions
        }
    ),
    Role.DIRECTOR: frozenset(
        OVERSIGHT
        | PATRONAGE_READ
        | CASE_PAGES
        | {
            "orders.approve_order",  # O12, O24: only the director approves or returns
            "consilium.set_composition",  # O14: the membership is set by the director's order
            "organisation.view_all_departments",  # picks any department in filters and reports
            "organisation.view_centre_deadlines",
            "organisation.view_production_calendar",
            "organisation.confirm_position",  # confirms positions the administrator changed
        }
    ),
    Role.REGISTRAR: frozenset(PATRONAGE_REGISTRAR),
    Role.ADMINISTRATOR: frozenset(
        REFERENCE_DATA
        | QUALIFICATION_RECORDING
        | {
            "organisation.view_production_calendar",
            "organisation.edit_centre_details",  # the centre's details on documents
        }
    ),
    Role.NONE: frozenset(),
}


def role_actions(role: Role) -> frozenset[str]:
    return ROLE_ACTIONS.get(role, frozenset())


# --- Records: who sees and changes which kind ----------------------------------------------------

CASE_READ_ROLES = frozenset({Role.SPECIALIST, Role.HEAD, Role.DIRECTOR})
CASE_WRITE_ROLES = frozenset({Role.SPECIALIST, Role.HEAD})

# The roles that read anything naming a child or a family (the registrar: the journal of
# appeals). Deadlines, the notifications of the bell and their letters, and export files name
# them: no other role is given any (the administrator — also an account just made one, which
# needs no confirmation — keeps reference data only).
CHILDREN_READERS = CASE_READ_ROLES | {Role.REGISTRAR}


def reads_children(user: Any) -> bool:
    """Whether this account's role reads case content at all (`CHILDREN_READERS`)."""
    return _signed_in(user) and user.role in CHILDREN_READERS


# By model label; a model not listed follows CASE_READ_ROLES / CASE_WRITE_ROLES.
RECORD_READERS: dict[str, frozenset[Role]] = {
    # the registrar keeps the journal of appeals (their free text names children)
    "patronage.appeal": CASE_READ_ROLES | {Role.REGISTRAR},
    # O40: personnel records — the head (own department), the director, the administrator
    "organisation.qualificationupgrade": frozenset({Role.HEAD, Role.DIRECTOR, Role.ADMINISTRATOR}),
}
RECORD_WRITERS: dict[str, frozenset[Role]] = {
    "patronage.appeal": frozenset({Role.REGISTRAR, Role.HEAD}),
    "orders.order": frozenset({Role.HEAD}),  # the head drafts; approval is its own action
    "consilium.meeting": frozenset({Role.HEAD}),
    "consilium.agendaitem": frozenset({Role.HEAD}),
    "consilium.decision": frozenset({Role.HEAD}),
    "organisation.qualificationupgrade": frozenset({Role.HEAD, Role.ADMINISTRATOR}),
}
# The record verbs: answered from the tables above for the record's model.
VIEW = "view"
CHANGE = "change"


def readers(model: type[models.Model] | models.Model) -> frozenset[Role]:
    return RECORD_READERS.get(model._meta.label_lower, CASE_READ_ROLES)


def writers(model: type[models.Model] | models.Model) -> frozenset[Role]:
    return RECORD_WRITERS.get(model._meta.label_lower, CASE_WRITE_ROLES)


# --- Conditions on the record ------------------------------------------------------------------


def _conducts_visit(user: Any, visit: Any) -> bool:
    """A specialist records only their own visits, or those of the family assigned to them."""
    return user.role != Role.SPECIALIST or user.pk in (
        visit.specialist_id,
        visit.case.specialist_id,
    )


def _gave_service_or_heads(user: Any, record: Any) -> bool:
    """The provider corrects and cancels own service records; the head any of the department."""
    return user.role == Role.HEAD or user.pk == record.provider_id


def _own_mark(user: Any, record: Any) -> bool:
    """«Отменить» right after a mark: only the author's own mark made by hand."""
    return record.created_by_id == user.pk and not record.source


@dataclass(frozen=True)
class Condition:
    test: Callable[[Any, Any], bool]
    refusal: str


RECORD_CONDITIONS: dict[str, Condition] = {
    "patronage.record_visit": Condition(
        _conducts_visit, "Записывать посещение может специалист, который его проводит."
    ),
    "services.undo_servicerecord": Condition(
        _own_mark, "Отменить сразу можно только свою отметку."
    ),
    "services.change_servicerecord": Condition(
        _gave_service_or_heads,
        "Исправить или отменить запись может специалист, который её внёс, или заведующий.",
    ),
}
# Actions that are a record verb plus a condition (not a role's action of their own).
RECORD_VERB_OF: dict[str, str] = {
    "services.undo_servicerecord": CHANGE,
    "patronage.record_visit": CHANGE,
    "services.change_servicerecord": CHANGE,
}


# --- The answer --------------------------------------------------------------------------------


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def follow(obj: Any, lookup: str | None) -> Any:
    """The id at the end of a lookup path on an instance ("case__department" → the case's
    department_id); None when a step is empty."""
    if not lookup:
        return None
    *steps, last = lookup.split("__")
    for step in steps:
        obj = getattr(obj, step, None)
        if obj is None:
            return None
    if last == "pk":
        return obj.pk
    return (
        getattr(obj, f"{last}_id", None)
        if hasattr(obj, f"{last}_id")
        else getattr(getattr(obj, last, None), "pk", None)
    )


def in_scope(user: Any, record: models.Model) -> bool:
    """Whether the record is one the user may see at all: a case record is seen by the roles
    that read its kind, and by a specialist or a head only in their own department. Records
    that are not case content (accounts, reference data) have no scope here, nor have records
    scoped another way that are no opening of case content (one's own export jobs)."""
    qs = record.__class__._default_manager.all()
    lookup = getattr(qs, "department_lookup", None)
    if lookup is None or not getattr(qs, "logs_openings", True):
        return True
    role = user.role
    if role not in readers(record):
        return False
    if role in DEPARTMENT_ROLES:
        return user.department_id is not None and follow(record, lookup) == user.department_id
    return True


def may(
    user: Any,
    action: str,
    record: models.Model | None = None,
    *,
    department: models.Model | None = None,
) -> bool:
    """Whether the user may take the action (on the record, when one is given; in the
    department, for an action that creates a record there).

    `action` is a role's action ("orders.approve_order"), a record verb (`VIEW`, `CHANGE`:
    answered for the record's kind) or a conditional action ("patronage.record_visit")."""
    if not _signed_in(user):
        return False
    role = user.role
    verb = RECORD_VERB_OF.get(action, action)
    if verb in (VIEW, CHANGE):
        if record is None:
            raise TypeError(f"The action {action!r} needs a record.")
        allowed_roles = readers(record) if verb == VIEW else writers(record)
        if role not in allowed_roles:
            return False
    elif action not in role_actions(role):
        return False
    if department is not None and role in DEPARTMENT_ROLES and department.pk != user.department_id:
        return False
    if record is not None:
        if not in_scope(user, record):
            return False
        condition = RECORD_CONDITIONS.get(action)
        if condition is not None and not condition.test(user, record):
            return False
    return True


DEFAULT_REFUSAL = "Недостаточно прав для этого действия."


def require(
    user: Any,
    action: str,
    record: models.Model | None = None,
    *,
    department: models.Model | None = None,
    message: str = "",
) -> None:
    """`may`, or PermissionDenied with the reason in Russian."""
    if not may(user, action, record, department=department):
        condition = RECORD_CONDITIONS.get(action)
        refusal = message or (condition.refusal if condition else DEFAULT_REFUSAL)
        raise PermissionDenied(refusal)


def allowed(action: str, *, message: str = "Эта страница недоступна для вашей роли.") -> Callable:
    """A view decorator: 403 unless the signed-in user may take the action."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: Any, *args: Any, **kwargs: Any) -> Any:
            require(request.user, action, message=message)
            return view(request, *args, **kwargs)

        wrapped.policy_action = action  # type: ignore[attr-defined]
        return wrapped

    return decorator
