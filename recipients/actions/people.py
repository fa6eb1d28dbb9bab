"""Recipients, families and legal representatives: registration (O26), the card, the family.
The one way a family is made is `create_family` (registration and patronage alike)."""

from __future__ import annotations

from datetime import date
from typing import TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from organisation import integrity, policy
from organisation.models import Department, User
from recipients.models import (
    Family,
    Recipient,
    Relation,
    Representation,
    Representative,
    normalise_search,
)
from recipients.selectors import find_duplicates


class DuplicateRecipient(ValidationError):
    """The person is already registered: the form offers the existing record instead."""

    def __init__(self, existing: list[Recipient]) -> None:
        self.existing = existing
        super().__init__(
            "Этот ребёнок уже зарегистрирован (совпадает СНИЛС или ФИО и дата рождения).",
            code="duplicate",
        )


class RecipientFields(TypedDict, total=False):
    """The card's own fields, as registration and the card's form write them."""

    last_name: str
    first_name: str
    patronymic: str
    sex: str
    birth_date: date
    snils: str
    identity_document_kind: str
    identity_document: str
    oms_policy: str
    address: str
    school: str
    circumstances: list[str]
    has_disability: bool
    ipra: str
    has_life_limitations: bool
    health_document: str
    health_status_until: date | None
    family: Family | None


class FamilyFields(TypedDict, total=False):
    name: str
    address: str
    phone: str
    composition: str
    notes: str


class RepresentativeFields(TypedDict, total=False):
    last_name: str
    first_name: str
    patronymic: str
    sex: str
    birth_date: date | None
    phone: str
    address: str
    id_document: str


RECIPIENT_FIELDS = frozenset(RecipientFields.__annotations__)


def _check_fields(fields: object, allowed: frozenset[str], what: str) -> None:
    unknown = set(fields) - allowed  # type: ignore[call-overload]
    if unknown:
        raise TypeError(f"Unknown {what} fields: {sorted(unknown)}")


@transaction.atomic
def register_recipient(
    *,
    department: Department,
    created_by: User,
    new_family: FamilyFields | None = None,
    **fields: Unpack[RecipientFields],
) -> Recipient:
    """A new applicant (O26): refused as a duplicate when the SNILS or the ФИО and date of
    birth are already registered anywhere in the centre. With `new_family` the child's family
    is created in the same transaction, so a refused child leaves no family behind."""
    policy.require(created_by, "recipients.add_recipient", department=department)
    _check_fields(fields, RECIPIENT_FIELDS, "recipient")

    def duplicates() -> list[Recipient]:
        return list(
            find_duplicates(
                snils=fields.get("snils", ""),
                last_name=fields["last_name"],
                first_name=fields["first_name"],
                patronymic=fields.get("patronymic", ""),
                birth_date=fields["birth_date"],
            )
        )

    # Two people registering one child without a SNILS at the same moment: the second waits
    # for the first's transaction and then finds the child (its SNILS has a unique constraint,
    # its name and date of birth do not).
    names = (fields["last_name"], fields["first_name"], fields.get("patronymic", ""))
    integrity.serialise_on(
        "recipient", normalise_search(" ".join(p for p in names if p)), str(fields["birth_date"])
    )
    if existing := duplicates():
        raise DuplicateRecipient(existing)
    if new_family is not None:
        fields["family"] = create_family(department=department, created_by=created_by, **new_family)
    recipient = Recipient(department=department, created_by=created_by, **fields)
    try:
        recipient.full_clean()
    except ValidationError:
        # The same child registered by someone else since the check above (its SNILS now
        # fails the unique constraint): answer as the duplicate check does.
        if existing := duplicates():
            raise DuplicateRecipient(existing) from None
        raise
    _save_unless_duplicate(recipient)
    return recipient


def _save_unless_duplicate(recipient: Recipient) -> None:
    """Save; when the same SNILS was registered by someone else a moment ago (the unique
    constraint caught the race), answer as the duplicate check does."""
    try:
        with transaction.atomic():
            recipient.save()
    except IntegrityError:
        existing = find_duplicates(
            snils=recipient.snils,
            last_name=recipient.last_name,
            first_name=recipient.first_name,
            patronymic=recipient.patronymic,
            birth_date=recipient.birth_date,
        )
        raise DuplicateRecipient(list(existing.exclude(pk=recipient.pk))) from None


@transaction.atomic
def update_recipient(
    *, recipient: Recipient, changed_by: User, **fields: Unpack[RecipientFields]
) -> Recipient:
    policy.require(changed_by, policy.CHANGE, recipient)
    _check_fields(fields, RECIPIENT_FIELDS, "recipient")
    if {"snils", "last_name", "first_name", "patronymic", "birth_date"} & set(fields):
        duplicates = find_duplicates(
            snils=fields.get("snils", recipient.snils),
            last_name=fields.get("last_name", recipient.last_name),
            first_name=fields.get("first_name", recipient.first_name),
            patronymic=fields.get("patronymic", recipient.patronymic),
            birth_date=fields.get("birth_date", recipient.birth_date),
        )
        existing = list(duplicates.exclude(pk=recipient.pk))
        if existing:
            raise DuplicateRecipient(existing)
    for name, value in fields.items():
        setattr(recipient, name, value)
    recipient.full_clean()
    _save_unless_duplicate(recipient)
    return recipient


@transaction.atomic
def archive_recipient(*, recipient: Recipient, archived_by: User) -> Recipient:
    """Nothing is deleted: the record leaves the lists and stays readable."""
    policy.require(archived_by, "recipients.archive_recipient", recipient)
    # Locked and read again, as `approve_order` locks it: an enrolment approved meanwhile is
    # seen here, and one approved after this waits and finds the child archived.
    recipient.refresh_from_db(
        from_queryset=Recipient.objects.select_for_update(),
        fields=["first_day_of_stay", "discharged_on", "archived_at"],
    )
    if recipient.stay_open or recipient.is_enrolled:
        raise ValidationError(
            "Зачисленного получателя нельзя перевести в архив: сначала снимите его "
            "с обслуживания приказом."
        )
    recipient.archived_at = timezone.now()
    recipient.save(update_fields=["archived_at", "updated_at"])
    return recipient


@transaction.atomic
def create_family(
    *, department: Department, created_by: User, **fields: Unpack[FamilyFields]
) -> Family:
    """A household in the department: the one way families are made (registration, patronage)."""
    policy.require(created_by, "recipients.add_recipient", department=department)
    _check_fields(fields, frozenset(FamilyFields.__annotations__), "family")
    family = Family(department=department, created_by=created_by, **fields)
    family.full_clean()
    family.save()
    return family


@transaction.atomic
def update_family(*, family: Family, changed_by: User, **fields: Unpack[FamilyFields]) -> Family:
    policy.require(changed_by, policy.CHANGE, family)
    _check_fields(fields, frozenset(FamilyFields.__annotations__), "family")
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
    *,
    recipient: Recipient,
    relation: Relation | str,
    created_by: User,
    **fields: Unpack[RepresentativeFields],
) -> Representative:
    """A legal representative of the minor, a member of the minor's family."""
    policy.require(created_by, policy.CHANGE, recipient)
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
    policy.require(by, policy.CHANGE, recipient)
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
    *, representative: Representative, changed_by: User, **fields: Unpack[RepresentativeFields]
) -> Representative:
    policy.require(changed_by, policy.CHANGE, representative)
    for name, value in fields.items():
        setattr(representative, name, value)
    representative.full_clean()
    representative.save()
    return representative
