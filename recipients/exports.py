"""The register of recipients (O26) as an export of the current filter, for one user's scope."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from organisation.models import Department, Role
from recipients.forms import RegisterFilterForm
from recipients.models import Recipient
from recipients.selectors import register
from reports.jobs import XlsxExport

REGISTER_HEADERS = [
    "ФИО",
    "Пол",
    "Дата рождения",
    "Возраст",
    "СНИЛС",
    "Семья",
    "Отделение",
    "Статус",
    "Первый день пребывания",
    "Дата снятия",
]


def departments_for(user: Any) -> QuerySet[Department]:
    if user.role == Role.DIRECTOR:
        return Department.objects.filter(is_active=True)
    return Department.objects.filter(pk=user.department_id or 0)


def _rows(qs: QuerySet[Recipient]) -> Iterator[list[Any]]:
    today = timezone.localdate()
    for r in qs.iterator(chunk_size=1000):
        yield [
            r.full_name,
            r.get_sex_display(),
            r.birth_date,
            r.age_on(today),
            r.snils,
            r.family.name if r.family else "",
            str(r.department),
            r.get_status_display(),
            r.first_day_of_stay,
            r.discharged_on,
        ]


def register_export(*, user: Any, params: Mapping[str, Any]) -> XlsxExport:
    """Work inside the centre, not a disclosure to a third party (no consent check)."""
    form = RegisterFilterForm(dict(params.items()) or None, departments=departments_for(user))
    qs = register(user, **form.filters())
    today = timezone.localdate()
    return XlsxExport(
        kind="recipients.register",
        title=f"Регистр получателей социальных услуг на {today:%d.%m.%Y}",
        filename=f"Регистр получателей {today:%d.%m.%Y}.xlsx",
        headers=REGISTER_HEADERS,
        rows=_rows(qs),
        total=qs.count(),
        sheet="Регистр",
        caption=f"Регистр получателей социальных услуг на {today:%d.%m.%Y}",
    )
