"""Social patronage of families (SOP «Патронаж», rules P1–P15).

An appeal (`Appeal`, P1) is logged by the registrar in the reception or the phone-call journal
(P5) and registered under a number unique per year within the term of P2/P3. The head opens a
patronage case (`PatronageCase`) on a family from it and assigns a specialist (P6); the
specialist plans and records home visits (`Visit`, P7/P10) with the time norms of P8, each
completed visit ends with exactly one document (`VisitAct`, P9) and gives recommendations
(`Recommendation`) whose fulfilment is checked at the next visit (`RecommendationCheck`, P10).
The head reviews every completed visit (P13).

Deadlines are properties computed from dates with organisation.calendar, never stored flags.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import connection, models
from django.db.models import OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from simple_history.models import HistoricalRecords

from organisation import calendar, calendar_sql
from organisation.access import ScopedQuerySet
from organisation.dates import PastEvent, PlannedEvent, term_errors
from organisation.links import record_url
from organisation.models import (
    ArchivableModel,
    Department,
    Position,
    TimeStampedModel,
    WorkingDay,
)
from recipients.models import Family, normalise_search

# P2: a petition is registered within 3 days of receipt; P3: on a non-working day, within the
# 3 following working days.
REGISTRATION_DAYS = 3
# P4: the maximal wait for the service is 1–4 days.
FIRST_VISIT_MAX_DAYS = 4
# P8: time norms per visit, in minutes.
NORM_PREPARATION = 60
NORM_WORK = 40
NORM_COMPLETION = 10

# P6: who is assigned to a family — a social work specialist or a district social worker.
CASE_POSITIONS = (Position.SOCIAL_WORK_SPECIALIST, Position.DISTRICT_SOCIAL_WORKER)

# P11 (and P6): who makes visits.
PATRONAGE_POSITIONS = (
    Position.SOCIAL_WORK_SPECIALIST,
    Position.DISTRICT_SOCIAL_WORKER,
    Position.PSYCHOLOGIST,
    Position.NURSE,
    Position.SOCIAL_PEDAGOGUE,
)

MINUTES_ERROR = "Время указывается в минутах: целое число не меньше нуля."


class AppealGround(models.TextChoices):
    """P1: the five grounds for social patronage."""

    PREVENTION_BODY = (
        "prevention_body",
        "Ходатайство (информационный запрос) субъекта системы профилактики",
    )
    PERSONAL = "personal", "Личное или устное обращение семьи, ребёнка"
    CITIZEN = "citizen", "Обращение граждан или иное обращение"
    DIRECTOR_PLAN = "director_plan", "План мероприятий, утверждённый директором"
    IPRA = "ipra", "Реализация ИПРА ребёнка-инвалида"


class Channel(models.TextChoices):
    """P5: where the primary information is logged."""

    RECEPTION = "reception", "Журнал приёма граждан"
    PHONE = "phone", "Журнал регистрации телефонных звонков"


def _registration_terms(received: QuerySet[Any]) -> tuple[str, tuple[Any, ...]]:
    """SQL of a table (day, due): the registration term without a basis document's term
    (`calendar_sql.term_or_working_days`) of every calendar day from the first to the last of
    `received` (a query of one column of dates), with its parameters.

    Computed in one pass over those days of `organisation.WorkingDay` and one hash join, not
    by two index lookups for each day: from the running number N of working days up to and
    including a day, the term of a day received on a working day (`term_end(day, n)`) is the
    working day numbered N(day + n - 1) + 1, of a day off (`add_working_days(day, n)`) the one
    numbered N(day) + n."""
    n = REGISTRATION_DAYS
    q = connection.ops.quote_name
    table, on, working, number = (
        q(WorkingDay._meta.db_table),
        q("date"),
        q("is_working"),
        q("number"),
    )

    def bound(order: str) -> tuple[str, tuple[Any, ...]]:
        sql, params = received.order_by(order)[:1].query.sql_with_params()
        return f"({sql})", params

    first, first_params = bound("received_on")
    last, last_params = bound("-received_on")
    ahead = calendar_sql.add_days_sql(last, n - 1, connection.vendor)
    # a term ends within a year of the day (the Python calendar looks no further)
    horizon = calendar_sql.add_days_sql(last, 366, connection.vendor)
    sql = (
        f"SELECT w.{on} AS day, t.{on} AS due FROM ("
        f"SELECT {on}, {working}, {number}, LEAD({number}, {n - 1}) OVER (ORDER BY {on}) AS ahead"
        f" FROM {table} WHERE {on} >= {first} AND {on} <= {ahead}) w"
        f" LEFT JOIN {table} t ON t.{working} AND t.{number} ="
        f" CASE WHEN w.{working} THEN w.ahead + 1 ELSE w.{number} + {n} END"
        f" AND t.{on} >= {first} AND t.{on} <= {horizon}"
        f" WHERE w.{on} <= {last}"
    )
    params = (*first_params, *last_params, *first_params, *last_params, *last_params)
    return sql, params


# `Appeal.registration_due` as a SQL expression over the appeal's columns.
REGISTRATION_DUE = models.Case(
    models.When(basis_due__isnull=False, then=models.F("basis_due")),
    default=calendar_sql.term_or_working_days("received_on", REGISTRATION_DAYS),
    output_field=models.DateField(),
)


# The appeals that can be overdue or late: not registered yet, or registered more than
# `REGISTRATION_DAYS` calendar days after receipt (the term never ends earlier), or with a
# basis document's term. The other nine in ten need no due date to be counted.
MAY_BE_LATE = models.Q(archived_at__isnull=True) & (
    models.Q(registered_on__isnull=True)
    | models.Q(basis_due__isnull=False)
    | models.Q(registered_on__gt=calendar_sql.AddDays(models.F("received_on"), REGISTRATION_DAYS))
)


class RegistrationCounts(NamedTuple):
    overdue: int
    late: int
    listed: int | None


class AppealQuerySet(ScopedQuerySet["Appeal"]):
    department_lookup = "department"
    # The registrar logs appeals and keeps the journals centre-wide (organisation/policy.py).

    def active(self) -> AppealQuerySet:
        return self.filter(archived_at__isnull=True)

    def unregistered(self) -> AppealQuerySet:
        return self.filter(registered_on__isnull=True)

    def with_registration_due(self) -> AppealQuerySet:
        """`due`: `Appeal.registration_due` computed by the database (P2, P3)."""
        return self.annotate(due=REGISTRATION_DUE)

    def _due(self) -> AppealQuerySet:
        """`due` for a filter: the annotation when the queryset has it, else an alias (not
        selected)."""
        if "due" in self.query.annotations:
            return self
        return self.alias(due=REGISTRATION_DUE)

    def registration_overdue(self, today: date) -> AppealQuerySet:
        """Not registered, and the term has passed."""
        return self._due().filter(models.Q(due__lt=today), registered_on__isnull=True)

    def registered_late(self) -> AppealQuerySet:
        """Registered after the term.

        Without a basis document's term the term ends no earlier than `REGISTRATION_DAYS`
        calendar days after receipt, so only an appeal registered later than that can be late:
        that comparison of two columns comes first and spares the due date's subqueries for
        nearly every appeal of the list's count."""
        could_be_late = models.Q(basis_due__isnull=False) | models.Q(
            registered_on__gt=calendar_sql.AddDays(models.F("received_on"), REGISTRATION_DAYS)
        )
        return self._due().filter(could_be_late).filter(registered_on__gt=models.F("due"))

    def registration_counts(
        self, today: date, *, listed: QuerySet[Appeal] | None = None
    ) -> RegistrationCounts:
        """How many appeals of the queryset `registration_overdue(today)` and
        `registered_late()` would find, and how many `listed` holds (a list's pager), in one
        query.

        The term depends only on the day of receipt (and a basis document's term), so the
        database computes it once per calendar day between the first and the last day of
        receipt (`_registration_terms`), not once per appeal, and reads only the appeals that
        can be overdue or late (`MAY_BE_LATE`, from the index `appeal_may_be_late`)."""
        sql, params = self.registration_counts_sql(today, listed=listed)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return RegistrationCounts(*cursor.fetchone())

    def registration_counts_sql(
        self, today: date, *, listed: QuerySet[Appeal] | None = None
    ) -> tuple[str, list[Any]]:
        """The statement of `registration_counts` (one row of its three counts) and its
        parameters, for a page that runs it with others."""
        rows = (
            self.order_by().filter(MAY_BE_LATE).values("received_on", "registered_on", "basis_due")
        )
        days_sql, days_params = _registration_terms(rows.values("received_on"))
        rows_sql, rows_params = rows.query.sql_with_params()
        if listed is None:
            listed_sql, listed_params = "NULL", ()
        else:
            sql, listed_params = listed.order_by().values("pk").query.sql_with_params()
            listed_sql = f"(SELECT COUNT(*) FROM ({sql}) l)"
        due = "COALESCE(c.basis_due, d.due)"
        sql = (
            "SELECT"
            f" COUNT(CASE WHEN c.registered_on IS NULL AND {due} < %s THEN 1 END),"
            f" COUNT(CASE WHEN c.registered_on > {due} THEN 1 END), {listed_sql}"
            f" FROM ({rows_sql}) c LEFT JOIN ({days_sql}) d ON d.day = c.received_on"
        )
        params = [
            connection.ops.adapt_datefield_value(today),
            *listed_params,
            *rows_params,
            *days_params,
        ]
        return sql, params

    def search(self, text: str) -> AppealQuerySet:
        """Any part of the family, address, sender or content; any case, «е» for «ё»."""
        term = normalise_search(text)
        return self.filter(search_text__contains=term) if term else self


@dataclass(frozen=True)
class Registration:
    """An appeal's registration term (P2, P3) and where it stands: on the day of registration,
    or on `today` while it is not registered."""

    due: date
    registered_on: date | None

    @property
    def registered(self) -> bool:
        return self.registered_on is not None

    @property
    def late(self) -> bool:
        """Registered, but after the term."""
        return self.registered_on is not None and self.registered_on > self.due

    @property
    def overdue(self) -> bool:
        """Not registered yet, and the term has passed."""
        return self.registered_on is None and timezone.localdate() > self.due

    @property
    def days_late(self) -> int:
        return max(0, ((self.registered_on or timezone.localdate()) - self.due).days)


class Appeal(TimeStampedModel, ArchivableModel):
    """An incoming ground for patronage (P1), logged in a journal (P5), registered (P2, P3).

    The family is named in free text, as the incoming document names it: the registrar does not
    see the centre's families (personal data of another role). The head links the appeal to a
    family of the department when opening the case.
    """

    channel = models.CharField("журнал", max_length=10, choices=Channel.choices)
    ground = models.CharField("основание", max_length=20, choices=AppealGround.choices)
    department = models.ForeignKey(
        Department,
        verbose_name="отделение",
        on_delete=models.PROTECT,
        related_name="appeals",
        help_text="Отделение, которое будет работать с семьёй.",
    )
    received_on = models.DateField("дата поступления", validators=[PastEvent("Дата поступления")])
    sender = models.CharField(
        "от кого поступило",
        max_length=300,
        help_text="Орган системы профилактики, гражданин или заявитель.",
    )
    sender_contact = models.CharField("контакты заявителя", max_length=200, blank=True)
    outgoing_number = models.CharField("исходящий номер", max_length=60, blank=True)
    outgoing_date = models.DateField(
        "исходящая дата", null=True, blank=True, validators=[PastEvent("Исходящая дата")]
    )
    basis_due = models.DateField(
        "срок по документу-основанию",
        null=True,
        blank=True,
        help_text="Если документ-основание устанавливает свой срок регистрации.",
        validators=[PlannedEvent("Срок по документу")],
    )
    family_name = models.CharField(
        "семья", max_length=200, help_text="Как названа в обращении, например: семья Ивановых"
    )
    family_address = models.CharField("адрес семьи", max_length=500, blank=True)
    children = models.TextField(
        "дети", blank=True, help_text="ФИО и возраст детей, если известны, по одному в строке."
    )
    content = models.TextField("содержание обращения")
    registered_on = models.DateField(
        "дата регистрации",
        null=True,
        blank=True,
        editable=False,
        validators=[PastEvent("Дата регистрации")],
    )
    year = models.PositiveSmallIntegerField("год регистрации", null=True, editable=False)
    number = models.PositiveIntegerField("регистрационный номер", null=True, editable=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="зарегистрировал",
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="+",
    )
    case = models.ForeignKey(
        "PatronageCase",
        verbose_name="патронаж",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="appeals",
    )
    search_text = models.TextField("строка поиска", blank=True, editable=False)

    objects = AppealQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "обращение"
        verbose_name_plural = "обращения"
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "number"],
                name="appeal_number_unique_per_year",
                violation_error_message="Такой регистрационный номер в этом году уже есть.",
            ),
            models.CheckConstraint(
                name="appeal_registered_not_before_received",
                condition=models.Q(registered_on__isnull=True)
                | models.Q(registered_on__gte=models.F("received_on")),
                violation_error_message="Обращение не может быть зарегистрировано до поступления.",
            ),
        ]
        indexes = [
            models.Index(fields=["channel", "received_on"], name="appeal_journal"),
            # the list, newest first, read from the index up to its page
            models.Index(
                fields=["received_on", "id"],
                condition=models.Q(archived_at__isnull=True),
                name="appeal_list",
            ),
            # the unregistered ones: the overdue count and list (P2, P3)
            models.Index(
                fields=["received_on", "id"],
                condition=models.Q(archived_at__isnull=True, registered_on__isnull=True),
                name="appeal_unregistered",
            ),
            # the deadline register: the unregistered and the lately registered (P2, P3)
            models.Index(
                fields=["registered_on"],
                condition=models.Q(archived_at__isnull=True),
                name="appeal_registered",
            ),
            # the deadline register: a case's first registered appeal (P4), one row by index
            models.Index(
                fields=["case", "registered_on"],
                condition=models.Q(registered_on__isnull=False),
                name="appeal_case_registered",
            ),
            # the ones that can be overdue or late, read whole by `registration_counts`
            models.Index(
                fields=["received_on", "registered_on", "basis_due"],
                condition=MAY_BE_LATE,
                name="appeal_may_be_late",
            ),
        ]

    def __str__(self) -> str:
        label = f"№ {self.registration_number}" if self.number else "без номера"
        return f"Обращение {label} от {self.received_on:%d.%m.%Y}"

    def get_absolute_url(self) -> str:
        return record_url("patronage:appeal_detail", self.pk)

    def save(self, *args: object, **kwargs: object) -> None:
        # A derived column, not workflow: the normalised text the appeals list searches.
        self.search_text = self.build_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def build_search_text(self) -> str:
        parts = [self.family_name, self.family_address, self.children, self.sender, self.content]
        return normalise_search(" ".join(p for p in parts if p))

    @property
    def registration_number(self) -> str:
        """«15/2026»."""
        return f"{self.number}/{self.year}" if self.number else ""

    @property
    def registration_due(self) -> date:
        """The last day to register the appeal (P2, P3).

        Received on a working day: 3 calendar days counted from the next day, a last day off
        moving to the next working day (P2). Received on a non-working day: the 3 following
        working days (P3) — or the term the basis document sets, when it sets one (P3).
        """
        if self.basis_due is not None:
            return self.basis_due
        if calendar.is_working_day(self.received_on):
            return calendar.term_end(self.received_on, REGISTRATION_DAYS)
        return calendar.add_working_days(self.received_on, REGISTRATION_DAYS)

    @property
    def is_registered(self) -> bool:
        return self.registered_on is not None

    @property
    def registration(self) -> Registration:
        """The term and where the registration stands today, the term counted once (a list
        shows all of it for each row)."""
        return Registration(self.registration_due, self.registered_on)

    @property
    def registered_late(self) -> bool:
        """Registered, but after its term."""
        return self.registration.late

    @property
    def registration_overdue(self) -> bool:
        """Not registered yet, and the term has passed."""
        return self.registration.overdue

    @property
    def registration_days_late(self) -> int:
        return self.registration.days_late

    @property
    def is_by_phone(self) -> bool:
        """From the journal of phone calls (P5)."""
        return self.channel == Channel.PHONE


class CaseQuerySet(ScopedQuerySet["PatronageCase"]):
    department_lookup = "family__department"

    def open(self) -> CaseQuerySet:
        return self.filter(closed_on__isnull=True)


class PatronageCase(TimeStampedModel, ArchivableModel):
    """A family under social patronage with its assigned specialist (P6)."""

    family = models.ForeignKey(
        Family, verbose_name="семья", on_delete=models.PROTECT, related_name="patronage_cases"
    )
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="закреплённый специалист",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="patronage_cases",
    )
    opened_on = models.DateField("дата открытия", validators=[PastEvent("Дата открытия")])
    closed_on = models.DateField(
        "дата закрытия", null=True, blank=True, validators=[PastEvent("Дата закрытия")]
    )
    closing_reason = models.CharField("основание закрытия", max_length=300, blank=True)

    objects = CaseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "социальный патронаж семьи"
        verbose_name_plural = "социальный патронаж семей"
        ordering = ["-opened_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["family"],
                condition=models.Q(closed_on__isnull=True),
                name="patronage_one_open_case_per_family",
                violation_error_message="У этой семьи уже есть открытый патронаж.",
            ),
        ]
        indexes = [
            # The open and recently closed cases of the deadline register (P4).
            models.Index(
                fields=["closed_on"],
                condition=models.Q(archived_at__isnull=True),
                name="case_closed",
            ),
        ]
        permissions = [
            ("open_case", "Открытие патронажа и закрепление специалиста"),
            ("review_visit", "Проверка записей о патронаже"),
        ]

    def __str__(self) -> str:
        return f"Патронаж: {self.family}"

    def get_absolute_url(self) -> str:
        return record_url("patronage:case_detail", self.pk)

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    # P4: the wait from registration to the first visit. The values below read the first dates
    # of the appeals when the query annotated them (`patronage.selectors.cases_for`) and the
    # visits when a list prefetched them, so a list page stays at a fixed number of queries.
    @property
    def wait_started_on(self) -> date | None:
        if "first_registered_on" in self.__dict__:
            return self.__dict__["first_registered_on"]
        dates = [a.registered_on for a in self.appeals.all() if a.registered_on]
        return min(dates) if dates else None

    @property
    def received_on(self) -> date | None:
        """P4: the day the first appeal of the case was received (before its registration)."""
        if "first_received_on" in self.__dict__:
            return self.__dict__["first_received_on"]
        dates = [a.received_on for a in self.appeals.all()]
        return min(dates) if dates else None

    @property
    def wait_days_from_receipt(self) -> int | None:
        """P4 shown from the receipt as well: receipt to the first visit (or today)."""
        start = self.received_on
        if start is None:
            return None
        end = self.first_visit_on or timezone.localdate()
        return max(0, (end - start).days)

    @property
    def first_visit_on(self) -> date | None:
        dates = [
            v.visited_on
            for v in self.visits.all()
            if v.status == VisitStatus.COMPLETED and v.visited_on
        ]
        return min(dates) if dates else None

    @property
    def first_visit_due(self) -> date | None:
        """P4: the first visit is due within 4 days of registration (art. 191, 193 of the Civil
        Code: counted from the next day, a last day off moving to the next working day)."""
        start = self.wait_started_on
        return calendar.term_end(start, FIRST_VISIT_MAX_DAYS) if start else None

    @property
    def wait_days(self) -> int | None:
        start = self.wait_started_on
        if start is None:
            return None
        end = self.first_visit_on or timezone.localdate()
        return max(0, (end - start).days)

    @property
    def wait_overdue(self) -> bool:
        """The first visit came after the P4 norm, or has not come and the norm has passed."""
        due = self.first_visit_due
        if due is None:
            return False
        first = self.first_visit_on
        return (first or timezone.localdate()) > due


class VisitKind(models.TextChoices):
    PRIMARY = "primary", "Первичный патронаж"
    PLANNED = "planned", "Плановый (повторный) патронаж"


class VisitStatus(models.TextChoices):
    PLANNED = "planned", "Запланирован"
    COMPLETED = "completed", "Проведён"
    CANCELLED = "cancelled", "Отменён"


class Method(models.TextChoices):
    """P7: methods that define the problem field."""

    OBSERVATION = "observation", "Наблюдение"
    CONVERSATION = "conversation", "Беседа"
    ORAL_SURVEY = "oral_survey", "Устный опрос"
    QUESTIONNAIRE = "questionnaire", "Анкетирование"
    DOCUMENTS = "documents", "Анализ документации"
    COUNSELLING = "counselling", "Консультирование"
    HOUSING = "housing", "Обследование жилищно-бытовых условий и условий воспитания"


class Problem(models.TextChoices):
    """P7: the kinds of problems explained to the family."""

    ECONOMIC = "economic", "Экономические"
    PSYCHOLOGICAL = "psychological", "Психологические"
    PEDAGOGICAL = "pedagogical", "Педагогические"
    MEDICAL = "medical", "Медицинские"
    LEGAL = "legal", "Правовые"


class Effectiveness(models.TextChoices):
    """P10: how effective the preventive work is."""

    EFFECTIVE = "effective", "Эффективна: положительная динамика"
    PARTLY = "partly", "Частично эффективна"
    NOT_EFFECTIVE = "not_effective", "Неэффективна: динамики нет"


class ReviewStatus(models.TextChoices):
    PENDING = "pending", "Не проверен"
    ACCEPTED = "accepted", "Принят"
    REMARKS = "remarks", "Есть замечания"


def _labels(choices: type[models.TextChoices], values: list[str] | None) -> list[str]:
    known = dict(choices.choices)
    return [str(known.get(v, v)) for v in values or []]


class VisitQuerySet(ScopedQuerySet["Visit"]):
    department_lookup = "case__family__department"


class Visit(TimeStampedModel, ArchivableModel):
    """One home visit: primary (P7) or planned/repeat (P10)."""

    case = models.ForeignKey(
        PatronageCase, verbose_name="патронаж", on_delete=models.PROTECT, related_name="visits"
    )
    kind = models.CharField("вид патронажа", max_length=10, choices=VisitKind.choices)
    status = models.CharField(
        "состояние", max_length=10, choices=VisitStatus.choices, default=VisitStatus.PLANNED
    )
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="специалист",
        on_delete=models.PROTECT,
        related_name="patronage_visits",
    )
    planned_on = models.DateField(
        "планируемая дата", null=True, blank=True, validators=[PlannedEvent("Планируемая дата")]
    )
    purpose = models.TextField(
        "цель посещения", blank=True, help_text="Для планового патронажа обязательна."
    )
    visited_on = models.DateField(
        "дата посещения", null=True, blank=True, validators=[PastEvent("Дата посещения")]
    )
    # P7: the steps of the SOP.
    documents_prepared = models.BooleanField(
        "собрана информация о семье, подготовлен пакет документов", default=False
    )
    contact_established = models.BooleanField(
        "установлен контакт, прояснена ситуация", default=False
    )
    methods = models.JSONField("методы", default=list, blank=True)
    problems = models.JSONField("выявленные проблемы", default=list, blank=True)
    explanation = models.TextField(
        "разъяснение сути проблем, прав и возможностей, путей решения", blank=True
    )
    consultations = models.TextField("беседы, консультации", blank=True)
    # P10: the effectiveness of the preventive work.
    effectiveness = models.CharField(
        "эффективность профилактической работы",
        max_length=15,
        choices=Effectiveness.choices,
        blank=True,
    )
    effectiveness_comment = models.TextField("оценка эффективности: пояснение", blank=True)
    # P8: minutes spent.
    minutes_preparation = models.PositiveSmallIntegerField(
        "подготовка и путь до адреса, мин", null=True, blank=True
    )
    minutes_work = models.PositiveSmallIntegerField("работа с клиентом, мин", null=True, blank=True)
    minutes_completion = models.PositiveSmallIntegerField(
        "завершение (оформление акта), мин", null=True, blank=True
    )
    completed_at = models.DateTimeField("проведён (запись)", null=True, editable=False)
    # P13: the head's review.
    review_status = models.CharField(
        "проверка", max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    review_remarks = models.TextField("замечания заведующего", blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="проверил",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("проверено", null=True, blank=True, editable=False)

    objects = VisitQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "патронажное посещение"
        verbose_name_plural = "патронажные посещения"
        ordering = ["-visited_on", "-planned_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="visit_planned_has_purpose",
                condition=~models.Q(kind="planned") | ~models.Q(purpose=""),
                violation_error_message="У планового патронажа должна быть цель посещения.",
            ),
            models.CheckConstraint(
                name="visit_completed_has_date",
                condition=~models.Q(status="completed") | models.Q(visited_on__isnull=False),
                violation_error_message="У проведённого посещения должна быть дата.",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "review_status"], name="visit_status_review"),
            # The recently reviewed visits of the deadline register (P13).
            models.Index(fields=["reviewed_at"], name="visit_reviewed"),
        ]

    def __str__(self) -> str:
        when = self.visited_on or self.planned_on
        return f"{self.get_kind_display()} {when:%d.%m.%Y}" if when else self.get_kind_display()

    def get_absolute_url(self) -> str:
        return record_url("patronage:visit_detail", self.pk)

    @property
    def is_completed(self) -> bool:
        return self.status == VisitStatus.COMPLETED

    @property
    def date(self) -> date | None:
        return self.visited_on or self.planned_on

    @property
    def method_labels(self) -> list[str]:
        return _labels(Method, self.methods)

    @property
    def problem_labels(self) -> list[str]:
        return _labels(Problem, self.problems)

    @property
    def time_overruns(self) -> list[str]:
        """P8: the stages over their norm, as «работа с клиентом: 55 мин при норме 40»."""
        stages = [
            ("подготовка и путь", self.minutes_preparation, NORM_PREPARATION),
            ("работа с клиентом", self.minutes_work, NORM_WORK),
            ("завершение", self.minutes_completion, NORM_COMPLETION),
        ]
        return [
            f"{label}: {spent} мин при норме до {norm}"
            for label, spent, norm in stages
            if spent is not None and spent > norm
        ]

    @property
    def total_minutes(self) -> int:
        return sum(
            m or 0 for m in (self.minutes_preparation, self.minutes_work, self.minutes_completion)
        )

    @property
    def is_overdue(self) -> bool:
        """A planned visit whose date has passed without a record."""
        return (
            self.status == VisitStatus.PLANNED
            and self.planned_on is not None
            and self.planned_on < timezone.localdate()
        )

    @property
    def is_repeat(self) -> bool:
        """A planned (repeat) visit, which states its purpose (P10)."""
        return self.kind == VisitKind.PLANNED

    @property
    def is_accepted(self) -> bool:
        return self.review_status == ReviewStatus.ACCEPTED

    @property
    def has_remarks(self) -> bool:
        return self.review_status == ReviewStatus.REMARKS


class ActKind(models.TextChoices):
    """P9: the document a visit ends with."""

    HOUSING = "housing", "Акт обследования жилищно-бытовых условий"
    PATRONAGE = "patronage", "Акт социального патронажа"
    REPORT = "report", "Отчёт о патронаже"


class DwellingType(models.TextChoices):
    APARTMENT = "apartment", "Отдельная квартира"
    HOUSE = "house", "Частный дом"
    SHARED = "shared", "Комната в коммунальной квартире"
    DORMITORY = "dormitory", "Комната в общежитии"
    OTHER = "other", "Иное"


class Ownership(models.TextChoices):
    OWN = "own", "Собственность"
    SOCIAL_RENT = "social_rent", "Социальный наём"
    RENT = "rent", "Коммерческий наём (аренда)"
    RELATIVES = "relatives", "Проживают у родственников"
    OTHER = "other", "Иное"


class Amenity(models.TextChoices):
    ELECTRICITY = "electricity", "Электроснабжение"
    COLD_WATER = "cold_water", "Холодное водоснабжение"
    HOT_WATER = "hot_water", "Горячее водоснабжение"
    SEWERAGE = "sewerage", "Канализация"
    CENTRAL_HEATING = "central_heating", "Центральное отопление"
    STOVE_HEATING = "stove_heating", "Печное отопление"
    GAS = "gas", "Газ"
    BATHROOM = "bathroom", "Ванная (душ)"


class SanitaryState(models.TextChoices):
    GOOD = "good", "Хорошее"
    SATISFACTORY = "satisfactory", "Удовлетворительное"
    UNSATISFACTORY = "unsatisfactory", "Неудовлетворительное"


class ActQuerySet(ScopedQuerySet["VisitAct"]):
    department_lookup = "visit__case__family__department"


class VisitAct(TimeStampedModel):
    """The one document of a completed visit (P9). The housing act follows the usual structure
    of an «акт обследования жилищно-бытовых условий»; the other two documents use the summary
    and the conclusion."""

    visit = models.OneToOneField(
        Visit, verbose_name="посещение", on_delete=models.PROTECT, related_name="act"
    )
    kind = models.CharField("документ", max_length=10, choices=ActKind.choices)
    present = models.CharField(
        "присутствовали при посещении",
        max_length=500,
        blank=True,
        help_text="Кто из членов семьи был дома.",
    )
    present_representatives = models.ManyToManyField(
        "recipients.Representative",
        verbose_name="законные представители, присутствовавшие при посещении",
        related_name="+",
        blank=True,
        help_text="Только они названы в документе «в присутствии» и расписываются в ознакомлении.",
    )
    # The housing-conditions inspection.
    dwelling_type = models.CharField(
        "вид жилого помещения", max_length=10, choices=DwellingType.choices, blank=True
    )
    ownership = models.CharField(
        "право пользования жильём", max_length=12, choices=Ownership.choices, blank=True
    )
    area = models.DecimalField(
        "общая площадь, м²",
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    rooms = models.PositiveSmallIntegerField("количество комнат", null=True, blank=True)
    amenities = models.JSONField("благоустройство", default=list, blank=True)
    sanitary_state = models.CharField(
        "санитарное состояние", max_length=15, choices=SanitaryState.choices, blank=True
    )
    sanitary_notes = models.TextField("санитарное состояние: подробно", blank=True)
    sleeping_place = models.TextField("спальное место ребёнка", blank=True)
    study_place = models.TextField("место для занятий ребёнка", blank=True)
    clothing = models.TextField("обеспеченность одеждой и обувью по сезону", blank=True)
    food = models.TextField("питание, наличие продуктов", blank=True)
    relations = models.TextField("взаимоотношения в семье", blank=True)
    # Every document.
    summary = models.TextField(
        "ход посещения и выявленная ситуация",
        blank=True,
        help_text="Для акта социального патронажа и отчёта о патронаже.",
    )
    conclusion = models.TextField("заключение (выводы)")

    objects = ActQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[present_representatives])

    class Meta:
        verbose_name = "документ посещения"
        verbose_name_plural = "документы посещений"
        constraints = [
            models.CheckConstraint(
                name="visit_act_area_not_negative",
                condition=models.Q(area__isnull=True) | models.Q(area__gte=0),
                violation_error_message="Площадь не может быть отрицательной.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.visit})"

    @property
    def amenity_labels(self) -> list[str]:
        return _labels(Amenity, self.amenities)

    @property
    def is_housing_act(self) -> bool:
        return self.kind == ActKind.HOUSING

    @property
    def is_patronage_act(self) -> bool:
        return self.kind == ActKind.PATRONAGE


class RecommendationStatus(models.TextChoices):
    OPEN = "open", "Не проверена"
    FULFILLED = "fulfilled", "Выполнена"
    PARTLY = "partly", "Выполнена частично"
    NOT_FULFILLED = "not_fulfilled", "Не выполнена"


# Outcomes a repeat visit may record (P10).
CHECK_OUTCOMES = [
    (RecommendationStatus.FULFILLED.value, RecommendationStatus.FULFILLED.label),
    (RecommendationStatus.PARTLY.value, RecommendationStatus.PARTLY.label),
    (RecommendationStatus.NOT_FULFILLED.value, RecommendationStatus.NOT_FULFILLED.label),
]


class RecommendationQuerySet(ScopedQuerySet["Recommendation"]):
    department_lookup = "case__family__department"

    def pending(self) -> RecommendationQuerySet:
        """Still to be checked: never checked, or not (fully) fulfilled at the last check."""
        return self.exclude(status=RecommendationStatus.FULFILLED)  # type: ignore[misc]  # annotated


def latest_check_outcome() -> Coalesce:
    """SQL: the outcome of a recommendation's latest check, «не проверена» without one."""
    latest = (
        RecommendationCheck.objects.filter(recommendation=OuterRef("pk"))
        .order_by("-visit__visited_on", "-pk")
        .values("outcome")[:1]
    )
    return Coalesce(
        Subquery(latest), Value(RecommendationStatus.OPEN.value), output_field=models.CharField()
    )


class RecommendationManager(models.Manager.from_queryset(RecommendationQuerySet)):  # type: ignore[misc]
    """Every read carries `status`, derived in SQL from the latest check (filter and sort by
    it like a column)."""

    def get_queryset(self) -> RecommendationQuerySet:
        return super().get_queryset().annotate(status=latest_check_outcome())


class Recommendation(TimeStampedModel):
    """A recommendation given at a visit (P7, P10). `status` is the outcome of its latest check
    (`RecommendationCheck`), derived, not stored: annotated by the manager, computed by the
    property for an instance read otherwise."""

    case = models.ForeignKey(
        PatronageCase,
        verbose_name="патронаж",
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    visit = models.ForeignKey(
        Visit,
        verbose_name="дана при посещении",
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    text = models.TextField("рекомендация")
    due_on = models.DateField(
        "срок выполнения", null=True, blank=True, validators=[PlannedEvent("Срок выполнения")]
    )
    objects = RecommendationManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "рекомендация"
        verbose_name_plural = "рекомендации"
        ordering = ["visit__visited_on", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    def clean(self) -> None:
        given = self.visit.visited_on if self.visit_id else None
        errors = term_errors(
            given, self.due_on, end_field="due_on", message="Срок выполнения раньше посещения."
        )
        if errors:
            raise ValidationError(errors)

    @property
    def status(self) -> str:
        if "_status" in self.__dict__:
            return str(self.__dict__["_status"])
        if self.pk is None:
            return RecommendationStatus.OPEN.value
        latest = (
            self.checks.order_by("-visit__visited_on", "-pk")
            .values_list("outcome", flat=True)
            .first()
        )
        return latest or RecommendationStatus.OPEN.value

    @status.setter
    def status(self, value: str) -> None:  # the manager's annotation
        self.__dict__["_status"] = value

    def get_status_display(self) -> str:
        return str(RecommendationStatus(self.status).label)

    def refresh_from_db(self, *args: Any, **kwargs: Any) -> None:
        self.__dict__.pop("_status", None)
        super().refresh_from_db(*args, **kwargs)

    @property
    def is_unchecked(self) -> bool:
        return self.status == RecommendationStatus.OPEN

    @property
    def is_fulfilled(self) -> bool:
        return self.status == RecommendationStatus.FULFILLED

    @property
    def is_partly_fulfilled(self) -> bool:
        return self.status == RecommendationStatus.PARTLY


class CheckQuerySet(ScopedQuerySet["RecommendationCheck"]):
    department_lookup = "recommendation__case__family__department"


class RecommendationCheck(TimeStampedModel):
    """P10: at a repeat visit, whether an earlier recommendation was fulfilled."""

    recommendation = models.ForeignKey(
        Recommendation,
        verbose_name="рекомендация",
        on_delete=models.PROTECT,
        related_name="checks",
    )
    visit = models.ForeignKey(
        Visit,
        verbose_name="проверена при посещении",
        on_delete=models.PROTECT,
        related_name="recommendation_checks",
    )
    outcome = models.CharField("выполнение", max_length=15, choices=CHECK_OUTCOMES)
    comment = models.TextField("комментарий", blank=True)

    objects = CheckQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "проверка выполнения рекомендации"
        verbose_name_plural = "проверки выполнения рекомендаций"
        ordering = ["visit__visited_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "visit"], name="recommendation_checked_once_per_visit"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recommendation}: {self.get_outcome_display()}"
