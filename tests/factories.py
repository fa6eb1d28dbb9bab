"""factory_boy factories shared by every app's tests."""

from __future__ import annotations

from datetime import date

import factory

from organisation.models import Department, Position, User
from recipients.models import Family, Recipient, Representative, Sex


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Отделение № {n + 1}")
    does_patronage = True  # most tests work in a patronage department (P12)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    last_name = "Иванова"
    first_name = "Мария"
    patronymic = "Петровна"
    position = Position.SOCIAL_WORK_SPECIALIST
    department = factory.SubFactory(DepartmentFactory)
    password = factory.django.Password("test-pass-123")


class FamilyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Family

    name = factory.Sequence(lambda n: f"Семья № {n + 1}")
    department = factory.SubFactory(DepartmentFactory)
    address = "г. Белгород, ул. Победы, д. 1, кв. 1"


class RecipientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recipient

    last_name = "Смирнов"
    first_name = factory.Sequence(lambda n: ["Иван", "Пётр", "Алексей", "Никита"][n % 4])
    patronymic = "Сергеевич"
    sex = Sex.MALE
    birth_date = date(2015, 5, 20)
    family = factory.SubFactory(FamilyFactory, department=factory.SelfAttribute("..department"))
    department = factory.SubFactory(DepartmentFactory)


class RepresentativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Representative

    family = factory.SubFactory(FamilyFactory)
    last_name = "Смирнова"
    first_name = "Ольга"
    patronymic = "Ивановна"
    sex = Sex.FEMALE
