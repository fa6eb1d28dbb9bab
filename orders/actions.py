"""Workflows of the director's orders (O12, O24): the head drafts an enrolment or a discharge
order, the director approves or returns it. Each runs in one transaction.

What approval requires is written here, in full, by kind: enrolment needs the personal file,
the documents of §5.1 and the familiarisation of §3.3.1 (O12,
`recipients.selectors.enrolment_missing`), and warns beyond the department's beds (O36);
discharge needs the minor in service, a decision of the ПМП консилиум to discharge during the
current stay (O24, `consilium.selectors.discharge_decision`), the final diagnostics, the
conclusion (O21) and its receipt by the parents (O25).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from consilium.models import Decision, DecisionKind
from consilium.selectors import discharge_decision
from orders.models import Order, OrderKind, OrderStatus
from organisation import policy
from organisation.integrity import refused_as
from organisation.models import Department, NotificationEvent, NumberSeries, User
from organisation.notifications import notify_on_commit
from organisation.numbering import next_number
from organisation.selectors import current_director
from recipients import selectors as recipient_selectors
from recipients.models import Recipient
from recipients.selectors import enrolment_missing
from rehab_programs import selectors as rehab_selectors
from reports import names
from reports.names import Case

DRAFT_EXISTS = "Проект такого приказа уже подготовлен и ждёт решения директора."


class OverCapacity(ValidationError):
    """O36: enrolment beyond the department's places for daytime sleep. Not a refusal: the
    director sees the warning and may confirm (`approve_order(..., beyond_places=True)`)."""

    def __init__(self, warning: str) -> None:
        self.warning = warning
        super().__init__(warning)


class OrderRefused(ValidationError):
    """Approval refused: `reasons` lists what is missing."""

    def __init__(self, reasons: list[str]) -> None:
        self.reasons = reasons
        super().__init__("Приказ не может быть утверждён: " + "; ".join(reasons) + ".")


# --- What approval requires, by kind -----------------------------------------------------------


def approval_blockers(order: Order) -> list[str]:
    """Everything that blocks approving `order`, in words (O1, O12, O24, O27)."""
    if order.kind == OrderKind.ENROLMENT:
        return enrolment_missing(order.recipient, order.effective_on)
    return discharge_blockers(order)


def discharge_blockers(order: Order) -> list[str]:
    """O24: only a minor in service is discharged, not before the first day of stay, and only
    on the consilium's decision to discharge taken during the current stay."""
    r = order.recipient
    reasons = []
    if not r.stay_open:
        reasons.append("получатель не зачислен на обслуживание")
    elif r.first_day_of_stay is not None and order.effective_on < r.first_day_of_stay:
        reasons.append("дата снятия раньше первого дня пребывания")
    if discharge_decision(r) is None:
        reasons.append("нет решения ПМП консилиума о снятии с социального обслуживания (п. 3.5.1)")
    reasons.extend(stay_end_missing(r))
    return reasons


def stay_end_missing(recipient: Recipient) -> list[str]:
    """O21, O25, O37: a discharge rests on the final diagnostics of the current stay, the
    conclusion on the results of the ИПСРН drawn up on them, and that conclusion handed to the
    parents under signature."""
    end = rehab_selectors.stay_end(recipient)
    reasons = []
    if not end.final_diagnostics:
        reasons.append("не проведена итоговая диагностика (п. 3.4.7)")
    if end.conclusion is None:
        reasons.append("нет заключения о результатах реализации ИПСРН и рекомендаций")
    elif not end.conclusion.is_received:
        reasons.append("не отмечено получение заключения родителем (законным представителем)")
    return reasons


# --- What approval does to the recipient -------------------------------------------------------


def _enrol(order: Order) -> None:
    """Only the dates: the minor is enrolled from the first day of stay on (the state is derived,
    `RecipientStatus`). A readmission replaces the previous stay's dates; that stay is kept by
    its orders."""
    r = order.recipient
    r.first_day_of_stay = order.effective_on
    r.discharged_on = None
    r.save(update_fields=["first_day_of_stay", "discharged_on", "updated_at"])


def _discharge(order: Order) -> None:
    """The last day of service is the order's date of effect: discharged from the next day."""
    r = order.recipient
    r.discharged_on = order.effective_on
    r.save(update_fields=["discharged_on", "updated_at"])


# --- Drafting, approval, return ----------------------------------------------------------------


def default_grounds(kind: OrderKind | str, recipient: Recipient) -> str:
    """The grounds as the order cites them after «на основании» (genitive), with the numbers
    and dates the records hold: the application, the need-recognition protocol and the contract
    for enrolment; the consilium's decision for discharge (its own drafting quotes the
    protocol, `draft_discharge_order`)."""
    if kind != OrderKind.ENROLMENT:
        return "решения психолого-медико-педагогического консилиума"
    parts = []
    application = (
        recipient.applications.filter(archived_at__isnull=True)
        .select_related("representative")
        .order_by("-submitted_on", "-pk")
        .first()
    )
    if application is not None:
        who = names.full_name(application.representative, Case.GENITIVE)
        parts.append(f"заявления {who} от {application.submitted_on:%d.%m.%Y}".replace("  ", " "))
    else:
        parts.append("заявления законного представителя")
    need = (
        recipient.need_recognitions.filter(archived_at__isnull=True)
        .order_by("-decided_on", "-pk")
        .first()
    )
    if need is not None:
        body = f" ({need.issued_by})" if need.issued_by else ""
        parts.append(
            "протокола о признании нуждающимся в социальном обслуживании "
            f"№ {need.number} от {need.decided_on:%d.%m.%Y}{body}"
        )
    else:
        parts.append("протокола о признании нуждающимся в социальном обслуживании")
    contract = (
        recipient.contracts.filter(archived_at__isnull=True)
        .order_by("-concluded_on", "-pk")
        .first()
    )
    if contract is not None:
        parts.append(
            "договора о предоставлении социальных услуг "
            f"№ {contract.number} от {contract.concluded_on:%d.%m.%Y}"
        )
    else:
        parts.append("договора о предоставлении социальных услуг")
    return ", ".join(parts)


@transaction.atomic
def draft_order(
    *,
    kind: OrderKind | str,
    recipient: Recipient,
    drafted_by: User,
    effective_on: date,
    grounds: str = "",
) -> Order:
    """A draft order on one minor, prepared by the head of the minor's department."""
    policy.require(
        drafted_by,
        "orders.draft_order",
        recipient,
        message="Проект приказа готовит заведующий отделением.",
    )
    # Two heads drafting at once: the minor's row is locked, so the second sees the first draft.
    Recipient.objects.select_for_update().filter(pk=recipient.pk).first()
    if Order.objects.filter(recipient=recipient, kind=kind, status=OrderStatus.DRAFT).exists():
        raise ValidationError(DRAFT_EXISTS)
    order = Order(
        kind=kind,
        recipient=recipient,
        effective_on=effective_on,
        grounds=grounds or default_grounds(kind, recipient),
        drafted_by=drafted_by,
        created_by=drafted_by,
    )
    order.full_clean()
    with refused_as(DRAFT_EXISTS):
        order.save()
    notify_on_commit(
        users=[current_director()],
        kind="order",
        item_key=f"order:{order.pk}",
        event=NotificationEvent.AWAITING,
        on=timezone.localdate(),
        message=f"Проект приказа ждёт решения: {order.get_kind_display()}, "
        f"{recipient.short_name} (готовил {drafted_by.short_name}).",
        url=order.get_absolute_url(),
        actor=drafted_by,
    )
    return order


def _notify_drafter(order: Order, event: str, message: str) -> None:
    """The head who drafted the order learns the director's decision."""
    notify_on_commit(
        users=[order.drafted_by],
        kind="order",
        item_key=f"order:{order.pk}",
        event=event,
        on=timezone.localdate(),
        message=message,
        url=order.get_absolute_url(),
        actor=order.decided_by,
    )


@transaction.atomic
def draft_discharge_order(*, decision: Decision, drafted_by: User, effective_on: date) -> Order:
    """The head drafts the discharge order on the consilium's decision (O24); the grounds quote
    the protocol. Only the director approves it (`approve_order`)."""
    policy.require(drafted_by, "orders.draft_order", decision)
    if decision.kind != DecisionKind.DISCHARGE:
        raise ValidationError("Приказ о снятии готовится по решению консилиума о снятии.")
    meeting = decision.item.meeting
    if effective_on < meeting.held_on:
        raise ValidationError(
            {"effective_on": ["Дата снятия не может быть раньше решения консилиума."]}
        )
    grounds = (
        "решения психолого-медико-педагогического консилиума "
        f"(протокол {meeting.protocol_text}) о прекращении социального обслуживания "
        f"по основанию: {decision.get_ground_display()}"
    )
    return draft_order(
        kind=OrderKind.DISCHARGE,
        recipient=decision.item.recipient,
        drafted_by=drafted_by,
        effective_on=effective_on,
        grounds=grounds,
    )


def places_warning(order: Order) -> str:
    """O36: the warning an enrolment draft carries while its department has no free place for
    daytime sleep ("" for a discharge or when there is room)."""
    if order.kind != OrderKind.ENROLMENT or not order.is_draft:
        return ""
    return recipient_selectors.places_warning(order.recipient.department, on=order.effective_on)


@transaction.atomic
def approve_order(
    *,
    order: Order,
    approved_by: User,
    signed_on: date | None = None,
    beyond_places: bool = False,
) -> Order:
    """The director approves: the order gets the next number of its year and takes effect
    (enrolment: status «зачислен» and the first day of stay, from which deadlines count;
    discharge: status «снят с обслуживания» and the last day). Refused with the list of what
    is missing (O12 familiarisation for enrolment; O21, O25, O37 for discharge), re-checked
    with the order and the minor locked. An enrolment beyond the department's places for
    daytime sleep (O36) stops with a warning until the director confirms it."""
    policy.require(
        approved_by, "orders.approve_order", order, message="Приказы утверждает только директор."
    )
    order = Order.objects.select_for_update().get(pk=order.pk)
    # The minor's row is locked too: a conclusion archived or a familiarisation changed by
    # another request waits for this check, and two enrolments in one department queue here.
    order.recipient = (
        Recipient.objects.select_for_update()
        .select_related("department")
        .get(pk=order.recipient_id)
    )
    if order.status != OrderStatus.DRAFT:
        raise ValidationError("Утвердить можно только проект приказа.")
    reasons = approval_blockers(order)
    if reasons:
        raise OrderRefused(reasons)
    if order.kind == OrderKind.ENROLMENT and not beyond_places:
        # Departments are locked so that two enrolments at once count each other.
        Department.objects.select_for_update().filter(pk=order.recipient.department_id).first()
        warning = places_warning(order)
        if warning:
            raise OverCapacity(warning)
    signed_on = signed_on or timezone.localdate()
    order.status = OrderStatus.APPROVED
    order.signed_on = signed_on
    order.year = signed_on.year
    order.decided_by = approved_by
    order.decided_at = timezone.now()
    order.number = next_number(NumberSeries.ORDER, order.year)
    order.save()
    if order.kind == OrderKind.ENROLMENT:
        _enrol(order)
    else:
        _discharge(order)
    _notify_drafter(
        order,
        NotificationEvent.APPROVED,
        f"Приказ утверждён: № {order.display_number}, {order.get_kind_display()}, "
        f"{order.recipient.short_name}.",
    )
    return order


@transaction.atomic
def return_order(*, order: Order, returned_by: User, reason: str) -> Order:
    """The director sends the draft back to the head with a reason."""
    policy.require(
        returned_by,
        "orders.approve_order",
        order,
        message="Вернуть приказ на доработку может только директор.",
    )
    # Locked and re-read: an approval at the same moment wins or loses as a whole.
    order.refresh_from_db(from_queryset=Order.objects.select_for_update())
    if order.status != OrderStatus.DRAFT:
        raise ValidationError("Вернуть можно только проект приказа.")
    if not reason.strip():
        raise ValidationError({"reason": "Укажите, что нужно исправить."})
    order.status = OrderStatus.RETURNED
    order.return_reason = reason.strip()
    order.decided_by = returned_by
    order.decided_at = timezone.now()
    order.save(update_fields=["status", "return_reason", "decided_by", "decided_at", "updated_at"])
    _notify_drafter(
        order,
        NotificationEvent.RETURNED,
        f"Проект приказа возвращён на доработку ({order.recipient.short_name}): "
        f"{order.return_reason}",
    )
    return order
