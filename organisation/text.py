"""Russian text helpers used across the interface and documents."""

from __future__ import annotations

import unicodedata
from datetime import date

from django.utils.text import Truncator


def plural(n: int, one: str, few: str, many: str) -> str:
    """The noun form for n: plural(1, "день", "дня", "дней") -> "день"; 3 -> "дня"; 11 -> "дней"."""
    n = abs(int(n))
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def with_plural(n: int, one: str, few: str, many: str) -> str:
    """«5 дней», «21 день», «3 ребёнка»."""
    return f"{n} {plural(n, one, few, many)}"


def ru_date(d: date) -> str:
    """дд.мм.гггг (as `%d.%m.%Y`, without strftime: a page labels hundreds of dates)."""
    return f"{d.day:02d}.{d.month:02d}.{d.year:04d}"


def _initials(first_name: str, patronymic: str) -> str:
    return " ".join(f"{p[0]}." for p in (first_name, patronymic) if p)


def full_name(last_name: str, first_name: str, patronymic: str) -> str:
    """«Иванова Анна Петровна»."""
    return " ".join(p for p in (last_name, first_name, patronymic) if p)


def short_name(last_name: str, first_name: str, patronymic: str) -> str:
    """«Иванова А. П.», as written in lists and under documents."""
    return f"{last_name} {_initials(first_name, patronymic)}".strip()


def initials_surname(last_name: str, first_name: str, patronymic: str) -> str:
    """«А. П. Иванова», as a signature is deciphered («расшифровка подписи»)."""
    return f"{_initials(first_name, patronymic)} {last_name}".strip()


def parse_id(value: str | None) -> int | None:
    """A record id typed into a query string or a form: ASCII digits only (`"²".isdigit()` is
    true, yet `int("²")` fails), within the range of a database key; None otherwise."""
    if not value or not value.isascii() or not value.isdigit() or len(value) > 18:
        return None
    return int(value)


def without_invisibles(value: str) -> str:
    """`value` as it reads on the screen: without Unicode format characters (Word's soft hyphen,
    zero-width spaces and joiners, direction marks, overrides and isolates, a byte order mark)
    and control characters other than a tab and line breaks. A name pasted with one of them is
    the same name (search, duplicates) and prints the same (an override turns text around)."""
    if value.isascii() and value.isprintable():
        return value
    return "".join(c for c in value if c in "\t\n\r" or unicodedata.category(c) not in ("Cf", "Cc"))


def search_query(value: str | None, limit: int = 100) -> str:
    """A search text typed into a query string (`?q=`), read without a form: stripped, cut to
    `limit`, without NUL characters (PostgreSQL's text cannot hold them: a DataError, a 500)."""
    return (value or "").replace("\x00", "").strip()[:limit]


# The ending Django's `truncatechars` adds in Russian (its locale's own translation).
_TRUNCATED = "%(truncated_text)s…"


def truncate(value: str, length: int) -> str:
    """`{{ value|truncatechars:length }}` for the rows a view formats: the same text, without
    the filter's translation lookups for each row, and nothing to do for a text that fits."""
    if len(value) <= length:
        return value
    return Truncator(value).chars(length, truncate=_TRUNCATED)


MONTHS = (
    "Январь",
    "Февраль",
    "Март",
    "Апрель",
    "Май",
    "Июнь",
    "Июль",
    "Август",
    "Сентябрь",
    "Октябрь",
    "Ноябрь",
    "Декабрь",
)
