"""What each role may do, in one table, granted through Django's permission system.

`RoleBackend` gives every active user the permissions of their role, so views check
`@permission_required("orders.approve_order", raise_exception=True)` and templates check
`perms.orders.approve_order` like any Django permission. Individual grants made in the admin
(ModelBackend) still work on top. What a user may *see* is scoping: organisation/access.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from organisation.models import Role


def model_perms(
    app_label: str, *model_names: str, actions: Iterable[str] = ("view", "add", "change")
) -> set[str]:
    return {f"{app_label}.{action}_{name}" for name in model_names for action in actions}


# Reference data the administrator keeps: staff, departments, the calendar, the catalogue.
REFERENCE_DATA = model_perms(
    "organisation", "user", "department", "calendarday", "calendaryear", "centreworkday"
) | {"organisation.delete_calendarday", "organisation.delete_centreworkday"}
# The service catalogue of the Order (O3): categories and services, kept by the administrator.
REFERENCE_DATA |= model_perms("services", "servicecategory", "service")

# Social patronage (P1–P15): appeals and journals, cases, visits, the head's review.
PATRONAGE_READ = {
    "patronage.view_appeal",
    "patronage.view_patronagecase",
    "patronage.view_visit",
}
PATRONAGE_VISITS = {"patronage.add_visit", "patronage.change_visit"}
PATRONAGE_REGISTRAR = {
    "patronage.view_appeal",
    "patronage.add_appeal",
    "patronage.change_appeal",
}
PATRONAGE_HEAD = (
    PATRONAGE_READ
    | PATRONAGE_VISITS
    | PATRONAGE_REGISTRAR
    | {"patronage.open_case", "patronage.review_visit"}
)

ROLE_PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.SPECIALIST: frozenset(PATRONAGE_READ | PATRONAGE_VISITS),
    Role.HEAD: frozenset(
        {
            "organisation.audit_records",  # P13: reviews and audits the department's records
            # recipients: drafts enrolment/discharge orders (O12), reads the card access log
            "organisation.view_access_log",
            "orders.draft_order",
            "recipients.archive_recipient",
            "recipients.review_circumstance_change",  # O8: reviews reported changes
            "recipients.view_quality_summary",  # O5: survey summary of the department
            *PATRONAGE_HEAD,
            # consilium: prepares the meeting and its agenda, records the decisions (O14, O19)
            "consilium.prepare_meeting",
            "consilium.record_decision",
        }
    ),
    Role.DIRECTOR: frozenset(
        {
            "organisation.audit_records",
            "organisation.view_access_log",
            "orders.approve_order",  # O12, O24: only the director approves or returns
            "recipients.view_quality_summary",  # O5: survey summary, any department
            *PATRONAGE_READ,
            "consilium.set_composition",  # O14: the membership is set by the director's order
        }
    ),
    Role.REGISTRAR: frozenset(PATRONAGE_REGISTRAR),
    Role.ADMINISTRATOR: frozenset(REFERENCE_DATA),
}

# Services: specialists and heads log services, draw up individual programmes (ИППСУ), record
# refusals and urgent-service acts; what they reach of it is scoped to their department.
SERVICE_WORK = frozenset(
    {"services.log_service", "services.draw_up_programme", "services.draw_up_urgent_act"}
)
for _role in (Role.SPECIALIST, Role.HEAD):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | SERVICE_WORK


def role_permissions(role: Role) -> frozenset[str]:
    return ROLE_PERMISSIONS.get(role, frozenset())


class RoleBackend(ModelBackend):
    """Authenticates like ModelBackend and adds the permissions of the user's role."""

    def get_role_permissions(self, user_obj: Any) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous:
            return set()
        return set(role_permissions(user_obj.role))

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        return super().get_all_permissions(user_obj) | self.get_role_permissions(user_obj)


def role_required(*roles: Role) -> Callable:
    """A view decorator: 403 for any role not listed."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: Any, *args: Any, **kwargs: Any) -> Any:
            if request.user.role not in roles:
                raise PermissionDenied("Эта страница недоступна для вашей роли.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
