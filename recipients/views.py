"""Views of the recipients app: each validates a form, calls one action, redirects.

Every record is reached through `visible_to` / `get_object_for`: a specialist of another
department gets 404, a read-only role asking to change gets 403.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from organisation.access import AuthenticatedRequest, can_write, get_object_for
from organisation.forms import add_action_errors
from organisation.models import Department, Role
from organisation.selectors import current_director
from recipients import actions, exports, tasks
from recipients.forms import (
    ApplicationForm,
    BelongingForm,
    BelongingReturnForm,
    CertifyForm,
    CircumstanceChangeForm,
    CircumstanceReviewForm,
    ConsentForm,
    ConsentWithdrawForm,
    ContractForm,
    DocumentForm,
    ExtractForm,
    FamiliarisationForm,
    FamilyForm,
    NeedRecognitionForm,
    NewFamilyForm,
    OrderDraftForm,
    OrderReturnForm,
    QualitySummaryForm,
    QualitySurveyForm,
    RecipientForm,
    RegisterFilterForm,
    RepresentativeEditForm,
    RepresentativeForm,
)
from recipients.models import (
    OPINION_AGE,
    SCORE_CRITERIA,
    AccessKind,
    AccessLog,
    Belonging,
    CircumstanceChange,
    Consent,
    ConsentScope,
    Contract,
    Document,
    Familiarisation,
    Family,
    Order,
    OrderKind,
    OrderStatus,
    QualitySurvey,
    Recipient,
    Representation,
    Representative,
)
from recipients.selectors import quality_summary, register
from reports.jobs import export_or_queue
from reports.pdf import pdf_response

PAGE_SIZE = 50


def _recipient(request: AuthenticatedRequest, pk: int, *, write: bool = False) -> Recipient:
    return get_object_for(request.user, Recipient, pk, write=write)


def _departments(request: AuthenticatedRequest) -> Any:
    if request.user.role == Role.DIRECTOR:
        return Department.objects.filter(is_active=True)
    return Department.objects.filter(pk=request.user.department_id or 0)


# --- The register (O26) ------------------------------------------------------------------------


@require_GET
def register_list(request: AuthenticatedRequest) -> HttpResponse:
    form = RegisterFilterForm(request.GET or None, departments=_departments(request))
    qs = register(request.user, **form.filters())
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "recipients/register.html",
        {
            "form": form,
            "page_obj": page,
            "today": timezone.localdate(),
            "can_add": can_write(request.user, Recipient),
            "query_string": request.GET.urlencode(),
        },
    )


@require_GET
def register_export(request: AuthenticatedRequest) -> HttpResponse:
    """The current filter of the register as XLSX: at once when small, as a background job for
    the whole centre."""
    return export_or_queue(request, exports.register_export, tasks.export_register)


# --- The card ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def recipient_create(request: AuthenticatedRequest) -> HttpResponse:
    if not can_write(request.user, Recipient):
        raise PermissionDenied("Регистрировать получателей могут специалисты отделения.")
    department = request.user.department
    assert department is not None  # writers work in a department (a database constraint)
    families = Family.objects.visible_to(request.user).filter(archived_at__isnull=True)
    form = RecipientForm(request.POST or None, families=families)
    family_form = NewFamilyForm(request.POST or None)
    duplicates: list[Recipient] = []
    if request.method == "POST" and form.is_valid() and family_form.is_valid():
        data = dict(form.cleaned_data)
        new_family = family_form.cleaned_data.get("new_family_name", "").strip()
        if not data.get("family") and not new_family:
            family_form.add_error("new_family_name", "Выберите семью выше или создайте новую.")
        else:
            try:
                if not data.get("family"):
                    data["family"] = actions.create_family(
                        department=department,
                        created_by=request.user,
                        name=new_family,
                        address=family_form.cleaned_data.get("new_family_address", ""),
                        phone=family_form.cleaned_data.get("new_family_phone", ""),
                    )
                recipient = actions.register_recipient(
                    department=department, created_by=request.user, **data
                )
            except actions.DuplicateRecipient as exc:
                duplicates = exc.existing
                form.add_error(None, exc.messages[0])
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(request, f"Получатель {recipient.short_name} зарегистрирован.")
                return redirect(recipient)
    visible_ids = set(
        Recipient.objects.visible_to(request.user)
        .filter(pk__in=[d.pk for d in duplicates])
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "recipients/recipient_form.html",
        {
            "form": form,
            "family_form": family_form,
            "duplicates": [(d, d.pk in visible_ids) for d in duplicates],
            "title": "Новый получатель",
        },
    )


@require_http_methods(["GET", "POST"])
def recipient_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    recipient = _recipient(request, pk, write=True)
    families = Family.objects.visible_to(request.user).filter(archived_at__isnull=True)
    form = RecipientForm(request.POST or None, instance=recipient, families=families)
    duplicates: list[Recipient] = []
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in form.changed_data}
        try:
            actions.update_recipient(
                recipient=Recipient.objects.get(pk=recipient.pk), changed_by=request.user, **data
            )
        except actions.DuplicateRecipient as exc:
            duplicates = exc.existing
            form.add_error(None, exc.messages[0])
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Изменения сохранены.")
            return redirect("recipients:detail", pk=pk)
    return render(
        request,
        "recipients/recipient_form.html",
        {
            "form": form,
            "recipient": recipient,
            "duplicates": [(d, True) for d in duplicates],
            "title": f"Изменение: {recipient.full_name}",
        },
    )


@require_GET
def recipient_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    qs: Any = Recipient.objects.select_related("department", "family").prefetch_related(  # type: ignore[type-var]
        Prefetch(
            "representations",
            queryset=Representation.objects.select_related("representative"),
        ),
        "family__children",
        Prefetch("consents", queryset=Consent.objects.select_related("given_by")),
        Prefetch("documents", queryset=Document.objects.select_related("certified_by")),
        "applications__representative",
        "need_recognitions",
        "contracts__representative",
        Prefetch("orders", queryset=Order.objects.select_related("drafted_by", "decided_by")),
        Prefetch(
            "circumstance_changes",
            queryset=CircumstanceChange.objects.select_related("reported_by", "reviewed_by"),
        ),
        Prefetch(
            "familiarisations",
            queryset=Familiarisation.objects.select_related("representative", "recorded_by"),
        ),
        "belongings",
    )
    recipient = get_object_for(request.user, qs, pk)
    actions.log_access(recipient=recipient, user=request.user, kind=AccessKind.CARD)
    documents = list(recipient.documents.all())
    today = timezone.localdate()
    orders = list(recipient.orders.all())
    first_day = next(
        (o.effective_on for o in orders if o.kind == OrderKind.ENROLMENT and o.is_draft), today
    )
    return render(
        request,
        "recipients/recipient_detail.html",
        {
            "r": recipient,
            "today": today,
            "can_edit": can_write(request.user, Recipient),
            "checklist": actions.checklist(recipient, documents),
            "missing_documents": actions.missing_documents(recipient, documents),
            "enrolment_missing": actions.enrolment_missing(recipient, first_day),
            "archived_documents": [d for d in documents if d.archived_at],
            "orders": orders,
            "extract_form": ExtractForm(),
            "certify_form": CertifyForm(initial={"certified_on": today}),
            "review_form": CircumstanceReviewForm(),
            "familiarisation": actions.familiarisation_status(
                recipient, recipient.familiarisations.all()
            ),
            "return_form": BelongingReturnForm(initial={"returned_on": today}),
        },
    )


@require_POST
@permission_required("recipients.archive_recipient", raise_exception=True)
def recipient_archive(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    recipient = _recipient(request, pk, write=True)
    try:
        actions.archive_recipient(recipient=recipient, archived_by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(recipient)
    messages.success(request, f"{recipient.short_name}: запись переведена в архив.")
    return redirect("recipients:list")


def _diffs(history: list[Any]) -> list[dict[str, Any]]:
    rows = []
    for i, record in enumerate(history):
        previous = history[i + 1] if i + 1 < len(history) else None
        changes = []
        if previous is not None:
            delta = record.diff_against(previous)
            for change in delta.changes:
                if change.field in {"updated_at", "search_text"}:
                    continue
                field = record.instance_type._meta.get_field(change.field)
                changes.append({"field": field.verbose_name, "old": change.old, "new": change.new})
        rows.append({"record": record, "changes": changes, "created": previous is None})
    return rows


@require_GET
def recipient_history(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Every change of the card, its family and its representatives (who, when, what)."""
    recipient = _recipient(request, pk)
    sections = [("Получатель", _diffs(list(recipient.history.select_related("history_user"))))]
    if recipient.family_id:
        family_history = Family.history.filter(id=recipient.family_id).select_related(
            "history_user"
        )
        sections.append(("Семья", _diffs(list(family_history))))
        for rep in Representative.objects.filter(family_id=recipient.family_id or 0):
            sections.append(
                (
                    f"Представитель: {rep.full_name}",
                    _diffs(list(rep.history.select_related("history_user"))),
                )
            )
    return render(request, "recipients/history.html", {"r": recipient, "sections": sections})


@require_GET
@permission_required("organisation.view_access_log", raise_exception=True)
def recipient_access_log(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    recipient = _recipient(request, pk)
    log = AccessLog.objects.visible_to(request.user).filter(recipient=recipient)
    page = Paginator(log.select_related("user"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "recipients/access_log.html", {"r": recipient, "page_obj": page})


@require_GET
@permission_required("organisation.view_access_log", raise_exception=True)
def access_log_all(request: AuthenticatedRequest) -> HttpResponse:
    """Who opened which personal card: the head sees their department, the director all."""
    log = AccessLog.objects.visible_to(request.user).select_related("user", "recipient")
    page = Paginator(log, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "recipients/access_log.html", {"r": None, "page_obj": page})


# --- Family and representatives -----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def family_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    recipient = _recipient(request, pk, write=True)
    if recipient.family is None:
        raise Http404("У получателя не указана семья.")
    family = get_object_for(request.user, Family, recipient.family_id, write=True)
    form = FamilyForm(request.POST or None, instance=family)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_family(
                family=Family.objects.get(pk=family.pk),
                changed_by=request.user,
                **{k: form.cleaned_data[k] for k in form.changed_data},
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Сведения о семье сохранены.")
            return redirect(recipient)
    return render(
        request, "recipients/simple_form.html", _ctx(recipient, form, f"Семья: {family.name}")
    )


def _ctx(recipient: Recipient, form: Any, title: str, **extra: Any) -> dict[str, Any]:
    return {"r": recipient, "form": form, "title": title, **extra}


@require_http_methods(["GET", "POST"])
def representative_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    recipient = _recipient(request, pk, write=True)
    form = RepresentativeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        relation = data.pop("relation")
        try:
            rep = actions.add_representative(
                recipient=recipient, relation=relation, created_by=request.user, **data
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, f"Законный представитель {rep.short_name} добавлен.")
            return redirect(recipient)
    return render(
        request, "recipients/simple_form.html", _ctx(recipient, form, "Законный представитель")
    )


@require_http_methods(["GET", "POST"])
def representative_edit(request: AuthenticatedRequest, pk: int, rep_pk: int) -> HttpResponse:
    recipient = _recipient(request, pk, write=True)
    rep = get_object_for(
        request.user,
        Representative.objects.filter(family_id=recipient.family_id or 0),
        rep_pk,
        write=True,
    )
    form = RepresentativeEditForm(request.POST or None, instance=rep)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_representative(
                representative=Representative.objects.get(pk=rep.pk),
                changed_by=request.user,
                **{k: form.cleaned_data[k] for k in form.changed_data},
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Сведения о представителе сохранены.")
            return redirect(recipient)
    return render(
        request, "recipients/simple_form.html", _ctx(recipient, form, f"Представитель: {rep}")
    )


# --- Consent (O6) ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def consent_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    recipient = _recipient(request, pk, write=True)
    reps = Representative.objects.filter(
        family_id=recipient.family_id or 0, archived_at__isnull=True
    )
    form = ConsentForm(
        request.POST or None,
        representatives=reps,
        initial={"given_on": timezone.localdate(), "given_by": reps.first()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_consent(
                recipient=recipient, recorded_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Согласие на обработку персональных данных записано.")
            return redirect(recipient)
    return render(
        request,
        "recipients/simple_form.html",
        _ctx(recipient, form, "Согласие на обработку персональных данных"),
    )


@require_http_methods(["GET", "POST"])
def consent_withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    consent = get_object_for(request.user, Consent, pk, write=True)
    form = ConsentWithdrawForm(request.POST or None, initial={"withdrawn_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            actions.withdraw_consent(
                consent=consent,
                withdrawn_on=form.cleaned_data["withdrawn_on"],
                note=form.cleaned_data["note"],
                withdrawn_by=request.user,
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Отзыв согласия записан: передача сведений прекращена.")
            return redirect(consent.recipient)
    return render(
        request,
        "recipients/simple_form.html",
        _ctx(consent.recipient, form, f"Отзыв согласия от {consent.given_on:%d.%m.%Y}"),
    )


# --- The personal file (O13, O27, O28) ---------------------------------------------------------


@require_http_methods(["GET", "POST"])
def document_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    recipient = _recipient(request, pk, write=True)
    form = DocumentForm(
        request.POST or None,
        request.FILES or None,
        initial={"received_on": timezone.localdate(), "kind": request.GET.get("kind")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_document(recipient=recipient, added_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Документ добавлен в личное дело.")
            return redirect(reverse("recipients:detail", args=[pk]) + "#personal-file")
    return render(
        request,
        "recipients/simple_form.html",
        _ctx(recipient, form, "Документ личного дела", multipart=True),
    )


@require_POST
def document_certify(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    document = get_object_for(request.user, Document, pk, write=True)
    form = CertifyForm(request.POST)
    if form.is_valid():
        try:
            actions.certify_document(
                document=document,
                certified_by=request.user,
                certified_on=form.cleaned_data["certified_on"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"«{document}»: копия заверена.")
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect(reverse("recipients:detail", args=[document.recipient_id]) + "#personal-file")


@require_POST
def document_archive(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    document = get_object_for(request.user, Document, pk, write=True)
    actions.archive_document(document=document, archived_by=request.user)
    messages.success(request, f"«{document}» переведён в архив личного дела.")
    return redirect(reverse("recipients:detail", args=[document.recipient_id]) + "#personal-file")


@require_GET
def document_scan(request: AuthenticatedRequest, pk: int) -> FileResponse:
    """A scan, only through this scoped view (never /media/), logged like a card opening."""
    document = get_object_for(request.user, Document.objects.select_related("recipient"), pk)
    if not document.scan:
        raise Http404("У документа нет скана.")
    actions.log_access(
        recipient=document.recipient,
        user=request.user,
        kind=AccessKind.DOCUMENT,
        detail=str(document),
    )
    response = FileResponse(
        document.scan.open("rb"),
        content_type=document.scan_type or "application/octet-stream",
        filename=document.scan_name or "scan",
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Enrolment ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def application_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    recipient = _recipient(request, pk, write=True)
    form = ApplicationForm(
        request.POST or None, recipient=recipient, initial={"submitted_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_application(
                recipient=recipient, recorded_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Заявление записано.")
            return redirect(recipient)
    return render(
        request, "recipients/simple_form.html", _ctx(recipient, form, "Заявление представителя")
    )


@require_http_methods(["GET", "POST"])
def need_recognition_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    recipient = _recipient(request, pk, write=True)
    form = NeedRecognitionForm(
        request.POST or None, initial={"circumstances": recipient.circumstances}
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_need_recognition(
                recipient=recipient, recorded_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Протокол о признании нуждающимся записан.")
            return redirect(recipient)
    return render(
        request,
        "recipients/simple_form.html",
        _ctx(recipient, form, "Протокол о признании нуждающимся"),
    )


@require_http_methods(["GET", "POST"])
def contract_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    recipient = _recipient(request, pk, write=True)
    form = ContractForm(
        request.POST or None, recipient=recipient, initial={"concluded_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.conclude_contract(
                recipient=recipient, concluded_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Договор записан. Услуги предоставляются бесплатно.")
            return redirect(recipient)
    return render(
        request,
        "recipients/simple_form.html",
        _ctx(recipient, form, "Договор о предоставлении социальных услуг"),
    )


# --- Orders (O12) ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permission_required("recipients.draft_order", raise_exception=True)
def order_draft(request: AuthenticatedRequest, pk: int, kind: str) -> HttpResponse:
    if kind not in OrderKind.values:
        raise Http404("Нет такого вида приказа.")
    recipient = _recipient(request, pk, write=True)
    form = OrderDraftForm(
        request.POST or None,
        kind=kind,
        initial={
            "effective_on": timezone.localdate(),
            "grounds": actions.default_grounds(kind, recipient),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            order = actions.draft_order(
                kind=kind, recipient=recipient, drafted_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Проект приказа передан директору на утверждение.")
            return redirect(order)
    return render(
        request,
        "recipients/simple_form.html",
        _ctx(recipient, form, f"Проект приказа {OrderKind(kind).label}"),
    )


@require_GET
def order_list(request: AuthenticatedRequest) -> HttpResponse:
    if request.user.role not in (Role.HEAD, Role.DIRECTOR):
        raise PermissionDenied("Приказы видят заведующие и директор.")
    orders = Order.objects.visible_to(request.user).select_related(
        "recipient", "recipient__department", "drafted_by", "decided_by"
    )
    orders = orders.order_by(
        F("year").desc(nulls_first=True), F("number").desc(nulls_first=True), "-created_at"
    )
    status = request.GET.get("status", "")
    if status in OrderStatus.values:
        orders = orders.filter(status=status)
    page = Paginator(orders, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "recipients/order_list.html",
        {"page_obj": page, "status": status, "statuses": OrderStatus.choices},
    )


@require_GET
def order_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    order = get_object_for(
        request.user,
        Order.objects.select_related("recipient", "drafted_by", "decided_by"),
        pk,
    )
    blockers = actions.approval_blockers(order) if order.is_draft else []
    return render(
        request,
        "recipients/order_detail.html",
        {"order": order, "blockers": blockers, "return_form": OrderReturnForm()},
    )


@require_POST
@permission_required("recipients.approve_order", raise_exception=True)
def order_approve(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    order = get_object_for(request.user, Order, pk)
    try:
        order = actions.approve_order(order=order, approved_by=request.user)
    except actions.OrderRefused as exc:
        messages.error(request, "Приказ не утверждён. Не хватает: " + "; ".join(exc.reasons) + ".")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Приказ № {order.display_number} утверждён.")
    return redirect(order)


@require_POST
@permission_required("recipients.approve_order", raise_exception=True)
def order_return(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    order = get_object_for(request.user, Order, pk)
    form = OrderReturnForm(request.POST)
    if form.is_valid():
        try:
            actions.return_order(
                order=order, returned_by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Проект приказа возвращён на доработку.")
            return redirect(order)
    else:
        messages.error(request, "Укажите, что нужно исправить в проекте приказа.")
    return redirect(order)


# --- Printed documents -------------------------------------------------------------------------


def _print(
    request: AuthenticatedRequest,
    recipient: Recipient,
    template: str,
    filename: str,
    **context: Any,
) -> HttpResponse:
    actions.log_access(
        recipient=recipient,
        user=request.user,
        kind=context.pop("access_kind", AccessKind.PRINT),
        detail=context.pop("access_detail", filename),
    )
    director = current_director()
    context = {
        "r": recipient,
        "today": timezone.localdate(),
        "director": director,
        "centre_address": settings.CENTRE_ADDRESS,
        **context,
    }
    return pdf_response(f"recipients/print/{template}", context, filename, request)


def _representation(recipient: Recipient, rep: Representative | None) -> Representation | None:
    links = recipient.representations.select_related("representative")
    if rep is not None:
        links = links.filter(representative=rep)
    return links.first()


@require_GET
def application_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The application form pre-filled for the representative to sign."""
    recipient = _recipient(request, pk)
    application = recipient.applications.select_related("representative").first()
    link = _representation(recipient, application.representative if application else None)
    return _print(
        request,
        recipient,
        "application.html",
        f"Заявление {recipient.short_name}.pdf",
        application=application,
        link=link,
        rep=link.representative if link else None,
    )


@require_GET
def consent_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    consent = get_object_for(
        request.user, Consent.objects.select_related("recipient", "given_by"), pk
    )
    link = _representation(consent.recipient, consent.given_by)
    return _print(
        request,
        consent.recipient,
        "consent.html",
        f"Согласие {consent.recipient.short_name}.pdf",
        consent=consent,
        link=link,
    )


@require_GET
def contract_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    contract = get_object_for(
        request.user, Contract.objects.select_related("recipient", "representative"), pk
    )
    link = _representation(contract.recipient, contract.representative)
    return _print(
        request,
        contract.recipient,
        "contract.html",
        f"Договор {contract.number}.pdf",
        contract=contract,
        link=link,
    )


@require_GET
def order_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    order = get_object_for(
        request.user, Order.objects.select_related("recipient", "drafted_by", "decided_by"), pk
    )
    return _print(
        request, order.recipient, "order.html", f"Приказ {order.display_number}.pdf", order=order
    )


@require_GET
def extract_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """An extract from the register for a third party: a disclosure beyond the centre, so it
    needs a written consent naming that party (O6)."""
    recipient = _recipient(request, pk)
    form = ExtractForm(request.GET)
    if not form.is_valid():
        messages.error(request, "Укажите, кому выдаётся выписка из регистра.")
        return redirect(recipient)
    third_party = form.cleaned_data["third_party"]
    try:
        consent = actions.ensure_disclosure_allowed(
            recipient=recipient, scope=ConsentScope.TRANSFER, third_party=third_party
        )
    except actions.DisclosureNotAllowed as exc:
        messages.error(request, str(exc))
        return redirect(recipient)
    return _print(
        request,
        recipient,
        "extract.html",
        f"Выписка из регистра {recipient.short_name}.pdf",
        third_party=third_party,
        consent=consent,
        access_kind=AccessKind.EXPORT,
        access_detail=f"выписка для: {third_party}",
    )


# --- Changes of circumstances (O8) ------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def circumstance_change_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    recipient = _recipient(request, pk, write=True)
    form = CircumstanceChangeForm(request.POST or None, recipient=recipient)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_circumstance_change(
                recipient=recipient, recorded_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Сообщение об изменении обстоятельств записано.")
            return redirect(f"{recipient.get_absolute_url()}#circumstance-changes")
    return render(
        request,
        "recipients/simple_form.html",
        _ctx(recipient, form, "Изменение обстоятельств (п. 2.6.6)"),
    )


@require_POST
@permission_required("recipients.review_circumstance_change", raise_exception=True)
def circumstance_change_review(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    change = get_object_for(
        request.user, CircumstanceChange.objects.select_related("recipient"), pk, write=True
    )
    form = CircumstanceReviewForm(request.POST)
    if form.is_valid():
        try:
            actions.review_circumstance_change(
                change=change, reviewed_by=request.user, decision=form.cleaned_data["decision"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Сообщение рассмотрено.")
    else:
        messages.error(request, "Запишите решение, чтобы отметить сообщение рассмотренным.")
    return redirect(f"{change.recipient.get_absolute_url()}#circumstance-changes")


# --- The provider's duties (O9, §2.6.7; O12, §3.3.1) -------------------------------------------


@require_http_methods(["GET", "POST"])
def familiarisation_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    recipient = _recipient(request, pk, write=True)
    reps = Representative.objects.filter(
        family_id=recipient.family_id or 0, archived_at__isnull=True
    )
    form = FamiliarisationForm(
        request.POST or None,
        representatives=reps,
        initial={"on": timezone.localdate(), "representative": reps.first()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            rows = actions.record_familiarisation(
                recipient=recipient,
                recorded_by=request.user,
                kinds=form.cleaned_data["kinds"],
                on=form.cleaned_data["on"],
                representative=form.cleaned_data["representative"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, f"Ознакомление записано: {len(rows)} док.")
            return redirect(recipient)
    return render(
        request,
        "recipients/simple_form.html",
        _ctx(recipient, form, "Ознакомление с документами (п. 2.6.7, 3.3.1)"),
    )


@require_GET
def familiarisation_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """«Лист ознакомления»: the documents with signature lines (O9, O12)."""
    recipient = _recipient(request, pk)
    rows = list(recipient.familiarisations.select_related("representative"))
    link = _representation(
        recipient, next((f.representative for f in rows if f.representative), None)
    )
    today = timezone.localdate()
    return _print(
        request,
        recipient,
        "familiarisation.html",
        f"Лист ознакомления {recipient.short_name}.pdf",
        status=actions.familiarisation_status(recipient, rows),
        rep=link.representative if link else None,
        minor_signs=recipient.age_on(today) >= OPINION_AGE,
    )


@require_http_methods(["GET", "POST"])
def belonging_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    recipient = _recipient(request, pk, write=True)
    form = BelongingForm(request.POST or None, initial={"handed_over_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            actions.hand_over_belonging(
                recipient=recipient,
                accepted_by=request.user,
                description=form.cleaned_data["description"],
                on=form.cleaned_data["handed_over_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Вещь принята на хранение.")
            return redirect(recipient)
    return render(request, "recipients/simple_form.html", _ctx(recipient, form, "Вещь на хранение"))


@require_http_methods(["GET", "POST"])
def belonging_return(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    item = get_object_for(
        request.user, Belonging.objects.select_related("recipient"), pk, write=True
    )
    form = BelongingReturnForm(request.POST or None, initial={"returned_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            actions.return_belonging(
                belonging=item, returned_by=request.user, on=form.cleaned_data["returned_on"]
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, f"Возврат записан: {item.description}.")
            return redirect(item.recipient)
    return render(
        request,
        "recipients/simple_form.html",
        _ctx(item.recipient, form, f"Возврат: {item.description}"),
    )


# --- Quality surveys (O5, §2.5.4) --------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def survey_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    recipient = _recipient(request, pk, write=True)
    form = QualitySurveyForm(request.POST or None, initial={"answered_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_quality_survey(
                recipient=recipient, recorded_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Анкета о качестве услуг записана.")
            return redirect(recipient)
    return render(
        request,
        "recipients/simple_form.html",
        _ctx(recipient, form, "Анкета о качестве социальных услуг (п. 2.5.4)"),
    )


@require_GET
@permission_required("recipients.view_quality_summary", raise_exception=True)
def quality_summary_view(request: AuthenticatedRequest) -> HttpResponse:
    """Averages per criterion for a period: the head's own department, the director's choice."""
    is_director = request.user.role == Role.DIRECTOR
    form = QualitySummaryForm(
        request.GET or None, departments=_departments(request) if is_director else None
    )
    surveys = QualitySurvey.objects.visible_to(request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data.get("date_from"):
            surveys = surveys.filter(answered_on__gte=data["date_from"])
        if data.get("date_to"):
            surveys = surveys.filter(answered_on__lte=data["date_to"])
        if data.get("department"):
            surveys = surveys.filter(recipient__department=data["department"])
    summary = quality_summary(surveys)
    rows = [
        (getattr(QualitySurvey._meta.get_field(c), "verbose_name", c), summary[c])
        for c in SCORE_CRITERIA
    ]
    return render(
        request,
        "recipients/quality_summary.html",
        {"form": form, "summary": summary, "rows": rows, "title": "Анкетирование о качестве услуг"},
    )
