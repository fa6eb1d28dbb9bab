"""The personal file (O13, O27, O28) and the papers of enrolment: application (O27),
need-recognition protocol (O1), contract (O10)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from organisation import policy
from organisation.models import NumberSeries, User
from organisation.numbering import next_number
from recipients.models import (
    ALLOWED_SCAN_TYPES,
    Application,
    Contract,
    ContractTerm,
    Document,
    DocumentKind,
    NeedRecognition,
    Recipient,
    Representative,
)
from recipients.validators import validate_scan


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
    policy.require(added_by, policy.CHANGE, recipient)
    document = Document(
        recipient=recipient, kind=kind, title=title, received_on=received_on, created_by=added_by
    )
    if scan is not None:
        document.scan_type = validate_scan(scan)
        document.scan_name = (scan.name or "")[:255]
        document.scan_size = scan.size or 0
    if certify:
        _fill_certification(document, added_by, received_on)
    document.full_clean(exclude=["scan"])  # refused input writes no file
    if scan is None:
        document.save()
        return document
    # The scan's storage writes the file when this row commits, never for a rollback. Its
    # suffix is that of its content (checked above), never the one its name claims.
    document.scan.save(f"scan{ALLOWED_SCAN_TYPES[document.scan_type]}", scan, save=False)
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
    policy.require(certified_by, policy.CHANGE, document)
    document.refresh_from_db(from_queryset=Document.objects.select_for_update())
    if document.is_certified:
        raise ValidationError(
            f"Копия уже заверена {document.certified_on:%d.%m.%Y}: повторно заверять не нужно."
        )
    if certified_on > timezone.localdate():
        raise ValidationError({"certified_on": "Дата заверения не может быть в будущем."})
    _fill_certification(document, certified_by, certified_on)
    document.full_clean()
    document.save()
    return document


@transaction.atomic
def archive_document(*, document: Document, archived_by: User) -> Document:
    policy.require(archived_by, policy.CHANGE, document)
    document.archived_at = timezone.now()
    document.save(update_fields=["archived_at", "updated_at"])
    return document


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
    policy.require(recorded_by, policy.CHANGE, recipient)
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
    policy.require(recorded_by, policy.CHANGE, recipient)
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
    concluded_on: date,
    term: ContractTerm | str,
    concluded_by: User,
    valid_until: date | None = None,
    number: str = "",
) -> Contract:
    """The contract with the representative; the services are free (O10). Its number is the
    next of the year's contract register («12/2026»), given under a row lock in this
    transaction; a typed `number` is kept only for a paper contract made before the system."""
    policy.require(concluded_by, policy.CHANGE, recipient)
    if representative.family_id != recipient.family_id:
        raise ValidationError({"representative": "Договор заключается с представителем ребёнка."})
    if term == ContractTerm.PERMANENT:
        valid_until = None
    elif valid_until is None:
        raise ValidationError({"valid_until": "Для временного договора укажите срок действия."})
    elif valid_until <= concluded_on:
        raise ValidationError({"valid_until": "Срок действия должен быть позже даты договора."})
    number = (number or "").strip()
    if number:
        if Contract.objects.filter(number=number, concluded_on__year=concluded_on.year).exists():
            raise ValidationError({"number": "Договор с таким номером в этом году уже записан."})
    else:
        number = f"{next_number(NumberSeries.CONTRACT, concluded_on.year)}/{concluded_on.year}"
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
