"""The official production calendar of the Russian Federation, 2024–2027.

The calendar is for a five-day working week (Monday–Friday). A day is a working day when it is
Monday–Friday and not listed in ``NON_WORKING_WEEKDAYS``, or when it is a Saturday or Sunday
listed in ``WORKING_WEEKENDS``. It has three sources:

* art. 112 part 1 of the Labour Code (Трудовой кодекс РФ): the non-working public holidays
  1–6 and 8 January (New Year holidays), 7 January (Christmas), 23 February, 8 March, 1 May,
  9 May, 12 June and 4 November;
* art. 112 part 2: when a holiday falls on a Saturday or Sunday, the day off moves to the next
  working day after the holiday, except for the holidays of 1–8 January, whose days off the
  Government moves by its decree;
* the yearly decree of the Government «О переносе выходных дней в N году», which moves days off
  (it may make a Saturday a working day, and may override the automatic art. 112 move, as in
  2025, when the days off of 23 February and 8 March went to 8 May and 13 June):

  - 2024: постановление Правительства РФ от 10.08.2023 № 1314;
  - 2025: постановление Правительства РФ от 04.10.2024 № 1335;
  - 2026: постановление Правительства РФ от 24.09.2025 № 1466;
  - 2027: постановление Правительства РФ от 17.09.2026 № 1187.

The transfers of 2024–2026 were checked against the decrees' texts or the Government's
announcements of them as republished (Kontur.Normativ for the text of № 1314; the Government's
announcement of № 1335 of 04.10.2024; the Government's and the press's reports of № 1466 of
24.09.2025, its number as cited by Klerk.ru). For 2027 the decree's text itself was not read:
its date, number and its three transfers (Sat 2 January to Fri 5 November, Sun 3 January to
Fri 31 December, Sat 20 February to Mon 22 February) come from several independent public data
sets that cite it and agree with each other (the ``holidays`` Python package, which cites
ConsultantPlus's copy of the decree, cons_doc_LAW_544706, and its 2027 production calendar; the
xmlcalendar data set, built from the Ministry of Labour's draft, which the decree kept; other
open-source calendars). Check 2027 against the decree's official text (pravo.gov.ru) when it is
at hand.

Every year was also counted: the working days per year are 248 (2024), 247 (2025), 247 (2026),
matching the published totals, and 247 (2027), matching the total the public 2027 calendars
give. Shortened pre-holiday days (one hour less) are not part of this module.
"""

from datetime import date

# Per year: the decree that transfers days off, cited as
# "постановление Правительства РФ от дд.мм.гггг № N".
SOURCES: dict[int, str] = {
    2024: "постановление Правительства РФ от 10.08.2023 № 1314",
    2025: "постановление Правительства РФ от 04.10.2024 № 1335",
    2026: "постановление Правительства РФ от 24.09.2025 № 1466",
    2027: "постановление Правительства РФ от 17.09.2026 № 1187",
}

# Weekdays (Mon–Fri) that are not working days: public holidays and transferred days off.
NON_WORKING_WEEKDAYS: dict[int, frozenset[date]] = {
    2024: frozenset(
        {
            date(2024, 1, 1),  # Mon, New Year holidays (art. 112)
            date(2024, 1, 2),  # Tue, New Year holidays (art. 112)
            date(2024, 1, 3),  # Wed, New Year holidays (art. 112)
            date(2024, 1, 4),  # Thu, New Year holidays (art. 112)
            date(2024, 1, 5),  # Fri, New Year holidays (art. 112)
            date(2024, 1, 8),  # Mon, New Year holidays (art. 112)
            date(2024, 2, 23),  # Fri, Defender of the Fatherland Day (art. 112)
            date(2024, 3, 8),  # Fri, International Women's Day (art. 112)
            date(2024, 4, 29),  # Mon, from Sat 27 Apr, decree № 1314
            date(2024, 4, 30),  # Tue, from Sat 2 Nov, decree № 1314
            date(2024, 5, 1),  # Wed, Spring and Labour Day (art. 112)
            date(2024, 5, 9),  # Thu, Victory Day (art. 112)
            date(2024, 5, 10),  # Fri, from Sat 6 Jan, decree № 1314
            date(2024, 6, 12),  # Wed, Russia Day (art. 112)
            date(2024, 11, 4),  # Mon, Unity Day (art. 112)
            date(2024, 12, 30),  # Mon, from Sat 28 Dec, decree № 1314
            date(2024, 12, 31),  # Tue, from Sun 7 Jan, decree № 1314
        }
    ),
    2025: frozenset(
        {
            date(2025, 1, 1),  # Wed, New Year holidays (art. 112)
            date(2025, 1, 2),  # Thu, New Year holidays (art. 112)
            date(2025, 1, 3),  # Fri, New Year holidays (art. 112)
            date(2025, 1, 6),  # Mon, New Year holidays (art. 112)
            date(2025, 1, 7),  # Tue, Christmas (art. 112)
            date(2025, 1, 8),  # Wed, New Year holidays (art. 112)
            # 23 February is a Sunday; the decree moves its day off to Thu 8 May, so Mon 24 Feb
            # is an ordinary working day (no automatic art. 112 move this year).
            # 8 March is a Saturday; the decree moves its day off to Fri 13 June, so Mon 10 Mar
            # is an ordinary working day.
            date(2025, 5, 1),  # Thu, Spring and Labour Day (art. 112)
            date(2025, 5, 2),  # Fri, from Sat 4 Jan, decree № 1335
            date(2025, 5, 8),  # Thu, from Sun 23 Feb, decree № 1335
            date(2025, 5, 9),  # Fri, Victory Day (art. 112)
            date(2025, 6, 12),  # Thu, Russia Day (art. 112)
            date(2025, 6, 13),  # Fri, from Sat 8 Mar, decree № 1335
            date(2025, 11, 3),  # Mon, from Sat 1 Nov, decree № 1335
            date(2025, 11, 4),  # Tue, Unity Day (art. 112)
            date(2025, 12, 31),  # Wed, from Sun 5 Jan, decree № 1335
        }
    ),
    2026: frozenset(
        {
            date(2026, 1, 1),  # Thu, New Year holidays (art. 112)
            date(2026, 1, 2),  # Fri, New Year holidays (art. 112)
            date(2026, 1, 5),  # Mon, New Year holidays (art. 112)
            date(2026, 1, 6),  # Tue, New Year holidays (art. 112)
            date(2026, 1, 7),  # Wed, Christmas (art. 112)
            date(2026, 1, 8),  # Thu, New Year holidays (art. 112)
            date(2026, 1, 9),  # Fri, from Sat 3 Jan, decree № 1466
            date(2026, 2, 23),  # Mon, Defender of the Fatherland Day (art. 112)
            date(2026, 3, 9),  # Mon, 8 March on Sunday, moved by art. 112
            date(2026, 5, 1),  # Fri, Spring and Labour Day (art. 112)
            date(2026, 5, 11),  # Mon, 9 May on Saturday, moved by art. 112
            date(2026, 6, 12),  # Fri, Russia Day (art. 112)
            date(2026, 11, 4),  # Wed, Unity Day (art. 112)
            date(2026, 12, 31),  # Thu, from Sun 4 Jan, decree № 1466
        }
    ),
    2027: frozenset(
        {
            date(2027, 1, 1),  # Fri, New Year holidays (art. 112)
            date(2027, 1, 4),  # Mon, New Year holidays (art. 112)
            date(2027, 1, 5),  # Tue, New Year holidays (art. 112)
            date(2027, 1, 6),  # Wed, New Year holidays (art. 112)
            date(2027, 1, 7),  # Thu, Christmas (art. 112)
            date(2027, 1, 8),  # Fri, New Year holidays (art. 112)
            date(2027, 2, 22),  # Mon, from Sat 20 Feb, decree № 1187
            date(2027, 2, 23),  # Tue, Defender of the Fatherland Day (art. 112)
            date(2027, 3, 8),  # Mon, International Women's Day (art. 112)
            date(2027, 5, 3),  # Mon, 1 May on Saturday, moved by art. 112
            date(2027, 5, 10),  # Mon, 9 May on Sunday, moved by art. 112
            date(2027, 6, 14),  # Mon, 12 June on Saturday, moved by art. 112
            date(2027, 11, 4),  # Thu, Unity Day (art. 112)
            date(2027, 11, 5),  # Fri, from Sat 2 Jan, decree № 1187
            date(2027, 12, 31),  # Fri, from Sun 3 Jan, decree № 1187
        }
    ),
}

# Saturdays and Sundays that are working days by a decree's transfer.
WORKING_WEEKENDS: dict[int, frozenset[date]] = {
    2024: frozenset(
        {
            date(2024, 4, 27),  # Sat, its day off moved to Mon 29 Apr, decree № 1314
            date(2024, 11, 2),  # Sat, its day off moved to Tue 30 Apr, decree № 1314
            date(2024, 12, 28),  # Sat, its day off moved to Mon 30 Dec, decree № 1314
        }
    ),
    2025: frozenset(
        {
            date(2025, 11, 1),  # Sat, its day off moved to Mon 3 Nov, decree № 1335
        }
    ),
    2026: frozenset(),  # decree № 1466 makes no weekend day a working day
    2027: frozenset(
        {
            date(2027, 2, 20),  # Sat, its day off moved to Mon 22 Feb, decree № 1187
        }
    ),
}

# Working days per year as published, for a self-check in the tests.
WORKING_DAYS_PER_YEAR: dict[int, int] = {
    2024: 248,
    2025: 247,
    2026: 247,
    2027: 247,
}

FIRST_YEAR = 2024
LAST_YEAR = 2027
