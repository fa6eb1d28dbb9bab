"""The working-day calendar: the production calendar of the decrees, with corrections."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from organisation import production_calendar as pc
from organisation.calendar import add_working_days, is_working_day, term_end, working_days_between
from organisation.models import CalendarDay


@pytest.mark.parametrize("year", range(pc.FIRST_YEAR, pc.LAST_YEAR + 1))
def test_working_days_per_year_match_the_published_calendar(db, year):
    d, count = date(year, 1, 1), 0
    while d.year == year:
        count += is_working_day(d)
        d += timedelta(days=1)
    assert count == pc.WORKING_DAYS_PER_YEAR[year]
    assert {2024: 248, 2025: 247, 2026: 247, 2027: 247}[year] == count


@pytest.mark.parametrize(
    ("d", "working"),
    [
        # New Year holidays
        (date(2024, 1, 8), False),
        (date(2024, 1, 9), True),
        (date(2025, 1, 8), False),
        (date(2025, 1, 9), True),
        (date(2026, 1, 9), False),  # 2026: days off ran 1–11 January (Sat 3 Jan moved to Fri 9 Jan)
        (date(2026, 1, 12), True),
        (date(2027, 1, 8), False),
        (date(2027, 1, 11), True),
        # transferred days off
        (date(2024, 4, 29), False),  # from Sat 27 Apr 2024
        (date(2024, 4, 30), False),  # from Sat 2 Nov 2024
        (date(2024, 12, 30), False),  # from Sat 28 Dec 2024
        (date(2024, 12, 31), False),  # from Sun 7 Jan 2024
        (date(2025, 5, 2), False),  # from Sat 4 Jan 2025
        (date(2025, 5, 8), False),  # from Sun 23 Feb 2025
        (date(2025, 6, 13), False),  # from Sat 8 Mar 2025
        (date(2025, 11, 3), False),  # from Sat 1 Nov 2025
        (date(2025, 12, 31), False),  # from Sun 5 Jan 2025
        (date(2026, 12, 31), False),  # from Sun 4 Jan 2026
        (date(2027, 11, 5), False),  # from Sat 2 Jan 2027
        (date(2027, 2, 22), False),  # from Sat 20 Feb 2027
        # working Saturdays
        (date(2024, 4, 27), True),
        (date(2024, 11, 2), True),
        (date(2024, 12, 28), True),
        (date(2025, 11, 1), True),
        (date(2027, 2, 20), True),
        # a holiday on a weekend moves its day off to the next working day (art. 112)
        (date(2025, 2, 24), True),  # 2025: the decree sent the day off of 23 Feb to 8 May instead
        (date(2026, 3, 9), False),  # 8 March 2026 is a Sunday
        (date(2026, 5, 11), False),  # 9 May 2026 is a Saturday
        (date(2027, 5, 3), False),  # 1 May 2027 is a Saturday
        (date(2027, 6, 14), False),  # 12 June 2027 is a Saturday
        # ordinary days
        (date(2026, 11, 23), True),
        (date(2026, 11, 22), False),
        (date(2026, 11, 4), False),
    ],
)
def test_is_working_day(db, d, working):
    assert is_working_day(d) is working


def test_add_working_days_skips_the_new_year_holidays(db):
    # Friday 26 Dec 2025 + 3 working days: 29, 30 Dec, then 12 Jan 2026 (31 Dec – 11 Jan off)
    assert add_working_days(date(2025, 12, 26), 3) == date(2026, 1, 12)
    assert add_working_days(date(2025, 12, 26), 0) == date(2025, 12, 26)


def test_add_working_days_counts_a_working_saturday(db):
    # Thu 30 Oct 2025 + 2: Fri 31 Oct, Sat 1 Nov (working); Mon 3 Nov is off
    assert add_working_days(date(2025, 10, 30), 2) == date(2025, 11, 1)
    assert add_working_days(date(2025, 10, 30), 3) == date(2025, 11, 5)


def test_add_working_days_ten_days_across_may_holidays(db):
    # 10 working days from Wed 29 Apr 2026: 30 Apr, 4–8 May, 12–15 May (1 and 11 May off)
    assert add_working_days(date(2026, 4, 29), 10) == date(2026, 5, 15)


def test_term_end_starts_counting_the_next_day_and_moves_off_a_day_off(db):
    # art. 191: 3 days from Mon 17 Nov 2025 ends Thu 20 Nov
    assert term_end(date(2025, 11, 17), 3) == date(2025, 11, 20)
    # art. 193: 3 days from Wed 31 Dec 2025 would end Sat 3 Jan 2026 -> Mon 12 Jan 2026
    assert term_end(date(2025, 12, 31), 3) == date(2026, 1, 12)
    # ends on Sat 1 Nov 2025, a working Saturday: stays there
    assert term_end(date(2025, 10, 29), 3) == date(2025, 11, 1)
    # ends on a transferred day off (Mon 3 Nov 2025) -> Wed 5 Nov (4 Nov is a holiday)
    assert term_end(date(2025, 10, 31), 3) == date(2025, 11, 5)


def test_an_administrators_correction_wins_over_the_built_in_calendar(db):
    d = date(2026, 11, 23)
    assert is_working_day(d)
    CalendarDay.objects.create(date=d, is_working=False, note="приказ о дне траура")
    assert not is_working_day(d)
    CalendarDay.objects.filter(date=d).delete()
    assert is_working_day(d)


def test_an_administrator_can_add_a_year_the_code_does_not_know(db):
    d = date(2028, 1, 10)  # a Monday after the 2028 New Year holidays
    assert is_working_day(d)  # art. 112 alone: 1–8 January are off, 10 January works
    CalendarDay.objects.create(date=d, is_working=False, note="постановление о переносе 2028")
    assert not is_working_day(d)


def test_years_without_a_decree_follow_article_112(db):
    assert not is_working_day(date(2028, 1, 3))
    assert not is_working_day(date(2028, 3, 8))
    # 12 June 2028 is a Monday; 4 November 2028 a Saturday -> Monday 6 November is off
    assert not is_working_day(date(2028, 6, 12))
    assert not is_working_day(date(2028, 11, 6))
    assert is_working_day(date(2028, 1, 10))


def test_working_days_between(db):
    assert working_days_between(date(2026, 1, 1), date(2026, 1, 12)) == 1
    assert working_days_between(date(2026, 1, 12), date(2026, 1, 12)) == 0


def test_negative_counts_are_refused(db):
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 1), -1)
    with pytest.raises(ValueError):
        term_end(date(2026, 1, 1), -1)
