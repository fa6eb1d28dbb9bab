from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.core.cache import cache
from django.template.base import render_value_in_context
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

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


@register.simple_tag(takes_context=True)
def report_rows(context: template.Context, table: Any) -> SafeString:
    """The rows of a statistical report's table (`reports/includes/table.html`), each value
    and address written as `{{ }}` writes it (localised, escaped). The report has some 150 rows
    and 250 figures: the template's loops over them took longer than the database's answer."""
    out = []
    for row in table.rows:
        out.append(f"<tr><td>{render_value_in_context(row.label, context)}</td>")
        for cell in row.cells:
            value = render_value_in_context(cell.value, context)
            if cell.url:
                url = render_value_in_context(cell.url, context)
                value = f'<a href="{url}">{value}</a>'
            out.append(f'<td class="text-end" data-testid="figure">{value}</td>')
        out.append("</tr>")
    return mark_safe("".join(out))  # every part escaped above
