"""The working-day calendar as SQL expressions over `organisation.WorkingDay`.

The same terms as `organisation.calendar`, computed where the data is, so a page can filter,
sort and paginate by a due date in the database. Each function takes the date it counts from
as a field name of the outer query (or an expression built on `OuterRef`) and returns a
`Subquery` giving a date: for example

    Appeal.objects.annotate(due=calendar_sql.term_end("received_on", 3)).filter(due__lt=today)

A term that leaves the table's years (`calendar.TABLE_FIRST`..`TABLE_LAST`) gives NULL.
"""

from __future__ import annotations

from typing import Any

from django.db.models import DateField, Exists, Expression, F, Func, OuterRef, Subquery

from organisation.models import WorkingDay


def _outer(start: str | Expression | F) -> Any:
    if isinstance(start, str):
        return OuterRef(start)
    if isinstance(start, F) and not isinstance(start, OuterRef):
        return OuterRef(getattr(start, "name"))  # noqa: B009 - the stubs omit F.name
    return start


class AddDays(Func):
    """`date + n` calendar days, a date on PostgreSQL and SQLite alike."""

    output_field = DateField()

    def __init__(self, expression: Any, days: int, **extra: Any) -> None:
        self.days = int(days)
        super().__init__(expression, **extra)

    def as_sql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:  # type: ignore[override]
        return super().as_sql(
            compiler, connection, template=f"(%(expressions)s + {self.days})", **extra_context
        )

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return super().as_sql(
            compiler,
            connection,
            template=f"date(%(expressions)s, '{self.days:+d} days')",
            **extra_context,
        )


def is_working_day(day: str | Expression | F) -> Exists:
    return Exists(WorkingDay.objects.filter(date=_outer(day), is_working=True))


def next_working_day(day: str | Expression | F) -> Subquery:
    """`day` itself when it is a working day, otherwise the first working day after it."""
    return Subquery(
        WorkingDay.objects.filter(is_working=True, date__gte=_outer(day))
        .order_by("date")
        .values("date")[:1],
        output_field=DateField(),
    )


def add_working_days(day: str | Expression | F, n: int) -> Any:
    """The n-th working day after `day` (`day` itself not counted); n = 0 gives `day`."""
    if n < 0:
        raise ValueError("n must not be negative")
    if n == 0:
        return F(day) if isinstance(day, str) else day
    return Subquery(
        WorkingDay.objects.filter(is_working=True, date__gt=_outer(day))
        .order_by("date")
        .values("date")[n - 1 : n],
        output_field=DateField(),
    )


def term_end(start: str | Expression | F, days: int) -> Subquery:
    """Art. 191 and 193 of the Civil Code: `start + days`, moved to the next working day."""
    if days < 0:
        raise ValueError("days must not be negative")
    return next_working_day(AddDays(_outer(start), days))


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
