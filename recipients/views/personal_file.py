"""The personal file (O13, O27, O28) and the papers of enrolment (O1, O10, O27)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from organisation.access import AuthenticatedRequest, get_object_for
from organisation.forms import add_action_errors, refused_form_page
from organisation.idempotency import once_per_form
from recipients import actions
from recipients.forms import (
    ApplicationForm,
    CertifyForm,
    ContractForm,
    DocumentForm,
    NeedRecognitionForm,
)
from recipients.models import (
    OPINION_AGE,
    Contract,
    Document,
)
from recipients.views.common import (
    _ctx,
    _print,
    _recipient,
    _representation,
)


@require_http_methods(["GET", "POST"])
@once_per_form
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
    document = get_object_for(request, Document, pk, write=True)
    back = reverse("recipients:detail", args=[document.recipient_id]) + "#personal-file"
    form = CertifyForm(request.POST)
    if form.is_valid():
        try:
            actions.certify_document(
                document=document,
                certified_by=request.user,
                certified_on=form.cleaned_data["certified_on"],
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, f"«{document}»: копия заверена.")
            return redirect(back)
    return refused_form_page(
        request, form, title=f"«{document}»: заверение копии", back=back, submit="Заверить"
    )


@require_POST
def document_archive(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    document = get_object_for(request, Document, pk, write=True)
    actions.archive_document(document=document, archived_by=request.user)
    messages.success(request, f"«{document}» переведён в архив личного дела.")
    return redirect(reverse("recipients:detail", args=[document.recipient_id]) + "#personal-file")


@require_GET
def document_scan(request: AuthenticatedRequest, pk: int) -> FileResponse:
    """A scan, only through this scoped view (never /media/), logged like a card opening."""
    document = get_object_for(request, Document.objects.select_related("recipient"), pk)
    if not document.scan:
        raise Http404("У документа нет скана.")
    try:
        scan = document.scan.open("rb")
    except FileNotFoundError:
        raise Http404("Файл скана не найден.") from None
    response = FileResponse(
        scan,
        content_type=document.scan_type or "application/octet-stream",
        filename=document.scan_name or "scan",
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET", "POST"])
@once_per_form
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
@once_per_form
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
@once_per_form
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


@require_GET
def application_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The application form pre-filled for the representative to sign."""
    recipient = _recipient(request, pk)
    application = recipient.applications.select_related("representative").first()
    link = _representation(recipient, application.representative if application else None)
    # O27: the minor's opinion from the age of 10 on the day the application is submitted
    # (today for a form printed before it is): a younger child's form has no such section
    # unless an opinion was recorded all the same.
    on = application.submitted_on if application else timezone.localdate()
    return _print(
        request,
        recipient,
        "application.html",
        f"Заявление {recipient.short_name}.pdf",
        application=application,
        link=link,
        rep=link.representative if link else None,
        opinion_age=recipient.age_on(on) >= OPINION_AGE,
    )


@require_GET
def contract_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    contract = get_object_for(
        request, Contract.objects.select_related("recipient", "representative"), pk
    )
    link = _representation(contract.recipient, contract.representative)
    # The contract is concluded on the individual programme (442-ФЗ, art. 17): the one in force
    # on the contract's date, else the first one drawn up after it.
    service_programmes = contract.recipient.service_programmes.filter(archived_at__isnull=True)
    service_programme = (
        service_programmes.filter(valid_from__lte=contract.concluded_on)
        .order_by("-valid_from", "-pk")
        .first()
        or service_programmes.order_by("valid_from", "pk").first()
    )
    return _print(
        request,
        contract.recipient,
        "contract.html",
        f"Договор {contract.number}.pdf",
        contract=contract,
        link=link,
        programme=service_programme,
    )
