"""Reads of the services app: «Мой день», the journal, compliance with the programme (O18, O29).

Every function takes querysets already scoped by the caller (`visible_to(user)`) and runs a
fixed number of queries however many children, lines or records there are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache, cached_property, lru_cache
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    FilteredRelation,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.base import ModelState
from django.db.models.functions import Coalesce, Greatest

from organisation import calendar, statements, text
from organisation.models import Role
from recipients.models import Recipient, normalise_search
from services.models import (
    IndividualProgramme,
    Per,
    ProgrammeLine,
    RecordStatus,
    Service,
    ServiceForm,
    ServiceRecord,
)

# ---------------------------------------------------------------------------------------------
# Spans a frequency norm counts in


def week_start(d: date) -> date:
    return d - timedelta(days=d.weekday())


def month_start(d: date) -> date:
    return d.replace(day=1)


def month_end(d: date) -> date:
    nxt = (d.replace(day=28) + timedelta(days=4)).replace(day=1)
    return nxt - timedelta(days=1)


def span_of(per: str, d: date, line: ProgrammeLine) -> tuple[date, date | None]:
    """The bucket of a norm that contains day `d`: the day, its week, its month, or the
    line's whole term (its end may be open for a permanent programme)."""
    if per == Per.DAY:
        return d, d
    if per == Per.WEEK:
        return week_start(d), week_start(d) + timedelta(days=6)
    if per == Per.MONTH:
        return month_start(d), month_end(d)
    return line.start(), line.end()


def _working_days(start: date, end: date) -> int:
    return calendar.working_days_between(start - timedelta(days=1), end)


# ---------------------------------------------------------------------------------------------
# «Мой день»

# What «Мой день» shows of a service: its code, its readable name and its usual duration
# (`display_name` reads the parent's name, `default_minutes` the two bounds) and whether it is
# a group one. A page holds a hundred lines of three dozen services: each service is read once,
# these columns only.
DAY_SERVICE_FIELDS = ("code", "name", "form", "min_minutes", "max_minutes", "parent__name")


# `DAY_SERVICE_FIELDS` of the service itself, in the order of the model's columns (as
# `Model.from_db` takes them)
_DAY_SERVICE_COLUMNS = tuple(
    f.attname
    for f in Service._meta.concrete_fields
    if f.attname in {"id", "code", "name", "form", "min_minutes", "max_minutes", "parent_id"}
)


def day_services(ids: Iterable[int]) -> dict[int, Service]:
    """The services of `ids`, by id, with the columns «Мой день» shows (`DAY_SERVICE_FIELDS`,
    the others deferred as `.only()` leaves them): read as columns, by SQL built once per
    number of services (`organisation.statements.rows`)."""
    wanted = sorted(set(ids))

    def services(of: list[int]) -> QuerySet[Any]:
        return (
            Service.objects.filter(pk__in=of)
            .order_by()
            .values_list(*_DAY_SERVICE_COLUMNS, "parent__name")
        )

    db = connection.alias
    result = {}
    for *columns, parent_name in statements.rows(("services",), services, wanted):
        service = Service.from_db(db, _DAY_SERVICE_COLUMNS, columns)
        if service.parent_id is not None:
            service.parent = Service.from_db(db, ("id", "name"), (service.parent_id, parent_name))
        result[service.pk] = service
    return result


@dataclass(frozen=True, slots=True)
class DayLine:
    """A line of the ИППСУ in force as «Мой день» shows it: its columns, not the model (a page
    holds a hundred of them)."""

    pk: int
    recipient_id: int
    service: Service
    count: int
    per: str
    starts_on: date  # `ProgrammeLine.start()`: the later of the line's and the programme's

    @property
    def service_id(self) -> int:
        return self.service.pk


@dataclass
class PlannedToday:
    line: DayLine
    done_today: int
    done_in_span: int

    @property
    def service(self) -> Service:
        return self.line.service

    @property
    def needed_in_span(self) -> int:
        return self.line.count

    @property
    def is_done(self) -> bool:
        return self.done_in_span >= self.line.count

    @property
    def span_label(self) -> str:
        return {
            Per.DAY: "сегодня",
            Per.WEEK: "на этой неделе",
            Per.MONTH: "в этом месяце",
            Per.PERIOD: "за период",
        }[Per(self.line.per)]

    @property
    def is_group(self) -> bool:
        return self.line.service.form == ServiceForm.GROUP


@dataclass
class ChildDay:
    recipient: Recipient
    planned: list[PlannedToday]
    records: list[ServiceRecord]

    @property
    def open_count(self) -> int:
        return sum(1 for p in self.planned if not p.is_done)


# What «Мой день» shows of today's records: the code of the service, the time, and what the
# undo asks (the author, the source, the time of the mark).
_TODAY_FIELDS = (
    "pk",
    "recipient_id",
    "service_id",
    "start_time",
    "created_by_id",
    "source",
    "created_at",
)

# What «Мой день» shows of a child: the short name and the age.
DAY_CHILD_FIELDS = ("last_name", "first_name", "patronymic", "birth_date")


def _with_done(in_force: QuerySet[ProgrammeLine], day: date) -> QuerySet[ProgrammeLine]:
    """`in_force` with, for each line, `done`: the child's delivered services of the line's
    service in the span of its norm that holds `day` (the day, its week, its month, or the term
    — counted, as `child_days` does, from the earliest start of the «once per period» lines of
    `in_force`). Each line is joined to those records (by the index on the done records'
    child, service and date) and grouped: one statement, not a subquery per line. (For the
    twenty children of a page, `child_days`' query of counts costs less Python.)"""
    line_start = Greatest(Coalesce("valid_from", "programme__valid_from"), "programme__valid_from")
    period_since = (  # a subquery the database reads once
        in_force.filter(per=Per.PERIOD)
        .order_by()
        .values("per")
        .annotate(since=Min(line_start))
        .values("since")
    )
    span_start = Case(
        When(per=Per.DAY, then=Value(day)),
        When(per=Per.WEEK, then=Value(week_start(day))),
        When(per=Per.MONTH, then=Value(month_start(day))),
        default=Coalesce(Subquery(period_since, output_field=DateField()), Value(day)),
        output_field=DateField(),
    )
    return in_force.alias(
        span=FilteredRelation(
            "service__records",
            condition=Q(
                service__records__recipient_id=F("programme__recipient_id"),
                service__records__status=RecordStatus.DONE,
                service__records__date__gte=span_start,
                service__records__date__lte=day,
            ),
        )
    ).annotate(done=Count("span"))


def child_days(
    children: list[Recipient], day: date, services: QuerySet[Service] | list[int] | None = None
) -> list[ChildDay]:
    """`children` (already read, in their order) with the services their programmes plan on
    `day` and what is logged: four queries (lines, today's records, their services, counts
    per span; one more when a line's norm is «once per period»), each reading only the columns
    shown. `services` (or their ids), when given, keeps only what this specialist gives."""
    ids = [c.pk for c in children]
    if services is None:
        services_key: tuple[Any, ...] | None = ("every",)
    else:
        services_key = tuple(services) if isinstance(services, list) else None

    def lines(of: list[int]) -> QuerySet[Any]:
        in_force = ProgrammeLine.objects.in_force_on(day).filter(programme__recipient_id__in=of)
        if services is not None:
            in_force = in_force.filter(service__in=services)
        return in_force.order_by("service__category__position", "service__position").values_list(
            "pk",
            "programme__recipient_id",
            "service_id",
            "count",
            "per",
            "valid_from",
            "programme__valid_from",
        )

    def today(of: list[int]) -> QuerySet[Any]:
        return (
            ServiceRecord.objects.filter(recipient_id__in=of, date=day, status=RecordStatus.DONE)
            .order_by("start_time", "pk")
            .values_list(*_TODAY_FIELDS)
        )

    since = min(month_start(day), week_start(day))

    def counts(of: list[int]) -> QuerySet[Any]:
        return (
            ServiceRecord.objects.filter(
                recipient_id__in=of, status=RecordStatus.DONE, date__gte=since, date__lte=day
            )
            .values("recipient_id", "service_id")
            .annotate(
                n_day=Count("pk", filter=Q(date=day)),
                n_week=Count("pk", filter=Q(date__gte=week_start(day))),
                n_month=Count("pk", filter=Q(date__gte=month_start(day))),
            )
            .values_list("recipient_id", "service_id", "n_day", "n_week", "n_month")
        )

    rows = statements.rows(
        None if services_key is None else ("lines", day, services_key), lines, ids
    )
    todays = [
        ServiceRecord(**dict(zip(_TODAY_FIELDS, row, strict=True)))
        for row in statements.rows(("today", day), today, ids)
    ]
    by_pk = day_services({row[2] for row in rows} | {r.service_id for r in todays})
    lines_by_child: dict[int, list[DayLine]] = defaultdict(list)
    for pk, child_id, service_id, count, per, line_from, programme_from in rows:
        start = programme_from if line_from is None else max(line_from, programme_from)
        line = DayLine(pk, child_id, by_pk[service_id], count, per, start)
        lines_by_child[child_id].append(line)
    records_by_child: dict[int, list[ServiceRecord]] = defaultdict(list)
    for r in todays:
        r.service = by_pk[r.service_id]
        assert r.recipient_id is not None
        records_by_child[r.recipient_id].append(r)
    by_key: dict[tuple[int, int], Any] = {
        (child_id, service_id): {"n_day": n_day, "n_week": n_week, "n_month": n_month}
        for child_id, service_id, n_day, n_week, n_month in statements.rows(
            ("counts", day), counts, ids
        )
    }
    # «once per period» norms count over the whole term: only for the services that have one
    period_lines = [
        line for lines in lines_by_child.values() for line in lines if line.per == Per.PERIOD
    ]
    n_period: dict[tuple[int, int], int] = {}
    if period_lines:
        n_period = {
            (c["recipient_id"], c["service_id"]): c["n"]
            for c in ServiceRecord.objects.filter(
                recipient_id__in={line.recipient_id for line in period_lines},
                service_id__in={line.service_id for line in period_lines},
                status=RecordStatus.DONE,
                date__gte=min(line.starts_on for line in period_lines),
                date__lte=day,
            )
            .values("recipient_id", "service_id")
            .annotate(n=Count("pk"))
        }
    result = []
    for child in children:
        planned = []
        for line in lines_by_child.get(child.pk, []):
            c = by_key.get((child.pk, line.service_id), {})
            n_span = {
                Per.DAY: c.get("n_day", 0),
                Per.WEEK: c.get("n_week", 0),
                Per.MONTH: c.get("n_month", 0),
                Per.PERIOD: n_period.get((child.pk, line.service_id), 0),
            }[Per(line.per)]
            planned.append(PlannedToday(line, c.get("n_day", 0), n_span))
        result.append(ChildDay(child, planned, records_by_child.get(child.pk, [])))
    return result


def my_day(
    recipients: QuerySet[Recipient], day: date, services: QuerySet[Service] | None = None
) -> list[ChildDay]:
    """Children enrolled on `day`, each with the services their programmes plan and what is
    logged (`child_days`): one query more for the children. `recipients` is already cut to one
    page; `services`, when given, keeps only what this specialist gives."""
    children = list(
        recipients.enrolled(day)  # type: ignore[attr-defined]
        .filter(archived_at__isnull=True)
        .only(*DAY_CHILD_FIELDS)
        .order_by("last_name", "first_name", "pk")
    )
    return child_days(children, day, services)


@dataclass(frozen=True)
class DayCounts:
    children: int
    open: int
    logged: int


def _counts_statement(
    recipients: QuerySet[Recipient], day: date, service_ids: list[int] | None
) -> tuple[str, tuple[Any, ...]]:
    """The SQL of `my_day_counts`' three figures, one statement of three counts: built by the
    ORM (the lines' join to their records, a CASE and a subquery, cost more Python than the
    database's answer) for `_counts_sql_of_shape` to keep."""
    children = recipients.enrolled(day).filter(archived_at__isnull=True)  # type: ignore[attr-defined]
    # the children by a subquery, not their ids: a department's few hundred ids were most of
    # the Python time (each a parameter bound and parsed, twice in the count of open lines);
    # the lines are joined to their records below, so PostgreSQL reads the scope's children
    # first whichever way they are given
    in_force = ProgrammeLine.objects.in_force_on(day).filter(
        programme__recipient__in=children.values("pk")
    )
    if service_ids is not None:
        # the few dozen ids, not a subquery: with the catalogue's provider rules in a subquery
        # PostgreSQL expects one service and reads every line of them before the programmes
        in_force = in_force.filter(service_id__in=service_ids)
    open_lines = (
        _with_done(in_force, day)
        .order_by()
        .filter(done__lt=F("count"))  # type: ignore[misc]  # `done`: the annotation
        .values("pk")
    )
    logged = ServiceRecord.objects.filter(
        date=day, status=RecordStatus.DONE, recipient__in=children.values("pk")
    ).values("pk")
    parts = [q.order_by().query.sql_with_params() for q in (children.values("pk"), open_lines)]
    parts.append(logged.order_by().query.sql_with_params())
    sql = "SELECT " + ", ".join(
        f"(SELECT COUNT(*) FROM ({part}) AS counted_{i})" for i, (part, _) in enumerate(parts)
    )
    return sql, tuple(p for _, params in parts for p in params)


def my_day_counts(
    recipients: QuerySet[Recipient], day: date, services: QuerySet[Service] | None = None
) -> DayCounts:
    """The figures of `my_day` over the whole scope, counted by the database (one query for the
    services' ids, one for the figures): the children enrolled on `day`, the lines in force
    whose norm is not yet met in its span (the day, week, month, or the term), and the
    services logged today. The figures' statement is built once per shape
    (`organisation.statements.kept`): it depends on nothing but the scope's own SQL, the day and
    the services."""
    ids = None if services is None else list(services.order_by().values_list("pk", flat=True))
    scope_sql, scope_params = recipients.query.sql_with_params()
    key = (
        "day counts",
        scope_sql,
        tuple(scope_params),
        day,
        None if ids is None else tuple(ids),
    )
    statement = statements.kept(key, lambda: _counts_statement(recipients, day, ids))
    with connection.cursor() as cursor:
        cursor.execute(*statement)
        children, open_lines, logged = cursor.fetchone()
    return DayCounts(children=children, open=open_lines, logged=logged)


def services_given_by(user: Any) -> QuerySet[Service] | None:
    """The catalogue services this specialist gives — the provider rules of the catalogue (O31:
    the positions of each row and, where the row asks, the education), the same rule as
    `services.eligibility.may_provide` — or None for a head or the director, who look at the
    whole department (the caller then shows every service)."""
    if getattr(user, "role", None) != Role.SPECIALIST:
        return None
    return Service.objects.leaves().providable_by(user)


def day_children(
    recipients: QuerySet[Recipient],
    day: date,
    *,
    services: QuerySet[Service] | list[int] | None = None,
    or_having: Exists | None = None,
    q: str = "",
) -> QuerySet[Recipient]:
    """The children of a specialist's day, in SQL: enrolled on `day`, not archived, with a line
    in force of one of `services` (every child of the scope when None) — or with what
    `or_having` asks (an app above adds its own work, e.g. the ИПСРН's activities) — matching
    the words of `q` by surname, name, patronymic or family name (case and «ё» folded).
    `services` may be given as their ids."""
    qs = recipients.enrolled(day).filter(archived_at__isnull=True)  # type: ignore[attr-defined]
    if services is not None:
        lines = ProgrammeLine.objects.in_force_on(day).filter(
            programme__recipient=OuterRef("pk"),
            # the ids, not a subquery: see `my_day_counts`
            service_id__in=services
            if isinstance(services, list)
            else list(services.values_list("pk", flat=True)),
            # Or'ed with `or_having`, the EXISTS is read once into a hash of the children who
            # have such a line: of the day's children only, not of every child of the centre
            programme__recipient__in=qs.values("pk"),
        )
        qs = qs.filter(Exists(lines) | or_having if or_having is not None else Exists(lines))
    for word in normalise_search(q).split():
        qs = qs.filter(search_text__contains=word)
    return qs.order_by("last_name", "first_name", "pk")


# ---------------------------------------------------------------------------------------------
# Compliance: planned against delivered (O18, O29)


@dataclass
class NormCheck:
    """One span of a norm: e.g. the week 02.11–08.11 of «не реже 3 раз в неделю»."""

    start: date
    end: date | None
    planned: int
    delivered: int
    complete: bool  # the span is over (or the period ends within it): a shortfall is final

    @property
    def shortfall(self) -> int:
        return max(0, self.planned - self.delivered) if self.complete else 0

    @property
    def label(self) -> str:
        if self.end is None:
            return f"с {text.ru_date(self.start)}"
        if self.start == self.end:
            return text.ru_date(self.start)
        return f"{text.ru_date(self.start)}–{text.ru_date(self.end)}"


@dataclass
class LineCompliance:
    """A line's spans, checked (`check_line` returns it complete); the sums are taken once,
    the pages read them several times."""

    line: ProgrammeLine
    checks: list[NormCheck] = field(default_factory=list)

    @cached_property
    def planned(self) -> int:
        return sum(c.planned for c in self.checks)

    @cached_property
    def delivered(self) -> int:
        return sum(c.delivered for c in self.checks)

    @cached_property
    def shortfalls(self) -> list[NormCheck]:
        return [c for c in self.checks if c.shortfall]

    @cached_property
    def missing(self) -> int:
        return sum(c.shortfall for c in self.shortfalls)


@dataclass
class RecipientCompliance:
    """A child's lines, checked (`check_line`, complete when this is made); the sums are
    taken once, a page reads them several times."""

    recipient: Recipient
    lines: list[LineCompliance]

    @cached_property
    def shortfalls(self) -> list[tuple[LineCompliance, NormCheck]]:
        return [(lc, c) for lc in self.lines for c in lc.shortfalls]

    @cached_property
    def planned(self) -> int:
        return sum(lc.planned for lc in self.lines)

    @cached_property
    def delivered(self) -> int:
        return sum(lc.delivered for lc in self.lines)


@lru_cache(maxsize=4096)
def _spans(per: str, start: date, end: date) -> tuple[tuple[date, date], ...]:
    """The calendar spans of a norm (days, weeks, months) that meet [start, end]: the same for
    every line of a page, so computed once."""
    spans = []
    d = start
    while d <= end:
        if per == Per.DAY:
            s, e = d, d
        elif per == Per.WEEK:
            s = week_start(d)
            e = s + timedelta(days=6)
        else:
            s, e = month_start(d), month_end(d)
        spans.append((s, e))
        d = e + timedelta(days=1)
    return tuple(spans)


def check_line(
    line: ProgrammeLine,
    recipient: Recipient,
    start: date,
    end: date,
    today: date,
    delivered_on: dict[date, int],
    working_days: Callable[[date, date], int] = _working_days,
) -> LineCompliance:
    """Every span of the line's norm within [start, end]: the days, weeks or months of the
    period, or the line's whole term for «не реже 1 раза за период обслуживания».

    A norm is checked on the child's working days in service: a day off or a day before
    enrolment plans nothing; a span cut by the edges of the term plans a share of the norm in
    proportion to its working days (rounded down)."""
    result = LineCompliance(line)
    line_start, line_end = line.start(), line.end()
    stay_start = recipient.first_day_of_stay or line_start
    stay_end = recipient.discharged_on
    lo = max(start, line_start, stay_start)
    hi_candidates = [end] + [d for d in (line_end, stay_end) if d is not None]
    hi = min(hi_candidates)
    if line.per == Per.PERIOD:
        term_start = max(line_start, stay_start)
        ends = [d for d in (line_end, stay_end) if d is not None]
        term_end = min(ends) if ends else None
        if term_start > end or (term_end is not None and term_end < start):
            return result
        delivered = sum(
            n
            for d, n in delivered_on.items()
            if d >= term_start and (term_end is None or d <= term_end)
        )
        complete = term_end is not None and term_end <= end and term_end < today
        result.checks.append(NormCheck(term_start, term_end, line.count, delivered, complete))
        return result
    if lo > hi:
        return result
    for s, e in _spans(line.per, lo, hi):
        part_s, part_e = max(s, lo), min(e, hi)
        full_days = working_days(s, e)
        part_days = working_days(part_s, part_e)
        if part_days == 0:
            continue
        planned = line.count if part_days == full_days else line.count * part_days // full_days
        if planned == 0:
            continue
        delivered = sum(n for d, n in delivered_on.items() if part_s <= d <= part_e)
        complete = part_e < today and (e <= hi or part_e == hi)
        result.checks.append(NormCheck(part_s, part_e, planned, delivered, complete))
    return result


def in_service(recipients: QuerySet[Recipient], start: date, end: date) -> QuerySet[Recipient]:
    """The children in service at some day of [start, end], in the order of their names."""
    return (
        recipients.filter(first_day_of_stay__isnull=False, first_day_of_stay__lte=end)
        .filter(Q(discharged_on__isnull=True) | Q(discharged_on__gte=start))
        .order_by("last_name", "first_name", "pk")
    )


def compliance(
    recipients: QuerySet[Recipient],
    start: date,
    end: date,
    today: date,
    *,
    counts_only: bool = False,
) -> list[RecipientCompliance]:
    """Planned against delivered for each recipient over [start, end] (O18): every norm of
    every programme line checked (O29). Three or four queries whatever the number of
    children. `counts_only`: for a summary of the figures, the lines are read without their
    services' names (a department's month is thousands of lines)."""
    children = list(in_service(recipients, start, end))
    return compliance_of(children, start, end, today, counts_only=counts_only)


@cache
def _shown_lines_sql(vendor: str) -> str:
    """The SQL of `_shown_lines`, `{ids}` standing for the children's placeholders: the
    lines of the children's programmes (not archived) in force at some day of the period,
    with what the pages show of a line (the service's code and name, `display_name`, and the
    norm) and what `check_line` reads of it, in the order of the catalogue. Written out: the
    ORM's building and compiling of it cost more than the database's answer."""
    q = connection.ops.quote_name

    def col(model: type[Any], alias: str, name: str) -> str:
        return f"{alias}.{q(model._meta.get_field(name).column)}"

    line, programme, service = ProgrammeLine, IndividualProgramme, Service
    category = Service._meta.get_field("category").related_model
    columns = ", ".join(
        [
            *(
                col(line, "l", f)
                for f in (
                    "id",
                    "programme",
                    "service",
                    "count",
                    "per",
                    "valid_from",
                    "valid_until",
                    "refused_on",
                )
            ),
            *(col(programme, "p", f) for f in ("recipient", "valid_from", "valid_until")),
            *(col(service, "s", f) for f in ("parent", "code", "name")),
            col(service, "g", "name"),
        ]
    )
    return (
        f"SELECT {columns} FROM {q(line._meta.db_table)} l"
        f" INNER JOIN {q(programme._meta.db_table)} p"
        f" ON {col(line, 'l', 'programme')} = {col(programme, 'p', 'id')}"
        f" INNER JOIN {q(service._meta.db_table)} s"
        f" ON {col(line, 'l', 'service')} = {col(service, 's', 'id')}"
        f" INNER JOIN {q(category._meta.db_table)} c"
        f" ON {col(service, 's', 'category')} = {col(category, 'c', 'id')}"
        f" LEFT OUTER JOIN {q(service._meta.db_table)} g"
        f" ON {col(service, 's', 'parent')} = {col(service, 'g', 'id')}"
        f" WHERE {col(programme, 'p', 'archived_at')} IS NULL"
        f" AND {col(programme, 'p', 'recipient')} IN ({{ids}})"
        f" AND {col(programme, 'p', 'valid_from')} <= %s"
        f" AND ({col(programme, 'p', 'valid_until')} IS NULL"
        f" OR {col(programme, 'p', 'valid_until')} >= %s)"
        f" ORDER BY {col(category, 'c', 'position')}, {col(service, 's', 'position')}"
    )


def _loaded(model: type[Any], db: str, attrs: dict[str, Any]) -> Any:
    """An instance of `model` as read from `db` with the columns `attrs` (by attname), the
    others deferred — what `Model.from_db` makes of an `.only()` row, without `Model.__init__`
    walking every field of the model (a page makes a few hundred of these; the models of
    compliance have no init signals)."""
    obj = object.__new__(model)
    obj.__dict__.update(attrs)
    state = obj._state = ModelState()
    state.adding = False
    state.db = db
    return obj


def _shown_lines(ids: list[int], start: date, end: date) -> list[ProgrammeLine]:
    """The lines of the children `ids` in force at some day of [start, end] (as
    `compliance_of` reads them), in the order of the catalogue, with their programmes and
    services (and the services' groups, for their names) read by the same query: each
    programme, service and group made once (a page of children has hundreds of lines of a few
    dozen services), as deferred instances of the columns read, as `.only()` gives them."""
    if not ids:
        return []
    db = connection.alias
    # as select_related and prefetch_related keep a related instance (no checks of assignment)
    set_programme = ProgrammeLine.programme.field.set_cached_value
    set_service = ProgrammeLine.service.field.set_cached_value
    set_parent = Service.parent.field.set_cached_value
    programmes: dict[int, IndividualProgramme] = {}
    services: dict[int, Service] = {}
    parents: dict[int, Service] = {}
    lines = []
    sql = _shown_lines_sql(connection.vendor).format(ids=", ".join(["%s"] * len(ids)))
    with connection.cursor() as cursor:
        cursor.execute(sql, [*ids, end, start])
        rows = cursor.fetchall()
    for (
        pk,
        programme_id,
        service_id,
        count,
        per,
        valid_from,
        valid_until,
        refused_on,
        recipient_id,
        programme_from,
        programme_until,
        parent_id,
        code,
        name,
        parent_name,
    ) in rows:
        programme = programmes.get(programme_id)
        if programme is None:
            programme = programmes[programme_id] = _loaded(
                IndividualProgramme,
                db,
                {
                    "id": programme_id,
                    "recipient_id": recipient_id,
                    "valid_from": programme_from,
                    "valid_until": programme_until,
                },
            )
        service = services.get(service_id)
        if service is None:
            service = services[service_id] = _loaded(
                Service, db, {"id": service_id, "parent_id": parent_id, "code": code, "name": name}
            )
            parent = None
            if parent_id is not None:
                parent = parents.get(parent_id)
                if parent is None:
                    parent = parents[parent_id] = _loaded(
                        Service, db, {"id": parent_id, "name": parent_name}
                    )
            set_parent(service, parent)
        line = _loaded(
            ProgrammeLine,
            db,
            {
                "id": pk,
                "programme_id": programme_id,
                "service_id": service_id,
                "count": count,
                "per": per,
                "valid_from": valid_from,
                "valid_until": valid_until,
                "refused_on": refused_on,
            },
        )
        set_programme(line, programme)
        set_service(line, service)
        lines.append(line)
    return lines


def compliance_of(
    children: list[Recipient],
    start: date,
    end: date,
    today: date,
    *,
    counts_only: bool = False,
) -> list[RecipientCompliance]:
    """`compliance` of children already read (in service in the period, in the order of the
    page, with their `first_day_of_stay` and `discharged_on`): two or three queries."""
    ids = [c.pk for c in children]
    lines: list[ProgrammeLine]
    if counts_only:
        # the lines of `_shown_lines`, without the services' names
        lines_qs = (
            ProgrammeLine.objects.filter(
                programme__recipient_id__in=ids, programme__archived_at__isnull=True
            )
            .filter(programme__valid_from__lte=end)
            .filter(Q(programme__valid_until__isnull=True) | Q(programme__valid_until__gte=start))
        )
        lines_qs = lines_qs.select_related("programme").only(
            "count",
            "per",
            "valid_from",
            "valid_until",
            "refused_on",
            "service_id",
            "programme__recipient_id",
            "programme__valid_from",
            "programme__valid_until",
        )
        lines = list(lines_qs)
    else:
        lines = _shown_lines(ids, start, end)
    delivered: dict[tuple[int, int], dict[date, int]] = defaultdict(dict)
    base = ServiceRecord.objects.filter(
        recipient_id__in=ids, status=RecordStatus.DONE, date__lte=end
    ).values("recipient_id", "service_id", "date")
    # the spans of daily, weekly and monthly norms lie inside the period; a «once per period»
    # norm counts over the line's whole term, so only its services are read from its start
    period_lines = [line for line in lines if line.per == Per.PERIOD]
    queries = [base.filter(date__gte=start)]
    if period_lines:
        queries = [
            base.filter(date__gte=start).exclude(
                service_id__in={line.service_id for line in period_lines}
            ),
            base.filter(
                service_id__in={line.service_id for line in period_lines},
                date__gte=min([start] + [line.start() for line in period_lines]),
            ),
        ]
    for query in queries:
        for recipient_id, service_id, day, n in query.annotate(n=Count("pk")).values_list(
            "recipient_id", "service_id", "date", "n"
        ):
            delivered[(recipient_id, service_id)][day] = n
    by_child: dict[int, list[ProgrammeLine]] = defaultdict(list)
    for line in lines:
        by_child[line.programme.recipient_id].append(line)
    # every child's weeks and months are the same spans: count their working days once
    working_days = cache(_working_days)
    return [
        RecipientCompliance(
            child,
            [
                check_line(
                    line,
                    child,
                    start,
                    end,
                    today,
                    delivered[(child.pk, line.service_id)],
                    working_days,
                )
                for line in by_child.get(child.pk, [])
            ],
        )
        for child in children
    ]


def individual_programmes_for(recipient: Recipient) -> QuerySet[IndividualProgramme]:
    return recipient.service_programmes.filter(archived_at__isnull=True).prefetch_related(
        Prefetch(
            "lines",
            queryset=ProgrammeLine.objects.select_related("service__parent", "service__category"),
        )
    )
