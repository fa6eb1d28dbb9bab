"""Factories and helpers for the recipients' tests: data made through the real actions."""

from __future__ import annotations

from datetime import date

import factory

from recipients import actions
from recipients.models import (
    CHECKLIST,
    Circumstance,
    Consent,
    ContractTerm,
    FamiliarisationKind,
    Recipient,
    Relation,
    Representation,
    Representative,
)
from recipients.validators import format_snils, snils_checksum
from tests.factories import FamilyFactory, RecipientFactory, RepresentativeFactory


def valid_snils(n: int) -> str:
    """A SNILS with a correct control number, from any number above 001-001-998."""
    digits = f"{2_000_000 + n * 7919:09d}"
    return format_snils(f"{digits}{snils_checksum(digits):02d}")


class RepresentationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Representation

    recipient = factory.SubFactory(RecipientFactory)
    representative = factory.SubFactory(
        RepresentativeFactory, family=factory.SelfAttribute("..recipient.family")
    )
    relation = Relation.MOTHER


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    recipient = factory.SubFactory(RecipientFactory)
    given_on = date(2026, 1, 12)
    covers_processing = True


def child_with_mother(department, **fields):  # -> (Recipient, Representative)
    family = FamilyFactory(department=department, name="Семья Смирновых")
    child = RecipientFactory(department=department, family=family, **fields)
    mother = RepresentativeFactory(family=family, id_document="паспорт 1416 123456")
    Representation.objects.create(recipient=child, representative=mother, relation=Relation.MOTHER)
    return child, mother


def prepare_enrolment(
    child: Recipient,
    mother: Representative,
    by,
    *,
    on: date = date(2026, 1, 12),
    skip: tuple[str, ...] = (),
) -> None:
    """Application, protocol, contract, every certified §5.1 document and the familiarisation
    of O12, except `skip`."""
    if "application" not in skip:
        actions.record_application(
            recipient=child,
            representative=mother,
            submitted_on=on,
            recorded_by=by,
            minor_opinion="Хочу ходить в центр.",
        )
    if "need_recognition" not in skip:
        actions.record_need_recognition(
            recipient=child,
            number="15",
            decided_on=on,
            issued_by="Управление социальной защиты населения",
            circumstances=[Circumstance.FAMILY_CONFLICT],
            recorded_by=by,
        )
    if "contract" not in skip:
        actions.conclude_contract(
            recipient=child,
            representative=mother,
            concluded_on=on,
            term=ContractTerm.PERMANENT,
            concluded_by=by,
        )
    for kind in CHECKLIST:
        if kind in skip:
            continue
        actions.add_document(recipient=child, kind=kind, received_on=on, added_by=by, certify=True)
    if "familiarisation" not in skip:
        # O12: the minor and the mother familiarised with the conditions and the rules.
        actions.record_familiarisation(
            recipient=child,
            recorded_by=by,
            kinds=[FamiliarisationKind.SERVICE_ORDER, FamiliarisationKind.INTERNAL_RULES],
            on=on,
            representative=mother,
        )
