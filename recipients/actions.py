"""Workflows of the recipients app: registering a minor, the personal file, consent, enrolment
and the director's orders. Views and tasks call these; each runs in one transaction and
validates what it writes (`full_clean`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from organisation.models import Department, User
from recipients.models import (
    CHECKLIST,
    MAX_AGE,
    MIN_AGE,
    AccessKind,
    AccessLog,
    Application,
    Belonging,
    CircumstanceChange,
    Consent,
    ConsentScope,
    Contract,
    ContractTerm,
    Document,
    DocumentKind,
    Familiarisation,
    FamiliarisationKind,
    Family,
    NeedRecognition,
    Order,
    OrderKind,
    OrderStatus,
    QualitySurvey,
    Recipient,
    RecipientStatus,
    Relation,
    Representation,
    Representative,
)
from recipients.selectors import find_duplicates
from recipients.validators import validate_scan

# --- Recipients, families, representatives -----------------------------------------------------


class DuplicateRecipient(ValidationError):
    """The person is already registered: the form offers the existing record instead."""

    def __init__(self, existing: list[Recipient]) -> None:
        self.existing = existing
        super().__init__(
            "Этот ребёнок уже зарегистрирован (совпадает СНИЛС или ФИО и дата рождения).",
            code="duplicate",
        )


RECIPIENT_FIELDS = {
    "last_name",
    "first_name",
    "patronymic",
    "sex",
    "birth_date",
    "snils",
    "identity_document_kind",
    "identity_document",
    "oms_policy",
    "address",
    "school",
    "circumstances",
    "has_disability",
    "ipra",
    "has_life_limitations",
    "health_document",
    "health_status_until",
    "family",
}


@transaction.atomic
def register_recipient(*, department: Department, created_by: User, **fields: Any) -> Recipient:
    """A new applicant (O26): refused as a duplicate when the SNILS or the ФИО and date of
    birth are already registered anywhere in the centre."""
    unknown = set(fields) - RECIPIENT_FIELDS
    if unknown:
        raise TypeError(f"Unknown recipient fields: {sorted(unknown)}")
    existing = list(
        find_duplicates(
            snils=fields.get("snils", ""),
            last_name=fields["last_name"],
            first_name=fields["first_name"],
            patronymic=fields.get("patronymic", ""),
            birth_date=fields["birth_date"],
        )
    )
    if existing:
        raise DuplicateRecipient(existing)
    recipient = Recipient(department=department, created_by=created_by, **fields)
    recipient.full_clean()
    recipient.save()
    return recipient


@transaction.atomic
def update_recipient(*, recipient: Recipient, changed_by: User, **fields: Any) -> Recipient:
    unknown = set(fields) - RECIPIENT_FIELDS
    if unknown:
        raise TypeError(f"Unknown recipient fields: {sorted(unknown)}")
    if {"snils", "last_name", "first_name", "patronymic", "birth_date"} & set(fields):
        merged = {
            k: fields.get(k, getattr(recipient, k))
            for k in ("snils", "last_name", "first_name", "patronymic", "birth_date")
        }
        existing = list(find_duplicates(**merged).exclude(pk=recipient.pk))
        if existing:
            raise DuplicateRecipient(existing)
    for name, value in fields.items():
        setattr(recipient, name, value)
    recipient.full_clean()
    recipient.save()
    return recipient


@transaction.atomic
def archive_recipient(*, recipient: Recipient, archived_by: User) -> Recipient:
    """Nothing is deleted: the record leaves the lists and stays readable."""
    if recipient.status == RecipientStatus.ENROLLED:
        raise ValidationError(
            "Зачисленного получателя нельзя перевести в архив: сначала снимите его "
            "с обслуживания приказом."
        )
    recipient.archived_at = timezone.now()
    recipient.save(update_fields=["archived_at", "updated_at"])
    return recipient


@transaction.atomic
def create_family(*, department: Department, created_by: User, **fields: Any) -> Family:
    family = Family(department=department, created_by=created_by, **fields)
    family.full_clean()
    family.save()
    return family


@transaction.atomic
def update_family(*, family: Family, changed_by: User, **fields: Any) -> Family:
    for name, value in fields.items():
        setattr(family, name, value)
    family.full_clean()
    family.save()
    if "name" in fields:  # the family name is part of every child's search text
        for child in family.children.all():
            child.save(update_fields=["search_text"])
    return family


@transaction.atomic
def add_representative(
    *, recipient: Recipient, relation: Relation | str, created_by: User, **fields: Any
) -> Representative:
    """A legal representative of the minor, a member of the minor's family."""
    if recipient.family is None:
        raise ValidationError("Сначала укажите семью ребёнка.")
    representative = Representative(family=recipient.family, created_by=created_by, **fields)
    representative.full_clean()
    representative.save()
    link_representative(
        recipient=recipient, representative=representative, relation=relation, by=created_by
    )
    return representative


@transaction.atomic
def link_representative(
    *, recipient: Recipient, representative: Representative, relation: Relation | str, by: User
) -> Representation:
    if representative.family_id != recipient.family_id:
        raise ValidationError("Представитель должен быть из семьи ребёнка.")
    link = Representation(
        recipient=recipient, representative=representative, relation=relation, created_by=by
    )
    link.full_clean()
    link.save()
    return link


@transaction.atomic
def update_representative(
    *, representative: Representative, changed_by: User, **fields: Any
) -> Representative:
    for name, value in fields.items():
        setattr(representative, name, value)
    representative.full_clean()
    representative.save()
    return representative


# --- Access log --------------------------------------------------------------------------------


def log_access(
    *, recipient: Recipient, user: User, kind: AccessKind | str = AccessKind.CARD, detail: str = ""
) -> AccessLog:
    """Every opening of a personal card, scan or printed form: who and when."""
    return AccessLog.objects.create(
        recipient=recipient, user=user, kind=kind, detail=detail[:300], created_by=user
    )


# --- Consent (O6) ------------------------------------------------------------------------------


class DisclosureNotAllowed(PermissionDenied):
    """Raised before anything leaves the centre without a written consent covering it (O6)."""


@transaction.atomic
def record_consent(*, recipient: Recipient, recorded_by: User, **fields: Any) -> Consent:
    given_by = fields.get("given_by")
    if given_by is not None and given_by.family_id != recipient.family_id:
        raise ValidationError({"given_by": "Согласие даёт законный представитель этого ребёнка."})
    consent = Consent(recipient=recipient, created_by=recorded_by, **fields)
    consent.full_clean()
    consent.save()
    return consent


@transaction.atomic
def withdraw_consent(
    *, consent: Consent, withdrawn_on: date, note: str, withdrawn_by: User
) -> Consent:
    if consent.withdrawn_on is not None:
        raise ValidationError("Согласие уже отозвано.")
    consent.withdrawn_on = withdrawn_on
    consent.withdrawal_note = note
    consent.full_clean()
    consent.save(update_fields=["withdrawn_on", "withdrawal_note", "updated_at"])
    return consent


def consent_covering(
    *,
    recipient: Recipient,
    scope: ConsentScope | str,
    third_party: str | None = None,
    on: date | None = None,
) -> Consent | None:
    on = on or timezone.localdate()
    for consent in Consent.objects.filter(recipient=recipient).in_force_on(on):
        if consent.covers(scope, third_party, on):
            return consent
    return None


def ensure_disclosure_allowed(
    *,
    recipient: Recipient,
    scope: ConsentScope | str,
    third_party: str | None = None,
    on: date | None = None,
) -> Consent:
    """Call before any disclosure beyond the centre (to a named third party, the media, the
    website): returns the consent that allows it or raises DisclosureNotAllowed (O6).

    Work inside the centre (the register, its XLSX export, the card) is processing, not
    disclosure, and does not call this.
    """
    consent = consent_covering(recipient=recipient, scope=scope, third_party=third_party, on=on)
    if consent is None:
        scope_label = ConsentScope(scope).label
        whom = f" ({third_party})" if third_party else ""
        raise DisclosureNotAllowed(
            f"Нет действующего письменного согласия на {scope_label}{whom} "
            f"по получателю {recipient.short_name}: передача сведений запрещена (п. 2.6.3)."
        )
    return consent


# --- The personal file (O13, O27, O28) ---------------------------------------------------------


@transaction.atomic
def add_document(
    *,
    recipient: Recipient,
    kind: DocumentKind | str,
    received_on: date,
    added_by: User,
    title: str = "",
    scan: UploadedFile | None = None,
    certify: bool = False,
) -> Document:
    """A document of the personal file, with its scan (PDF/JPEG/PNG, checked by content) and,
    when `certify`, certified «копия верна» by the employee who adds it (O28)."""
    document = Document(
        recipient=recipient, kind=kind, title=title, received_on=received_on, created_by=added_by
    )
    if scan is not None:
        document.scan_type = validate_scan(scan)
        document.scan_name = (scan.name or "")[:255]
        document.scan_size = scan.size or 0
        document.scan.save(scan.name or "scan", scan, save=False)
    if certify:
        _fill_certification(document, added_by, received_on)
    document.full_clean()
    document.save()
    return document


def _fill_certification(document: Document, user: User, on: date) -> None:
    document.certified_on = on
    document.certified_by = user
    document.certified_position = user.get_position_display()
    document.certified_name = user.initials_surname


@transaction.atomic
def certify_document(*, document: Document, certified_by: User, certified_on: date) -> Document:
    """The «копия верна» certification: position, name, date and by whom (O28)."""
    if document.is_certified:
        raise ValidationError("Копия уже заверена.")
    if certified_on > timezone.localdate():
        raise ValidationError({"certified_on": "Дата заверения не может быть в будущем."})
    _fill_certification(document, certified_by, certified_on)
    document.full_clean()
    document.save()
    return document


@transaction.atomic
def archive_document(*, document: Document, archived_by: User) -> Document:
    document.archived_at = timezone.now()
    document.save(update_fields=["archived_at", "updated_at"])
    return document


def checklist(recipient: Recipient, documents: Iterable[Document] | None = None) -> list[dict]:
    """The §5.1 checklist: each kind with its documents and whether a certified copy is in."""
    if documents is None:
        documents = recipient.documents.filter(archived_at__isnull=True)
    by_kind: dict[str, list[Document]] = {}
    for d in documents:
        if d.archived_at is None:
            by_kind.setdefault(d.kind, []).append(d)
    rows = []
    for kind in CHECKLIST:
        docs = by_kind.get(kind, [])
        rows.append(
            {
                "kind": kind,
                "label": kind.label,
                "documents": docs,
                "present": bool(docs),
                "certified": any(d.is_certified for d in docs),
            }
        )
    return rows


def missing_documents(
    recipient: Recipient, documents: Iterable[Document] | None = None
) -> list[str]:
    """What the personal file still lacks (O27) or has uncertified (O28), in words."""
    missing = []
    for row in checklist(recipient, documents):
        if not row["present"]:
            missing.append(f"нет документа: {row['label']}")
        elif not row["certified"]:
            missing.append(f"копия не заверена «копия верна»: {row['label']}")
    return missing


# --- Enrolment: application, need recognition, contract ----------------------------------------


@transaction.atomic
def record_application(
    *,
    recipient: Recipient,
    representative: Representative,
    submitted_on: date,
    recorded_by: User,
    minor_opinion: str = "",
    opinion_not_asked_reason: str = "",
) -> Application:
    """The representative's application; from age ten with the minor's opinion or the reason
    why asking it would harm the minor (O27)."""
    if representative.family_id != recipient.family_id:
        raise ValidationError({"representative": "Заявитель должен быть представителем ребёнка."})
    application = Application(
        recipient=recipient,
        representative=representative,
        submitted_on=submitted_on,
        minor_opinion=minor_opinion,
        opinion_not_asked_reason=opinion_not_asked_reason,
        created_by=recorded_by,
    )
    if submitted_on > timezone.localdate():
        raise ValidationError({"submitted_on": "Дата заявления не может быть в будущем."})
    if not application.opinion_recorded:
        raise ValidationError(
            {
                "minor_opinion": "Ребёнку исполнилось 10 лет: запишите его мнение или укажите, "
                "почему его учёт противоречит интересам ребёнка (п. 5.1)."
            }
        )
    application.full_clean()
    application.save()
    return application


@transaction.atomic
def record_need_recognition(
    *,
    recipient: Recipient,
    number: str,
    decided_on: date,
    issued_by: str,
    circumstances: list[str],
    recorded_by: User,
) -> NeedRecognition:
    if not circumstances:
        raise ValidationError(
            {"circumstances": "Отметьте хотя бы одно обстоятельство из п. 1.4 Порядка."}
        )
    protocol = NeedRecognition(
        recipient=recipient,
        number=number,
        decided_on=decided_on,
        issued_by=issued_by,
        circumstances=list(circumstances),
        created_by=recorded_by,
    )
    protocol.full_clean()
    protocol.save()
    if not recipient.circumstances:
        recipient.circumstances = list(circumstances)
        recipient.save(update_fields=["circumstances", "updated_at"])
    return protocol


@transaction.atomic
def conclude_contract(
    *,
    recipient: Recipient,
    representative: Representative,
    number: str,
    concluded_on: date,
    term: ContractTerm | str,
    concluded_by: User,
    valid_until: date | None = None,
) -> Contract:
    """The contract with the representative; the services are free (O10)."""
    if representative.family_id != recipient.family_id:
        raise ValidationError({"representative": "Договор заключается с представителем ребёнка."})
    if term == ContractTerm.PERMANENT:
        valid_until = None
    elif valid_until is None:
        raise ValidationError({"valid_until": "Для временного договора укажите срок действия."})
    elif valid_until <= concluded_on:
        raise ValidationError({"valid_until": "Срок действия должен быть позже даты договора."})
    contract = Contract(
        recipient=recipient,
        representative=representative,
        number=number,
        concluded_on=concluded_on,
        term=term,
        valid_until=valid_until,
        created_by=concluded_by,
    )
    contract.full_clean()
    contract.save()
    return contract


def enrolment_missing(recipient: Recipient, first_day: date) -> list[str]:
    """Everything that blocks enrolment on `first_day`, in words (O1, O12, O27)."""
    missing: list[str] = []
    age = recipient.age_on(first_day)
    if not MIN_AGE <= age < MAX_AGE:
        missing.append(
            f"возраст на первый день пребывания {first_day:%d.%m.%Y} — {age} "
            f"(принимаются дети от {MIN_AGE} до {MAX_AGE} лет)"
        )
    if recipient.status == RecipientStatus.ENROLLED:
        missing.append("получатель уже зачислен")
    applications = [a for a in recipient.applications.all() if a.archived_at is None]
    if not applications:
        missing.append("нет заявления законного представителя")
    elif not any(a.opinion_recorded for a in applications):
        missing.append("в заявлении нет мнения ребёнка старше 10 лет или причины его неучёта")
    protocols = [p for p in recipient.need_recognitions.all() if p.archived_at is None]
    if not protocols:
        missing.append("нет протокола о признании нуждающимся (п. 1.4)")
    elif not any(p.circumstances for p in protocols):
        missing.append("в протоколе не указаны обстоятельства нуждаемости (п. 1.4)")
    if not any(c.archived_at is None for c in recipient.contracts.all()):
        missing.append("нет договора о предоставлении социальных услуг")
    missing.extend(missing_documents(recipient))
    return missing


# --- Orders (O12, O24) -------------------------------------------------------------------------


class OrderRefused(ValidationError):
    """Approval refused: `reasons` lists what is missing."""

    def __init__(self, reasons: list[str]) -> None:
        self.reasons = reasons
        super().__init__("Приказ не может быть утверждён: " + "; ".join(reasons) + ".")


# Preconditions of approval by kind: each returns what is missing, in words. The discharge
# issue registers the consilium decision here (O24: the decision to stop is the consilium's).
Precondition = Callable[[Order], list[str]]
ORDER_PRECONDITIONS: dict[str, list[Precondition]] = {k: [] for k in OrderKind}
# What approval does to the recipient, by kind.
ORDER_EFFECTS: dict[str, Callable[[Order], None]] = {}


def register_precondition(kind: OrderKind | str, check: Precondition) -> Precondition:
    """Adds a check that approval of orders of `kind` must pass; `check(order)` returns what
    is missing, in words. The discharge issue registers the consilium decision (O24) here."""
    if check not in ORDER_PRECONDITIONS[kind]:
        ORDER_PRECONDITIONS[kind].append(check)
    return check


def _enrolment_preconditions(order: Order) -> list[str]:
    return enrolment_missing(order.recipient, order.effective_on)


def _discharge_preconditions(order: Order) -> list[str]:
    r = order.recipient
    reasons = []
    if r.status != RecipientStatus.ENROLLED or r.first_day_of_stay is None:
        reasons.append("получатель не зачислен на обслуживание")
    elif order.effective_on < r.first_day_of_stay:
        reasons.append("дата снятия раньше первого дня пребывания")
    return reasons


def _enrol(order: Order) -> None:
    r = order.recipient
    r.first_day_of_stay = order.effective_on
    r.discharged_on = None
    r.status = RecipientStatus.ENROLLED
    r.save(update_fields=["first_day_of_stay", "discharged_on", "status", "updated_at"])


def _discharge(order: Order) -> None:
    """The hook for discharge approval: the last day is the order's date of effect."""
    r = order.recipient
    r.discharged_on = order.effective_on
    r.status = RecipientStatus.DISCHARGED
    r.save(update_fields=["discharged_on", "status", "updated_at"])


register_precondition(OrderKind.ENROLMENT, _enrolment_preconditions)
register_precondition(OrderKind.DISCHARGE, _discharge_preconditions)
ORDER_EFFECTS[OrderKind.ENROLMENT] = _enrol
ORDER_EFFECTS[OrderKind.DISCHARGE] = _discharge


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
    if not drafted_by.has_perm("recipients.draft_order"):
        raise PermissionDenied("Проект приказа готовит заведующий отделением.")
    if Order.objects.filter(recipient=recipient, kind=kind, status=OrderStatus.DRAFT).exists():
        raise ValidationError("Проект такого приказа уже подготовлен и ждёт решения директора.")
    order = Order(
        kind=kind,
        recipient=recipient,
        effective_on=effective_on,
        grounds=grounds or default_grounds(kind, recipient),
        drafted_by=drafted_by,
        created_by=drafted_by,
    )
    order.full_clean()
    order.save()
    return order


def default_grounds(kind: OrderKind | str, recipient: Recipient) -> str:
    if kind == OrderKind.ENROLMENT:
        return (
            "заявление законного представителя, протокол о признании нуждающимся в социальном "
            "обслуживании, договор о предоставлении социальных услуг"
        )
    return "решение ПМП консилиума"


def approval_blockers(order: Order) -> list[str]:
    reasons: list[str] = []
    for check in ORDER_PRECONDITIONS.get(order.kind, []):
        reasons.extend(check(order))
    return reasons


@transaction.atomic
def approve_order(*, order: Order, approved_by: User, signed_on: date | None = None) -> Order:
    """The director approves: the order gets the next number of its year and takes effect
    (enrolment: status «зачислен» and the first day of stay, from which deadlines count).
    Refused with the list of what is missing."""
    if not approved_by.has_perm("recipients.approve_order"):
        raise PermissionDenied("Приказы утверждает только директор.")
    order = Order.objects.select_for_update().select_related("recipient").get(pk=order.pk)
    if order.status != OrderStatus.DRAFT:
        raise ValidationError("Утвердить можно только проект приказа.")
    reasons = approval_blockers(order)
    if reasons:
        raise OrderRefused(reasons)
    signed_on = signed_on or timezone.localdate()
    order.status = OrderStatus.APPROVED
    order.signed_on = signed_on
    order.year = signed_on.year
    order.decided_by = approved_by
    order.decided_at = timezone.now()
    for _attempt in range(3):
        last = Order.objects.filter(year=order.year).aggregate(n=Max("number"))["n"] or 0
        order.number = last + 1
        try:
            with transaction.atomic():
                order.save()
            break
        except IntegrityError:  # a number taken concurrently: take the next one
            continue
    else:
        raise ValidationError("Не удалось присвоить номер приказу, повторите.")
    ORDER_EFFECTS[order.kind](order)
    return order


@transaction.atomic
def return_order(*, order: Order, returned_by: User, reason: str) -> Order:
    """The director sends the draft back to the head with a reason."""
    if not returned_by.has_perm("recipients.approve_order"):
        raise PermissionDenied("Вернуть приказ на доработку может только директор.")
    if order.status != OrderStatus.DRAFT:
        raise ValidationError("Вернуть можно только проект приказа.")
    if not reason.strip():
        raise ValidationError({"reason": "Укажите, что нужно исправить."})
    order.status = OrderStatus.RETURNED
    order.return_reason = reason.strip()
    order.decided_by = returned_by
    order.decided_at = timezone.now()
    order.save(update_fields=["status", "return_reason", "decided_by", "decided_at", "updated_at"])
    return order


# --- Changes of circumstances (O8) ------------------------------------------------------------


@transaction.atomic
def record_circumstance_change(
    *,
    recipient: Recipient,
    recorded_by: User,
    reported_on: date,
    what_changed: str,
    reported_by: Representative | None = None,
    reported_by_name: str = "",
    revise_circumstances: bool = False,
) -> CircumstanceChange:
    """A representative reports a change of the circumstances of need (O8, Order §2.6.6); the
    head of the department reviews it (`review_circumstance_change`)."""
    if reported_on > timezone.localdate():
        raise ValidationError({"reported_on": "Дата сообщения не может быть в будущем."})
    if reported_by is not None and reported_by.family_id != recipient.family_id:
        raise ValidationError({"reported_by": "Сообщивший должен быть представителем ребёнка."})
    if reported_by is None and not reported_by_name.strip():
        raise ValidationError(
            {"reported_by": "Выберите представителя или укажите, кто сообщил об изменении."}
        )
    if not what_changed.strip():
        raise ValidationError({"what_changed": "Опишите, что изменилось."})
    change = CircumstanceChange(
        recipient=recipient,
        reported_on=reported_on,
        reported_by=reported_by,
        reported_by_name="" if reported_by else reported_by_name.strip(),
        what_changed=what_changed.strip(),
        revise_circumstances=revise_circumstances,
        created_by=recorded_by,
    )
    change.full_clean()
    change.save()
    return change


@transaction.atomic
def review_circumstance_change(
    *, change: CircumstanceChange, reviewed_by: User, decision: str, reviewed_on: date | None = None
) -> CircumstanceChange:
    """The head reviews a reported change (O8) and notes the decision."""
    change = CircumstanceChange.objects.select_for_update().get(pk=change.pk)
    if change.is_reviewed:
        raise ValidationError("Сообщение уже рассмотрено.")
    reviewed_on = reviewed_on or timezone.localdate()
    if reviewed_on > timezone.localdate():
        raise ValidationError({"reviewed_on": "Дата рассмотрения не может быть в будущем."})
    if reviewed_on < change.reported_on:
        raise ValidationError(
            {"reviewed_on": "Дата рассмотрения не может быть раньше даты сообщения."}
        )
    if not decision.strip():
        raise ValidationError({"decision": "Запишите решение."})
    change.reviewed_by = reviewed_by
    change.reviewed_on = reviewed_on
    change.decision = decision.strip()
    change.save(update_fields=["reviewed_by", "reviewed_on", "decision", "updated_at"])
    return change


# --- The provider's duties (O9, §2.6.7; O12, §3.3.1) -------------------------------------------


@transaction.atomic
def record_familiarisation(
    *,
    recipient: Recipient,
    recorded_by: User,
    kinds: Iterable[str],
    on: date,
    representative: Representative | None = None,
    note: str = "",
) -> list[Familiarisation]:
    """One row per document the minor (and the representative) were familiarised with (O9)."""
    kinds = list(dict.fromkeys(kinds))
    if not kinds:
        raise ValidationError({"kinds": "Отметьте хотя бы один документ."})
    if on > timezone.localdate():
        raise ValidationError({"on": "Дата ознакомления не может быть в будущем."})
    if representative is not None and representative.family_id != recipient.family_id:
        raise ValidationError(
            {"representative": "Ознакомить можно законного представителя этого ребёнка."}
        )
    rows = []
    for kind in kinds:
        row = Familiarisation(
            recipient=recipient,
            representative=representative,
            kind=kind,
            on=on,
            recorded_by=recorded_by,
            note=note,
            created_by=recorded_by,
        )
        row.full_clean()
        row.save()
        rows.append(row)
    return rows


def familiarisation_status(
    recipient: Recipient, rows: Iterable[Familiarisation] | None = None
) -> list[dict[str, Any]]:
    """Every document of O9 with the latest familiarisation, or None where it is missing."""
    if rows is None:
        rows = recipient.familiarisations.all()
    latest: dict[str, Familiarisation] = {}
    for row in rows:
        if row.kind not in latest or row.on >= latest[row.kind].on:
            latest[row.kind] = row
    return [
        {"kind": value, "label": label, "row": latest.get(value)}
        for value, label in FamiliarisationKind.choices
    ]


@transaction.atomic
def hand_over_belonging(
    *, recipient: Recipient, accepted_by: User, description: str, on: date, note: str = ""
) -> Belonging:
    """A thing or valuable accepted for safekeeping (O9)."""
    if on > timezone.localdate():
        raise ValidationError({"handed_over_on": "Дата не может быть в будущем."})
    item = Belonging(
        recipient=recipient,
        description=description,
        handed_over_on=on,
        note=note,
        created_by=accepted_by,
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def return_belonging(*, belonging: Belonging, returned_by: User, on: date) -> Belonging:
    if belonging.returned_on is not None:
        raise ValidationError("Вещь уже возвращена.")
    if on > timezone.localdate():
        raise ValidationError({"returned_on": "Дата не может быть в будущем."})
    belonging.returned_on = on
    belonging.full_clean()
    belonging.save(update_fields=["returned_on", "updated_at"])
    return belonging


# --- Quality surveys (O5, §2.5.4) --------------------------------------------------------------


@transaction.atomic
def record_quality_survey(
    *, recipient: Recipient, recorded_by: User, **fields: Any
) -> QualitySurvey:
    if fields.get("answered_on") and fields["answered_on"] > timezone.localdate():
        raise ValidationError({"answered_on": "Дата анкетирования не может быть в будущем."})
    survey = QualitySurvey(recipient=recipient, created_by=recorded_by, **fields)
    survey.full_clean()
    survey.save()
    return survey
