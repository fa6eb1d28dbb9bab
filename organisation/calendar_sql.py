"""The working-day calendar as SQL expressions over `organisation.WorkingDay`.

The same terms as `organisation.calendar`, computed where the data is, so a page can filter,
sort and paginate by a due date in the database. Each function takes the date it counts from
as a field name of the query (or an expression of its fields) and returns a scalar subquery
giving a date, found by index through the running number of working days: for example

    Appeal.objects.annotate(due=calendar_sql.term_end("received_on", 3)).filter(due__lt=today)

A term that leaves the table's years (`calendar.TABLE_FIRST`..`TABLE_LAST`) gives NULL.
"""

from __future__ import annotations

from typing import Any

from django.db.models import DateField, Exists, Expression, F, Func, OuterRef

from organisation.models import WorkingDay


def _outer(start: str | Expression | F) -> Any:
    if isinstance(start, str):
        return OuterRef(start)
    if isinstance(start, F) and not isinstance(start, OuterRef):
        return OuterRef(getattr(start, "name"))  # noqa: B009 - the stubs omit F.name
    return start


def add_days_sql(sql: str, days: int, vendor: str) -> str:
    """The SQL text of `sql` (a date) + `days` calendar days: `AddDays` for SQL written out."""
    if vendor == "sqlite":
        return f"date({sql}, '{int(days):+d} days')"
    return f"({sql} + {int(days)})"


class AddDays(Func):
    """`date + n` calendar days, a date on PostgreSQL and SQLite alike."""

    output_field = DateField()

    def __init__(self, expression: Any, days: int, **extra: Any) -> None:
        self.days = int(days)
        super().__init__(expression, **extra)

    def as_sql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:  # type: ignore[override]
        template = add_days_sql("%(expressions)s", self.days, connection.vendor)
        return super().as_sql(compiler, connection, template=template, **extra_context)


def is_working_day(day: str | Expression | F) -> Exists:
    return Exists(WorkingDay.objects.filter(date=_outer(day), is_working=True))


def _here(day: str | Expression | F) -> Any:
    """`day` as an expression of the query the term is annotated on: a field name, or an
    expression whose `OuterRef`s (written for the former subqueries over the table) name that
    query's own fields."""
    if isinstance(day, str):
        return F(day)
    if isinstance(day, OuterRef):
        return F(getattr(day, "name"))  # noqa: B009 - the stubs omit F.name
    if isinstance(day, F) or not hasattr(day, "get_source_expressions"):
        return day
    copy = day.copy()
    copy.set_source_expressions([_here(e) for e in day.get_source_expressions()])
    return copy


def _names(connection: Any) -> tuple[str, str, str, str]:
    q = connection.ops.quote_name
    return q(WorkingDay._meta.db_table), q("number"), q("is_working"), q("date")


def _on_or_after(row: str, connection: Any) -> str:
    """SQL: the working day on or after the day of the working-day row `row` — that day, or
    (one more lookup, for a day off only) the working day numbered one more."""
    table, number, working, on = _names(connection)
    return (
        f"CASE WHEN {row}.{working} THEN {row}.{on} ELSE (SELECT wd_next.{on} FROM {table} wd_next"
        f" WHERE wd_next.{number} = {row}.{number} + 1 AND wd_next.{working}) END"
    )


class _WorkingDayBy(Func):
    """A working day found by its running number: lookups by index (the day's row by its
    date, the working day by its number), never a scan of the table in date order. On
    PostgreSQL this costs about a third of the former `ORDER BY date LIMIT 1 OFFSET n`
    subquery per row, which the deadline register runs for every open item.

    `after` = n: the n-th working day after the day (number + n); `after` = None: the day
    itself when it is a working day (one lookup), else the next one (number + 1 for a day
    off)."""

    output_field = DateField()

    def __init__(self, expression: Any, after: int | None, **extra: Any) -> None:
        self.after = after
        super().__init__(expression, **extra)

    def as_sql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:  # type: ignore[override]
        day, params = compiler.compile(self.source_expressions[0])
        table, number, working, on = _names(connection)
        if self.after is None:
            sql = (
                f"(SELECT {_on_or_after('wd_from', connection)} FROM {table} wd_from"
                f" WHERE wd_from.{on} = {day})"
            )
        else:
            # nested lookups rather than a join inside the subquery: PostgreSQL runs them
            # with less work per row (no join node), about a fifth less per item
            sql = (
                f"(SELECT wd_to.{on} FROM {table} wd_to WHERE wd_to.{working}"
                f" AND wd_to.{number} = (SELECT wd_from.{number} + {int(self.after)}"
                f" FROM {table} wd_from WHERE wd_from.{on} = {day}))"
            )
        return sql, params


def next_working_day(day: str | Expression | F) -> Any:
    """`day` itself when it is a working day, otherwise the first working day after it."""
    return _WorkingDayBy(_here(day), None)


def add_working_days(day: str | Expression | F, n: int) -> Any:
    """The n-th working day after `day` (`day` itself not counted); n = 0 gives `day`."""
    if n < 0:
        raise ValueError("n must not be negative")
    if n == 0:
        return F(day) if isinstance(day, str) else day
    return _WorkingDayBy(_here(day), n)


def term_end(start: str | Expression | F, days: int) -> Any:
    """Art. 191 and 193 of the Civil Code: `start + days`, moved to the next working day."""
    if days < 0:
        raise ValueError("days must not be negative")
    return next_working_day(AddDays(_here(start), days))


class _TermOrWorkingDays(Func):
    """`term_end(day, n)` when `day` is a working day, `add_working_days(day, n)` when it is
    not, in one subquery of three lookups by index (two for a day off): from the running
    number N of working days up to and including a day, the former is the working day
    numbered N(day + n - 1) + 1, the latter the one numbered N(day) + n. No hash of the
    table's working days (as `Exists` of `is_working_day` gets on PostgreSQL, about a
    millisecond), and a short expression to compile."""

    output_field = DateField()

    def __init__(self, expression: Any, n: int, **extra: Any) -> None:
        self.n = int(n)
        super().__init__(expression, AddDays(expression, self.n - 1), **extra)

    def as_sql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:  # type: ignore[override]
        day, day_params = compiler.compile(self.source_expressions[0])
        ahead, ahead_params = compiler.compile(self.source_expressions[1])
        q = connection.ops.quote_name
        table = q(WorkingDay._meta.db_table)
        number, working, on = q("number"), q("is_working"), q("date")
        # nested lookups, not joins (see `_WorkingDayBy`); N(day + n - 1) is looked up only
        # for a working day
        sql = (
            f"(SELECT wd_to.{on} FROM {table} wd_to WHERE wd_to.{working}"
            f" AND wd_to.{number} = (SELECT CASE WHEN wd_day.{working}"
            f" THEN (SELECT wd_ahead.{number} FROM {table} wd_ahead WHERE wd_ahead.{on} = {ahead})"
            f" + 1 ELSE wd_day.{number} + {self.n} END"
            f" FROM {table} wd_day WHERE wd_day.{on} = {day}))"
        )
        return sql, [*ahead_params, *day_params]


def term_or_working_days(day: str | Expression | F, n: int) -> Any:
    """`term_end(day, n)` when `day` is a working day, else `add_working_days(day, n)`: a term
    of n calendar days that, begun on a day off, counts n working days instead (P3)."""
    if n < 1:
        raise ValueError("n must be positive")
    return _TermOrWorkingDays(_here(day), n)


class _DateShift(Func):
    """A date function whose SQL names its argument more than once (`{x}` in the templates)."""

    output_field = DateField()

    def __init__(self, expression: Any, amount: int, **extra: Any) -> None:
        self.amount = int(amount)
        super().__init__(expression, **extra)

    def postgresql(self) -> str:
        raise NotImplementedError

    def sqlite(self) -> str:
        raise NotImplementedError

    def _render(self, compiler: Any, template: str) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.source_expressions[0])
        count = template.count("{x}")
        return template.replace("{x}", f"({sql})"), list(params) * count

    def as_sql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:  # type: ignore[override]
        return self._render(compiler, self.postgresql())

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self._render(compiler, self.sqlite())


class AddYears(_DateShift):
    """The anniversary `years` after a date; 29 February gives 1 March in a common year (as
    `recipients.deadlines.anniversary`)."""

    def postgresql(self) -> str:
        # PostgreSQL clamps 29 February to the 28th; counting from the 28th and adding a day
        # gives the 29th in a leap year and 1 March otherwise.
        y = self.amount
        return (
            "(CASE WHEN EXTRACT(MONTH FROM {x}) = 2 AND EXTRACT(DAY FROM {x}) = 29"
            f" THEN ({{x}} - 1 + INTERVAL '{y} years')::date + 1"
            f" ELSE ({{x}} + INTERVAL '{y} years')::date END)"
        )

    def sqlite(self) -> str:
        # SQLite carries 29 February over to 1 March by itself.
        return f"date({{x}}, '{self.amount:+d} years')"


class AddMonths(_DateShift):
    """Art. 192 of the Civil Code: the same date `months` later, or the last day of that month
    when it has no such date (30 November + 3 months → 28/29 February)."""

    def postgresql(self) -> str:
        # PostgreSQL already clamps to the end of the month.
        return f"({{x}} + INTERVAL '{self.amount} months')::date"

    def sqlite(self) -> str:
        # SQLite overflows into the next month: take the earlier of that and the month's end.
        m = self.amount
        return (
            f"min(date({{x}}, '{m:+d} months'),"
            f" date({{x}}, 'start of month', '{m + 1:+d} months', '-1 day'))"
        )
