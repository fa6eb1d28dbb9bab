"""Factories for the services app: enrolled children, programmes, journal records."""

from __future__ import annotations

from datetime import date

import factory

from recipients.models import Contract, ContractTerm
from services.models import IndividualProgramme, Per, ProgrammeLine, Service, ServiceRecord
from tests.factories import RecipientFactory, RepresentativeFactory, UserFactory


def service(code: str) -> Service:
    """A service of the catalogue loaded by the migration."""
    return Service.objects.select_related("category", "parent").get(code=code)


# O32: a disability recorded on the card with its supporting document (5.1, category 7).
DISABLED = {"has_disability": True, "health_document": "справка МСЭ серия МСЭ-2024 № 1234567"}


class EnrolledRecipientFactory(RecipientFactory):
    """A child in service since 1 September 2026 (set as the enrolment order would), on a
    permanent contract with the mother concluded on 25 August 2026 (O33); `contract=False`
    leaves the child without one."""

    class Meta:
        skip_postgeneration_save = True

    first_day_of_stay = date(2026, 9, 1)

    @factory.post_generation
    def contract(obj, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        mother = RepresentativeFactory(family=obj.family)
        Contract.objects.create(
            recipient=obj,
            representative=mother,
            number=f"{obj.pk}-Д",
            concluded_on=kwargs.get("concluded_on", date(2026, 8, 25)),
            term=kwargs.get("term", ContractTerm.PERMANENT),
            valid_until=kwargs.get("valid_until"),
        )


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndividualProgramme

    recipient = factory.SubFactory(EnrolledRecipientFactory)
    number = factory.Sequence(lambda n: f"{n + 1}")
    drawn_up_on = date(2026, 9, 1)
    valid_from = date(2026, 9, 1)
    valid_until = None


class ProgrammeLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeLine

    programme = factory.SubFactory(ProgrammeFactory)
    service = factory.LazyFunction(lambda: service("2.3.2"))
    count = 3
    per = Per.WEEK


class ServiceRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceRecord

    recipient = factory.SubFactory(EnrolledRecipientFactory)
    department = factory.SelfAttribute("recipient.department")
    service = factory.LazyFunction(lambda: service("2.3.2"))
    provider = factory.SubFactory(UserFactory, department=factory.SelfAttribute("..department"))
    date = date(2026, 11, 2)
    duration_minutes = 20
