"""Views of the services app: the catalogue, the journal, programmes, refusals,
compliance and urgent-service acts. Each validates a form, calls one action, redirects."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from organisation import links, policy, text
from organisation.access import AuthenticatedRequest, get_object_for
from organisation.actions import day_off_warning
from organisation.forms import add_action_errors, refused_form_page
from organisation.idempotency import once_per_form
from organisation.models import Department
from organisation.pagination import CappedPaginator
from organisation.selectors import current_director
from organisation.text import truncate, with_plural
from recipients.models import Recipient, Representative, enrolled_or_pending_q
from reports.jobs import export_or_queue
from reports.pdf import pdf_response
from services import actions, exports, selectors, tasks
from services.forms import (
    CancelRecordForm,
    CorrectRecordForm,
    JournalFilterForm,
    LogGroupForm,
    LogServiceForm,
    NewProgrammeForm,
    PeriodForm,
    ProgrammeEditForm,
    ProgrammeLineForm,
    RefusalForm,
    SignedForm,
    UrgentActForm,
)
from services.models import (
    CategoryKind,
    IndividualProgramme,
    ProgrammeLine,
    RecordStatus,
    Refusal,
    Service,
    ServiceCategory,
    ServiceRecord,
    ServiceRecordQuerySet,
    UrgentServiceAct,
)

JOURNAL_PAGE = 50
# The journal counts its records up to this many (`CappedPaginator`): a year of the centre
JOURNAL_COUNT_CAP = 10_000
PROGRAMMES_PAGE = 50
COMPLIANCE_PAGE = 25


def _is_htmx(request: AuthenticatedRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _active_recipients(request: AuthenticatedRequest) -> QuerySet[Recipient]:
    return Recipient.objects.visible_to(request.user).filter(archived_at__isnull=True)


def _representatives(recipient: Recipient) -> QuerySet[Representative]:
    return Representative.objects.filter(representations__recipient=recipient).distinct()


# ---------------------------------------------------------------------------------------------
# The catalogue


@require_GET
def catalogue(request: AuthenticatedRequest) -> HttpResponse:
    """The catalogue of the Order (O3, O29): readable by every member of staff."""
    categories = ServiceCategory.objects.prefetch_related(
        Prefetch("services", queryset=Service.objects.select_related("parent"))
    )
    return render(request, "services/catalogue.html", {"categories": categories})


# ---------------------------------------------------------------------------------------------
# «Мой день» joins the services and the ИПСРН's activities: it lives in `agenda/`, above both
# (`agenda.views.my_day`); `services:my_day` redirects there.


# ---------------------------------------------------------------------------------------------
# Logging


def _warn_day_off(request: AuthenticatedRequest, day: date, department_id: int) -> None:
    """A day-stay centre does not work on days off: a service logged on one is accepted with a
    warning, unless the centre marked the day as worked (a summer camp, an event)."""
    warning = day_off_warning(day, department_id)
    if warning:
        messages.warning(request, warning)


@require_http_methods(["GET", "POST"])
@policy.allowed("services.log_service")
@once_per_form
def log_service(request: AuthenticatedRequest) -> HttpResponse:
    recipients = _active_recipients(request)
    form = LogServiceForm(
        request.POST or None,
        recipients=recipients,
        services=selectors.services_given_by(request.user),
        initial=request.GET.dict(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            record = actions.log_service(provider=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request,
                f"Услуга {record.service.code} внесена в журнал: {record.whom_short}.",
            )
            _warn_day_off(request, record.date, record.department_id)
            return redirect(links.local_next(request, reverse("services:journal")))
    return render(
        request,
        "services/log_form.html",
        {"form": form, "group": False, "next": links.local_next(request, "")},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@policy.allowed("services.log_service")
@once_per_form
def log_group(request: AuthenticatedRequest) -> HttpResponse:
    """A group session: pick several children, one submit, one record per child."""
    day = timezone.localdate()
    if request.method == "POST":
        with contextlib.suppress(ValueError):
            day = datetime.strptime(request.POST.get("date", ""), "%d.%m.%Y").date()
    recipients = _active_recipients(request).enrolled(day)  # type: ignore[attr-defined]
    initial = request.GET.dict()
    form = LogGroupForm(
        request.POST or None,
        recipients=recipients,
        services=selectors.services_given_by(request.user),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            session = actions.log_group_service(provider=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            n = len(form.cleaned_data["recipients"])
            messages.success(
                request,
                f"Групповое занятие {session.service.code} внесено в журнал: "
                f"{with_plural(n, 'ребёнок', 'ребёнка', 'детей')}.",
            )
            _warn_day_off(request, session.date, session.department_id)
            return redirect(links.local_next(request, reverse("services:journal")))
    return render(
        request,
        "services/log_form.html",
        {"form": form, "group": True, "next": links.local_next(request, "")},
        status=400 if form.errors else 200,
    )


# ---------------------------------------------------------------------------------------------
# The journal


def _journal_queryset(
    request: AuthenticatedRequest, form: JournalFilterForm
) -> ServiceRecordQuerySet:
    return exports.journal_records(request.user, form, request.GET)


def _journal_filter(request: AuthenticatedRequest) -> JournalFilterForm:
    return exports.journal_filter(request.GET)


def _departments_for(request: AuthenticatedRequest) -> QuerySet[Department]:
    if policy.may(request.user, "organisation.view_all_departments"):
        return Department.objects.filter(is_active=True)
    return Department.objects.filter(pk=request.user.department_id or 0)


@require_GET
@policy.allowed("services.view_journal", message="Журнал услуг ведут отделения.")
def journal(request: AuthenticatedRequest) -> HttpResponse:
    """The journal of services (P14): constant queries however many records (count + page)."""
    form = _journal_filter(request)
    qs = _journal_queryset(request, form)
    # a year of the centre is some 375,000 records: counted up to the cap, not to the end
    page = CappedPaginator(qs, JOURNAL_PAGE, cap=JOURNAL_COUNT_CAP).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "services/journal.html",
        {
            "form": form,
            "page_obj": page,
            # The page's slice read as values: its records are not built as model instances.
            "rows": _journal_rows(
                cast(QuerySet[ServiceRecord], page.object_list).values(*JOURNAL_ROW_VALUES)
            ),
            "departments": _departments_for(request)
            if policy.may(request.user, "organisation.view_all_departments")
            else [],
            "export_query": request.GET.urlencode(),
        },
    )


# What a row of the journal's page shows (templates/services/journal.html).
JOURNAL_ROW_VALUES = (
    "pk",
    "date",
    "start_time",
    "recipient_id",
    "recipient__last_name",
    "recipient__first_name",
    "recipient__patronymic",
    "family__name",
    "service__code",
    "service__name",
    "group_id",
    "duration_minutes",
    "provider__last_name",
    "provider__first_name",
    "provider__patronymic",
    "programme_line_id",
    "reason_outside_programme",
    "status",
)


def _journal_rows(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The page's records as the cells it shows, formatted once here rather than through a
    template filter and a `{% url %}` per cell (`ServiceRecord.whom_short` and the staff's
    `short_name` from the values)."""
    url = links.by_pk("services:record")
    return [
        {
            "date": f"{r['date']:%d.%m.%Y}",
            "time": f"{r['start_time']:%H:%M}" if r["start_time"] else "",
            "whom": text.short_name(
                r["recipient__last_name"], r["recipient__first_name"], r["recipient__patronymic"]
            )
            if r["recipient_id"] is not None
            else r["family__name"] or "",
            "code": r["service__code"],
            "service": truncate(r["service__name"], 50),
            "group": r["group_id"] is not None,
            "minutes": r["duration_minutes"],
            "provider": text.short_name(
                r["provider__last_name"], r["provider__first_name"], r["provider__patronymic"]
            ),
            "basis": "по программе"
            if r["programme_line_id"]
            else r["reason_outside_programme"] or "—",
            "cancelled": r["status"] == RecordStatus.CANCELLED,
            "url": url(r["pk"]),
        }
        for r in records
    ]


def _journal_caption(request: AuthenticatedRequest, form: JournalFilterForm) -> str:
    return exports.journal_caption(request.user, form, request.GET)


@require_GET
def journal_xlsx(request: AuthenticatedRequest) -> HttpResponse:
    """The journal as XLSX: at once up to a few thousand rows, a background job beyond."""
    return export_or_queue(request, exports.journal_export, tasks.export_journal)


@require_GET
def journal_pdf(request: AuthenticatedRequest) -> HttpResponse:
    """The journal as PDF (drawn by `reports.tabular`, about a second per 1,000 records): at once
    up to `exports.PDF_SYNC_ROWS` records, a background job with a progress bar beyond."""
    return export_or_queue(
        request,
        exports.journal_pdf_export,
        tasks.export_journal_pdf,
        sync_limit=exports.PDF_SYNC_ROWS,
    )


@require_GET
def record_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    record = get_object_for(
        request,
        ServiceRecord.objects.select_related(
            "recipient", "family", "service__parent", "provider", "group", "cancelled_by"
        ),
        pk,
    )
    history = record.history.select_related("history_user").order_by("-history_date")
    return render(
        request,
        "services/record_detail.html",
        {
            "record": record,
            "history": history,
            "can_change": policy.may(request.user, "services.change_servicerecord", record)
            and not record.is_cancelled,
            "correct_form": CorrectRecordForm(instance=record),
            "cancel_form": CancelRecordForm(),
        },
    )


@require_POST
@policy.allowed("services.log_service")
def record_correct(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    record = get_object_for(
        request, ServiceRecord.objects.select_related("recipient", "service"), pk, write=True
    )
    form = CorrectRecordForm(request.POST, instance=ServiceRecord.objects.get(pk=record.pk))
    if form.is_valid():
        try:
            actions.correct_service_record(
                record=record, corrected_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Запись исправлена; прежние значения сохранены в истории.")
            return redirect(record)
    history = record.history.select_related("history_user").order_by("-history_date")
    return render(
        request,
        "services/record_detail.html",
        {
            "record": record,
            "history": history,
            "can_change": True,
            "correct_form": form,
            "cancel_form": CancelRecordForm(),
        },
        status=400,
    )


@require_POST
@policy.allowed("services.log_service")
def record_cancel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    record = get_object_for(request, ServiceRecord, pk, write=True)
    form = CancelRecordForm(request.POST)
    if form.is_valid():
        try:
            actions.cancel_service_record(
                record=record, cancelled_by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Запись отменена и осталась в журнале с причиной отмены.")
            return redirect(record)
    return refused_form_page(
        request,
        form,
        title=f"{record}: отмена записи",
        back=record.get_absolute_url(),
        submit="Отменить запись",
    )


# ---------------------------------------------------------------------------------------------
# Programmes (O2, O4) and refusals (O7)


@dataclass
class _ChildProgrammes:
    """A row of «ИППСУ»: the child, its programmes in force and the links of the row."""

    child: Recipient
    programmes: list[tuple[IndividualProgramme, str]]
    programmes_url: str
    compliance_url: str


@require_GET
@policy.allowed("services.view_individual_programmes", message="ИППСУ ведут отделения.")
def individual_programmes(request: AuthenticatedRequest) -> HttpResponse:
    """Enrolled children of the department and their programmes in force, a page at a time."""
    today = timezone.localdate()
    in_force = IndividualProgramme.objects.in_force_on(today).only(
        "recipient_id", "number", "drawn_up_on", "valid_from", "valid_until"
    )
    children = (
        _active_recipients(request)
        .filter(enrolled_or_pending_q(today))
        .only("last_name", "first_name", "patronymic", "birth_date", "first_day_of_stay")
        .prefetch_related(
            Prefetch("service_programmes", queryset=in_force, to_attr="programmes_in_force")
        )
        .order_by("last_name", "first_name", "pk")
    )
    page = Paginator(children, PROGRAMMES_PAGE).get_page(request.GET.get("page"))
    programme_url = links.by_pk("services:programme")
    programmes_url = links.by_pk("services:recipient")
    compliance_url = links.by_pk("services:recipient_compliance")
    rows = [
        _ChildProgrammes(
            child=child,
            programmes=[
                (p, programme_url(p.pk))
                for p in child.programmes_in_force  # type: ignore[attr-defined]
            ],
            programmes_url=programmes_url(child.pk),
            compliance_url=compliance_url(child.pk),
        )
        for child in page.object_list
    ]
    return render(
        request,
        "services/programmes.html",
        {"rows": rows, "page_obj": page, "today": today},
    )


@require_http_methods(["GET", "POST"])
@once_per_form
def recipient_individual_programmes(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    recipient = get_object_for(request, Recipient, pk)
    form = NewProgrammeForm(request.POST or None)
    if request.method == "POST":
        get_object_for(request, Recipient, pk, action="services.draw_up_programme")
        if form.is_valid():
            try:
                programme = actions.draw_up_individual_programme(
                    recipient=recipient, drawn_up_by=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(request, f"{programme} составлена. Добавьте услуги.")
                return redirect(programme)
    else:
        form.initial = {"drawn_up_on": timezone.localdate(), "valid_from": timezone.localdate()}
    return render(
        request,
        "services/recipient_programmes.html",
        {
            "recipient": recipient,
            "programmes": selectors.individual_programmes_for(recipient),
            "refusals": recipient.refusals.select_related("service", "signed_by"),
            "urgent_acts": recipient.urgent_acts.all(),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


def _individual_programme_context(
    request: AuthenticatedRequest, programme: IndividualProgramme, **extra: Any
) -> dict[str, Any]:
    lines = programme.lines.select_related("service__parent", "service__category").prefetch_related(
        "refusals"
    )
    context = {
        "programme": programme,
        "recipient": programme.recipient,
        "lines": lines,
        "line_form": ProgrammeLineForm(),
        "refusal_form": RefusalForm(representatives=_representatives(programme.recipient)),
        "blank_refusal_form": RefusalForm(representatives=_representatives(programme.recipient)),
        "refusal_line": None,
    }
    context.update(extra)
    return context


@require_GET
def individual_programme_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    programme = get_object_for(request, IndividualProgramme.objects.select_related("recipient"), pk)
    return render(
        request, "services/programme.html", _individual_programme_context(request, programme)
    )


@require_http_methods(["GET", "POST"])
@policy.allowed("services.draw_up_programme")
def individual_programme_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Correct the ИППСУ's number, dates and notes; a save over someone else's change made
    meanwhile is refused with what they changed (VersionedForm)."""
    programme = get_object_for(
        request, IndividualProgramme.objects.select_related("recipient"), pk, write=True
    )
    form = ProgrammeEditForm(
        request.POST or None, instance=IndividualProgramme.objects.get(pk=programme.pk)
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.edit_individual_programme(
                programme=programme,
                edited_by=request.user,
                **{k: form.cleaned_data[k] for k in form.changed_data},
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Сведения программы сохранены.")
            return redirect(programme)
    return render(
        request,
        "services/programme_edit.html",
        {"programme": programme, "recipient": programme.recipient, "form": form},
        status=400 if form.errors else 200,
    )


# The sections of the form of order № 874н, in its order: the kinds of services of art. 20 of
# 442-ФЗ, then urgent services.
PROGRAMME_SECTIONS = [
    ("I", CategoryKind.SOCIAL_HOUSEHOLD, "Социально-бытовые услуги"),
    ("II", CategoryKind.SOCIAL_MEDICAL, "Социально-медицинские услуги"),
    ("III", CategoryKind.SOCIAL_PSYCHOLOGICAL, "Социально-психологические услуги"),
    ("IV", CategoryKind.SOCIAL_PEDAGOGICAL, "Социально-педагогические услуги"),
    ("V", CategoryKind.SOCIAL_LABOUR, "Социально-трудовые услуги"),
    ("VI", CategoryKind.SOCIAL_LEGAL, "Социально-правовые услуги"),
    (
        "VII",
        CategoryKind.COMMUNICATIVE,
        "Услуги в целях повышения коммуникативного потенциала получателей социальных услуг, "
        "имеющих ограничения жизнедеятельности, в том числе детей-инвалидов",
    ),
    ("VIII", CategoryKind.URGENT, "Срочные социальные услуги"),
]


@require_GET
def individual_programme_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The ИППСУ in the form of order № 874н of the Ministry of Labour, with the refusals
    recorded under signature (Order §2.6.5.4, O7)."""
    programme = get_object_for(
        request,
        IndividualProgramme.objects.select_related("recipient__family"),
        pk,
    )
    lines = list(
        programme.lines.select_related("service__category", "service__parent").order_by(
            "service__category__position", "service__position", "pk"
        )
    )
    sections = [
        (numeral, title, [line for line in lines if line.service.category.kind == kind])
        for numeral, kind, title in PROGRAMME_SECTIONS
    ]
    refusals = list(
        Refusal.objects.filter(line__programme=programme)
        .select_related("service__parent", "signed_by")
        .order_by("signed_on", "pk")
    )
    recipient = programme.recipient
    earlier = recipient.service_programmes.filter(
        archived_at__isnull=True, valid_from__lt=programme.valid_from
    ).exists()
    return pdf_response(
        "services/print/programme.html",
        {
            "p": programme,
            "r": recipient,
            "sections": sections,
            "refusals": refusals,
            "repeated": earlier,
            "representative": recipient.representations.select_related("representative")
            .order_by("pk")
            .first(),
            "director": current_director(),
        },
        f"ИППСУ {recipient.short_name}.pdf",
        request,
    )


@require_POST
@policy.allowed("services.draw_up_programme")
@once_per_form
def individual_programme_add_line(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    programme = get_object_for(
        request, IndividualProgramme.objects.select_related("recipient"), pk, write=True
    )
    form = ProgrammeLineForm(request.POST)
    if form.is_valid():
        try:
            line = actions.plan_service(
                programme=programme, planned_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, f"Услуга {line.service.code} включена в программу.")
            return redirect(programme)
    return render(
        request,
        "services/programme.html",
        _individual_programme_context(request, programme, line_form=form),
        status=400,
    )


@require_POST
@policy.allowed("services.draw_up_programme")
@once_per_form
def line_refuse(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """O7: record the recipient's signed refusal of a service of the programme."""
    line = get_object_for(
        request,
        ProgrammeLine.objects.select_related("programme__recipient", "service"),
        pk,
        write=True,
    )
    programme = line.programme
    form = RefusalForm(request.POST, representatives=_representatives(programme.recipient))
    if form.is_valid():
        try:
            refusal = actions.record_refusal(
                line=line, recorded_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request,
                f"Отказ от услуги {line.service.code} записан. Распечатайте заявление об отказе.",
            )
            return redirect(
                reverse("services:programme", args=[programme.pk]) + f"#refusal-{refusal.pk}"
            )
    return render(
        request,
        "services/programme.html",
        _individual_programme_context(request, programme, refusal_form=form, refusal_line=line),
        status=400,
    )


@require_GET
def refusal_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    refusal = get_object_for(
        request,
        Refusal.objects.select_related("recipient", "service__parent", "signed_by", "created_by"),
        pk,
    )
    return pdf_response(
        "services/print/refusal.html",
        {"refusal": refusal, "recipient": refusal.recipient},
        f"Отказ от услуги {refusal.service.code}.pdf",
        request,
    )


# ---------------------------------------------------------------------------------------------
# Compliance (O18, O29)


def _period(request: AuthenticatedRequest) -> tuple[PeriodForm, date, date]:
    form = PeriodForm(request.GET if "date_from" in request.GET else None)
    default = PeriodForm.this_month()
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    if not form.is_bound:
        form = PeriodForm(initial=default)
    return form, default["date_from"], default["date_to"]


@require_GET
@policy.allowed("services.view_compliance", message="Выполнение программ видят отделения.")
def compliance(request: AuthenticatedRequest) -> HttpResponse:
    """Shortfalls of the department for a period, for the specialist and the head (O18)."""
    form, start, end = _period(request)
    # A page of children at a time: the norms are checked for the children shown only.
    children = selectors.in_service(_active_recipients(request), start, end).only(
        "last_name", "first_name", "patronymic", "first_day_of_stay", "discharged_on"
    )
    page = Paginator(children, COMPLIANCE_PAGE).get_page(request.GET.get("page"))
    rows = selectors.compliance_of(list(page), start, end, timezone.localdate())
    compliance_url = links.by_pk("services:recipient_compliance")
    period = urlencode({"date_from": f"{start:%d.%m.%Y}", "date_to": f"{end:%d.%m.%Y}"})
    return render(
        request,
        "services/compliance.html",
        {
            "form": form,
            "page_obj": page,
            "rows": rows,
            "children": [(row, f"{compliance_url(row.recipient.pk)}?{period}") for row in rows],
            "start": start,
            "end": end,
            "with_shortfalls": [r for r in rows if r.shortfalls],
        },
        status=400 if form.errors else 200,
    )


@require_GET
def recipient_compliance(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    recipient = get_object_for(request, Recipient, pk)
    form, start, end = _period(request)
    rows = selectors.compliance(
        Recipient.objects.filter(pk=recipient.pk), start, end, timezone.localdate()
    )
    return render(
        request,
        "services/recipient_compliance.html",
        {
            "recipient": recipient,
            "form": form,
            "row": rows[0] if rows else None,
            "start": start,
            "end": end,
        },
        status=400 if form.errors else 200,
    )


# ---------------------------------------------------------------------------------------------
# Urgent services (O11, O22)


@require_GET
def urgent_acts(request: AuthenticatedRequest) -> HttpResponse:
    acts = (
        UrgentServiceAct.objects.visible_to(request.user)
        .select_related("recipient", "provider")
        .prefetch_related("services")
    )
    page = Paginator(acts, JOURNAL_PAGE).get_page(request.GET.get("page"))
    return render(request, "services/urgent_acts.html", {"page_obj": page})


@require_http_methods(["GET", "POST"])
@policy.allowed("services.draw_up_urgent_act")
@once_per_form
def urgent_act_new(request: AuthenticatedRequest) -> HttpResponse:
    form = UrgentActForm(
        request.POST or None, recipients=_active_recipients(request), initial=request.GET.dict()
    )
    if request.method == "POST" and form.is_valid():
        try:
            act = actions.draw_up_urgent_act(
                provider=request.user,
                recipient=form.cleaned_data["recipient"],
                date=form.cleaned_data["date"],
                services=list(form.cleaned_data["services"]),
                conditions=form.cleaned_data["conditions"],
                number=form.cleaned_data["number"],
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Акт составлен. Распечатайте его для подписи получателя.")
            return redirect(act)
    return render(request, "services/urgent_act_form.html", {"form": form})


@require_GET
def urgent_act_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    act = get_object_for(
        request,
        UrgentServiceAct.objects.select_related("recipient", "provider", "signed_by"),
        pk,
    )
    return render(
        request,
        "services/urgent_act.html",
        {
            "act": act,
            "services": act.services.all(),
            "signed_form": SignedForm(
                representatives=_representatives(act.recipient),
                initial={"signed_on": timezone.localdate()},
            ),
        },
    )


@require_POST
@policy.allowed("services.draw_up_urgent_act")
def urgent_act_signed(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    act = get_object_for(
        request, UrgentServiceAct.objects.select_related("recipient"), pk, write=True
    )
    form = SignedForm(request.POST, representatives=_representatives(act.recipient))
    if form.is_valid():
        try:
            actions.record_urgent_act_signed(act=act, recorded_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Подпись получателя под актом отмечена.")
            return redirect(act)
    return render(
        request,
        "services/urgent_act.html",
        {"act": act, "services": act.services.all(), "signed_form": form},
        status=400,
    )


@require_GET
def urgent_act_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    act = get_object_for(
        request,
        UrgentServiceAct.objects.select_related("recipient", "provider", "signed_by"),
        pk,
    )
    return pdf_response(
        "services/print/urgent_act.html",
        {"act": act, "services": act.services.all(), "recipient": act.recipient},
        f"Акт о срочных услугах {act.date:%d.%m.%Y}.pdf",
        request,
    )
