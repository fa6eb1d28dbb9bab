"""The service catalogue of the Order, the individual programme of services (ИППСУ), refusals,
the journal of services and the acts of urgent services.

The catalogue (`ServiceCategory`, `Service`) is reference data loaded from
`services/data/catalogue.json` by a data migration and kept by the administrator. Everything
else is case content, scoped to the recipient's department.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from organisation.access import ScopedQuerySet
from organisation.dates import PastEvent, PlannedEvent
from organisation.links import record_url
from organisation.models import (
    ArchivableModel,
    Department,
    Education,
    Position,
    TimeStampedModel,
)
from recipients.models import Family, Recipient, Representative

# A session of a service lasts at most a day (an outing included): a longer one is a typing
# error (and more than the column holds).
MINUTES_IN_A_DAY = 24 * 60

# ---------------------------------------------------------------------------------------------
# The catalogue (O3, O29)


class CategoryKind(models.TextChoices):
    """The kinds of services of §2.1 of the Order (O2), plus the SOP's social patronage."""

    SOCIAL_HOUSEHOLD = "social_household", "Социально-бытовые"
    SOCIAL_MEDICAL = "social_medical", "Социально-медицинские"
    SOCIAL_PSYCHOLOGICAL = "social_psychological", "Социально-психологические"
    SOCIAL_PEDAGOGICAL = "social_pedagogical", "Социально-педагогические"
    SOCIAL_LABOUR = "social_labour", "Социально-трудовые"
    SOCIAL_LEGAL = "social_legal", "Социально-правовые"
    COMMUNICATIVE = "communicative", "Повышение коммуникативного потенциала"
    URGENT = "urgent", "Срочные"
    PATRONAGE = "patronage", "Социальный патронаж"


class Per(models.TextChoices):
    """The span a frequency norm counts in."""

    DAY = "day", "в день"
    WEEK = "week", "в неделю"
    MONTH = "month", "в месяц"
    PERIOD = "period", "за период обслуживания"


class ServiceForm(models.TextChoices):
    INDIVIDUAL = "individual", "индивидуальная"
    GROUP = "group", "групповая"
    ANY = "any", "индивидуальная или групповая"


# «с … образованием»: the instrumental case of each kind of education.
WITH_EDUCATION: dict[str, str] = {
    Education.MEDICAL: "медицинским",
    Education.PSYCHOLOGICAL: "психологическим",
    Education.PEDAGOGICAL: "педагогическим",
    Education.SOCIAL_WORK: "профильным (социальная работа)",
    Education.OTHER: "соответствующим",
}


class RecipientCondition(models.TextChoices):
    """Whom a row of the Order's table limits a service to (O32)."""

    DISABILITY = "disability", "дети-инвалиды"
    LIMITATIONS = "limitations", "дети с ограничениями жизнедеятельности, в том числе дети-инвалиды"


class ServiceCategory(TimeStampedModel):
    """One of the kinds of services: the seven of the Order's table, urgent (С), patronage (П)."""

    SCOPE_EXEMPT = True  # reference data: no personal content

    code = models.CharField("код", max_length=4, unique=True)
    name = models.CharField("наименование", max_length=300)
    kind = models.CharField("вид услуг", max_length=24, choices=CategoryKind.choices, unique=True)
    position = models.PositiveSmallIntegerField("порядок")
    source = models.CharField("источник", max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "категория социальных услуг"
        verbose_name_plural = "справочник услуг: категории"
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class ServiceQuerySet(models.QuerySet["Service"]):
    def leaves(self) -> ServiceQuerySet:
        """Services that are delivered and logged (a group of services never is)."""
        return self.filter(is_leaf=True, is_active=True)

    def urgent(self) -> ServiceQuerySet:
        return self.leaves().filter(category__kind=CategoryKind.URGENT)

    def plannable(self) -> ServiceQuerySet:
        """What an individual programme may contain: the Order's services, not urgent ones."""
        return self.leaves().exclude(category__kind=CategoryKind.URGENT)

    def providable_by(self, user: object) -> ServiceQuerySet:
        """O31: the services `user` may give, by position and, where a row asks, education.
        The same rule as `services.eligibility.may_provide`, as a filter for lists and forms."""
        position = getattr(user, "position", "") or "-"
        education = getattr(user, "education", "")
        # The JSON text of the list holds each position in quotes: «"nurse"» is not «"…_nurse"».
        return self.filter(provider_positions__icontains=f'"{position}"').filter(
            models.Q(provider_education="") | models.Q(provider_education=education or "-")
        )


def readable_service_name(name: str, parent_name: str | None) -> str:
    """`Service.display_name` from the names alone (lists that read values, not instances)."""
    if parent_name is not None and len(name) < 40:
        return f"{parent_name.split(':')[0].rstrip('.')}: {name.lower()}"
    return name


class Service(TimeStampedModel):
    """One row of the catalogue: a group of services or a service (leaf) with its norms."""

    SCOPE_EXEMPT = True  # reference data: no personal content

    category = models.ForeignKey(
        ServiceCategory,
        verbose_name="категория",
        on_delete=models.PROTECT,
        related_name="services",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="группа услуг",
        on_delete=models.PROTECT,
        related_name="children",
        null=True,
        blank=True,
    )
    code = models.CharField("код", max_length=12, unique=True)
    position = models.PositiveSmallIntegerField("порядок", default=0)
    name = models.TextField("наименование")
    is_leaf = models.BooleanField(
        "услуга (не группа)", default=True, help_text="Группа услуг в журнал не вносится."
    )
    unit = models.CharField("единица услуги", max_length=200, blank=True)
    min_minutes = models.PositiveSmallIntegerField("не менее, минут", null=True, blank=True)
    max_minutes = models.PositiveSmallIntegerField("не более, минут", null=True, blank=True)
    frequency_count = models.PositiveSmallIntegerField(
        "периодичность: не реже, раз", null=True, blank=True
    )
    frequency_per = models.CharField(
        "периодичность: за", max_length=6, choices=Per.choices, blank=True
    )
    frequency_text = models.CharField("периодичность (текст Порядка)", max_length=200, blank=True)
    as_needed = models.BooleanField("при необходимости", default=False)
    min_age = models.PositiveSmallIntegerField("возраст от, лет", null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(
        "возраст до, лет", null=True, blank=True, help_text="Не включительно: «до 18 лет»."
    )
    form = models.CharField(
        "форма", max_length=10, choices=ServiceForm.choices, default=ServiceForm.ANY
    )
    escort_limit = models.PositiveSmallIntegerField(
        "несовершеннолетних на 1 сопровождающего, не более", null=True, blank=True
    )
    description = models.TextField("описание", blank=True)
    provider_positions = models.JSONField(
        "кто оказывает: должности",
        default=list,
        blank=True,
        help_text="Должности сотрудников, которые вправе оказывать услугу.",
    )
    provider_education = models.CharField(
        "кто оказывает: образование",
        max_length=20,
        choices=Education.choices,
        blank=True,
        help_text="Образование, которого требует строка Порядка (2.2 — медицинское).",
    )
    providers_basis = models.CharField("кто оказывает: основание", max_length=300, blank=True)
    recipient_condition = models.CharField(
        "кому оказывается",
        max_length=12,
        choices=RecipientCondition.choices,
        blank=True,
        help_text="Пусто — всем получателям (в пределах возраста); иначе ограничение "
        "строки Порядка.",
    )
    is_active = models.BooleanField("действует", default=True)

    objects = ServiceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "социальная услуга"
        verbose_name_plural = "справочник услуг"
        ordering = ["category__position", "position"]
        constraints = [
            models.CheckConstraint(
                name="service_minutes_bounds_ordered",
                condition=models.Q(min_minutes__isnull=True)
                | models.Q(max_minutes__isnull=True)
                | models.Q(min_minutes__lte=models.F("max_minutes")),
                violation_error_message="Нижняя граница времени больше верхней.",
            ),
            models.CheckConstraint(
                name="service_frequency_complete",
                condition=(models.Q(frequency_count__isnull=True) & models.Q(frequency_per=""))
                | (models.Q(frequency_count__gte=1) & ~models.Q(frequency_per="")),
                violation_error_message="Укажите и число раз, и период (или ни то, ни другое).",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.display_name}"

    @property
    def display_name(self) -> str:
        """The name a person can read: short leaf names («Индивидуальная») get their group's."""
        if self.parent_id and len(self.name) < 40 and self.parent is not None:
            return readable_service_name(self.name, self.parent.name)
        return self.name

    @property
    def is_urgent(self) -> bool:
        return self.category.kind == CategoryKind.URGENT

    @property
    def is_patronage(self) -> bool:
        return self.category.kind == CategoryKind.PATRONAGE

    @property
    def needs_programme(self) -> bool:
        """Urgent services are decided by the provider (O11) and patronage follows the SOP's
        grounds (P1): neither needs a line of the individual programme."""
        return self.category.kind not in (CategoryKind.URGENT, CategoryKind.PATRONAGE)

    @property
    def is_per_day(self) -> bool:
        """«1 услуга — 1 человеко-день» (1.1 …): given once per child per day (O33)."""
        return "человеко-день" in self.unit

    @property
    def needs_enrolment(self) -> bool:
        """Social patronage serves families at home, whose children need not be enrolled."""
        return self.category.kind != CategoryKind.PATRONAGE

    @property
    def default_minutes(self) -> int:
        """The duration «Мой день» proposes: the lower bound, else the upper one, else 30."""
        if self.min_minutes:
            return self.min_minutes
        if self.max_minutes:
            return min(self.max_minutes, 45)
        return 30

    @property
    def duration_text(self) -> str:
        if self.min_minutes and self.max_minutes:
            return f"от {self.min_minutes} до {self.max_minutes} мин"
        if self.min_minutes:
            return f"не менее {self.min_minutes} мин"
        if self.max_minutes:
            return f"не более {self.max_minutes} мин"
        return ""

    @property
    def providers_text(self) -> str:
        """O31: «психолог»; «…, медицинская сестра (с медицинским образованием)»."""
        labels = dict(Position.choices)
        text = ", ".join(labels.get(p, p).lower() for p in self.provider_positions or [])
        if self.provider_education:
            education = WITH_EDUCATION[self.provider_education]
            text = f"{text or 'сотрудники'} (с {education} образованием)"
        return text or "не указано"

    @property
    def age_text(self) -> str:
        if self.min_age and self.max_age:
            return f"от {self.min_age} до {self.max_age} лет"
        if self.min_age:
            return f"от {self.min_age} лет"
        if self.max_age:
            return f"до {self.max_age} лет"
        return ""

    def duration_error(self, minutes: int) -> str:
        """O3/O29: the catalogue's time bounds, as a message for the duration field."""
        if minutes <= 0:
            return "Продолжительность должна быть больше нуля."
        if minutes > MINUTES_IN_A_DAY:
            return f"Продолжительность — не более суток ({MINUTES_IN_A_DAY} мин)."
        if self.min_minutes and minutes < self.min_minutes:
            return f"Услуга {self.code} оказывается не менее {self.min_minutes} мин."
        if self.max_minutes and minutes > self.max_minutes:
            return f"Услуга {self.code} оказывается не более {self.max_minutes} мин."
        return ""

    def age_error(self, age: int) -> str:
        """O29: age bounds; «от 14 до 18 лет» admits 14 to 17 full years."""
        if self.min_age is not None and age < self.min_age:
            return f"Услуга {self.code} оказывается с {self.min_age} лет (возраст: {age})."
        if self.max_age is not None and age >= self.max_age:
            return f"Услуга {self.code} оказывается до {self.max_age} лет (возраст: {age})."
        return ""


# ---------------------------------------------------------------------------------------------
# The individual programme of services (O2, O4) and refusals (O7)


class ProgrammeQuerySet(ScopedQuerySet["IndividualProgramme"]):
    department_lookup = "recipient__department"

    def in_force_on(self, d: date) -> ProgrammeQuerySet:
        return self.filter(archived_at__isnull=True, valid_from__lte=d).filter(
            models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=d)
        )


class IndividualProgramme(TimeStampedModel, ArchivableModel):
    """ИППСУ: which services a recipient receives, how often, from when until when (O2, O4)."""

    recipient = models.ForeignKey(
        Recipient,
        verbose_name="получатель",
        on_delete=models.PROTECT,
        related_name="service_programmes",
    )
    number = models.CharField("номер", max_length=30, blank=True)
    drawn_up_on = models.DateField("дата составления", validators=[PastEvent("Дата составления")])
    valid_from = models.DateField("действует с", validators=[PlannedEvent("Дата начала")])
    valid_until = models.DateField(
        "действует по",
        null=True,
        blank=True,
        help_text="Пусто — бессрочно (постоянное обслуживание).",
        validators=[PlannedEvent("Дата окончания")],
    )
    notes = models.TextField("примечания", blank=True)

    objects = ProgrammeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "индивидуальная программа предоставления социальных услуг"
        verbose_name_plural = "индивидуальные программы предоставления социальных услуг"
        permissions = [("draw_up_programme", "Составление ИППСУ и оформление отказов от услуг")]
        ordering = ["-valid_from", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="programme_term_ordered",
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                violation_error_message="Дата окончания раньше даты начала.",
            ),
        ]

    def __str__(self) -> str:
        number = f" № {self.number}" if self.number else ""
        return f"ИППСУ{number} от {self.drawn_up_on:%d.%m.%Y}"

    def get_absolute_url(self) -> str:
        return record_url("services:programme", self.pk)

    @property
    def is_permanent(self) -> bool:
        """O4: permanent (no end date) or temporary service."""
        return self.valid_until is None

    @property
    def term_text(self) -> str:
        if self.valid_until is None:
            return f"с {self.valid_from:%d.%m.%Y}, бессрочно"
        return f"с {self.valid_from:%d.%m.%Y} по {self.valid_until:%d.%m.%Y}"

    def is_in_force_on(self, d: date) -> bool:
        return (
            self.archived_at is None
            and self.valid_from <= d
            and (self.valid_until is None or self.valid_until >= d)
        )


class ProgrammeLineQuerySet(ScopedQuerySet["ProgrammeLine"]):
    department_lookup = "programme__recipient__department"

    def in_force_on(self, d: date) -> ProgrammeLineQuerySet:
        """Lines that plan a service on date `d`: programme and line in force, not refused."""
        return (
            self.filter(programme__archived_at__isnull=True, programme__valid_from__lte=d)
            .filter(
                models.Q(programme__valid_until__isnull=True)
                | models.Q(programme__valid_until__gte=d)
            )
            .filter(models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=d))
            .filter(models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=d))
            .filter(models.Q(refused_on__isnull=True) | models.Q(refused_on__gt=d))
        )


class ProgrammeLine(TimeStampedModel):
    """One service of a programme with its planned frequency and, if shorter, its own term."""

    programme = models.ForeignKey(
        IndividualProgramme,
        verbose_name="программа",
        on_delete=models.PROTECT,
        related_name="lines",
    )
    service = models.ForeignKey(
        Service, verbose_name="услуга", on_delete=models.PROTECT, related_name="programme_lines"
    )
    count = models.PositiveSmallIntegerField("сколько раз", default=1)
    per = models.CharField("за", max_length=6, choices=Per.choices, default=Per.WEEK)
    valid_from = models.DateField(
        "с",
        null=True,
        blank=True,
        help_text="Пусто — со срока ИППСУ.",
        validators=[PlannedEvent("Дата начала")],
    )
    valid_until = models.DateField(
        "по",
        null=True,
        blank=True,
        help_text="Пусто — до конца срока ИППСУ.",
        validators=[PlannedEvent("Дата окончания")],
    )
    refused_on = models.DateField(
        "отказ с",
        null=True,
        blank=True,
        editable=False,
        help_text="Заполняется отказом.",
        validators=[PastEvent("Дата отказа")],
    )
    notes = models.CharField("примечание", max_length=300, blank=True)

    objects = ProgrammeLineQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "услуга программы"
        verbose_name_plural = "услуги программы"
        ordering = ["service__category__position", "service__position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "service"],
                name="programme_line_service_unique",
                violation_error_message="Эта услуга уже есть в программе.",
            ),
            models.CheckConstraint(
                name="programme_line_count_positive",
                condition=models.Q(count__gte=1),
                violation_error_message="Число раз должно быть не меньше 1.",
            ),
        ]
        indexes = [
            # «Мой день»: the lines in force of the services a specialist gives, read from the
            # index alone (PostgreSQL; SQLite makes a plain index on the service)
            models.Index(
                fields=["service"],
                include=["programme", "valid_from", "valid_until", "refused_on"],
                name="line_service_terms",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service.code}: {self.frequency_text}"

    @property
    def frequency_text(self) -> str:
        return f"не реже {self.count} {_times(self.count)} {self.get_per_display()}"

    def start(self) -> date:
        own, programme = self.valid_from, self.programme.valid_from
        return programme if own is None or own < programme else own

    def end(self) -> date | None:
        """The last day the line plans a service: the earliest of its end, the programme's end
        and the day before a refusal."""
        from datetime import timedelta

        ends = [self.valid_until, self.programme.valid_until]
        if self.refused_on is not None:
            ends.append(self.refused_on - timedelta(days=1))
        known = [d for d in ends if d is not None]
        return min(known) if known else None

    def is_in_force_on(self, d: date) -> bool:
        end = self.end()
        return (
            self.programme.archived_at is None and self.start() <= d and (end is None or d <= end)
        )


def _times(n: int) -> str:
    from organisation.text import plural

    return plural(n, "раза", "раз", "раз")


class RefusalQuerySet(ScopedQuerySet["Refusal"]):
    department_lookup = "recipient__department"


class Refusal(TimeStampedModel):
    """A refusal of a service (or of the whole programme), recorded under signature (O7)."""

    recipient = models.ForeignKey(
        Recipient, verbose_name="получатель", on_delete=models.PROTECT, related_name="refusals"
    )
    line = models.ForeignKey(
        ProgrammeLine,
        verbose_name="услуга программы",
        on_delete=models.PROTECT,
        related_name="refusals",
        null=True,
        blank=True,
    )
    service = models.ForeignKey(
        Service, verbose_name="услуга", on_delete=models.PROTECT, related_name="refusals"
    )
    signed_on = models.DateField(
        "дата подписанного отказа",
        help_text="Дата, которой получатель или законный представитель подписал отказ.",
        validators=[PastEvent("Дата отказа")],
    )
    signed_by = models.ForeignKey(
        Representative,
        verbose_name="подписал законный представитель",
        on_delete=models.PROTECT,
        related_name="service_refusals",
        null=True,
        blank=True,
        help_text="Пусто — отказ подписал сам получатель.",
    )
    reason = models.TextField("причина отказа", blank=True)

    objects = RefusalQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "отказ от социальной услуги"
        verbose_name_plural = "отказы от социальных услуг"
        ordering = ["-signed_on", "-pk"]

    def __str__(self) -> str:
        return f"Отказ от услуги {self.service.code} от {self.signed_on:%d.%m.%Y}"


# ---------------------------------------------------------------------------------------------
# The journal of services (P14)


class GroupSessionQuerySet(ScopedQuerySet["GroupSession"]):
    department_lookup = "department"


class GroupSession(TimeStampedModel):
    """One group session: several journal records, one per child, share it."""

    department = models.ForeignKey(
        Department, verbose_name="отделение", on_delete=models.PROTECT, related_name="+"
    )
    service = models.ForeignKey(
        Service, verbose_name="услуга", on_delete=models.PROTECT, related_name="group_sessions"
    )
    provider = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="специалист",
        on_delete=models.PROTECT,
        related_name="group_sessions",
    )
    date = models.DateField("дата", validators=[PastEvent("Дата занятия")])
    start_time = models.TimeField("время начала", null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField("продолжительность, мин")
    is_outing = models.BooleanField(
        "выездное мероприятие",
        default=False,
        help_text="Экскурсия, театр, выставка, посещение организации: на выездах не более "
        "10 несовершеннолетних на 1 сопровождающего; на занятиях в центре ограничения нет.",
    )
    escorts = models.PositiveSmallIntegerField(
        "сопровождающих",
        default=1,
        help_text="Для выездов: не более 10 несовершеннолетних на 1 сопровождающего.",
    )
    notes = models.TextField("примечание", blank=True)

    objects = GroupSessionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "групповое занятие"
        verbose_name_plural = "групповые занятия"
        ordering = ["-date", "-start_time", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="group_session_escorts_positive",
                condition=models.Q(escorts__gte=1),
                violation_error_message="Нужен хотя бы один сопровождающий.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service.code}, {self.date:%d.%m.%Y} (группа)"


class RecordStatus(models.TextChoices):
    DONE = "done", "Оказана"
    CANCELLED = "cancelled", "Отменена"


class ServiceRecordQuerySet(ScopedQuerySet["ServiceRecord"]):
    department_lookup = "department"

    def delivered(self) -> ServiceRecordQuerySet:
        return self.filter(status=RecordStatus.DONE)

    def for_journal(self) -> ServiceRecordQuerySet:
        return self.select_related("recipient", "family", "service", "provider", "group").order_by(
            "-date", "-start_time", "-pk"
        )


class ServiceRecord(TimeStampedModel):
    """One delivered service to one recipient: a line of the journal of services (P14).

    `department` is the recipient's department when the service was given; it scopes the
    record and keeps the journal of a department one index range however large it grows.
    """

    recipient = models.ForeignKey(
        Recipient,
        verbose_name="получатель",
        on_delete=models.PROTECT,
        related_name="service_records",
        null=True,
        blank=True,
    )
    family = models.ForeignKey(
        Family,
        verbose_name="семья",
        on_delete=models.PROTECT,
        related_name="service_records",
        null=True,
        blank=True,
        help_text="Патронаж семьи, в которой нет зарегистрированного ребёнка.",
    )
    department = models.ForeignKey(
        Department, verbose_name="отделение", on_delete=models.PROTECT, related_name="+"
    )
    service = models.ForeignKey(
        Service, verbose_name="услуга", on_delete=models.PROTECT, related_name="records"
    )
    provider = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="специалист",
        on_delete=models.PROTECT,
        related_name="service_records",
    )
    date = models.DateField("дата", validators=[PastEvent("Дата оказания")])
    start_time = models.TimeField("время начала", null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField("продолжительность, мин")
    notes = models.TextField("примечание", blank=True)
    group = models.ForeignKey(
        GroupSession,
        verbose_name="групповое занятие",
        on_delete=models.PROTECT,
        related_name="records",
        null=True,
        blank=True,
    )
    programme_line = models.ForeignKey(
        ProgrammeLine,
        verbose_name="по программе",
        on_delete=models.PROTECT,
        related_name="records",
        null=True,
        blank=True,
    )
    reason_outside_programme = models.CharField(
        "основание вне программы", max_length=300, blank=True
    )
    source = models.CharField(
        "источник записи",
        max_length=60,
        blank=True,
        help_text="Запись другого раздела, из которой внесена услуга: patronage.visit:12.",
    )
    status = models.CharField(
        "статус", max_length=10, choices=RecordStatus.choices, default=RecordStatus.DONE
    )
    cancelled_at = models.DateTimeField("отменена", null=True, blank=True, editable=False)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кем отменена",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    cancellation_reason = models.CharField("причина отмены", max_length=300, blank=True)

    objects = ServiceRecordQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "запись журнала учета услуг"
        verbose_name_plural = "журнал учета услуг"
        permissions = [("log_service", "Внесение услуг в журнал учета услуг")]
        ordering = ["-date", "-start_time", "-pk"]
        indexes = [
            # The journal's order (date, time, id, newest first): a department's page and the
            # director's page of every department read an index range, never sort on disk.
            models.Index(
                fields=["department", "-date", "-start_time", "-id"], name="record_dept_journal"
            ),
            models.Index(fields=["-date", "-start_time", "-id"], name="record_journal"),
            models.Index(fields=["recipient", "date"], name="record_recipient_date"),
            models.Index(fields=["provider", "date"], name="record_provider_date"),
            # The reports' aggregates of delivered services by date (and department): every
            # column they read is in the index, so a period is an index-only range scan.
            models.Index(
                fields=["date", "department", "service", "recipient", "duration_minutes"],
                condition=models.Q(status="done"),
                name="record_done_report",
            ),
            # A child's delivered services of one service since a day (the span of a norm):
            # «Мой день» counts them for each line of the programmes of the day's children.
            models.Index(
                fields=["recipient", "service", "date"],
                condition=models.Q(status="done"),
                name="record_done_recipient_service",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="record_recipient_or_family_P14",
                condition=models.Q(recipient__isnull=False) | models.Q(family__isnull=False),
                violation_error_message="Укажите получателя или семью.",
            ),
            models.CheckConstraint(
                name="record_cancellation_has_reason",
                condition=~models.Q(status=RecordStatus.CANCELLED)
                | ~models.Q(cancellation_reason=""),
                violation_error_message="Укажите причину отмены.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service.code} — {self.whom} ({self.date:%d.%m.%Y})"

    def get_absolute_url(self) -> str:
        return record_url("services:record", self.pk)

    @property
    def origin(self) -> tuple[str, str | None]:
        """Where the record came from (`source`), for a person: what it was and the address
        of that record when there is a page for it. `source` itself («patronage.visit:12») is a
        key for the code, not for the page."""
        kind, _, key = self.source.partition(":")
        if kind == "patronage.visit" and key.isdigit():
            return "посещение семьи (социальный патронаж)", record_url(
                "patronage:visit_detail", int(key)
            )
        if kind == "rehab_programs.diagnostic":
            url = (
                record_url("rehab_programs:recipient", self.recipient_id)
                if self.recipient_id
                else None
            )
            return "диагностика и обследование личности", url
        if kind == "demo":
            return "демонстрационные данные", None
        return "запись другого раздела", None

    @property
    def whom(self) -> str:
        """The child, or the family when patronage found no registered child (P14)."""
        if self.recipient is not None:
            return self.recipient.full_name
        return str(self.family) if self.family is not None else ""

    @property
    def whom_short(self) -> str:
        if self.recipient is not None:
            return self.recipient.short_name
        return str(self.family) if self.family is not None else ""

    @property
    def is_cancelled(self) -> bool:
        return self.status == RecordStatus.CANCELLED


# ---------------------------------------------------------------------------------------------
# Urgent services (O11, O22)


class UrgentActQuerySet(ScopedQuerySet["UrgentServiceAct"]):
    department_lookup = "recipient__department"


class UrgentServiceAct(TimeStampedModel):
    """The act of urgent services, signed by the recipient (O22); the provider decides which
    urgent services are needed (O11)."""

    recipient = models.ForeignKey(
        Recipient, verbose_name="получатель", on_delete=models.PROTECT, related_name="urgent_acts"
    )
    provider = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="специалист",
        on_delete=models.PROTECT,
        related_name="urgent_acts",
    )
    number = models.CharField("номер акта", max_length=30, blank=True)
    date = models.DateField("дата оказания", validators=[PastEvent("Дата оказания")])
    services = models.ManyToManyField(
        Service, verbose_name="срочные услуги", related_name="urgent_acts"
    )
    conditions = models.TextField(
        "условия оказания", help_text="Где, при каких обстоятельствах, в каком объёме."
    )
    signed_on = models.DateField(
        "подписан получателем",
        null=True,
        blank=True,
        editable=False,
        validators=[PastEvent("Дата подписания")],
    )
    signed_by = models.ForeignKey(
        Representative,
        verbose_name="подписал законный представитель",
        on_delete=models.PROTECT,
        related_name="urgent_acts",
        null=True,
        blank=True,
        editable=False,
    )

    objects = UrgentActQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[services])

    class Meta:
        verbose_name = "акт о предоставлении срочных социальных услуг"
        verbose_name_plural = "акты о предоставлении срочных социальных услуг"
        permissions = [("draw_up_urgent_act", "Составление актов о срочных социальных услугах")]
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        number = f" № {self.number}" if self.number else ""
        return f"Акт{number} от {self.date:%d.%m.%Y}"

    def get_absolute_url(self) -> str:
        return record_url("services:urgent_act", self.pk)

    @property
    def is_signed(self) -> bool:
        return self.signed_on is not None
