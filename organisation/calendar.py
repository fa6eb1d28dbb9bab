"""Working days of the Russian Federation and terms counted by the Civil Code.

Public API (other code and tests call exactly these):

- `is_working_day(d)`;
- `add_working_days(d, n)`: the n-th working day after `d` (`d` itself not counted);
- `term_end(start, days)`: a term of `days` calendar days per art. 191 and 193 of the Civil
  Code: counting starts the day after `start`; a last day that is not a working day moves to
  the next working day.

The same calendar is kept as a table the database can join (`organisation.WorkingDay`, every
day of `TABLE_FIRST`..`TABLE_LAST` with the running number of working days): `sync_days()` makes
it equal to `is_working_day`; it runs in the migration that creates it, whenever an administrator
changes a correction, and in the daily deadline job. `organisation.calendar_sql` turns the
functions below into SQL expressions over it.

A day's status comes, in this order, from an administrator's correction
(`organisation.CalendarDay`, editable in the admin or loaded for a whole year from the official
open-data file, see `organisation.calendar_files`), the built-in production calendar of the
decrees (`organisation.production_calendar`), and, for a year no decree here covers, the fixed
holidays of art. 112 of the Labour Code with its weekend rule. Such a year is not confirmed
(`is_confirmed_year`): its deadlines say so, and the calendar page and the daily job name it
(`years_needing_decree`) until the administrator loads it (`organisation.CalendarYear`).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from organisation import production_calendar as pc

# Art. 112 part 1 of the Labour Code: non-working public holidays (month, day).
FIXED_HOLIDAYS = frozenset(
    {(1, d) for d in range(1, 9)} | {(2, 23), (3, 8), (5, 1), (5, 9), (6, 12), (11, 4)}
)

# A term never looks further than this for a working day: a guard against a calendar
# corrupted into "no working days at all".
_MAX_SCAN_DAYS = 366


def _art112_days_off(year: int) -> frozenset[date]:
    """Days off of a year no decree here covers: the holidays of art. 112, with a holiday that
    falls on a weekend moving its day off to the next working day (not for 1–8 January)."""
    days: set[date] = {date(year, m, d) for m, d in FIXED_HOLIDAYS}
    for m, d in sorted(FIXED_HOLIDAYS):
        holiday = date(year, m, d)
        if m == 1 or holiday.weekday() < 5:
            continue
        moved = holiday + timedelta(days=1)
        while moved.weekday() >= 5 or moved in days:
            moved += timedelta(days=1)
        days.add(moved)
    return frozenset(days)


def _built_in_is_working(d: date) -> bool:
    if pc.FIRST_YEAR <= d.year <= pc.LAST_YEAR:
        if d in pc.WORKING_WEEKENDS.get(d.year, frozenset()):
            return True
        return d.weekday() < 5 and d not in pc.NON_WORKING_WEEKDAYS.get(d.year, frozenset())
    return d.weekday() < 5 and d not in _art112_days_off(d.year)


# Corrections are read once per year and process and kept for a few minutes, so a change made
# in the admin reaches every process (web, worker, beat) soon without a query per day counted.
_CACHE_SECONDS = 300
_cache: dict[int, tuple[float, dict[date, bool]]] = {}


def _overrides(year: int) -> dict[date, bool]:
    from organisation.models import CalendarDay

    cached = _cache.get(year)
    now = time.monotonic()
    if cached is None or now - cached[0] > _CACHE_SECONDS:
        days = dict(CalendarDay.objects.filter(date__year=year).values_list("date", "is_working"))
        cached = _cache[year] = (now, days)
    return cached[1]


_years_cache: dict[str, tuple[float, frozenset[int]]] = {}


def _loaded_years() -> frozenset[int]:
    from organisation.models import CalendarYear

    cached = _years_cache.get("years")
    now = time.monotonic()
    if cached is None or now - cached[0] > _CACHE_SECONDS:
        years = frozenset(CalendarYear.objects.values_list("year", flat=True))
        cached = _years_cache["years"] = (now, years)
    return cached[1]


def clear_cache() -> None:
    """Forget cached corrections (called when an administrator changes one, and by tests)."""
    _cache.clear()
    _years_cache.clear()


def is_confirmed_year(year: int) -> bool:
    """A year whose transfers of days off are known: built in from its decree, or loaded by the
    administrator from the official data (`CalendarYear`). Any other year is counted from the
    Labour Code alone, and its terms are provisional."""
    return year in pc.SOURCES or year in _loaded_years()


def unconfirmed_note(d: date | None) -> str:
    """What a deadline on `d` says when its year's calendar is not confirmed, else ""."""
    if d is None or is_confirmed_year(d.year):
        return ""
    return f"календарь на {d.year} год не подтверждён: срок рассчитан без постановления о переносе"


def years_needing_decree(today: date, dues: Iterable[date] = ()) -> list[int]:
    """The years the administrator should load the decree for: this year and the next, and the
    years of the given deadlines, where the calendar is not confirmed."""
    years = {today.year, today.year + 1} | {d.year for d in dues if d.year >= today.year}
    return sorted(y for y in years if not is_confirmed_year(y))


def built_in_is_working(d: date) -> bool:
    """The day's status without the administrator's corrections (the built-in calendar, or the
    Labour Code for other years): what a loaded year is stored against."""
    return _built_in_is_working(d)


def is_working_day(d: date) -> bool:
    override = _overrides(d.year).get(d)
    if override is not None:
        return override
    return _built_in_is_working(d)


def next_working_day(d: date) -> date:
    """`d` itself when it is a working day, otherwise the first working day after it."""
    for _ in range(_MAX_SCAN_DAYS):
        if is_working_day(d):
            return d
        d += timedelta(days=1)
    raise ValueError("В производственном календаре нет рабочих дней на год вперёд.")


def add_working_days(d: date, n: int) -> date:
    """The n-th working day after `d` (`d` itself not counted); n = 0 gives `d`."""
    if n < 0:
        raise ValueError("n must not be negative")
    current = d
    remaining = n
    scanned = 0
    while remaining:
        current += timedelta(days=1)
        scanned += 1
        if scanned > _MAX_SCAN_DAYS * max(1, n):
            raise ValueError("В производственном календаре нет рабочих дней.")
        if is_working_day(current):
            remaining -= 1
    return current


def term_end(start: date, days: int) -> date:
    """The last day of a term of `days` calendar days that begins with the event on `start`.

    Art. 191 of the Civil Code: counting starts the day after the event, so the last day is
    `start + days`. Art. 193: a last day that is not a working day moves to the next working day.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    return next_working_day(start + timedelta(days=days))


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when `end` <= `start`)."""
    count = 0
    d = start
    while d < end:
        d += timedelta(days=1)
        if is_working_day(d):
            count += 1
    return count


# ---------------------------------------------------------------------------------------------
# The table for SQL (organisation.WorkingDay)

TABLE_FIRST = date(2000, 1, 1)
TABLE_LAST = date(2045, 12, 31)


def table_days(
    corrections: Mapping[date, bool], first: date = TABLE_FIRST, last: date = TABLE_LAST
) -> Iterator[tuple[date, bool, int]]:
    """(date, is working, working days from `first` up to and including it) for every day."""
    number = 0
    d = first
    while d <= last:
        working = corrections.get(d)
        if working is None:
            working = _built_in_is_working(d)
        number += working
        yield d, working, number
        d += timedelta(days=1)


def sync_days() -> int:
    """Make the WorkingDay table equal to the calendar (built-in days and the corrections in
    the database). Few queries whatever changed: a changed day, then one UPDATE per run of days
    whose running number moves by the same amount. Returns the number of days changed."""
    from django.db import transaction
    from django.db.models import F

    from organisation.models import CalendarDay, WorkingDay

    clear_cache()
    with transaction.atomic():
        corrections = dict(CalendarDay.objects.values_list("date", "is_working"))
        current = {
            d: (w, n) for d, w, n in WorkingDay.objects.values_list("date", "is_working", "number")
        }
        missing: list[WorkingDay] = []
        flips: dict[bool, list[date]] = {True: [], False: []}
        shifts: list[tuple[date, date, int]] = []  # first, last, delta
        changed = 0
        for d, working, number in table_days(corrections):
            have = current.get(d)
            if have is None:
                missing.append(WorkingDay(date=d, is_working=working, number=number))
                changed += 1
                continue
            if have[0] != working:
                flips[working].append(d)
                changed += 1
            delta = number - have[1]
            if delta:
                if shifts and shifts[-1][2] == delta and shifts[-1][1] == d - timedelta(days=1):
                    shifts[-1] = (shifts[-1][0], d, delta)
                else:
                    shifts.append((d, d, delta))
        WorkingDay.objects.bulk_create(missing, batch_size=2000)
        for working, days in flips.items():
            for i in range(0, len(days), 500):
                WorkingDay.objects.filter(date__in=days[i : i + 500]).update(is_working=working)
        for first, last, delta in shifts:
            WorkingDay.objects.filter(date__range=(first, last)).update(number=F("number") + delta)
    return changed


# The year at a glance, for the administrator's page


@dataclass(frozen=True)
class DayCell:
    day: date
    is_working: bool
    is_weekend: bool  # Saturday or Sunday
    correction: str = ""  # the administrator's note when a correction decides the day

    @property
    def is_transfer(self) -> bool:
        """A working Saturday/Sunday or a weekday off: what the decree or a correction moved."""
        return self.is_working == self.is_weekend


@dataclass(frozen=True)
class MonthGrid:
    month: int
    weeks: list[list[DayCell | None]]  # Monday first; None pads the first and last weeks
    working_days: int


def year_source(year: int) -> str:
    """What the year's days rest on: the decree the built-in calendar cites, or the Labour
    Code alone for a year no decree here covers."""
    if year in pc.SOURCES:
        return f"Трудовой кодекс РФ, ст. 112; {pc.SOURCES[year]}"
    return (
        "Трудовой кодекс РФ, ст. 112 (постановление о переносе выходных дней на этот год не "
        "внесено: добавьте поправки по его тексту)"
    )


def year_grid(year: int) -> list[MonthGrid]:
    """Twelve months of `year`, every day marked working or not, corrections with their note:
    one query for the corrections."""
    from organisation.models import CalendarDay

    notes = dict(CalendarDay.objects.filter(date__year=year).values_list("date", "note"))
    months = []
    for month in range(1, 13):
        first = date(year, month, 1)
        weeks: list[list[DayCell | None]] = [[None] * first.weekday()]
        d = first
        working = 0
        while d.month == month:
            if len(weeks[-1]) == 7:
                weeks.append([])
            cell = DayCell(d, is_working_day(d), d.weekday() >= 5, notes.get(d, ""))
            working += cell.is_working
            weeks[-1].append(cell)
            d += timedelta(days=1)
        weeks[-1] += [None] * (7 - len(weeks[-1]))
        months.append(MonthGrid(month, weeks, working))
    return months
