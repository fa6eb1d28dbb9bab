"""The journal of services as an export: its filter, caption and rows for one user's scope."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import IO, Any

from django.db.models import QuerySet
from django.utils import timezone

from organisation import text
from organisation.models import Department, Role
from organisation.text import parse_id
from recipients.models import normalise_search
from reports.jobs import XlsxExport
from reports.tabular import Column, Signature, table_pdf
from reports.xlsx import Progress
from services.forms import JournalFilterForm
from services.models import RecordStatus, ServiceRecord, ServiceRecordQuerySet

JOURNAL_HEADERS = [
    "Дата",
    "Время",
    "Получатель",
    "Дата рождения",
    "Код",
    "Услуга",
    "Мин",
    "Форма",
    "Специалист",
    "Основание",
    "Примечание",
    "Статус",
]


def journal_filter(params: Mapping[str, Any]) -> JournalFilterForm:
    """The journal's filter; without a period, the last thirty days."""
    today = timezone.localdate()
    data = dict(params.items())
    if "date_from" not in data and "date_to" not in data:
        data["date_from"] = (today - timedelta(days=30)).strftime("%d.%m.%Y")
        data["date_to"] = today.strftime("%d.%m.%Y")
    return JournalFilterForm(data)


def journal_records(
    user: Any, form: JournalFilterForm, params: Mapping[str, Any]
) -> ServiceRecordQuerySet:
    qs = ServiceRecord.objects.visible_to(user).for_journal()
    if not form.is_valid():
        return qs.none()
    data = form.cleaned_data
    if data.get("date_from"):
        qs = qs.filter(date__gte=data["date_from"])
    if data.get("date_to"):
        qs = qs.filter(date__lte=data["date_to"])
    if data.get("service"):
        qs = qs.filter(service=data["service"])
    if data.get("q"):
        # Any case, «е» for «ё», any part of the name: the register's normalised column.
        qs = qs.filter(recipient__search_text__contains=normalise_search(data["q"]))
    if data.get("mine"):
        qs = qs.filter(provider=user)
    if data.get("kind"):
        qs = qs.filter(service__category__kind=data["kind"])
    if data.get("status"):
        qs = qs.filter(status=data["status"])
    if data.get("provider"):
        qs = qs.filter(provider_id=data["provider"])
    department = parse_id(str(params.get("department") or ""))
    if department is not None and user.role == Role.DIRECTOR:
        qs = qs.filter(department_id=department)
    return qs


def journal_caption(user: Any, form: JournalFilterForm, params: Mapping[str, Any]) -> str:
    data = form.cleaned_data if form.is_valid() else {}
    start, end = data.get("date_from"), data.get("date_to")
    period = ""
    if start or end:
        period = (f" за период с {start:%d.%m.%Y}" if start else " за период") + (
            f" по {end:%d.%m.%Y}" if end else ""
        )
    dept = user.department.name if user.department else "все отделения"
    department = parse_id(str(params.get("department") or ""))
    if user.role == Role.DIRECTOR and department is not None:
        found = Department.objects.filter(pk=department).first()
        dept = found.name if found else dept
    return f"Журнал учета социальных услуг{period}, {dept}"


# The columns `_rows` reads: plain values, no model instances (a 100,000-row export spends most of
# its time building objects otherwise).
_ROW_FIELDS = (
    "date",
    "start_time",
    "recipient_id",
    "recipient__last_name",
    "recipient__first_name",
    "recipient__patronymic",
    "recipient__birth_date",
    "family__name",
    "service__code",
    "service__name",
    "duration_minutes",
    "group_id",
    "provider__last_name",
    "provider__first_name",
    "provider__patronymic",
    "programme_line_id",
    "reason_outside_programme",
    "notes",
    "status",
    "cancellation_reason",
)


def _rows(qs: QuerySet[ServiceRecord]) -> Iterator[list[Any]]:
    statuses = dict(RecordStatus.choices)
    for (
        day,
        start_time,
        recipient_id,
        last_name,
        first_name,
        patronymic,
        birth_date,
        family_name,
        code,
        name,
        minutes,
        group_id,
        p_last,
        p_first,
        p_patronymic,
        line_id,
        reason,
        notes,
        status,
        cancellation_reason,
    ) in qs.values_list(*_ROW_FIELDS).iterator(chunk_size=2000):
        yield [
            day,
            start_time.strftime("%H:%M") if start_time else "",
            # the child, or the family when patronage found no registered child (P14)
            text.full_name(last_name, first_name, patronymic)
            if recipient_id
            else family_name or "",
            birth_date if recipient_id else "",
            code,
            name,
            minutes,
            "групповая" if group_id else "индивидуальная",
            text.short_name(p_last, p_first, p_patronymic),
            "по программе" if line_id else reason,
            notes,
            statuses.get(status, status)
            + (f": {cancellation_reason}" if cancellation_reason else ""),
        ]


def journal_export(*, user: Any, params: Mapping[str, Any]) -> XlsxExport:
    form = journal_filter(params)
    qs = journal_records(user, form, params)
    caption = journal_caption(user, form, params)
    return XlsxExport(
        kind="services.journal",
        title=caption,
        filename="Журнал учета услуг.xlsx",
        headers=JOURNAL_HEADERS,
        rows=_rows(qs.order_by("date", "start_time", "pk")),
        total=qs.count(),
        sheet="Журнал услуг",
        caption=caption,
    )


# The journal as PDF: up to this many records during the request (about 1–2 s on the build
# machine, bench/journal_pdf_bench.py); more become a background job with a progress bar.
PDF_SYNC_ROWS = 1_000

JOURNAL_PDF_COLUMNS = [
    Column("№", 4),
    Column("Дата", 8),
    Column("Время", 5),
    Column("Получатель", 17, wrap=True),
    Column("Код", 5),
    Column("Услуга", 30, wrap=True),
    Column("Мин", 4),
    Column("Форма", 6),
    Column("Специалист", 11),
    Column("Примечание", 16, wrap=True),
]


def journal_pdf_rows(
    records: Iterable[ServiceRecord], progress: Progress | None = None
) -> Iterator[list[Any]]:
    for n, r in enumerate(records, start=1):
        if progress is not None and n % 500 == 0:
            progress(n)
        yield [
            n,
            r.date,
            r.start_time.strftime("%H:%M") if r.start_time else "",
            r.whom,
            r.service.code,
            r.service.name,
            r.duration_minutes,
            "групп." if r.group_id else "инд.",
            r.provider.short_name,
            f"ОТМЕНЕНА: {r.cancellation_reason}" if r.is_cancelled else r.notes,
        ]


@dataclass
class JournalPdfExport:
    """The journal of services as a printed PDF (`reports.tabular`)."""

    kind: str
    title: str
    filename: str
    records: QuerySet[ServiceRecord]
    total: int
    subtitle: str
    made_by: str

    def write(self, target: IO[bytes], progress: Progress | None = None) -> int:
        target.write(
            table_pdf(
                title="Журнал учета социальных услуг",
                subtitle=self.subtitle,
                columns=JOURNAL_PDF_COLUMNS,
                rows=journal_pdf_rows(self.records.iterator(chunk_size=2000), progress),
                note=f"Сформировано {timezone.localdate():%d.%m.%Y}, {self.made_by}",
                signatures=[Signature("Заведующий отделением")],
            )
        )
        return self.total


def journal_pdf_export(*, user: Any, params: Mapping[str, Any]) -> JournalPdfExport:
    form = journal_filter(params)
    qs = journal_records(user, form, params)
    caption = journal_caption(user, form, params)
    return JournalPdfExport(
        kind="services.journal_pdf",
        title=caption + " (PDF)",
        filename="Журнал учета услуг.pdf",
        records=qs.order_by("date", "start_time", "pk"),
        total=qs.count(),
        subtitle=caption.removeprefix("Журнал учета социальных услуг").strip(),
        made_by=user.short_name,
    )
