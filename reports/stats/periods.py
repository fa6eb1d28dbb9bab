"""Report periods: a month, a quarter, a year or any range of dates, and the form that picks one.

A period is two dates, both included. Every figure of a report is computed from the records for
the period's dates, so a report for a closed period gives the same figures whenever it is run.
"""

from __future__ import annotations

import calendar as pycalendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from organisation.forms import DateField
from organisation.models import Department

MONTHS = [
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
]
MONTHS_SHORT = ["янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"]
# The longest range a report accepts: three years (a report is a few aggregate queries, but a
# typo such as 2206 should not run one over two centuries).
MAX_RANGE_DAYS = 3 * 366


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(date(year, month, 1), date(year, month, pycalendar.monthrange(year, month)[1]))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        first = 3 * (quarter - 1) + 1
        return cls(date(year, first, 1), cls.month(year, first + 2).end)

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def quarter_of(cls, d: date) -> Period:
        return cls.quarter(d.year, (d.month - 1) // 3 + 1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous_quarter(self) -> Period:
        """The quarter before the one this period starts in."""
        return Period.quarter_of(Period.quarter_of(self.start).start - timedelta(days=1))

    def months(self) -> list[date]:
        """The first day of every month the period touches."""
        result = []
        d = self.start.replace(day=1)
        while d <= self.end:
            result.append(d)
            d = (d + timedelta(days=32)).replace(day=1)
        return result

    @property
    def label(self) -> str:
        s, e = self.start, self.end
        if s.day == 1 and e == Period.month(s.year, s.month).end:
            return f"{MONTHS[s.month - 1]} {s.year} г."
        if s.day == 1 and s.month in (1, 4, 7, 10) and e == Period.quarter_of(s).end:
            return f"{(s.month - 1) // 3 + 1} квартал {s.year} г."
        if (s.month, s.day) == (1, 1) and e == date(s.year, 12, 31):
            return f"{s.year} год"
        return f"с {s:%d.%m.%Y} по {e:%d.%m.%Y}"

    def as_query(self) -> dict[str, str]:
        """The period as the `date_from` / `date_to` parameters every list page reads."""
        return {"date_from": f"{self.start:%d.%m.%Y}", "date_to": f"{self.end:%d.%m.%Y}"}


KIND_CHOICES = [
    ("month", "месяц"),
    ("quarter", "квартал"),
    ("year", "год"),
    ("range", "произвольный период"),
]


class ReportForm(forms.Form):
    """The period (month, quarter, year or any range) and, for the director, the department."""

    kind = forms.ChoiceField(label="Период", choices=KIND_CHOICES, initial="quarter")
    year = forms.IntegerField(
        label="Год",
        min_value=2000,
        max_value=2100,
        required=False,
        error_messages={
            "min_value": "Год — не раньше 2000.",
            "max_value": "Год — не позже 2100.",
            "invalid": "Год — четыре цифры, например 2026.",
        },
    )
    month = forms.TypedChoiceField(
        label="Месяц",
        choices=[(i + 1, m) for i, m in enumerate(MONTHS)],
        coerce=int,
        required=False,
    )
    quarter = forms.TypedChoiceField(
        label="Квартал",
        choices=[(q, f"{q} квартал") for q in range(1, 5)],
        coerce=int,
        required=False,
    )
    date_from = DateField(label="С", required=False)
    date_to = DateField(label="По", required=False)
    department = forms.ModelChoiceField(
        label="Отделение",
        queryset=Department.objects.none(),
        required=False,
        empty_label="весь центр",
    )

    def __init__(self, *args: Any, departments: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if departments is None:
            del self.fields["department"]
        else:
            self.fields["department"].queryset = departments  # type: ignore[attr-defined]
        for name in ("kind", "month", "quarter", "department"):
            if name in self.fields:
                self.fields[name].widget.attrs["class"] = "form-select"
        today = timezone.localdate()
        if not self.is_bound:
            self.initial.update(
                {
                    "kind": "quarter",
                    "year": today.year,
                    "month": today.month,
                    "quarter": (today.month - 1) // 3 + 1,
                }
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == "range":
            start, end = data.get("date_from"), data.get("date_to")
            if "date_from" not in self.errors and not start:
                self.add_error("date_from", "Укажите начало периода.")
            if "date_to" not in self.errors and not end:
                self.add_error("date_to", "Укажите конец периода.")
            if start and end and end < start:
                self.add_error("date_to", "Конец периода раньше начала.")
            elif start and end and (end - start).days >= MAX_RANGE_DAYS:
                self.add_error("date_to", "Период не длиннее трёх лет.")
        elif kind in ("month", "quarter", "year"):
            if "year" not in self.errors and not data.get("year"):
                self.add_error("year", "Укажите год.")
            if kind == "month" and not data.get("month"):
                self.add_error("month", "Выберите месяц.")
            if kind == "quarter" and not data.get("quarter"):
                self.add_error("quarter", "Выберите квартал.")
        return data

    def period(self) -> Period:
        """The chosen period; the current quarter when the form is not bound or not valid."""
        if not self.is_bound or not self.is_valid():
            return Period.quarter_of(timezone.localdate())
        d = self.cleaned_data
        if d["kind"] == "month":
            return Period.month(d["year"], d["month"])
        if d["kind"] == "quarter":
            return Period.quarter(d["year"], d["quarter"])
        if d["kind"] == "year":
            return Period.year(d["year"])
        return Period(d["date_from"], d["date_to"])

    def chosen_department(self) -> Department | None:
        if "department" not in self.fields or not self.is_bound or not self.is_valid():
            return None
        dept: Department | None = self.cleaned_data.get("department")
        return dept
