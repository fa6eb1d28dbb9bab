"""The share of each regulation deadline met on time in a period (P2/P3, P4, P13, O15, O16, O19).

An item counts in a period when its due date falls in it and it is either done or already past
due (an item still within its term is not yet a result). It is met on time when it was done on or
before the due date. Due dates follow the same rules as the deadline register, computed in the
database over the working-day table (`organisation.calendar_sql`): one aggregate query per rule
(two for O19) returns the two counts, whatever the number of items; nothing is read into Python.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    DateField,
    Exists,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Least, TruncDate
from django.utils import timezone

from consilium.models import Decision, DecisionKind
from organisation import calendar_sql
from patronage.deadlines import VisitReview
from patronage.models import (
    FIRST_VISIT_MAX_DAYS,
    REGISTRATION_DAYS,
    Appeal,
    PatronageCase,
    ReviewStatus,
    Visit,
    VisitStatus,
)
from recipients.models import Recipient
from rehab_programs.models import (
    PRIMARY_DIAGNOSTICS_WORKING_DAYS,
    PROGRAMME_WORKING_DAYS,
    REVISION_MONTHS,
    ProgrammeVersion,
    RehabProgramme,
    VersionStatus,
)
from rehab_programs.selectors import primary_results_on
from reports.stats.periods import Period
from reports.stats.selectors import Scope

# How far before the period an item's start may lie for its due date to fall in the period:
# the longest term in days (10 working days across the New Year holidays) with a margin.
LEAD_DAYS = 31

Counts = tuple[int, int]  # (on time, total)


@dataclass(frozen=True)
class Share:
    code: str
    label: str
    rules: str
    on_time: int
    total: int
    url_name: str

    @property
    def percent(self) -> int | None:
        return round(100 * self.on_time / self.total) if self.total else None


class QuarterAfter(Func):
    """`start` plus REVISION_MONTHS months as a term of the Civil Code (art. 192): the same date,
    or the last day of the month that has no such date (30 November → 28/29 February)."""

    output_field = DateField()

    def as_sql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:  # type: ignore[override]
        return super().as_sql(
            compiler,
            connection,
            template=f"CAST((%(expressions)s + INTERVAL '{REVISION_MONTHS} months') AS date)",
            **extra_context,
        )

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        # date(d, '+3 months') runs over into the next month when the day does not exist;
        # the month's last day is the smaller of the two. The date appears twice, so do its
        # parameters.
        sql, params = compiler.compile(self.get_source_expressions()[0])
        months = REVISION_MONTHS
        return (
            f"min(date({sql}, '+{months} months'), "
            f"date({sql}, 'start of month', '+{months + 1} months', '-1 day'))",
            [*params, *params],
        )


class Earlier(Func):
    """The earlier of two dates, either of which may be NULL (PostgreSQL's LEAST ignores NULLs;
    SQLite's MIN of several arguments does not, so there each side falls back on the other)."""

    function = "LEAST"
    output_field = DateField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        a, b = self.get_source_expressions()
        # through the compiler, so that Least itself is written as SQLite's MIN
        return compiler.compile(Least(Coalesce(a, b), Coalesce(b, a)))


def _counts(qs: QuerySet[Any], period: Period, today: date, *, ended: bool = False) -> Counts:
    """On time and total of a queryset annotated with `due` and `done`, in one aggregate over
    it as a derived table, so that each item's due date is computed once (an aggregate filter
    on the annotations would repeat their subqueries). With `ended`, the queryset also has
    `start` and `stay_end`: an item not done whose stay ended between its start and its due date
    was not due, and is left out."""
    fields = ["due", "done", *(["start", "stay_end"] if ended else [])]
    sql, params = qs.order_by().values(*fields).query.sql_with_params()
    counted = "t.due >= %s AND t.due <= %s"
    if ended:
        counted += (
            " AND NOT (t.done IS NULL AND t.stay_end IS NOT NULL"
            " AND t.stay_end >= t.start AND t.stay_end <= t.due)"
        )
    # OFFSET 0 keeps PostgreSQL from pulling the derived table up into the aggregate, which
    # would copy each due date's subqueries into every CASE that names it (seven times).
    fence = " OFFSET 0" if connection.vendor == "postgresql" else ""
    query = (
        f"SELECT COALESCE(SUM(CASE WHEN {counted} AND (t.done IS NOT NULL OR t.due < %s) "
        "THEN 1 ELSE 0 END), 0), "
        f"COALESCE(SUM(CASE WHEN {counted} AND t.done <= t.due THEN 1 ELSE 0 END), 0) "
        f"FROM ({sql}{fence}) t"
    )
    with connection.cursor() as cursor:
        # the outer placeholders come first in the text, the derived table's last
        cursor.execute(query, [period.start, period.end, today, period.start, period.end, *params])
        total, on_time = cursor.fetchone()
    return int(on_time), int(total)


def _since(period: Period) -> date:
    return period.start - timedelta(days=LEAD_DAYS)


def _appeal_registration(scope: Scope, period: Period, today: date) -> Counts:
    """P2, P3: the basis document's term, else 3 days (received on a working day) or the 3
    following working days (received on a day off)."""
    qs = (
        scope.qs(Appeal)
        .filter(
            archived_at__isnull=True, received_on__gte=_since(period), received_on__lte=period.end
        )
        .annotate(
            received_working=calendar_sql.is_working_day("received_on"),
            due=Case(
                When(basis_due__isnull=False, then=F("basis_due")),
                When(
                    received_working=True,
                    then=calendar_sql.term_end("received_on", REGISTRATION_DAYS),
                ),
                default=calendar_sql.add_working_days("received_on", REGISTRATION_DAYS),
                output_field=DateField(),
            ),
            done=F("registered_on"),
        )
    )
    return _counts(qs, period, today)


def _first_in(qs: QuerySet[Any], field: str) -> Subquery:
    return Subquery(qs.order_by(field).values(field)[:1], output_field=DateField())


def _first_visit(scope: Scope, period: Period, today: date) -> Counts:
    """P4: the first visit within 4 days of the registration of the case's first appeal."""
    qs = (
        scope.qs(PatronageCase)
        .filter(archived_at__isnull=True)
        .annotate(
            started=_first_in(
                Appeal.objects.filter(case=OuterRef("pk"), registered_on__isnull=False),
                "registered_on",
            )
        )
        .filter(started__gte=_since(period), started__lte=period.end)
        .annotate(
            due=calendar_sql.term_end("started", FIRST_VISIT_MAX_DAYS),
            done=_first_in(
                Visit.objects.filter(
                    case=OuterRef("pk"),
                    status=VisitStatus.COMPLETED,
                    visited_on__isnull=False,
                ),
                "visited_on",
            ),
        )
    )
    return _counts(qs, period, today)


def _visit_review(scope: Scope, period: Period, today: date) -> Counts:
    """P13: the head reviews a completed visit's record within its working days."""
    qs = (
        scope.qs(Visit)
        .filter(status=VisitStatus.COMPLETED)
        .annotate(completed_on=TruncDate("completed_at"))
        .filter(completed_on__gte=_since(period), completed_on__lte=period.end)
        .annotate(
            due=calendar_sql.add_working_days("completed_on", VisitReview.working_days),
            done=Case(
                When(
                    ~Q(review_status=ReviewStatus.PENDING) & Q(reviewed_at__isnull=False),
                    then=TruncDate("reviewed_at"),
                ),
                default=Value(None, output_field=DateField()),
                output_field=DateField(),
            ),
        )
    )
    return _counts(qs, period, today)


def _primary_diagnostics(scope: Scope, period: Period, today: date) -> Counts:
    """O15: the 10th working day after the first day of stay."""
    qs = (
        scope.qs(Recipient)
        .filter(first_day_of_stay__gte=_since(period), first_day_of_stay__lte=period.end)
        .annotate(
            due=calendar_sql.add_working_days(
                "first_day_of_stay", PRIMARY_DIAGNOSTICS_WORKING_DAYS
            ),
            done=primary_results_on(),
        )
    )
    return _counts(qs, period, today)


def _programme(scope: Scope, period: Period, today: date) -> Counts:
    """O16: the 10th working day after the primary diagnostics' results."""
    qs = (
        scope.qs(Recipient)
        .filter(first_day_of_stay__isnull=False)
        .annotate(primary_on=primary_results_on())
        .filter(primary_on__gte=_since(period), primary_on__lte=period.end)
        .annotate(
            due=calendar_sql.add_working_days("primary_on", PROGRAMME_WORKING_DAYS),
            done=_first_in(
                RehabProgramme.objects.filter(
                    recipient=OuterRef("pk"),
                    archived_at__isnull=True,
                    drawn_up_on__gte=OuterRef("first_day_of_stay"),
                ),
                "drawn_up_on",
            ),
        )
    )
    return _counts(qs, period, today)


def _quarterly_revision(scope: Scope, period: Period, today: date) -> Counts:
    """O19: each approval or «continue» review of a minor's ИПСРН starts a quarter; the next one
    (of either kind) ends it. The last one is open until the next review — unless the stay
    ended within that quarter: then no revision was due. Two aggregates: the quarters started
    by approvals, and those started by reviews on a day with no approval."""
    since = period.start - timedelta(days=3 * 31 + LEAD_DAYS)

    def next_event() -> Any:
        after = OuterRef("start")
        version = _first_in(
            ProgrammeVersion.objects.filter(
                status=VersionStatus.APPROVED,
                programme__recipient=OuterRef("rid"),
                protocol_date__gt=after,
            ),
            "protocol_date",
        )
        review = _first_in(
            Decision.objects.filter(
                kind=DecisionKind.CONTINUE,
                item__recipient=OuterRef("rid"),
                item__meeting__held_on__gt=after,
            ),
            "item__meeting__held_on",
        )
        return Earlier(version, review)

    def count(qs: QuerySet[Any], left: str) -> Counts:
        qs = qs.annotate(
            done=next_event(),
            due=calendar_sql.next_working_day(QuarterAfter(OuterRef("start"))),
            stay_end=F(left),
        )
        return _counts(qs, period, today, ended=True)

    versions = (
        scope.qs(ProgrammeVersion)
        .filter(status=VersionStatus.APPROVED, protocol_date__gte=since)
        .annotate(rid=F("programme__recipient"), start=F("protocol_date"))
    )
    reviews = (
        scope.qs(Decision)
        .filter(kind=DecisionKind.CONTINUE, item__meeting__held_on__gte=since)
        .annotate(rid=F("item__recipient"), start=F("item__meeting__held_on"))
        .exclude(
            Exists(
                ProgrammeVersion.objects.filter(
                    status=VersionStatus.APPROVED,
                    programme__recipient=OuterRef("rid"),
                    protocol_date=OuterRef("start"),
                )
            )
        )
    )
    a = count(versions, "programme__recipient__discharged_on")
    b = count(reviews, "item__recipient__discharged_on")
    return a[0] + b[0], a[1] + b[1]


RULES: list[tuple[str, str, str, Callable[[Scope, Period, date], Counts], str]] = [
    ("appeal_registration", "Регистрация обращения", "P2, P3", _appeal_registration,
     "patronage:appeal_list"),
    ("first_visit", "Первичный патронаж (1–4 дня)", "P4", _first_visit, "patronage:case_list"),
    ("visit_review", "Проверка записи о патронаже", "P13", _visit_review, "patronage:review_list"),
    ("primary_diagnostics", "Первичная диагностика (10 рабочих дней)", "O15",
     _primary_diagnostics, "rehab_programs:list"),
    ("programme", "Разработка ИПСРН (10 рабочих дней)", "O16", _programme, "rehab_programs:list"),
    ("revision", "Пересмотр ИПСРН раз в квартал", "O19", _quarterly_revision,
     "rehab_programs:list"),
]  # fmt: skip


def shares(scope: Scope, period: Period, *, today: date | None = None) -> list[Share]:
    today = today or timezone.localdate()
    result = []
    for code, label, rules, counts, url_name in RULES:
        on_time, total = counts(scope, period, today)
        result.append(Share(code, label, rules, on_time, total, url_name))
    return result
