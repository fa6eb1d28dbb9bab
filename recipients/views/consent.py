"""Consent to the processing of personal data (O6) and the register extract it allows."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from organisation.access import AuthenticatedRequest, get_object_for
from organisation.forms import add_action_errors, refused_form_page
from organisation.idempotency import once_per_form
from organisation.models import AccessKind
from recipients import actions
from recipients.forms import (
    ConsentForm,
    ConsentWithdrawForm,
    ExtractForm,
)
from recipients.models import (
    Consent,
    ConsentScope,
    Recipient,
    Representative,
)
from recipients.views.common import (
    _ctx,
    _print,
    _recipient,
    _representation,
)


@require_http_methods(["GET", "POST"])
@once_per_form
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
    consent = get_object_for(request, Consent, pk, write=True)
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


@require_GET
def consent_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    consent = get_object_for(request, Consent.objects.select_related("recipient", "given_by"), pk)
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
def extract_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """An extract from the register for a third party: a disclosure beyond the centre, so it
    needs a written consent naming that party (O6). Logged as an export once allowed."""
    recipient = get_object_for(request.user, Recipient, pk)
    form = ExtractForm(request.GET)
    if not form.is_valid():
        return _extract_refused(request, recipient, form)
    third_party = form.cleaned_data["third_party"]
    try:
        consent = actions.ensure_disclosure_allowed(
            recipient=recipient, scope=ConsentScope.TRANSFER, third_party=third_party
        )
    except actions.DisclosureNotAllowed as exc:
        form.add_error("third_party", str(exc))
        return _extract_refused(request, recipient, form)
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


def _extract_refused(
    request: AuthenticatedRequest, recipient: Recipient, form: ExtractForm
) -> HttpResponse:
    """The extract refused (no party named, or no consent naming it): the form again with the
    message next to the field and what was typed kept (issue 12), not a redirect to the card
    with a flash."""
    return refused_form_page(
        request,
        form,
        title=f"{recipient.full_name}: выписка из регистра",
        back=f"{recipient.get_absolute_url()}#consents",
        submit="Сформировать выписку",
        method="get",
    )
