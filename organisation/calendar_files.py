"""A year of the production calendar read from the official open-data files.

Two formats are read, both as published for each year's decree:

- **CSV of the open-data portal** (data.gov.ru, «Производственный календарь»): a header row
  «Год/Месяц,Январь,…,Декабрь,Всего рабочих дней,…» and a row per year whose twelve month cells
  list that month's non-working days, e.g. «1,2,3,4,5,6,7,8,10,11,17,18,24,25,31». A day marked
  «*» is a shortened pre-holiday working day; «+» marks a transferred day off (still a day off).
- **XML** (the xmlcalendar.ru schema the portal's calendars are also published in):
  `<calendar year="2028"><days><day d="01.01" t="1"/>…</days></calendar>`, `d` being «ММ.ДД»;
  `t="1"` a day off (holiday), `t="2"` a shortened working day, `t="3"` a working day that would
  otherwise be a day off (a transferred Saturday). Days not listed follow the week: Monday to
  Friday working, Saturday and Sunday off.

`read_year` returns, for one year, the set of its non-working days; everything else of the year
is a working day. Errors are `CalendarFileError` with a Russian message for the upload form.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

from lxml import etree


class CalendarFileError(ValueError):
    """The file is not a production calendar this module reads; the message is in Russian."""


MONTHS = 12
_DAY_TOKEN = re.compile(r"^(\d{1,2})([*+]?)$")


def _days_of(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(days=n) for n in range((date(year + 1, 1, 1) - first).days)]


def _text(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CalendarFileError("Файл не в кодировке UTF-8 или Windows-1251.")


def _read_csv(text: str, year: int) -> frozenset[date]:
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:  # a line longer than a field may be: another kind of file
        raise CalendarFileError("Файл не похож на CSV производственного календаря.") from exc
    for row in rows:
        if not row or row[0].strip() != str(year):
            continue
        if len(row) < 1 + MONTHS:
            raise CalendarFileError(f"В строке {year} года нет всех двенадцати месяцев.")
        days_off: set[date] = set()
        for month, cell in enumerate(row[1 : 1 + MONTHS], start=1):
            for token in (t.strip() for t in cell.split(",") if t.strip()):
                match = _DAY_TOKEN.match(token)
                if not match:
                    raise CalendarFileError(f"Непонятная запись дня «{token}» ({month}-й месяц).")
                try:
                    day = date(year, month, int(match.group(1)))
                except ValueError as exc:
                    raise CalendarFileError(
                        f"Такого дня нет: {match.group(1)}.{month:02d}.{year}."
                    ) from exc
                if match.group(2) != "*":  # «*» — a shortened day, which is a working day
                    days_off.add(day)
        return frozenset(days_off)
    raise CalendarFileError(f"В файле нет строки {year} года.")


def _read_xml(content: bytes, year: int) -> frozenset[date]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(content, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise CalendarFileError("Файл XML повреждён: его не удалось прочитать.") from exc
    if root.tag != "calendar":
        raise CalendarFileError("В файле XML нет элемента calendar производственного календаря.")
    if root.get("year") != str(year):
        raise CalendarFileError(
            f"Файл XML — календарь {root.get('year') or 'без года'}, а не {year}."
        )
    days_off = {d for d in _days_of(year) if d.weekday() >= 5}
    for item in root.iter("day"):
        raw, kind = item.get("d", ""), item.get("t", "")
        try:
            month, day = (int(p) for p in raw.split("."))
            when = date(year, month, day)
        except (ValueError, OverflowError) as exc:  # OverflowError: a number too big for a date
            raise CalendarFileError(f"Непонятная дата дня «{raw}» (ожидается ММ.ДД).") from exc
        if kind == "1":
            days_off.add(when)
        elif kind == "3":
            days_off.discard(when)
        elif kind != "2":
            raise CalendarFileError(f"Непонятный вид дня t=«{kind}» для {raw}.")
    return frozenset(days_off)


def read_year(content: bytes, year: int, filename: str = "") -> frozenset[date]:
    """The non-working days of `year` from a CSV or XML production calendar file."""
    if not content.strip():
        raise CalendarFileError("Файл пустой.")
    if filename.lower().endswith(".xml") or content.lstrip().startswith(b"<"):
        days_off = _read_xml(content, year)
    else:
        days_off = _read_csv(_text(content), year)
    working = len(_days_of(year)) - len(days_off)
    if not 200 <= working <= 262:
        raise CalendarFileError(
            f"В {year} году по файлу {working} рабочих дней — это не похоже на производственный "
            "календарь пятидневной недели."
        )
    return days_off
