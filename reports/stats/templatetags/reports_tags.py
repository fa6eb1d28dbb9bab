from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from organisation.models import Department, Role
from organisation.text import parse_id
from reports.stats import dashboards

register = template.Library()

# The dashboard's figures are kept this long (per scope and day): a start page opened again and
# again does not recount a million journal records each time. «Обновить» recounts at once.
DASHBOARD_CACHE_SECONDS = settings.START_PAGE_CACHE_SECONDS


@register.inclusion_tag("reports/includes/dashboard.html", takes_context=True)
def dashboard(context: dict[str, Any]) -> dict[str, Any]:
    """The start-page dashboard of the director (the centre, or `?department=`) and of a head
    (the department)."""
    request = context["request"]
    user = request.user
    department_id = None
    if user.role == Role.DIRECTOR:
        department_id = parse_id(request.GET.get("department"))
    dept_id = user.department_id if user.role == Role.HEAD else department_id
    today = timezone.localdate()
    # The figures depend on the scope only: the centre for the director, a department otherwise.
    key = f"reports:dashboard:{user.role}:{dept_id or 'centre'}:{today:%Y%m%d}"
    data = None if request.GET.get("refresh") else cache.get(key)
    if data is None:
        data = dashboards.build(user, department_id=department_id, today=today)
        data["counted_at"] = timezone.localtime()
        cache.set(key, data, DASHBOARD_CACHE_SECONDS)
    return {
        **data,
        "department": Department.objects.filter(pk=dept_id).first() if dept_id else None,
        "refresh_url": f"?refresh=1&department={department_id}" if department_id else "?refresh=1",
    }
