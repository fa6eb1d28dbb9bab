"""Views of diagnostics, the ИПСРН and the conclusion: each validates a form, calls one action,
redirects. Records are reached only through `visible_to` / `get_object_for`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from organisation import policy
from organisation.access import AuthenticatedRequest, get_object_for
from organisation.actions import day_off_warning
from organisation.forms import add_action_errors
from organisation.idempotency import once_per_form
from recipients.models import Recipient
from rehab_programs import actions, selectors
from rehab_programs.forms import (
    ActivityForm,
    ActivityResultForm,
    ChangeProposalForm,
    ConclusionForm,
    DiagnosticForm,
    FamiliarisationForm,
    ProgrammeEditForm,
    ProgrammeForm,
    ProgrammeListFilterForm,
    ReceiptForm,
    RevisionForm,
)
from rehab_programs.models import Activity, Conclusion, RehabProgramme
from reports.pdf import pdf_response

PAGE_SIZE = 50


def _form_page(
    request: AuthenticatedRequest, form: Any, title: str, recipient: Recipient, back: str
) -> HttpResponse:
    return render(
        request,
        "rehab_programs/form.html",
        {"form": form, "title": title, "r": recipient, "back": back},
    )


def _back(recipient: Recipient) -> str:
    return reverse("rehab_programs:recipient", args=[recipient.pk])


def _rehab_programme(
    request: AuthenticatedRequest, pk: int, *, write: bool = False
) -> RehabProgramme:
    qs = selectors.rehab_programme_page(RehabProgramme.objects.all())
    return get_object_for(request, qs, pk, write=write)  # type: ignore[arg-type]


# --- Lists and pages ---------------------------------------------------------------------------


@require_GET
@policy.allowed("rehab_programs.view_rehabprogramme")
def rehab_programme_list(request: AuthenticatedRequest) -> HttpResponse:
    """«Программы (ИПСРН)»: enrolled minors with the terms of O15, O16, O19, late ones flagged;
    with a period, the minors whose ИПСРН was drawn up in it."""
    today = timezone.localdate()
    form = ProgrammeListFilterForm(request.GET)
    period = None
    if form.has_period:
        data = form.cleaned_data
        period = {k: data[k] for k in ("date_from", "date_to", "department")}
    # The terms are computed, the late ones filtered and the register paginated in the database.
    late_only = request.GET.get("late") == "1"
    register = selectors.register_page(request.user, today, period=period, late=late_only)
    page: Any = Paginator(register, PAGE_SIZE).get_page(request.GET.get("page"))  # type: ignore[arg-type]
    return render(
        request,
        "rehab_programs/programme_list.html",
        {
            "rows": page.object_list,
            "page_obj": page,
            "today": today,
            "late_only": late_only,
            "form": form,
            "has_period": form.has_period,
        },
    )


@require_GET
def recipient_rehab(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One minor's diagnostics, programme and conclusion, with the terms."""
    qs = Recipient.objects.visible_to(request.user)
    recipient = get_object_for(request, qs, pk)
    recipient = selectors.recipient_with_status(qs, recipient.pk)
    today = timezone.localdate()
    return render(
        request,
        "rehab_programs/recipient.html",
        {
            "r": recipient,
            "status": selectors.status_of(recipient, today),
            "diagnostics": list(selectors.diagnostics_of(recipient)),
            "conclusions": list(
                Conclusion.objects.filter(recipient=recipient, archived_at__isnull=True)
                .select_related("drawn_up_by", "received_by")
                .prefetch_related("diagnostics")
            ),
            "can_write": policy.may(request.user, policy.CHANGE, recipient),
            "today": today,
        },
    )


@require_GET
def rehab_programme_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    programme = _rehab_programme(request, pk)
    today = timezone.localdate()
    return render(
        request,
        "rehab_programs/programme_detail.html",
        {
            "p": programme,
            "r": programme.recipient,
            "activities": selectors.split_activities(programme),
            "versions": sorted(programme.versions.all(), key=lambda v: v.number),
            "open_version": programme.open_version,
            "current_version": programme.current_version,
            "revision_late": programme.revision_overdue(today),
            "can_write": policy.may(request.user, policy.CHANGE, programme),
            "today": today,
            "proposals": programme.change_proposals.select_related("proposed_by").prefetch_related(
                "agenda_items__meeting"
            ),
        },
    )


@require_GET
def rehab_programme_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The ИПСРН as a PDF: the copy for the personal file, or the parent's copy — refused when
    informing the parent would harm the minor (O17)."""
    programme = _rehab_programme(request, pk)
    for_parent = request.GET.get("copy") == "parent"
    if for_parent and programme.parent_info_withheld:
        messages.error(
            request,
            "Экземпляр для родителя не выдаётся: информирование родителя противоречит интересам "
            f"ребёнка ({programme.withheld_reason}).",
        )
        return redirect(programme)
    return pdf_response(
        "rehab_programs/print/programme.html",
        {
            "p": programme,
            "r": programme.recipient,
            "activities": selectors.split_activities(programme),
            "versions": [
                v
                for v in sorted(programme.versions.all(), key=lambda v: v.number)
                if v.status == "approved"
            ],
            "for_parent": for_parent,
        },
        f"ИПСРН {programme.recipient.short_name}.pdf",
        request,
    )


# --- Diagnostics -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@once_per_form
def diagnostic_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    recipient = get_object_for(request, Recipient, pk, write=True)
    back = _back(recipient)
    form = DiagnosticForm(request.POST or None, recipient=recipient)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            actions.record_diagnostic(
                recipient=recipient,
                stage=d["stage"],
                area=d["area"],
                form=d["form"],
                participants=list(d["participants"]),
                conducted_on=d["conducted_on"],
                conducted_by=request.user,
                duration_minutes=d["duration_minutes"],
                methods=d["methods"],
                results=d["results"],
                conclusions=d["conclusions"],
                ending_advisable=d["ending_advisable"],
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Диагностика внесена и отмечена в журнале учета услуг.")
            warning = day_off_warning(d["conducted_on"], recipient.department_id)
            if warning:
                messages.warning(request, warning)
            return redirect("rehab_programs:recipient", recipient.pk)
    return _form_page(request, form, "Диагностика и обследование личности", recipient, back)


# --- The programme -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@once_per_form
def rehab_programme_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    recipient = get_object_for(request, Recipient, pk, write=True)
    form = ProgrammeForm(
        request.POST or None,
        recipient=recipient,
        initial={"drawn_up_on": timezone.localdate(), "curator": request.user.pk},
    )
    if request.method == "POST" and form.is_valid():
        try:
            programme = actions.draw_up_rehab_programme(
                recipient=recipient, drawn_up_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request, "ИПСРН составлена. Добавьте мероприятия и вынесите её на консилиум."
            )
            return redirect(programme)
    return _form_page(request, form, "Составление ИПСРН", recipient, _back(recipient))


@require_http_methods(["GET", "POST"])
@once_per_form
def activity_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    programme = _rehab_programme(request, pk, write=True)
    form = ActivityForm(request.POST or None, department_id=programme.recipient.department_id)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_activity(programme=programme, added_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Мероприятие добавлено в редакцию, ждущую консилиума.")
            return redirect(programme)
    return _form_page(
        request,
        form,
        "Реабилитационное мероприятие",
        programme.recipient,
        programme.get_absolute_url(),
    )


def _activity(request: AuthenticatedRequest, pk: int) -> Activity:
    qs = Activity.objects.select_related("programme__recipient", "added_in", "removed_in")
    return get_object_for(request, qs, pk, write=True)  # type: ignore[arg-type]


@require_http_methods(["GET", "POST"])
def activity_result(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    programme = activity.programme
    form = ActivityResultForm(
        request.POST or None,
        initial={"done_on": timezone.localdate(), "actual_result": activity.actual_result},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_activity_result(
                activity=activity, recorded_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Результат мероприятия записан.")
            return redirect(programme)
    return _form_page(
        request,
        form,
        f"Результат: {activity.title}",
        programme.recipient,
        programme.get_absolute_url(),
    )


@require_POST
def activity_withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    try:
        actions.withdraw_activity(activity=activity, withdrawn_by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Мероприятие предложено к исключению.")
    return redirect(activity.programme)


@require_http_methods(["GET", "POST"])
def familiarisation(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    programme = _rehab_programme(request, pk, write=True)
    form = FamiliarisationForm(
        request.POST or None,
        instance=RehabProgramme.objects.get(pk=programme.pk),
        recipient=programme.recipient,
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_familiarisation(
                programme=programme, recorded_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Разъяснение ребёнку и ознакомление родителя записаны.")
            return redirect(programme)
    return _form_page(
        request,
        form,
        "Разъяснение ребёнку и ознакомление родителя",
        programme.recipient,
        programme.get_absolute_url(),
    )


@require_http_methods(["GET", "POST"])
def rehab_programme_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Correct the ИПСРН's date, curator and goal; a save over someone else's change made
    meanwhile is refused with what they changed (VersionedForm)."""
    programme = _rehab_programme(request, pk, write=True)
    form = ProgrammeEditForm(
        request.POST or None, instance=RehabProgramme.objects.get(pk=programme.pk)
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.edit_rehab_programme(
                programme=programme,
                edited_by=request.user,
                **{k: form.cleaned_data[k] for k in form.changed_data},
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Сведения ИПСРН сохранены.")
            return redirect(programme)
    return _form_page(
        request,
        form,
        "Изменение сведений ИПСРН",
        programme.recipient,
        programme.get_absolute_url(),
    )


@require_http_methods(["GET", "POST"])
def revision_propose(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    programme = _rehab_programme(request, pk, write=True)
    form = RevisionForm(
        request.POST or None,
        recipient=programme.recipient,
        initial={"proposed_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.propose_revision(
                programme=programme, proposed_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request,
                "Изменения предложены. Добавьте новые мероприятия; изменения вступят в силу "
                "только по решению консилиума.",
            )
            return redirect(programme)
    return _form_page(
        request,
        form,
        "Предложение изменений и дополнений в ИПСРН",
        programme.recipient,
        programme.get_absolute_url(),
    )


@require_http_methods(["GET", "POST"])
@once_per_form
def change_propose(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """O37: a specialist carrying out the programme proposes a change to the consilium."""
    programme = _rehab_programme(request, pk, write=True)
    form = ChangeProposalForm(request.POST or None, initial={"proposed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            actions.propose_change(
                programme=programme, proposed_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request, "Предложение записано: оно войдёт в повестку ближайшего консилиума."
            )
            return redirect(programme)
    return _form_page(
        request,
        form,
        "Предложение об изменении ИПСРН",
        programme.recipient,
        programme.get_absolute_url(),
    )


# --- The conclusion ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@once_per_form
def conclusion_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    recipient = get_object_for(request, Recipient, pk, write=True)
    form = ConclusionForm(
        request.POST or None, recipient=recipient, initial={"drawn_up_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.draw_up_conclusion(
                recipient=recipient, drawn_up_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Заключение составлено. Распечатайте его в двух экземплярах.")
            return redirect("rehab_programs:recipient", recipient.pk)
    return _form_page(
        request,
        form,
        "Заключение о результатах реализации ИПСРН",
        recipient,
        _back(recipient),
    )


def _conclusion(request: AuthenticatedRequest, pk: int, *, write: bool = False) -> Conclusion:
    qs = Conclusion.objects.select_related(
        "recipient__department", "drawn_up_by", "received_by", "programme"
    ).prefetch_related("diagnostics__conducted_by")
    return get_object_for(request, qs, pk, write=write)  # type: ignore[arg-type]


@require_http_methods(["GET", "POST"])
def conclusion_receipt(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    conclusion = _conclusion(request, pk, write=True)
    recipient = conclusion.recipient
    form = ReceiptForm(
        request.POST or None, recipient=recipient, initial={"received_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_conclusion_receipt(
                conclusion=conclusion, recorded_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Получение заключения родителем под роспись отмечено.")
            return redirect("rehab_programs:recipient", recipient.pk)
    return _form_page(
        request,
        form,
        "Родитель получил заключение под роспись",
        recipient,
        _back(recipient),
    )


@require_GET
def conclusion_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """O21: two copies in one PDF — for the parents and for the personal file."""
    conclusion = _conclusion(request, pk)
    return pdf_response(
        "rehab_programs/print/conclusion.html",
        {
            "c": conclusion,
            "r": conclusion.recipient,
            "copies": [
                "Экземпляр № 1 — для родителей (законных представителей)",
                "Экземпляр № 2 — для личного дела",
            ],
        },
        f"Заключение {conclusion.recipient.short_name}.pdf",
        request,
    )
