from __future__ import annotations

from typing import Any

from django import template

from organisation.models import Department, Role
from reports.stats import dashboards

register = template.Library()


@register.inclusion_tag("reports/includes/dashboard.html", takes_context=True)
def dashboard(context: dict[str, Any]) -> dict[str, Any]:
    """The start-page dashboard of the director (the centre, or `?department=`) and of a head
    (the department)."""
    request = context["request"]
    user = request.user
    department_id = None
    if user.role == Role.DIRECTOR and request.GET.get("department", "").isdigit():
        department_id = int(request.GET["department"])
    data = dashboards.build(user, department_id=department_id)
    dept_id = user.department_id if user.role == Role.HEAD else department_id
    data["department"] = Department.objects.filter(pk=dept_id).first() if dept_id else None
    return data
