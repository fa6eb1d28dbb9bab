"""Views of social patronage: appeals and journals, cases, visits, acts, the head's review."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from organisation import policy
from organisation.access import AuthenticatedRequest, get_object_for, log_export
from organisation.actions import day_off_warning
from organisation.forms import add_action_errors, refused_form_page
from organisation.idempotency import once_per_form
from organisation.links import by_pk
from organisation.templatetags.srcn import ru_date
from organisation.text import search_query, truncate
from patronage import actions, selectors
from patronage.forms import (
    ActForm,
    AppealFilterForm,
    AppealForm,
    AssignForm,
    CasePeriodForm,
    CheckForm,
    CloseCaseForm,
    JournalForm,
    NewRecommendationFormSet,
    OpenCaseForm,
    RegisterForm,
    ReviewForm,
    VisitFilterForm,
    VisitPlanForm,
    VisitRecordForm,
)
from patronage.models import (
    Appeal,
    Channel,
    PatronageCase,
    ReviewStatus,
    Visit,
    VisitStatus,
)
from recipients.models import normalise_search
from reports.pdf import pdf_bytes_response, pdf_response
from reports.tabular import Column, Signature, table_pdf
from reports.xlsx import xlsx_response

PAGE_SIZE = 30


def _page(request: AuthenticatedRequest, qs: Any) -> Any:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


# --- Appeals and journals (P1–P3, P5) ---------------------------------------------------------


@require_GET
@policy.allowed("patronage.view_appeal")
def appeal_list(request: AuthenticatedRequest) -> HttpResponse:
    """Appeals the user may see, newest first, with the late and overdue registrations (P2, P3)
    counted and filtered by the database."""
    form = AppealFilterForm(request.GET or None)
    today = timezone.localdate()
    scope = selectors.appeals_for(request.user)
    qs = scope
    status = ""
    filtered = False
    if form.is_valid():
        data = form.cleaned_data
        filtered = any(value for name, value in data.items() if name != "status")
        qs = selectors.filter_appeals(
            qs,
            channel=data["channel"],
            q=data["q"].strip(),
            ground=data["ground"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            department=data["department"],
        )
        status = data["status"]
    if status == "unregistered":
        qs = qs.unregistered()
    elif status == "no_case":
        qs = qs.filter(registered_on__isnull=False, case__isnull=True)
    elif status == "overdue":
        qs = qs.registration_overdue(today)
    elif status == "late":
        qs = qs.registered_late()
    # the pager's count comes with the figures above the list, or is one of them
    figure = status in ("overdue", "late") and not filtered
    counts = scope.registration_counts(today, listed=None if figure else qs)
    overdue = (
        scope.registration_overdue(today)
        .select_related(None)
        .only("family_name", "received_on")
        .order_by("received_on", "pk")
    )
    paginator = Paginator(selectors.appeal_rows(qs), PAGE_SIZE)
    listed = counts.listed
    if figure:
        listed = counts.overdue if status == "overdue" else counts.late
    if listed is not None:
        paginator.count = listed
    return render(
        request,
        "patronage/appeal_list.html",
        {
            "form": form,
            "page_obj": paginator.get_page(request.GET.get("page")),
            "overdue": list(overdue[:5]) if counts.overdue else [],
            "overdue_count": counts.overdue,
            "late_count": counts.late,
            "can_add": policy.may(request.user, "patronage.add_appeal"),
        },
    )


@require_http_methods(["GET", "POST"])
@policy.allowed("patronage.add_appeal")
@once_per_form
def appeal_create(request: AuthenticatedRequest) -> HttpResponse:
    form = AppealForm(
        request.POST or None,
        initial={"channel": request.GET.get("channel", "")},
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        try:
            appeal = actions.log_appeal(
                appeal=form.instance,
                logged_by=request.user,
                registered_on=form.cleaned_data["registered_on"],
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            if appeal.is_registered:
                messages.success(
                    request, f"Обращение зарегистрировано под № {appeal.registration_number}."
                )
            else:
                messages.info(
                    request,
                    f"Обращение внесено в журнал. Зарегистрируйте его до "
                    f"{appeal.registration_due:%d.%m.%Y}.",
                )
            return redirect(appeal)
    return render(request, "patronage/appeal_form.html", {"form": form})


@require_GET
@policy.allowed("patronage.view_appeal")
def appeal_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    appeal = get_object_for(request, selectors.appeals_for(request.user), pk)
    context: dict[str, Any] = {"appeal": appeal}
    if not appeal.is_registered and policy.may(request.user, policy.CHANGE, appeal):
        context["register_form"] = RegisterForm()
    if (
        appeal.is_registered
        and appeal.case_id is None
        and policy.may(request.user, "patronage.open_case", appeal)
    ):
        context["open_form"] = OpenCaseForm(appeal=appeal, user=request.user)
    return render(request, "patronage/appeal_detail.html", context)


@require_POST
@policy.allowed("patronage.change_appeal")
def appeal_register(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    appeal = get_object_for(request, Appeal, pk, write=True)
    form = RegisterForm(request.POST)
    if form.is_valid():
        try:
            actions.register_appeal(
                appeal=appeal,
                registered_on=form.cleaned_data["registered_on"],
                registered_by=request.user,
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request, f"Обращение зарегистрировано под № {appeal.registration_number}."
            )
            return redirect(appeal)
    return render(
        request,
        "patronage/appeal_detail.html",
        {"appeal": appeal, "register_form": form},
        status=400,
    )


@require_POST
@policy.allowed("patronage.open_case")
def appeal_open_case(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    appeal = get_object_for(request, Appeal, pk, write=True)
    form = OpenCaseForm(request.POST, appeal=appeal, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            case = actions.open_case(
                appeal=appeal,
                opened_by=request.user,
                family=data["family"],
                new_family_name=data["new_family_name"] or "",
                new_family_address=data["new_family_address"] or "",
                specialist=data["specialist"],
                opened_on=data["opened_on"],
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, f"Обращение передано в патронаж: {case.family}.")
            return redirect(case)
    return render(
        request, "patronage/appeal_detail.html", {"appeal": appeal, "open_form": form}, status=400
    )


def _journal_period(request: AuthenticatedRequest) -> JournalForm:
    today = timezone.localdate()
    data = request.GET.copy()
    data.setdefault("channel", Channel.RECEPTION)
    data.setdefault("date_from", (today.replace(day=1)).strftime("%d.%m.%Y"))
    data.setdefault("date_to", today.strftime("%d.%m.%Y"))
    return JournalForm(data)


JOURNAL_HEADERS = [
    "№ п/п",
    "Рег. №",
    "Дата поступления",
    "Срок регистрации",
    "Дата регистрации",
    "От кого",
    "Основание",
    "Семья",
    "Содержание",
    "Отделение",
]


JOURNAL_PDF_COLUMNS = [
    Column(title, width, wrap=width > 10)
    # The date columns are wide enough for «поступления», «регистрации» in bold: a narrower
    # column broke the heading inside the word without a hyphen («посту пления»).
    for title, width in zip(JOURNAL_HEADERS, (4, 6, 9, 9, 9, 16, 14, 14, 21, 10), strict=True)
]


# The reception and phone journals on screen: records a page, and the columns a row shows
# (templates/patronage/journal.html with includes/registration_due.html).
JOURNAL_PAGE = 50
JOURNAL_PAGE_COLUMNS = (
    "number",
    "year",
    "received_on",
    "basis_due",
    "registered_on",
    "sender",
    "family_name",
    "content",
)


def _journal_page_rows(page: Any) -> list[dict[str, Any]]:
    """The page's appeals as the cells it shows, formatted once here rather than through a
    template filter and a `reverse()` per cell; the term keeps its include."""
    url = by_pk("patronage:appeal_detail")
    return [
        {
            "n": n,
            "appeal": a,
            "url": url(a.pk),
            "number": a.registration_number or "—",
            "received_on": ru_date(a.received_on),
            "registered_on": ru_date(a.registered_on),
            "sender": a.sender,
            "family": a.family_name,
            "content": truncate(a.content, 120),
        }
        for n, a in enumerate(page, start=page.start_index())
    ]


def _journal_rows(appeals: Any) -> list[list[Any]]:
    return [
        [
            i,
            a.registration_number,
            a.received_on,
            a.registration_due,
            a.registered_on,
            " ".join(
                p
                for p in (
                    a.sender,
                    f"исх. № {a.outgoing_number}" if a.outgoing_number else "",
                    f"от {a.outgoing_date:%d.%m.%Y}" if a.outgoing_date else "",
                )
                if p
            ),
            a.get_ground_display(),
            " ".join(p for p in (a.family_name, a.family_address) if p),
            a.content,
            str(a.department),
        ]
        for i, a in enumerate(appeals, start=1)
    ]


@require_GET
@policy.allowed("patronage.view_appeal")
def journal(request: AuthenticatedRequest, fmt: str = "html") -> HttpResponse:
    """P5: the reception or phone-call journal for a period, on screen, as PDF or XLSX."""
    form = _journal_period(request)
    if not form.is_valid():
        return render(request, "patronage/journal.html", {"form": form}, status=400)
    channel = form.cleaned_data["channel"]
    date_from, date_to = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    qs = selectors.journal_appeals(
        request.user, channel=channel, date_from=date_from, date_to=date_to
    )
    title = Channel(channel).label
    period = f"{date_from:%d.%m.%Y} — {date_to:%d.%m.%Y}"
    filename = f"{title} {date_from:%d.%m.%Y}-{date_to:%d.%m.%Y}"
    if fmt in ("xlsx", "pdf"):
        log_export(request, what=f"patronage.journal.{fmt}", detail=f"{title}: {period}")
    if fmt == "xlsx":
        return xlsx_response(
            f"{filename}.xlsx",
            JOURNAL_HEADERS,
            _journal_rows(qs),
            title=title,
            caption=f"{title} за период {period}",
        )
    if fmt == "pdf":
        data = table_pdf(
            title=title,
            subtitle=f"за период {period}",
            columns=JOURNAL_PDF_COLUMNS,
            rows=_journal_rows(qs),
            # Who keeps the journal is not recorded: the one who prints it is named as such,
            # and the keeper's line is left to sign by hand.
            note=f"Сформировано {timezone.localdate():%d.%m.%Y}, {request.user.short_name}",
            signatures=[Signature("Журнал ведёт")],
            empty_text="Записей за период нет.",
        )
        return pdf_bytes_response(data, f"{filename}.pdf")
    # On screen a page at a time, numbered on from the pages before; the exports hold them all.
    page = Paginator(qs.select_related(None).only(*JOURNAL_PAGE_COLUMNS), JOURNAL_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "title": title,
        "period": period,
        "page_obj": page,
        "appeals": page.object_list,
        "rows": _journal_page_rows(page),
        "channel": channel,
        "query": request.GET.urlencode(),
    }
    return render(request, "patronage/journal.html", context)


# --- Patronage cases (P4, P6) -----------------------------------------------------------------


# What the case list shows of a case (templates/patronage/case_list.html); the wait reads the
# annotated dates of the appeals and the prefetched visits.
CASE_LIST_COLUMNS = (
    "opened_on",
    "closed_on",
    "family__name",
    "family__department__name",
    "family__department__short_name",
    "specialist__last_name",
    "specialist__first_name",
    "specialist__patronymic",
)


def _of_family(visits: Any, *columns: str) -> Any:
    """The visits above the case list: the shown columns and the family's name, no whole rows
    of the case, the specialist and the act."""
    return (
        visits.select_related(None)
        .select_related("case__family")
        .only(*columns, "case__family__name")
    )


@require_GET
@policy.allowed("patronage.view_patronagecase")
def case_list(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    show = request.GET.get("show", "open")
    q = search_query(request.GET.get("q"))
    qs = selectors.cases_for(user).only(*CASE_LIST_COLUMNS)
    if q:
        # Any part of the family's name or address, any case, «е» for «ё».
        qs = qs.filter(family__search_text__contains=normalise_search(q))
    if show == "mine":
        qs = qs.filter(specialist=user)
    elif show != "all":
        qs = qs.open()
    period = CasePeriodForm(request.GET)
    if period.is_valid():
        data = period.cleaned_data
        qs = selectors.filter_cases(
            qs,
            active_from=data["date_from"],
            active_to=data["date_to"],
            department=data["department"],
        )
    page_obj = _page(request, qs)
    context = {
        "page_obj": page_obj,
        "show": show,
        "q": q,
        "remarks": list(
            _of_family(selectors.with_remarks(user), "visited_on", "review_remarks")[:20]
        )
        if policy.may(user, "organisation.own_caseload")
        else [],
        "planned": list(
            _of_family(
                selectors.my_visits(user).filter(status=VisitStatus.PLANNED),
                "planned_on",
                "kind",
                "purpose",
                "status",
            ).order_by("planned_on")[:20]
        ),
    }
    return render(request, "patronage/case_list.html", context)


@require_GET
@policy.allowed("patronage.view_patronagecase")
def case_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = selectors.case_detail(request, pk)
    context = {
        "case": case,
        "visits": selectors.case_visits(case),
        "recommendations": selectors.recommendation_history(case),
        "appeals": Appeal.objects.filter(case=case).order_by("received_on"),
        "can_plan": policy.may(request.user, "patronage.add_visit", case) and case.is_open,
        "assign_form": AssignForm(case=case)
        if policy.may(request.user, "patronage.open_case", case)
        else None,
        "close_form": CloseCaseForm(initial={"closed_on": timezone.localdate()})
        if policy.may(request.user, "patronage.open_case", case) and case.is_open
        else None,
    }
    return render(request, "patronage/case_detail.html", context)


@require_POST
@policy.allowed("patronage.open_case")
def case_assign(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = get_object_for(request, PatronageCase, pk, write=True)
    form = AssignForm(request.POST, case=case)
    if form.is_valid():
        try:
            actions.assign_specialist(
                case=case, specialist=form.cleaned_data["specialist"], assigned_by=request.user
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, f"За семьёй закреплён специалист: {case.specialist}.")
            return redirect(case)
    return refused_form_page(
        request,
        form,
        title=f"{case}: закрепление специалиста",
        back=case.get_absolute_url(),
        submit="Закрепить",
    )


@require_POST
@policy.allowed("patronage.open_case")
def case_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = get_object_for(request, PatronageCase, pk, write=True)
    form = CloseCaseForm(request.POST)
    if form.is_valid():
        try:
            actions.close_case(
                case=case,
                closed_on=form.cleaned_data["closed_on"],
                reason=form.cleaned_data["reason"],
                closed_by=request.user,
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Патронаж закрыт.")
            return redirect(case)
    return refused_form_page(
        request,
        form,
        title=f"{case}: закрытие",
        back=case.get_absolute_url(),
        submit="Закрыть",
        intro="Патронаж не закрыт: исправьте отмеченное и отправьте ещё раз.",
    )


# --- Visits (P7–P11, P15) ---------------------------------------------------------------------


def _warn_day_off(request: AuthenticatedRequest, day: date, department_id: int | None) -> None:
    """A visit dated on a day off the centre did not mark as worked is kept, with a warning."""
    warning = day_off_warning(day, department_id)
    if warning:
        messages.warning(request, warning)


@require_http_methods(["GET", "POST"])
@policy.allowed("patronage.add_visit")
@once_per_form
def visit_plan(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = get_object_for(request, selectors.cases_for(request.user), pk, write=True)
    form = VisitPlanForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            visit = actions.plan_visit(visit=form.instance, planned_by=request.user)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, f"Посещение запланировано на {visit.planned_on:%d.%m.%Y}.")
            if visit.planned_on:
                _warn_day_off(request, visit.planned_on, case.family.department_id)
            return redirect(visit)
    return render(request, "patronage/visit_plan.html", {"form": form, "case": case})


def _visit(request: AuthenticatedRequest, pk: int, *, action: str | None = None) -> Visit:
    return get_object_for(request, selectors.visits_for(request.user), pk, action=action)


@require_GET
@policy.allowed("patronage.view_visit")
def visit_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    visit = _visit(request, pk)
    context: dict[str, Any] = {
        "visit": visit,
        "case": visit.case,
        "recommendations": visit.recommendations.all(),
        "checks": visit.recommendation_checks.select_related("recommendation"),
        "open_recommendations": selectors.open_recommendations(visit)
        if visit.status == VisitStatus.PLANNED
        else [],
        "act": getattr(visit, "act", None) if visit.is_completed else None,
        "can_amend": visit.is_completed
        and visit.review_status == ReviewStatus.REMARKS
        and request.user.pk in (visit.specialist_id, visit.case.specialist_id),
        "can_record": visit.status == VisitStatus.PLANNED
        and policy.may(request.user, "patronage.record_visit", visit),
    }
    if visit.is_completed and policy.may(request.user, "patronage.review_visit", visit):
        context["review_form"] = ReviewForm(
            initial={"review_status": visit.review_status, "review_remarks": visit.review_remarks}
        )
    return render(request, "patronage/visit_detail.html", context)


@require_http_methods(["GET", "POST"])
@policy.allowed("patronage.change_visit")
def visit_record(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Record a visit on the tablet: SOP steps, the act, recommendations and their checks."""
    visit = _visit(request, pk, action="patronage.record_visit")
    if visit.status != VisitStatus.PLANNED:
        messages.info(request, "Посещение уже записано.")
        return redirect(visit)
    data = request.POST if request.method == "POST" else None
    record_form = VisitRecordForm(data, instance=visit, prefix="visit")
    act_form = ActForm(data, prefix="act", family=visit.case.family)
    rec_formset = NewRecommendationFormSet(data, prefix="rec")
    check_forms = [CheckForm(data, recommendation=r) for r in selectors.open_recommendations(visit)]
    forms_ok = (
        all(
            [
                record_form.is_valid(),
                act_form.is_valid(),
                rec_formset.is_valid(),
                *(f.is_valid() for f in check_forms),
            ]
        )
        if data is not None
        else False
    )
    if forms_ok:
        try:
            actions.complete_visit(
                visit=record_form.instance,
                completed_by=request.user,
                act=act_form.instance,
                present_representatives=act_form.cleaned_data["present_representatives"],
                recommendations=[
                    actions.NewRecommendation(f.cleaned_data["text"], f.cleaned_data["due_on"])
                    for f in rec_formset
                    if f.cleaned_data.get("text", "").strip()
                ],
                checks=[
                    actions.CheckResult(
                        f.recommendation, f.cleaned_data["outcome"], f.cleaned_data["comment"]
                    )
                    for f in check_forms
                ],
            )
        except ValidationError as exc:
            add_action_errors(record_form, exc)
        else:
            messages.success(request, "Посещение записано и передано заведующему на проверку.")
            if visit.visited_on:
                _warn_day_off(request, visit.visited_on, visit.case.family.department_id)
            return redirect(visit)
    status = 400 if data is not None else 200
    return render(
        request,
        "patronage/visit_record.html",
        {
            "visit": visit,
            "case": visit.case,
            "record_form": record_form,
            "act_form": act_form,
            "rec_formset": rec_formset,
            "check_forms": check_forms,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@policy.allowed("patronage.change_visit")
def visit_amend(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Correct a record the head returned with remarks (P13)."""
    visit = _visit(request, pk, action="patronage.record_visit")
    data = request.POST if request.method == "POST" else None
    stale = visit.review_status != ReviewStatus.REMARKS or not visit.is_completed
    if stale and data is None:
        messages.info(request, actions.AMEND_ONLY_REMARKS)
        return redirect(visit)
    record_form = VisitRecordForm(data, instance=visit, prefix="visit")
    act_form = ActForm(data, instance=visit.act, prefix="act", family=visit.case.family)
    if data is not None and stale:
        # accepted or amended by someone else since the form was opened: the typed text is
        # shown again (to copy), not dropped by a redirect
        record_form.is_valid()
        record_form.add_error(
            None,
            f"{actions.AMEND_ONLY_REMARKS} Запись уже принята или исправлена, пока была "
            "открыта эта страница: ваш текст ниже не сохранён.",
        )
    elif data is not None and record_form.is_valid() and act_form.is_valid():
        try:
            actions.amend_visit(
                visit=record_form.instance,
                act=act_form.instance,
                amended_by=request.user,
                present_representatives=act_form.cleaned_data["present_representatives"],
            )
        except ValidationError as exc:
            add_action_errors(record_form, exc)
        else:
            messages.success(request, "Запись исправлена и снова передана заведующему.")
            return redirect(visit)
    return render(
        request,
        "patronage/visit_record.html",
        {
            "visit": visit,
            "case": visit.case,
            "record_form": record_form,
            "act_form": act_form,
            "amend": True,
        },
        status=400 if data is not None else 200,
    )


@require_POST
@policy.allowed("patronage.change_visit")
def visit_cancel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    visit = _visit(request, pk, action="patronage.record_visit")
    try:
        actions.cancel_visit(visit=visit, cancelled_by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(str(m) for m in exc.messages))
    else:
        messages.success(request, "Посещение отменено.")
    return redirect(visit)


@require_GET
@policy.allowed("patronage.view_visit")
def visit_act_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """P9: the document of the visit, with names declined and signature lines."""
    visit = _visit(request, pk)
    act = getattr(visit, "act", None) if visit.is_completed else None
    if act is None:
        messages.error(request, "У посещения ещё нет документа: сначала запишите посещение.")
        return redirect(visit)
    family = visit.case.family
    adults = list(
        family.representatives.filter(archived_at__isnull=True).prefetch_related(
            "representations__recipient"
        )
    )
    context = {
        "visit": visit,
        "act": act,
        "family": family,
        "children": family.children.filter(archived_at__isnull=True),
        # The family's composition: each adult with whom they are to the children.
        "family_adults": [
            (
                rep,
                "; ".join(
                    f"{link.get_relation_display()} ({link.recipient.short_name})"
                    for link in rep.representations.all()
                ),
            )
            for rep in adults
        ],
        # Only those recorded as present are named and sign the familiarisation (P9).
        "present": list(act.present_representatives.all()),
        "reviewer": visit.reviewed_by if visit.review_status == ReviewStatus.ACCEPTED else None,
        "recommendations": visit.recommendations.all(),
        "checks": visit.recommendation_checks.select_related("recommendation"),
    }
    return pdf_response(
        "patronage/print/act.html",
        context,
        f"{act.get_kind_display()} {visit.visited_on:%d.%m.%Y}.pdf",
        request,
    )


# --- Review (P13) -----------------------------------------------------------------------------


# What a row of «Посещения» shows (templates/patronage/visit_list.html).
VISIT_LIST_COLUMNS = (
    "visited_on",
    "planned_on",
    "kind",
    "effectiveness",
    "case__family__name",
    "specialist__last_name",
    "specialist__first_name",
    "specialist__patronymic",
    "act__kind",
)


@require_GET
@policy.allowed("patronage.view_visit")
def visit_list(request: AuthenticatedRequest) -> HttpResponse:
    """«Посещения»: the visits the user may see, filtered as the figures of the statistical
    report and of the dashboard that link here."""
    form = VisitFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.filter_visits(
        selectors.visits_for(request.user),
        today=timezone.localdate(),
        **{k: v for k, v in data.items() if v not in (None, "")},
    ).only(*VISIT_LIST_COLUMNS)
    return render(
        request,
        "patronage/visit_list.html",
        {"form": form, "page_obj": _page(request, qs), "status": data.get("status") or ""},
    )


@require_GET
@policy.allowed("patronage.review_visit")
def review_list(request: AuthenticatedRequest) -> HttpResponse:
    visits = selectors.awaiting_review(request.user)
    return render(request, "patronage/review_list.html", {"page_obj": _page(request, visits)})


@require_POST
@policy.allowed("patronage.review_visit")
def visit_review(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    visit = _visit(request, pk, action="patronage.review_visit")
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            actions.review_visit(
                visit=visit,
                status=form.cleaned_data["review_status"],
                remarks=form.cleaned_data["review_remarks"],
                reviewed_by=request.user,
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            if visit.review_status == ReviewStatus.ACCEPTED:
                messages.success(request, "Запись принята.")
            else:
                messages.warning(request, "Замечания переданы специалисту.")
            return redirect("patronage:review_list")
    return render(
        request,
        "patronage/visit_detail.html",
        {
            "visit": visit,
            "case": visit.case,
            "review_form": form,
            "act": getattr(visit, "act", None),
            "recommendations": visit.recommendations.all(),
            "checks": visit.recommendation_checks.select_related("recommendation"),
        },
        status=400,
    )
