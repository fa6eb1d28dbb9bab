"""The calendar of planned work: patronage visits planned and consilium meetings of a month,
per specialist or department, on the working-day calendar. Reads only through the scoped
querysets, two queries whatever the month holds."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from consilium.models import Meeting
from organisation import calendar
from patronage.models import Visit, VisitStatus


@dataclass
class Entry:
    kind: str  # "visit" or "meeting"
    label: str
    url: str
    who: str = ""


@dataclass
class Day:
    day: date
    in_month: bool
    is_working: bool
    is_today: bool
    entries: list[Entry] = field(default_factory=list)


def month_grid(
    user: Any,
    first: date,
    *,
    specialist: Any = None,
    department: Any = None,
) -> list[list[Day]]:
    """Weeks (Monday first) covering the month of `first`, each day with its entries."""
    last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    start = first - timedelta(days=first.weekday())
    end = last + timedelta(days=6 - last.weekday())
    visits = (
        Visit.objects.visible_to(user)
        .filter(
            status=VisitStatus.PLANNED,
            archived_at__isnull=True,
            planned_on__gte=start,
            planned_on__lte=end,
        )
        .select_related("case__family", "specialist")
        .order_by("planned_on", "pk")
    )
    meetings = (
        Meeting.objects.visible_to(user)
        .filter(held_on__gte=start, held_on__lte=end)
        .select_related("department")
        .order_by("held_on", "number")
    )
    if specialist is not None:
        visits = visits.filter(specialist=specialist)
        meetings = meetings.filter(department_id=specialist.department_id)
    if department is not None:
        visits = visits.filter(case__family__department=department)
        meetings = meetings.filter(department=department)
    by_day: dict[date, list[Entry]] = defaultdict(list)
    for m in meetings:
        by_day[m.held_on].append(
            Entry(
                "meeting",
                f"Консилиум, протокол № {m.number}",
                m.get_absolute_url(),
                str(m.department),
            )
        )
    for v in visits:
        assert v.planned_on is not None
        who = v.specialist.short_name if v.specialist else "специалист не назначен"
        by_day[v.planned_on].append(
            Entry("visit", f"{v.get_kind_display()}: {v.case.family}", v.get_absolute_url(), who)
        )
    today = timezone.localdate()
    weeks: list[list[Day]] = []
    d = start
    while d <= end:
        if d.weekday() == 0:
            weeks.append([])
        weeks[-1].append(
            Day(
                d,
                d.month == first.month,
                calendar.is_working_day(d),
                d == today,
                by_day.get(d, []),
            )
        )
        d += timedelta(days=1)
    return weeks
