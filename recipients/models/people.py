"""People and families: the recipients (minors 3–18), their families and legal representatives
(O1, O26)."""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from organisation import text
from organisation.access import ScopedQuerySet
from organisation.dates import ADULT_AGE, AdultBirthDate, ChildBirthDate, PlannedEvent
from organisation.links import record_url
from organisation.models import ArchivableModel, Department, Sex, TimeStampedModel

MIN_AGE = 3  # O1: minors from 3 …
MAX_AGE = 18  # … to 18 years (not yet 18 on the first day of stay)
OPINION_AGE = 10  # O27: the minor's opinion is asked from the age of ten


def normalise_search(value: str) -> str:
    """Lower case with «ё» as «е»: the form in which names are stored for search and searched.

    SQLite's LOWER() folds ASCII only, so the register searches a column kept in this form
    (`Recipient.search_text`) with a plain, case-sensitive `contains` — the same on every
    database.
    """
    return " ".join(text.without_invisibles(value).lower().replace("ё", "е").split())


# The word every family's name begins with («Семья Ивановых»): kept out of the search texts, or
# a search «сем» would find every child and every family.
GENERIC_FAMILY_WORDS = frozenset({"семья"})


def family_surname(name: str) -> str:
    """The part of a family's name that tells it apart, in the search form: «Семья Ивановых»
    → «ивановых» (a name without the generic word is kept whole)."""
    return " ".join(w for w in normalise_search(name).split() if w not in GENERIC_FAMILY_WORDS)


def family_search_text(name: str, address: str) -> str:
    return normalise_search(f"{family_surname(name)} {address}")


def recipient_search_text(
    last_name: str, first_name: str, patronymic: str, family_name: str, snils: str
) -> str:
    """Surname, name, patronymic, the family's surname part and the SNILS digits."""
    digits = re.sub(r"\D", "", snils or "")
    parts = [last_name, first_name, patronymic, family_surname(family_name), digits]
    return normalise_search(" ".join(parts))


class Circumstance(models.TextChoices):
    """The circumstances of need of §1.4 of the Order (O1); several may apply."""

    ADAPTATION = "adaptation", "Ребёнок испытывает трудности в социальной адаптации"
    FAMILY_CONFLICT = (
        "family_conflict",
        "Внутрисемейный конфликт (в том числе с лицами с зависимостями, психическими "
        "расстройствами), насилие в семье",
    )
    DAMAGE = (
        "damage",
        "Имущественный ущерб, утрата здоровья или жилья в результате чрезвычайных ситуаций, "
        "конфликтов, противоправных действий других лиц",
    )


class IdentityDocumentKind(models.TextChoices):
    BIRTH_CERTIFICATE = "birth_certificate", "свидетельство о рождении"
    PASSPORT = "passport", "паспорт"


class RecipientStatus(models.TextChoices):
    """The enrolment state on a day. Not stored: it follows from the dates the director's
    approved orders set (`first_day_of_stay`, `discharged_on`), see `Recipient.status_on` and
    `RecipientQuerySet.with_state`. The discharge date is the last day of service (O24), so a
    minor is enrolled on it and discharged from the next day."""

    APPLICANT = "applicant", "Заявитель"
    ENROLLED = "enrolled", "Зачислен"
    DISCHARGED = "discharged", "Снят с обслуживания"


# The one definition of the enrolment state on a day `on`, in SQL (the queryset filters and the
# `with_state` annotation) and in Python (`Recipient.status_on`); the three partition every row:
#   applicant  — no approved enrolment yet, or its first day of stay is after `on`;
#   enrolled   — first day of stay on or before `on`, not discharged before `on`;
#   discharged — first day of stay on or before `on`, last day of service before `on`.
# A minor readmitted is an applicant again from the approval of the new enrolment order until
# its first day of stay: that approval replaces the first day and clears the discharge date
# (the earlier stays are kept by the orders, `recipients.selectors.served_between`).


def applicant_q(on: date, prefix: str = "") -> models.Q:
    return models.Q(**{f"{prefix}first_day_of_stay__isnull": True}) | models.Q(
        **{f"{prefix}first_day_of_stay__gt": on}
    )


def enrolled_q(on: date, prefix: str = "") -> models.Q:
    return models.Q(**{f"{prefix}first_day_of_stay__lte": on}) & (
        models.Q(**{f"{prefix}discharged_on__isnull": True})
        | models.Q(**{f"{prefix}discharged_on__gte": on})
    )


def discharged_q(on: date, prefix: str = "") -> models.Q:
    return models.Q(**{f"{prefix}first_day_of_stay__lte": on, f"{prefix}discharged_on__lt": on})


STATE_Q = {
    RecipientStatus.APPLICANT: applicant_q,
    RecipientStatus.ENROLLED: enrolled_q,
    RecipientStatus.DISCHARGED: discharged_q,
}


def enrolled_or_pending_q(on: date, prefix: str = "") -> models.Q:
    """Enrolled on `on` or with an approved enrolment beginning later: the minors the centre
    serves from `on` on — they hold a place for daytime sleep (O36) and their services are
    planned."""
    pending = applicant_q(on, prefix) & models.Q(**{f"{prefix}first_day_of_stay__isnull": False})
    return enrolled_q(on, prefix) | pending


def state_case(on: date, prefix: str = "") -> models.Case:
    """The state on `on` as an SQL CASE (SQLite and PostgreSQL alike)."""
    return models.Case(
        *(
            models.When(q(on, prefix), then=models.Value(str(state)))
            for state, q in STATE_Q.items()
        ),
        default=models.Value(str(RecipientStatus.APPLICANT)),
        output_field=models.CharField(max_length=12),
    )


def age_on(birth_date: date, on: date) -> int:
    """Full years on a date (a birthday on 29 February counts from 1 March in other years)."""
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


class FamilyQuerySet(ScopedQuerySet["Family"]):
    department_lookup = "department"
    recipient_lookup = None  # a family, not one child


class Family(TimeStampedModel, ArchivableModel):
    """A household. Patronage cases are opened on a family; its children are recipients."""

    name = models.CharField("семья", max_length=200, help_text="Например: семья Ивановых")
    department = models.ForeignKey(
        Department, verbose_name="отделение", on_delete=models.PROTECT, related_name="families"
    )
    address = models.CharField("адрес проживания", max_length=500, blank=True)
    phone = models.CharField("телефон", max_length=60, blank=True)
    notes = models.TextField("примечания", blank=True)
    composition = models.TextField(
        "прочие члены семьи",
        blank=True,
        help_text="Кто ещё живёт с ребёнком: ФИО, кем приходится, год рождения — по строке",
    )

    search_text = models.CharField("строка поиска", max_length=700, blank=True, editable=False)

    objects = FamilyQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "семья"
        verbose_name_plural = "семьи"
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        # A derived column, not workflow: the normalised text the case list searches.
        self.search_text = self.build_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def build_search_text(self) -> str:
        return family_search_text(self.name, self.address)


class RecipientQuerySet(ScopedQuerySet["Recipient"]):
    department_lookup = "department"
    recipient_lookup = "pk"

    def active(self) -> RecipientQuerySet:
        return self.filter(archived_at__isnull=True)

    # The enrolment state is derived from the dates (see `RecipientStatus`); every «who is
    # enrolled on a day» in the project asks these methods. `on` defaults to today.

    def with_state(self, on: date | None = None) -> RecipientQuerySet:
        """Annotate `state`: the `RecipientStatus` value on `on`."""
        return self.annotate(state=state_case(on or timezone.localdate()))

    def in_state(self, state: RecipientStatus | str, on: date | None = None) -> RecipientQuerySet:
        return self.filter(STATE_Q[RecipientStatus(state)](on or timezone.localdate()))

    def enrolled(self, on: date | None = None) -> RecipientQuerySet:
        """In service on `on`: first day of stay on or before it, last day not before it."""
        return self.in_state(RecipientStatus.ENROLLED, on)

    def applicants(self, on: date | None = None) -> RecipientQuerySet:
        return self.in_state(RecipientStatus.APPLICANT, on)

    def discharged(self, on: date | None = None) -> RecipientQuerySet:
        return self.in_state(RecipientStatus.DISCHARGED, on)

    def enrolled_or_pending(self, on: date | None = None) -> RecipientQuerySet:
        """Enrolled on `on` or to be enrolled later by an approved order."""
        return self.filter(enrolled_or_pending_q(on or timezone.localdate()))

    def open_stay(self) -> RecipientQuerySet:
        """Enrolled by an approved order and not discharged by one, whatever the dates (a first
        day still to come, a last day ordered): the minors whose stay the centre still has to
        run and close — the deadlines' population. `Recipient.stay_open` in Python."""
        return self.filter(first_day_of_stay__isnull=False, discharged_on__isnull=True)


class Recipient(TimeStampedModel, ArchivableModel):
    """A minor recognised as in need of social services (O1)."""

    last_name = models.CharField("фамилия", max_length=100)
    first_name = models.CharField("имя", max_length=100)
    patronymic = models.CharField("отчество", max_length=100, blank=True)
    sex = models.CharField("пол", max_length=6, choices=Sex.choices)
    birth_date = models.DateField("дата рождения", validators=[ChildBirthDate("Дата рождения")])
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
    snils = models.CharField("СНИЛС", max_length=14, blank=True, help_text="ХХХ-ХХХ-ХХХ ХХ")
    identity_document_kind = models.CharField(
        "документ, удостоверяющий личность",
        max_length=20,
        choices=IdentityDocumentKind.choices,
        default=IdentityDocumentKind.BIRTH_CERTIFICATE,
    )
    identity_document = models.CharField(
        "серия и номер, кем и когда выдан",
        max_length=300,
        blank=True,
        help_text="Например: II-ЛЕ № 123456, отдел ЗАГС г. Белгорода, 12.03.2015",
    )
    oms_policy = models.CharField("полис ОМС", max_length=30, blank=True)
    address = models.CharField("адрес проживания", max_length=500, blank=True)
    school = models.CharField(
        "школа, детский сад", max_length=300, blank=True, help_text="Образовательная организация"
    )
    circumstances = models.JSONField(
        "обстоятельства нуждаемости (п. 1.4)",
        default=list,
        blank=True,
        help_text="Коды из перечня п. 1.4 Порядка; может быть несколько.",
    )
    has_disability = models.BooleanField("ребёнок-инвалид", default=False)
    ipra = models.CharField(
        "ИПРА",
        max_length=300,
        blank=True,
        help_text="Индивидуальная программа реабилитации или абилитации: номер, дата, срок",
    )
    has_life_limitations = models.BooleanField(
        "ограничения жизнедеятельности",
        default=False,
        help_text="Без инвалидности: по заключению ПМПК, медицинской организации и т. п.",
    )
    health_document = models.CharField(
        "документ об инвалидности или ограничениях",
        max_length=300,
        blank=True,
        help_text="Например: справка МСЭ серия МСЭ-2023 № 1234567 от 12.03.2024; "
        "заключение ПМПК № 45 от 01.02.2025",
    )
    health_status_until = models.DateField(
        "установлено до",
        null=True,
        blank=True,
        help_text="Срок, до которого установлена инвалидность или действует заключение; "
        "пусто — бессрочно.",
    )
    search_text = models.CharField(
        "строка поиска", max_length=700, blank=True, editable=False, db_index=True
    )
    first_day_of_stay = models.DateField(
        "первый день пребывания",
        null=True,
        blank=True,
        editable=False,
        validators=[PlannedEvent("Первый день пребывания")],
        help_text="Устанавливается утверждением приказа о зачислении; от него считаются сроки.",
    )
    discharged_on = models.DateField(
        "дата снятия с обслуживания",
        null=True,
        blank=True,
        editable=False,
        validators=[PlannedEvent("Дата снятия с обслуживания")],
    )

    objects = RecipientQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "получатель социальных услуг"
        verbose_name_plural = "получатели социальных услуг"
        ordering = ["last_name", "first_name", "patronymic", "pk"]
        permissions = [("archive_recipient", "Перевод получателя в архив")]
        constraints = [
            models.UniqueConstraint(
                fields=["snils"],
                condition=~models.Q(snils=""),
                name="recipient_snils_unique",
                violation_error_message="Получатель с таким СНИЛС уже зарегистрирован.",
            ),
        ]
        indexes = [
            # The register's filter by state (`RecipientQuerySet.in_state`) within a department.
            models.Index(
                fields=["department", "first_day_of_stay"], name="recipient_dept_first_day"
            ),
            models.Index(fields=["department", "discharged_on"], name="recipient_dept_discharged"),
            models.Index(fields=["last_name", "first_name"], name="recipient_name"),
            # The deadline kinds' population (`open_stay`), by department and age (O1, O27).
            models.Index(
                fields=["department", "birth_date"],
                condition=models.Q(first_day_of_stay__isnull=False, discharged_on__isnull=True),
                name="recipient_open_stay",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: object, **kwargs: object) -> None:
        # A derived column, not workflow: the normalised text the register searches.
        self.search_text = self.build_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def clean(self) -> None:
        """A birth date makes a minor (0–18 years) on the day the child is recorded — the day
        of registration, or today for a record not yet saved. The name is kept as it reads
        (`without_invisibles`)."""
        super().clean()
        for field in ("last_name", "first_name", "patronymic"):
            setattr(self, field, text.without_invisibles(getattr(self, field)).strip())
        if self.birth_date is None:
            return
        created = getattr(self, "created_at", None)
        recorded = timezone.localdate(created) if created else timezone.localdate()
        if self.birth_date <= recorded and age_on(self.birth_date, recorded) >= ADULT_AGE:
            raise ValidationError(
                {
                    "birth_date": f"На дату регистрации ({recorded:%d.%m.%Y}) получатель уже "
                    f"совершеннолетний: проверьте год рождения."
                }
            )

    def build_search_text(self, family_name: str | None = None) -> str:
        if family_name is None:
            family_name = self.family.name if self.family_id and self.family else ""
        return recipient_search_text(
            self.last_name, self.first_name, self.patronymic, family_name, self.snils
        )

    def get_absolute_url(self) -> str:
        return record_url("recipients:detail", self.pk)

    def get_circumstances_display(self) -> list[str]:
        labels = dict(Circumstance.choices)
        return [labels.get(c, c) for c in self.circumstances or []]

    @property
    def full_name(self) -> str:
        return text.full_name(self.last_name, self.first_name, self.patronymic)

    @property
    def short_name(self) -> str:
        return text.short_name(self.last_name, self.first_name, self.patronymic)

    def age_on(self, d: date) -> int:
        return age_on(self.birth_date, d)

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())

    @property
    def has_birth_certificate(self) -> bool:
        """The identity document is a birth certificate (a child under 14, O27)."""
        return self.identity_document_kind == IdentityDocumentKind.BIRTH_CERTIFICATE

    @property
    def is_male(self) -> bool:
        return self.sex == Sex.MALE

    @property
    def is_female(self) -> bool:
        return self.sex == Sex.FEMALE

    # --- Enrolment state, derived from the dates (see `RecipientStatus`) -------------------

    def status_on(self, d: date) -> RecipientStatus:
        """The state on `d`: the Python twin of `state_case` (same partition)."""
        first, last = self.first_day_of_stay, self.discharged_on
        if first is None or first > d:
            return RecipientStatus.APPLICANT
        if last is not None and last < d:
            return RecipientStatus.DISCHARGED
        return RecipientStatus.ENROLLED

    @property
    def status(self) -> RecipientStatus:
        """The state today."""
        return self.status_on(timezone.localdate())

    @property
    def is_applicant(self) -> bool:
        return self.status == RecipientStatus.APPLICANT

    @property
    def is_enrolled(self) -> bool:
        return self.status == RecipientStatus.ENROLLED

    @property
    def is_discharged(self) -> bool:
        return self.status == RecipientStatus.DISCHARGED

    def is_enrolled_on(self, d: date) -> bool:
        return self.status_on(d) == RecipientStatus.ENROLLED

    @property
    def enrolment_pending(self) -> bool:
        """An enrolment order is approved and its first day of stay is still to come."""
        return self.first_day_of_stay is not None and self.first_day_of_stay > timezone.localdate()

    @property
    def stay_open(self) -> bool:
        """Enrolled by an approved order and not discharged by one (whatever the dates): a new
        enrolment is refused and a discharge may be drafted."""
        return self.first_day_of_stay is not None and self.discharged_on is None

    def get_status_display(self) -> str:
        """The state today in words, with the date that changes it when one is set: «Заявитель
        (зачисление с 01.12.2026)», «Зачислен (по 15.12.2026)»."""
        status = self.status
        label = str(status.label)
        if status == RecipientStatus.APPLICANT and self.first_day_of_stay is not None:
            return f"{label} (зачисление с {self.first_day_of_stay:%d.%m.%Y})"
        if status == RecipientStatus.ENROLLED and self.discharged_on is not None:
            return f"{label} (по {self.discharged_on:%d.%m.%Y})"
        return label


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
    birth_date = models.DateField(
        "дата рождения", null=True, blank=True, validators=[AdultBirthDate("Дата рождения")]
    )
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

    def clean(self) -> None:
        """The name is kept as it reads (`without_invisibles`), as a minor's."""
        super().clean()
        for field in ("last_name", "first_name", "patronymic"):
            setattr(self, field, text.without_invisibles(getattr(self, field)).strip())

    @property
    def full_name(self) -> str:
        return text.full_name(self.last_name, self.first_name, self.patronymic)

    @property
    def short_name(self) -> str:
        return text.short_name(self.last_name, self.first_name, self.patronymic)

    @property
    def is_male(self) -> bool:
        return self.sex == Sex.MALE

    @property
    def is_female(self) -> bool:
        return self.sex == Sex.FEMALE


class Relation(models.TextChoices):
    MOTHER = "mother", "мать"
    FATHER = "father", "отец"
    GUARDIAN = "guardian", "опекун"
    TRUSTEE = "trustee", "попечитель"
    FOSTER_PARENT = "foster", "приёмный родитель"
    OTHER = "other", "иной законный представитель"


# «являющаяся матерью»: the relation as documents write it after «являться».
RELATION_INSTRUMENTAL = {
    Relation.MOTHER: "матерью",
    Relation.FATHER: "отцом",
    Relation.GUARDIAN: "опекуном",
    Relation.TRUSTEE: "попечителем",
    Relation.FOSTER_PARENT: "приёмным родителем",
    Relation.OTHER: "законным представителем",
}


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

    @property
    def is_mother(self) -> bool:
        return self.relation == Relation.MOTHER

    @property
    def is_father(self) -> bool:
        return self.relation == Relation.FATHER

    @property
    def is_parent(self) -> bool:
        """A parent's authority rests on the child's birth certificate; a guardian's, a
        trustee's or a foster parent's on an act of the guardianship body."""
        return self.relation in (Relation.MOTHER, Relation.FATHER)

    @property
    def relation_instrumental(self) -> str:
        return RELATION_INSTRUMENTAL.get(Relation(self.relation), "законным представителем")
