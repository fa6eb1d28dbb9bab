"""The centre: its departments, staff, positions and roles, and the working-day calendar."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, ClassVar, Self

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from organisation import text
from organisation.dates import PlannedEvent
from organisation.validation import OneQueryValidation


class Role(models.TextChoices):
    """The five roles of the domain. A user's role follows from their position."""

    SPECIALIST = "specialist", "Специалист"
    HEAD = "head", "Заведующий отделением"
    DIRECTOR = "director", "Директор"
    REGISTRAR = "registrar", "Делопроизводитель"
    ADMINISTRATOR = "administrator", "Администратор"
    # An account whose position or department the director has not confirmed yet: it sees
    # nothing and may do nothing (organisation/accounts.py).
    NONE = "none", "Без роли (ждёт подтверждения директора)"


class Position(models.TextChoices):
    SOCIAL_WORK_SPECIALIST = "social_work_specialist", "Специалист по социальной работе"
    DISTRICT_SOCIAL_WORKER = "district_social_worker", "Участковый социальный работник"
    PSYCHOLOGIST = "psychologist", "Психолог"
    SOCIAL_PEDAGOGUE = "social_pedagogue", "Социальный педагог"
    NURSE = "nurse", "Медицинская сестра"
    PEDAGOGUE = "pedagogue", "Педагог"
    HEAD = "head", "Заведующий отделением"
    DIRECTOR = "director", "Директор"
    REGISTRAR = "registrar", "Делопроизводитель"
    ADMINISTRATOR = "administrator", "Администратор"


class Sex(models.TextChoices):
    """A person's sex, as documents agree words with it («составил» / «составила») and decline
    surnames that do not show it («Ким», «Шевчук»)."""

    MALE = "male", "мужской"
    FEMALE = "female", "женский"


class Education(models.TextChoices):
    """The kind of professional education, where the Order asks for one (O31: the health
    procedures of 2.2 are given «специалистами …, имеющими медицинское образование»)."""

    MEDICAL = "medical", "Медицинское"
    PSYCHOLOGICAL = "psychological", "Психологическое"
    PEDAGOGICAL = "pedagogical", "Педагогическое"
    SOCIAL_WORK = "social_work", "Социальная работа"
    OTHER = "other", "Иное"


# Positions that give services to recipients (O31): the catalogue names its providers among them.
PROVIDER_POSITIONS: tuple[str, ...] = (
    Position.SOCIAL_WORK_SPECIALIST,
    Position.DISTRICT_SOCIAL_WORKER,
    Position.PSYCHOLOGIST,
    Position.SOCIAL_PEDAGOGUE,
    Position.NURSE,
    Position.PEDAGOGUE,
)


ROLE_BY_POSITION: dict[str, Role] = {
    Position.SOCIAL_WORK_SPECIALIST: Role.SPECIALIST,
    Position.DISTRICT_SOCIAL_WORKER: Role.SPECIALIST,
    Position.PSYCHOLOGIST: Role.SPECIALIST,
    Position.SOCIAL_PEDAGOGUE: Role.SPECIALIST,
    Position.NURSE: Role.SPECIALIST,
    Position.PEDAGOGUE: Role.SPECIALIST,
    Position.HEAD: Role.HEAD,
    Position.DIRECTOR: Role.DIRECTOR,
    Position.REGISTRAR: Role.REGISTRAR,
    Position.ADMINISTRATOR: Role.ADMINISTRATOR,
}

# Roles that work inside one department and see only its records.
DEPARTMENT_ROLES = frozenset({Role.SPECIALIST, Role.HEAD})
DEPARTMENT_POSITIONS = sorted(p for p, r in ROLE_BY_POSITION.items() if r in DEPARTMENT_ROLES)


class TimeStampedModel(OneQueryValidation):
    """Who created a record and when it last changed (and, as every record of the domain,
    validated with one query for its keys and one for its check constraints)."""

    created_at = models.DateTimeField("создано", default=timezone.now, editable=False)
    updated_at = models.DateTimeField("изменено", auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кем создано",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        abstract = True


class ArchivableModel(models.Model):
    """Records are archived, never deleted: archived ones drop out of lists but stay readable."""

    archived_at = models.DateTimeField("в архиве с", null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class Department(TimeStampedModel):
    name = models.CharField("название", max_length=200, unique=True)
    short_name = models.CharField("краткое название", max_length=60, blank=True)
    is_active = models.BooleanField("действует", default=True)
    does_patronage = models.BooleanField(
        "ведёт социальный патронаж",
        default=False,
        help_text="Патронаж ведут отделение дневного пребывания и отделение реабилитации детей "
        "с ограниченными возможностями (СОП «Патронаж», п. 3).",
    )
    beds = models.PositiveSmallIntegerField(
        "спальных мест для дневного сна",
        null=True,
        blank=True,
        help_text="Каждому ребёнку — кровать для дневного сна (п. 1.4 таблицы услуг): число "
        "мест ограничивает зачисление. Пусто — не учитывается.",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "отделение"
        verbose_name_plural = "отделения"
        ordering = ["name"]
        permissions = [
            ("audit_records", "Проверка записей отделения (аудит)"),
            ("view_access_log", "Просмотр журнала доступа к личным делам"),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name


class StaffManager(UserManager["User"]):
    def active(self) -> models.QuerySet[User]:
        return self.filter(is_active=True)

    def create_superuser(
        self, username: str, email: str | None = None, password: str | None = None, **extra: Any
    ) -> User:
        """`manage.py createsuperuser`: the account gets the director's position (centre-wide,
        no department), so the command asks nothing the form of a member of staff would need.
        Its reading of case content is scoped, logged and behind the second factor like the
        director's (organisation/policy.py). A department role needs its department."""
        extra.setdefault("position", Position.DIRECTOR)
        if ROLE_BY_POSITION.get(extra["position"]) in DEPARTMENT_ROLES and not (
            extra.get("department") or extra.get("department_id")
        ):
            raise ValueError("Специалисту и заведующему нужно указать отделение.")
        return super().create_superuser(username, email, password, **extra)


class User(AbstractUser):
    """A member of staff. The role and what they may see follow from position and department."""

    patronymic = models.CharField("отчество", max_length=150, blank=True)
    sex = models.CharField(
        "пол",
        max_length=6,
        choices=Sex.choices,
        blank=True,
        help_text="Для документов: «составил» или «составила», склонение фамилии. Если не "
        "указан, пол определяется по отчеству.",
    )
    position = models.CharField(
        "должность",
        max_length=40,
        choices=Position.choices,
        default=Position.SOCIAL_WORK_SPECIALIST,
    )
    department = models.ForeignKey(
        Department,
        verbose_name="отделение",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
    )
    phone = models.CharField("телефон", max_length=30, blank=True)
    education = models.CharField(
        "образование",
        max_length=20,
        choices=Education.choices,
        blank=True,
        help_text="Профиль профессионального образования: от него зависят услуги, которые "
        "сотрудник вправе оказывать (например, медицинские процедуры — только с медицинским).",
    )
    education_document = models.CharField(
        "документ об образовании",
        max_length=300,
        blank=True,
        help_text="Например: диплом 123456 0001234, ОГБПОУ «Белгородский медицинский колледж», "
        "2015",
    )
    awaiting_confirmation = models.BooleanField(
        "ждёт подтверждения директора",
        default=False,
        editable=False,
        help_text="Должность или отделение изменены администратором: пока директор не "
        "подтвердит изменение, у сотрудника нет доступа ни к каким записям.",
    )
    must_change_password = models.BooleanField(
        "сменить пароль при входе",
        default=False,
        editable=False,
        help_text="Пароль задан администратором: при следующем входе сотрудник задаёт свой.",
    )

    scope_changed_at = models.DateTimeField(
        "область доступа изменена",
        null=True,
        blank=True,
        editable=False,
        help_text="Когда в последний раз изменились должность или отделение (или учётная "
        "запись включена снова): уведомления и выгрузки, сделанные раньше, сотруднику больше не "
        "показываются.",
    )

    objects: ClassVar[StaffManager] = StaffManager()  # type: ignore[assignment]
    history = HistoricalRecords(excluded_fields=["password", "last_login", "scope_changed_at"])

    class Meta:
        verbose_name = "сотрудник"
        verbose_name_plural = "сотрудники"
        ordering = ["last_name", "first_name", "patronymic"]
        constraints = [
            models.CheckConstraint(
                name="user_department_role_has_department",
                condition=~models.Q(position__in=DEPARTMENT_POSITIONS)
                | models.Q(department__isnull=False),
                violation_error_message="Специалисту и заведующему нужно указать отделение.",
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.username

    # What the account's scope is made of, as loaded: a change of it is stamped by `save`.
    _SCOPE_FIELDS = ("position", "department_id", "is_active")

    @classmethod
    def from_db(
        cls, db: str | None, field_names: Collection[str], values: Collection[Any], **kw: Any
    ) -> Self:
        user = super().from_db(db, field_names, values, **kw)
        if all(name in user.__dict__ for name in cls._SCOPE_FIELDS):  # not a partial load
            user._loaded_scope = user._scope()  # type: ignore[attr-defined]
        return user

    def _scope(self) -> tuple[Any, ...]:
        return tuple(self.__dict__.get(name) for name in self._SCOPE_FIELDS)

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Stamp `scope_changed_at` when the position or the department changes, or the
        account is switched back on: what was told or exported for the former scope (the
        notifications' texts, the export files, which name children) ends with it
        (`organisation.selectors.notifications_for`, `reports.models.ExportJob`)."""
        loaded = self.__dict__.get("_loaded_scope")
        now = self._scope()
        if loaded is not None and loaded != now:
            (position, department_id, was_active) = loaded
            moved = (position, department_id) != now[:2]
            if moved or (self.is_active and not was_active):
                self.scope_changed_at = timezone.now()
                fields = kwargs.get("update_fields")
                if fields is not None:
                    kwargs["update_fields"] = {*fields, "scope_changed_at"}
        super().save(*args, **kwargs)
        self._loaded_scope = self._scope()

    def given_before_scope_change(self, when: Any) -> bool:
        """Whether something made at `when` for this account predates its current scope."""
        return self.scope_changed_at is not None and when < self.scope_changed_at

    @property
    def role(self) -> Role:
        if self.awaiting_confirmation:
            return Role.NONE
        return ROLE_BY_POSITION[self.position]

    @property
    def full_name(self) -> str:
        return text.full_name(self.last_name, self.first_name, self.patronymic)

    @property
    def short_name(self) -> str:
        """«Иванова А. П.», as signed under documents."""
        return text.short_name(self.last_name, self.first_name, self.patronymic)

    @property
    def initials_surname(self) -> str:
        """«А. П. Иванова», as a signature is deciphered."""
        return text.initials_surname(self.last_name, self.first_name, self.patronymic)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.short_name

    @property
    def is_specialist(self) -> bool:
        return self.role == Role.SPECIALIST

    @property
    def is_head(self) -> bool:
        return self.role == Role.HEAD


class CalendarDay(TimeStampedModel):
    """An administrator's correction of the production calendar: one day made working or not.

    The built-in calendar (organisation/production_calendar.py) covers the years of the decrees
    it cites; a row here wins over it, so a new decree or a correction needs no code change.
    """

    date = models.DateField("дата", unique=True, validators=[PlannedEvent("Дата")])
    is_working = models.BooleanField("рабочий день")
    note = models.CharField("основание", max_length=300, help_text="Например: постановление № …")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "день производственного календаря"
        verbose_name_plural = "производственный календарь: поправки"
        ordering = ["date"]

    def __str__(self) -> str:
        kind = "рабочий" if self.is_working else "нерабочий"
        return f"{self.date:%d.%m.%Y} — {kind}"


class CalendarYear(TimeStampedModel):
    """A year of the production calendar beyond the built-in ones, loaded from the official
    open-data file of its decree: its days are `CalendarDay` rows, and its terms are confirmed."""

    year = models.PositiveSmallIntegerField("год", unique=True)
    source = models.CharField(
        "основание", max_length=300, help_text="Постановление Правительства РФ от … № …"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "год производственного календаря"
        verbose_name_plural = "производственный календарь: загруженные годы"
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year} год ({self.source})"


class CentreWorkDay(TimeStampedModel):
    """A day off on which the centre (or one department) works, e.g. a summer camp: services
    logged on it are not warned about as given on a day off."""

    date = models.DateField("дата")
    department = models.ForeignKey(
        Department,
        verbose_name="отделение",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Пусто — работает весь центр.",
    )
    note = models.CharField("основание", max_length=300, help_text="Например: приказ № … о лагере")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "рабочий выходной день центра"
        verbose_name_plural = "рабочие выходные дни центра"
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "department"], name="centre_work_day_once_per_department"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} — {self.department or 'весь центр'}"


class WorkingDay(models.Model):
    """The working-day calendar as a table the database can join: one row per day of the years
    it covers, with the running number of working days up to and including it.

    Derived, never edited: `organisation.calendar.sync_days()` keeps it equal to
    `calendar.is_working_day` (the built-in calendar and the administrator's corrections), so a
    due date, "overdue" and "due soon" can be SQL expressions (`organisation.calendar_sql`).
    """

    date = models.DateField("дата", primary_key=True)
    is_working = models.BooleanField("рабочий день")
    number = models.PositiveIntegerField(
        "рабочих дней с начала таблицы", help_text="Включая этот день, если он рабочий."
    )

    SCOPE_EXEMPT = True  # reference data

    class Meta:
        verbose_name = "день календаря (таблица для запросов)"
        verbose_name_plural = "календарь рабочих дней (таблица для запросов)"
        ordering = ["date"]
        indexes = [
            # The calendar's lookups (`calendar_sql`) read these two indexes alone: a day's row
            # by its date, a working day by its running number.
            models.Index(fields=["date"], include=["number", "is_working"], name="workingday_date"),
            models.Index(
                fields=["number"],
                include=["date"],
                condition=models.Q(is_working=True),
                name="workingday_number",
            ),
            models.Index(
                fields=["date"], condition=models.Q(is_working=True), name="workingday_working"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} — {'рабочий' if self.is_working else 'нерабочий'}"


class NotificationEvent(models.TextChoices):
    DUE_SOON = "due_soon", "срок подходит"
    OVERDUE = "overdue", "срок нарушен"
    ESCALATED = "escalated", "просрочка передана заведующему"
    ACCOUNT = "account", "учётная запись"
    # Workflow events: a step someone else took that this user has to act on or know.
    RETURNED = "returned", "возвращено с замечаниями"
    APPROVED = "approved", "утверждено"
    AWAITING = "awaiting", "ждёт решения"
    SCHEDULED = "scheduled", "назначено заседание"
    ASSIGNED = "assigned", "назначено вам"


class Notification(models.Model):
    """A message about a deadline or a workflow event, shown under the bell and sent by e-mail
    when possible.

    One row per user, item, event and date (`due`: the deadline, or the day of the event): the
    daily job may run any number of times, and an action retried after a failure notifies once.
    """

    user = models.ForeignKey(
        User, verbose_name="получатель", on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField("вид срока", max_length=40)
    item_key = models.CharField("запись", max_length=80)
    event = models.CharField("событие", max_length=12, choices=NotificationEvent.choices)
    due = models.DateField("срок")
    message = models.CharField("текст", max_length=500)
    url = models.CharField("ссылка", max_length=300, blank=True)
    created_at = models.DateTimeField("создано", default=timezone.now)
    read_at = models.DateTimeField("прочитано", null=True, blank=True)
    emailed_at = models.DateTimeField("отправлено по почте", null=True, blank=True)
    email_claim = models.CharField("метка рассылки", max_length=32, blank=True, editable=False)

    class Meta:
        verbose_name = "уведомление"
        verbose_name_plural = "уведомления"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "item_key", "event", "due"], name="notification_once"
            ),
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.message


# --- The access log: every opening of a record with personal data (issue 11) ------------------


class AccessKind(models.TextChoices):
    CARD = "card", "карточка"
    PAGE = "page", "страница записи"
    EDIT = "edit", "форма изменения"
    HISTORY = "history", "история изменений"
    DOCUMENT = "document", "скан документа"
    PRINT = "print", "печатная форма (PDF)"
    EXPORT = "export", "выгрузка"


class AccessLog(models.Model):
    """One opening of a record with personal data: who, what, when and from where.

    Written by organisation/access.py when a view opens a record through it, never by the
    view itself. `recipient_id` and `department` are copied at the moment of opening, so the
    log is read by department and per child without joining the record."""

    created_at = models.DateTimeField("когда", default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="сотрудник",
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField("что открыто", max_length=10, choices=AccessKind.choices)
    record = models.CharField("запись", max_length=80, help_text="модель и номер записи")
    recipient_id = models.BigIntegerField("получатель (номер)", null=True, blank=True)
    department = models.ForeignKey(
        Department, verbose_name="отделение", on_delete=models.PROTECT, null=True, blank=True
    )
    path = models.CharField("адрес страницы", max_length=300, blank=True)
    address = models.GenericIPAddressField("IP-адрес", null=True, blank=True)
    detail = models.CharField("подробности", max_length=300, blank=True)

    class Meta:
        verbose_name = "запись журнала доступа"
        verbose_name_plural = "журнал доступа"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient_id", "-created_at"], name="accesslog_recipient_at"),
            models.Index(fields=["department", "-created_at"], name="accesslog_department_at"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%d.%m.%Y %H:%M} {self.user} — {self.record}"

    @property
    def record_display(self) -> str:
        """`record` for a person: «получатель социальных услуг № 17», not the key
        «recipients.recipient:17» the log keeps; an export (no model) by its page's address."""
        from django.apps import apps

        label, _, pk = self.record.partition(":")
        try:
            model = apps.get_model(label) if pk and "." in label else None
        except LookupError:
            model = None
        if model is None:
            return self.path or self.record
        return f"{model._meta.verbose_name} № {pk}"


class NumberSeries(models.TextChoices):
    """The registers whose records are numbered anew each calendar year."""

    APPEAL = "appeal", "обращения"
    ORDER = "order", "приказы о зачислении и отчислении"
    PROTOCOL = "protocol", "протоколы консилиума"
    CONTRACT = "contract", "договоры о предоставлении услуг"


class YearlyCounter(models.Model):
    """The last number given in a register in a year. Its row is locked while a number is
    taken (`organisation.numbering.next_number`), so two people never receive the same number
    and a rolled-back transaction gives its number back: no duplicates, no gaps."""

    SCOPE_EXEMPT = True  # a number, no case content

    series = models.CharField("реестр", max_length=20, choices=NumberSeries.choices)
    year = models.PositiveSmallIntegerField("год")
    last_number = models.PositiveIntegerField("последний номер", default=0)

    class Meta:
        verbose_name = "счётчик номеров"
        verbose_name_plural = "счётчики номеров"
        constraints = [
            models.UniqueConstraint(fields=["series", "year"], name="yearly_counter_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_series_display()}, {self.year}: {self.last_number}"


class FormSubmission(models.Model):
    """A form's one-time token, stored when the form is sent: a form sent twice (a double
    click, back and resend, a retried request) finds its token taken and creates nothing more
    (`organisation.idempotency`). Rows older than a week are deleted by the daily job."""

    SCOPE_EXEMPT = True  # a token and the address of the result, no case content

    token = models.CharField("метка формы", max_length=64, unique=True)
    user = models.ForeignKey(
        User, verbose_name="пользователь", on_delete=models.CASCADE, related_name="+"
    )
    result_url = models.CharField("адрес результата", max_length=300, blank=True)
    created_at = models.DateTimeField("отправлено", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "отправленная форма"
        verbose_name_plural = "отправленные формы"

    def __str__(self) -> str:
        return self.token


# --- Qualification upgrades of staff (O40, §4.3) -----------------------------------------------
# Below the other models: the scoped queryset lives in `organisation.access`, which imports the
# names above from this module.

from organisation.access import ScopedQuerySet  # noqa: E402


class QualificationUpgradeQuerySet(ScopedQuerySet["QualificationUpgrade"]):  # type: ignore[override]
    """Personnel records: who reads and records them is in `organisation.policy` (the head
    the own department's, the director and the administrator everyone's)."""

    department_lookup = "employee__department"
    recipient_lookup = None


class QualificationUpgrade(TimeStampedModel):
    """A course of professional development completed by an employee (§4.3: specialists
    systematically upgrade their qualification)."""

    employee = models.ForeignKey(
        User,
        verbose_name="сотрудник",
        on_delete=models.PROTECT,
        related_name="qualification_upgrades",
    )
    course = models.CharField("программа повышения квалификации", max_length=300)
    provider = models.CharField("организация", max_length=300, blank=True)
    hours = models.PositiveSmallIntegerField("объём, часов")
    started_on = models.DateField("начало обучения", null=True, blank=True)
    completed_on = models.DateField("окончание обучения")
    document = models.CharField(
        "документ", max_length=300, help_text="Например: удостоверение № 312400012345"
    )

    objects = QualificationUpgradeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "повышение квалификации"
        verbose_name_plural = "повышение квалификации"
        ordering = ["-completed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="qualification_upgrade_dates_O40",
                condition=models.Q(started_on__isnull=True)
                | models.Q(started_on__lte=models.F("completed_on")),
                violation_error_message="Начало обучения не может быть позже окончания.",
            ),
            models.CheckConstraint(
                name="qualification_upgrade_hours_O40",
                condition=models.Q(hours__gte=1),
                violation_error_message="Укажите объём программы в часах.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course} ({self.completed_on:%d.%m.%Y})"
