"""Care records on the card: emergency hospitalisation and the notice to the representative
(O35), information requests and the visitors' log (O38), clothing, footwear and hygiene items
issued (O39)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from organisation.access import AuthenticatedRequest, get_object_for
from organisation.forms import add_action_errors
from organisation.idempotency import once_per_form
from recipients import actions
from recipients.care_forms import (
    HospitalisationForm,
    HospitalisationNoticeForm,
    InformationAnswerForm,
    InformationRequestForm,
    ItemIssueForm,
    VisitorForm,
    moment,
)
from recipients.models import Hospitalisation, InformationRequest, Recipient, Representative
from recipients.views.common import _ctx, _recipient


def _representatives(recipient: Recipient) -> Any:
    return Representative.objects.filter(representations__recipient=recipient)


def _form_page(request: AuthenticatedRequest, recipient: Recipient, form: Any, title: str) -> Any:
    return render(request, "recipients/simple_form.html", _ctx(recipient, form, title))


@require_http_methods(["GET", "POST"])
@once_per_form
def hospitalisation_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    recipient = _recipient(request, pk, write=True)
    now = timezone.localtime()
    form = HospitalisationForm(
        request.POST or None,
        representatives=_representatives(recipient),
        initial={"hospitalised_on": now.date(), "hospitalised_time": now.strftime("%H:%M")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.record_hospitalisation(
                recipient=recipient,
                recorded_by=request.user,
                hospitalised_at=moment(data, "hospitalised_on", "hospitalised_time"),  # type: ignore[arg-type]
                hospital=data["hospital"],
                reason=data["reason"],
                **form.notice(),
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Госпитализация записана.")
            return redirect(f"{recipient.get_absolute_url()}#care")
    return _form_page(request, recipient, form, "Экстренная госпитализация")


@require_http_methods(["GET", "POST"])
def hospitalisation_notice(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    h = get_object_for(request, Hospitalisation.objects.select_related("recipient"), pk, write=True)
    now = timezone.localtime()
    form = HospitalisationNoticeForm(
        request.POST or None,
        representatives=_representatives(h.recipient),
        initial={"notified_on": now.date(), "notified_time": now.strftime("%H:%M")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_hospitalisation_notice(
                hospitalisation=h, notified_by=request.user, **form.notice()
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Извещение представителя записано.")
            return redirect(f"{h.recipient.get_absolute_url()}#care")
    return _form_page(request, h.recipient, form, f"Извещение представителя: {h}")


@require_http_methods(["GET", "POST"])
@once_per_form
def information_request_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    recipient = _recipient(request, pk, write=True)
    form = InformationRequestForm(
        request.POST or None, initial={"requested_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_information_request(
                recipient=recipient, recorded_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Запрос записан: ответить в течение двух рабочих дней.")
            return redirect(f"{recipient.get_absolute_url()}#care")
    return _form_page(request, recipient, form, "Запрос информации")


@require_http_methods(["GET", "POST"])
def information_answer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    r = get_object_for(
        request, InformationRequest.objects.select_related("recipient"), pk, write=True
    )
    form = InformationAnswerForm(
        request.POST or None, initial={"answered_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.answer_information_request(
                request=r, answered_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Ответ записан.")
            return redirect(f"{r.recipient.get_absolute_url()}#care")
    return _form_page(request, r.recipient, form, f"Ответ на запрос от {r.requested_on:%d.%m.%Y}")


@require_http_methods(["GET", "POST"])
@once_per_form
def visitor_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    recipient = _recipient(request, pk, write=True)
    now = timezone.localtime()
    form = VisitorForm(
        request.POST or None,
        initial={"visited_on": now.date(), "visited_time": now.strftime("%H:%M")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.record_visitor(
                recipient=recipient,
                recorded_by=request.user,
                visitor=data["visitor"],
                kind=data["kind"],
                visited_at=moment(data, "visited_on", "visited_time"),  # type: ignore[arg-type]
                note=data["note"],
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Посещение записано в журнал.")
            return redirect(f"{recipient.get_absolute_url()}#care")
    return _form_page(request, recipient, form, "Журнал посещений: новая запись")


@require_http_methods(["GET", "POST"])
@once_per_form
def items_issue(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    recipient = _recipient(request, pk, write=True)
    form = ItemIssueForm(request.POST or None, initial={"issued_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            actions.issue_items(recipient=recipient, issued_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Выдача записана.")
            return redirect(f"{recipient.get_absolute_url()}#care")
    return _form_page(request, recipient, form, "Выдача одежды, обуви, предметов гигиены")
