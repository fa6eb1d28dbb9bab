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
