"""Care records (second pass of the audit): an emergency hospitalisation and the notice to the
representative (O35), information requests and the visitors' log (O38), the issue of clothing,
footwear and hygiene items (O39)."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from organisation import policy
from organisation.models import User
from recipients.models import (
    Hospitalisation,
    InformationRequest,
    ItemIssue,
    Recipient,
    Representative,
    VisitorEntry,
)


def _not_future_moment(field: str, moment: datetime) -> None:
    if moment > timezone.now():
        raise ValidationError({field: "Время не может быть в будущем."})


def _not_future_day(field: str, day: date) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: "Дата не может быть в будущем."})


def _own_representative(recipient: Recipient, representative: Representative) -> None:
    if not representative.representations.filter(recipient=recipient).exists():
        raise ValidationError({"notified": "Это не законный представитель ребёнка."})


@transaction.atomic
def record_hospitalisation(
    *,
    recipient: Recipient,
    recorded_by: User,
    hospitalised_at: datetime,
    hospital: str,
    reason: str = "",
    notified: Representative | None = None,
    notified_at: datetime | None = None,
    notice_method: str = "",
) -> Hospitalisation:
    """O35: an emergency hospitalisation; the notice to the representative may be recorded at
    once (it is due immediately) or later with `record_hospitalisation_notice`."""
    policy.require(recorded_by, policy.CHANGE, recipient)
    _not_future_moment("hospitalised_at", hospitalised_at)
    h = Hospitalisation(
        recipient=recipient,
        hospitalised_at=hospitalised_at,
        hospital=hospital.strip(),
        reason=reason.strip(),
        created_by=recorded_by,
    )
    h.full_clean()
    h.save()
    if notified is not None or notified_at is not None or notice_method:
        record_hospitalisation_notice(
            hospitalisation=h,
            notified=notified,
            notified_at=notified_at,
            notice_method=notice_method,
            notified_by=recorded_by,
        )
    return h


@transaction.atomic
def record_hospitalisation_notice(
    *,
    hospitalisation: Hospitalisation,
    notified: Representative | None,
    notified_at: datetime | None,
    notice_method: str,
    notified_by: User,
) -> Hospitalisation:
    """O35: who of the representatives was told, when, how, and by whom."""
    policy.require(notified_by, policy.CHANGE, hospitalisation)
    h = Hospitalisation.objects.select_for_update().get(pk=hospitalisation.pk)
    errors: dict[str, list[str]] = {}
    if h.is_notified:
        errors["__all__"] = ["Извещение представителя уже записано."]
    if notified is None:
        errors["notified"] = ["Укажите, кого из законных представителей известили."]
    if notified_at is None:
        errors["notified_at"] = ["Укажите, когда известили."]
    elif notified_at > timezone.now():
        errors["notified_at"] = ["Время не может быть в будущем."]
    elif notified_at < h.hospitalised_at:
        errors["notified_at"] = ["Известить можно не раньше госпитализации."]
    if not notice_method:
        errors["notice_method"] = ["Укажите, как известили."]
    if errors:
        raise ValidationError(errors)
    assert notified is not None
    _own_representative(h.recipient, notified)
    h.notified = notified
    h.notified_at = notified_at
    h.notice_method = notice_method
    h.notified_by = notified_by
    h.full_clean()
    h.save(update_fields=["notified", "notified_at", "notice_method", "notified_by", "updated_at"])
    return h


@transaction.atomic
def record_information_request(
    *, recipient: Recipient, recorded_by: User, requested_on: date, requested_by: str, question: str
) -> InformationRequest:
    """O38 (§2.6.8): a request for information about the inclusion of the centre in the list of
    recommended providers; answered within two working days (`InformationRequest.answer_due`)."""
    policy.require(recorded_by, policy.CHANGE, recipient)
    _not_future_day("requested_on", requested_on)
    r = InformationRequest(
        recipient=recipient,
        requested_on=requested_on,
        requested_by=requested_by.strip(),
        question=question.strip(),
        created_by=recorded_by,
    )
    r.full_clean()
    r.save()
    return r


@transaction.atomic
def answer_information_request(
    *, request: InformationRequest, answered_by: User, answered_on: date, answer: str
) -> InformationRequest:
    policy.require(answered_by, policy.CHANGE, request)
    r = InformationRequest.objects.select_for_update().get(pk=request.pk)
    if r.is_answered:
        raise ValidationError("Ответ на этот запрос уже записан.")
    _not_future_day("answered_on", answered_on)
    if answered_on < r.requested_on:
        raise ValidationError({"answered_on": "Дата ответа не может быть раньше даты запроса."})
    if not answer.strip():
        raise ValidationError({"answer": "Запишите, что ответили."})
    r.answered_on = answered_on
    r.answer = answer.strip()
    r.answered_by = answered_by
    r.full_clean()
    r.save(update_fields=["answered_on", "answer", "answered_by", "updated_at"])
    return r


@transaction.atomic
def record_visitor(
    *,
    recipient: Recipient,
    recorded_by: User,
    visitor: str,
    kind: str,
    visited_at: datetime,
    note: str = "",
) -> VisitorEntry:
    """O38 (§2.6.5.8): a visit by a representative, a lawyer, a notary, a public organisation,
    clergy or a relative, in the visitors' log."""
    policy.require(recorded_by, policy.CHANGE, recipient)
    _not_future_moment("visited_at", visited_at)
    entry = VisitorEntry(
        recipient=recipient,
        visitor=visitor.strip(),
        kind=kind,
        visited_at=visited_at,
        note=note.strip(),
        created_by=recorded_by,
    )
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def issue_items(
    *,
    recipient: Recipient,
    issued_by: User,
    kind: str,
    item: str,
    quantity: int,
    issued_on: date,
) -> ItemIssue:
    """O39 (§2.2): clothing, footwear or hygiene items issued to the minor."""
    policy.require(issued_by, policy.CHANGE, recipient)
    _not_future_day("issued_on", issued_on)
    if quantity < 1:
        raise ValidationError({"quantity": "Количество — не меньше одного."})
    issue = ItemIssue(
        recipient=recipient,
        kind=kind,
        item=item.strip(),
        quantity=quantity,
        issued_on=issued_on,
        issued_by=issued_by,
        created_by=issued_by,
    )
    issue.full_clean()
    issue.save()
    return issue
