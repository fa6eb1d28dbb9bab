"""The calendar of planned work: patronage visits planned and consilium meetings of a month,
per specialist or department, on the working-day calendar. Reads only through the scoped
querysets, two queries whatever the month holds. And «Мой день», which joins the services'
catalogue and the ИПСРН's activities."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils import timezone

from consilium.models import Meeting
from organisation import calendar, statements
from patronage.models import Visit, VisitStatus
from recipients.models import Recipient
from rehab_programs.models import Activity
from rehab_programs.selectors import activities_in_work
from services import selectors as services_selectors
from services.models import Service, ServiceForm, ServiceRecord
from services.selectors import ChildDay, PlannedToday, services_given_by


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


# ---------------------------------------------------------------------------------------------
# «Мой день»: what a specialist gives the day's children — the catalogue services of their
# position planned by the ИППСУ (services) and the ИПСРН's activities assigned to them
# (rehab_programs). The page joins both apps, so it lives here, above them.


@dataclass
class ActivityToday:
    activity: Activity
    overdue: bool

    @property
    def service(self) -> Service | None:
        return self.activity.service

    @property
    def is_group(self) -> bool:
        return self.service is not None and self.service.form == ServiceForm.GROUP


@dataclass
class DayRow:
    """One child of the day: the planned services (with what is logged) and the activities."""

    child: ChildDay
    activities: list[ActivityToday]

    @property
    def recipient(self) -> Recipient:
        return self.child.recipient

    @property
    def planned(self) -> list[PlannedToday]:
        return self.child.planned

    @property
    def records(self) -> list[ServiceRecord]:
        return self.child.records


def activities_of(subject: Any) -> QuerySet[Activity]:
    """The open activities of the ИПСРН this specialist answers for (every one when None)."""
    qs = activities_in_work()
    return qs if subject is None else qs.filter(responsible=subject)


@dataclass(frozen=True)
class DayOf:
    """Whose day «Мой день» shows, read once per request: the specialist (None: every
    specialist of the scope), the ids of the catalogue services they give (None: every
    service) and whether they may answer for an activity of the ИПСРН at all."""

    subject: Any
    service_ids: list[int] | None
    activities: bool


def day_of(subject: Any) -> DayOf:
    """`DayOf` the subject: two small queries for a specialist (the ids of their services; and
    whether any activity not done names them responsible — a superset of `activities_of`, one
    table: without one, the activities' joins are left out of both the children's query and
    the rows' one), none for every specialist (the page's rows check their own children)."""
    if subject is None:
        return DayOf(None, None, True)
    services = services_given_by(subject)
    ids = None if services is None else list(services.order_by().values_list("pk", flat=True))

    def theirs(of: list[int]) -> QuerySet[Any]:
        return Activity.objects.filter(responsible_id__in=of, done_on__isnull=True).values_list(
            "pk"
        )[:1]

    may = bool(statements.rows(("responsible",), theirs, [subject.pk]))
    return DayOf(subject, ids, may)


def day_children(
    recipients: QuerySet[Recipient], day: date, who: DayOf, *, q: str = ""
) -> QuerySet[Recipient]:
    """The children of the subject's day (every child of the scope when None): a line of the
    ИППСУ in force with a service of their position, or an open activity of the ИПСРН
    assigned to them; in SQL, for the paginator."""
    having = None
    if who.activities:
        having = Exists(activities_of(who.subject).filter(programme__recipient=OuterRef("pk")))
    return services_selectors.day_children(
        recipients, day, services=who.service_ids, or_having=having, q=q
    )


def my_day(recipients: QuerySet[Recipient], day: date, subject: Any) -> list[DayRow]:
    """The rows of the children of `recipients` enrolled on `day` (one query for them, then
    `day_rows`)."""
    children = list(
        recipients.enrolled(day)  # type: ignore[attr-defined]
        .filter(archived_at__isnull=True)
        .only(*services_selectors.DAY_CHILD_FIELDS)
        .order_by("last_name", "first_name", "pk")
    )
    return day_rows(children, day, day_of(subject))


def _no_activities(who: DayOf, ids: list[int]) -> bool:
    """Whether none of the children of `ids` has an activity for `who` to show, known without
    the activities' query: the subject has none at all, or no child of the page has an
    activity not done (one query of two tables, for the page of every specialist, its SQL built
    once per number of children)."""
    if not who.activities or not ids:
        return True
    if who.subject is not None:
        return False

    def open_ones(of: list[int]) -> QuerySet[Any]:
        return Activity.objects.filter(
            done_on__isnull=True, programme__recipient_id__in=of
        ).values_list("pk")[:1]

    return not statements.rows(("open activities",), open_ones, ids)


def day_rows(children: list[Recipient], day: date, who: DayOf) -> list[DayRow]:
    """The rows of one page of children (already read, in their order): the services' queries
    and one for the activities (none when `_no_activities` knows there are none to show),
    which read only the columns shown (their catalogue service as the services' lines read
    it)."""
    subject = who.subject
    days = services_selectors.child_days(children, day, who.service_ids)
    ids = [d.recipient.pk for d in days]
    if _no_activities(who, ids):
        return [DayRow(d, []) for d in days]
    by_child: dict[int, list[ActivityToday]] = defaultdict(list)
    fields = [
        "programme_id",
        "service_id",
        "description",
        "due_on",
        "done_on",
        *(f"service__{f}" for f in services_selectors.DAY_SERVICE_FIELDS),
    ]
    related = ["service__parent"]
    if subject is None:  # the responsible's name is shown only on the page of every specialist
        fields += ["responsible__last_name", "responsible__first_name", "responsible__patronymic"]
        related.append("responsible")
    activities = (
        activities_of(subject)
        .filter(programme__recipient_id__in=ids)
        .select_related(*related)
        .only(*fields)
        .annotate(child_id=F("programme__recipient_id"))
        .order_by("due_on", "pk")
    )
    for a in activities:
        by_child[a.child_id].append(ActivityToday(a, a.is_overdue(day)))  # type: ignore[attr-defined]
    return [DayRow(d, by_child.get(d.recipient.pk, [])) for d in days]
