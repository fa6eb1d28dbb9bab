"""The statistical report for a period and the register extract (views of the director and
the heads; the dashboards are drawn on the start pages by the `reports_tags` library)."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from organisation import policy
from organisation.access import AuthenticatedRequest
from reports.pdf import pdf_response
from reports.stats import statistics
from reports.stats.periods import ReportForm
from reports.stats.register import EXTRACT_HEADERS, ExtractForm, extract_rows
from reports.stats.selectors import Scope, departments_for
from reports.xlsx import csv_value, sheets_response, xlsx_response

# --- Statistical reports for a period ---------------------------------------------------------


def _report_form(request: AuthenticatedRequest) -> ReportForm:
    is_director = policy.may(request.user, "organisation.view_all_departments")
    return ReportForm(
        request.GET if "kind" in request.GET else None,
        departments=departments_for(request.user) if is_director else None,
    )


def _report(request: AuthenticatedRequest, form: ReportForm) -> statistics.Report:
    user = request.user
    department = (
        form.chosen_department()
        if policy.may(user, "organisation.view_all_departments")
        else user.department
    )
    scope = Scope(user, department.pk if department else None)
    return statistics.build(scope, form.period(), department)


def _title(report: statistics.Report) -> str:
    where = str(report.department) if report.department else "весь центр"
    return f"Статистический отчёт: {report.period.label}, {where}"


@require_GET
@policy.allowed("reports.view_statistics")
def statistics_view(request: AuthenticatedRequest) -> HttpResponse:
    """The report on screen; a form with errors shows them and the current quarter stays."""
    form = _report_form(request)
    report = _report(request, form)
    query = request.GET.urlencode()
    return render(
        request,
        "reports/statistics.html",
        {"form": form, "report": report, "title": _title(report), "query": query},
    )


@require_GET
@policy.allowed("reports.view_statistics")
def statistics_xlsx(request: AuthenticatedRequest) -> HttpResponse:
    form = _report_form(request)
    report = _report(request, form)
    sheets = []
    for section in report.sections:
        rows: list[list[Any]] = []
        for table in section.tables:
            rows.append([table.title])
            rows.append(table.columns)
            rows.extend([row.label, *(c.value for c in row.cells)] for row in table.rows)
            if table.note:
                rows.append([table.note])
            rows.append([])
        sheets.append((section.title, rows))
    return sheets_response(f"{_title(report)}.xlsx", sheets, caption=_title(report))


@require_GET
@policy.allowed("reports.view_statistics")
def statistics_pdf(request: AuthenticatedRequest) -> HttpResponse:
    """The report as an A4 PDF with the signature of the director (or the head)."""
    form = _report_form(request)
    report = _report(request, form)
    user = request.user
    signer = user.get_position_display()  # «Директор» or «Заведующий отделением»
    return pdf_response(
        "reports/print/statistics.html",
        {
            "report": report,
            "title": _title(report),
            "signer": signer,
            "signer_name": user.short_name,
            "today": timezone.localdate(),
        },
        f"{_title(report)}.pdf",
        request,
    )


# --- The register extract for the regional register (O26; 442-ФЗ art. 25) ------------------------


def _extract_form(request: AuthenticatedRequest) -> ExtractForm:
    is_director = policy.may(request.user, "organisation.view_all_departments")
    return ExtractForm(
        request.GET if "mode" in request.GET else None,
        departments=departments_for(request.user) if is_director else None,
    )


@require_GET
@policy.allowed("reports.view_statistics")
def register_extract(request: AuthenticatedRequest) -> HttpResponse:
    """The form; XLSX or CSV (UTF-8) when asked with a valid form."""
    form = _extract_form(request)
    fmt = request.GET.get("format", "")
    if form.is_bound and form.is_valid() and fmt in ("xlsx", "csv"):
        department = (
            form.cleaned_data.get("department")
            if policy.may(request.user, "organisation.view_all_departments")
            else request.user.department
        )
        scope = Scope(request.user, department.pk if department else None)
        rows = extract_rows(scope, form, logged_by=request.user, request=request)
        filename = f"Выписка из регистра получателей {form.caption()}"
        if fmt == "csv":
            buffer = io.StringIO()
            writer = csv.writer(buffer, delimiter=";")
            writer.writerow(EXTRACT_HEADERS)
            writer.writerows([csv_value(v) for v in row] for row in rows)
            response = HttpResponse(
                "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
            )
            response["Content-Disposition"] = (
                content_disposition_header(True, f"{filename}.csv") or ""
            )
            response["Cache-Control"] = "no-store"
            return response
        return xlsx_response(
            f"{filename}.xlsx",
            EXTRACT_HEADERS,
            rows,
            title="Выписка",
            caption=f"Выписка из регистра получателей социальных услуг {form.caption()}",
        )
    return render(request, "reports/register_extract.html", {"form": form})
