"""Recipients (minors 3–18), their families and legal representatives.

This module holds the core that every other app builds on; the personal file, consent,
enrolment and orders are added by the recipients issue.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from organisation.access import ScopedQuerySet
from organisation.models import ArchivableModel, Department, TimeStampedModel


class Sex(models.TextChoices):
    MALE = "male", "мужской"
    FEMALE = "female", "женский"


class RecipientStatus(models.TextChoices):
    APPLICANT = "applicant", "Заявитель"
    ENROLLED = "enrolled", "Зачислен"
    DISCHARGED = "discharged", "Снят с обслуживания"


def age_on(birth_date: date, on: date) -> int:
    """Full years on a date (a birthday on 29 February counts from 1 March in other years)."""
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


class FamilyQuerySet(ScopedQuerySet["Family"]):
    department_lookup = "department"


class Family(TimeStampedModel, ArchivableModel):
    """A household. Patronage cases are opened on a family; its children are recipients."""

    name = models.CharField("семья", max_length=200, help_text="Например: семья Ивановых")
    department = models.ForeignKey(
        Department, verbose_name="отделение", on_delete=models.PROTECT, related_name="families"
    )
    address = models.CharField("адрес проживания", max_length=500, blank=True)
    phone = models.CharField("телефон", max_length=60, blank=True)
    notes = models.TextField("примечания", blank=True)

    objects = FamilyQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "семья"
        verbose_name_plural = "семьи"
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class RecipientQuerySet(ScopedQuerySet["Recipient"]):
    department_lookup = "department"

    def active(self) -> RecipientQuerySet:
        return self.filter(archived_at__isnull=True)

    def enrolled_on(self, d: date) -> RecipientQuerySet:
        """Recipients in service on date `d`: first day of stay on or before it, not yet left."""
        return self.filter(first_day_of_stay__lte=d).filter(
            models.Q(discharged_on__isnull=True) | models.Q(discharged_on__gte=d)
        )


class Recipient(TimeStampedModel, ArchivableModel):
    """A minor recognised as in need of social services (O1)."""

    last_name = models.CharField("фамилия", max_length=100)
    first_name = models.CharField("имя", max_length=100)
    patronymic = models.CharField("отчество", max_length=100, blank=True)
    sex = models.CharField("пол", max_length=6, choices=Sex.choices)
    birth_date = models.DateField("дата рождения")
    family = models.ForeignKey(
        Family,
        verbose_name="семья",
        on_delete=models.PROTECT,
        related_name="children",
        null=True,
        blank=True,
    )
    department = models.ForeignKey(
        Department, verbose_name="отделение", on_delete=models.PROTECT, related_name="recipients"
    )
    status = models.CharField(
        "статус", max_length=12, choices=RecipientStatus.choices, default=RecipientStatus.APPLICANT
    )
    snils = models.CharField("СНИЛС", max_length=14, blank=True, help_text="ХХХ-ХХХ-ХХХ ХХ")
    first_day_of_stay = models.DateField(
        "первый день пребывания",
        null=True,
        blank=True,
        editable=False,
        help_text="Устанавливается утверждением приказа о зачислении; от него считаются сроки.",
    )
    discharged_on = models.DateField(
        "дата снятия с обслуживания", null=True, blank=True, editable=False
    )

    objects = RecipientQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "получатель социальных услуг"
        verbose_name_plural = "получатели социальных услуг"
        ordering = ["last_name", "first_name", "patronymic", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["snils"],
                condition=~models.Q(snils=""),
                name="recipient_snils_unique",
                violation_error_message="Получатель с таким СНИЛС уже зарегистрирован.",
            ),
        ]
        indexes = [
            models.Index(fields=["department", "status"], name="recipient_dept_status"),
            models.Index(fields=["last_name", "first_name"], name="recipient_name"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("recipients:detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)

    @property
    def short_name(self) -> str:
        initials = " ".join(f"{p[0]}." for p in (self.first_name, self.patronymic) if p)
        return f"{self.last_name} {initials}".strip()

    def age_on(self, d: date) -> int:
        return age_on(self.birth_date, d)

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())

    def is_enrolled_on(self, d: date) -> bool:
        return (
            self.first_day_of_stay is not None
            and self.first_day_of_stay <= d
            and (self.discharged_on is None or self.discharged_on >= d)
        )


class RepresentativeQuerySet(ScopedQuerySet["Representative"]):
    department_lookup = "family__department"


class Representative(TimeStampedModel, ArchivableModel):
    """A parent, guardian or trustee: a member of the family who acts for the minor."""

    family = models.ForeignKey(
        Family, verbose_name="семья", on_delete=models.PROTECT, related_name="representatives"
    )
    last_name = models.CharField("фамилия", max_length=100)
    first_name = models.CharField("имя", max_length=100)
    patronymic = models.CharField("отчество", max_length=100, blank=True)
    sex = models.CharField("пол", max_length=6, choices=Sex.choices, blank=True)
    birth_date = models.DateField("дата рождения", null=True, blank=True)
    phone = models.CharField("телефон", max_length=60, blank=True)
    address = models.CharField("адрес", max_length=500, blank=True)
    id_document = models.CharField(
        "документ, удостоверяющий личность",
        max_length=300,
        blank=True,
        help_text="Вид, серия, номер, кем и когда выдан",
    )

    objects = RepresentativeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "законный представитель"
        verbose_name_plural = "законные представители"
        ordering = ["last_name", "first_name", "pk"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)

    @property
    def short_name(self) -> str:
        initials = " ".join(f"{p[0]}." for p in (self.first_name, self.patronymic) if p)
        return f"{self.last_name} {initials}".strip()


class Relation(models.TextChoices):
    MOTHER = "mother", "мать"
    FATHER = "father", "отец"
    GUARDIAN = "guardian", "опекун"
    TRUSTEE = "trustee", "попечитель"
    FOSTER_PARENT = "foster", "приёмный родитель"
    OTHER = "other", "иной законный представитель"


class RepresentationQuerySet(ScopedQuerySet["Representation"]):
    department_lookup = "recipient__department"


class Representation(TimeStampedModel):
    """Who represents which child, and in what capacity."""

    recipient = models.ForeignKey(
        Recipient,
        verbose_name="получатель",
        on_delete=models.PROTECT,
        related_name="representations",
    )
    representative = models.ForeignKey(
        Representative,
        verbose_name="представитель",
        on_delete=models.PROTECT,
        related_name="representations",
    )
    relation = models.CharField("кем приходится", max_length=10, choices=Relation.choices)

    objects = RepresentationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "представительство"
        verbose_name_plural = "представительства"
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "representative"], name="representation_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.representative} — {self.get_relation_display()} ({self.recipient})"
