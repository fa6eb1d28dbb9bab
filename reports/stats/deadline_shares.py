"""The share of each regulation deadline met on time in a period (P2/P3, P4, P13, O15, O16, O19).

An item counts in a period when its due date falls in it and it is either done or already past
due (an item still within its term is not yet a result). It is met on time when it was done on or
before the due date. Due dates come from the same rules as the deadline register
(`organisation.calendar` through the models' own functions); the records are read with one query
per rule, bounded to the period and the few weeks before it, and the due date is computed for
those records only (the working-day arithmetic of `organisation.calendar` runs in Python).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import F, Min, Q
from django.utils import timezone

from consilium.models import Decision, DecisionKind
from organisation import calendar
from patronage.deadlines import VisitReview
from patronage.models import (
    FIRST_VISIT_MAX_DAYS,
    Appeal,
    PatronageCase,
    ReviewStatus,
    Visit,
    VisitStatus,
)
from recipients.models import Recipient
from rehab_programs.models import (
    ProgrammeVersion,
    VersionStatus,
    primary_diagnostics_due,
    quarter_after,
    rehab_programme_due,
)
from rehab_programs.selectors import with_primary_results
from reports.stats.periods import Period
from reports.stats.selectors import Scope

# How far before the period an item's start may lie for its due date to fall in the period:
# the longest term in days (10 working days across the New Year holidays) with a margin.
LEAD_DAYS = 31

Pair = tuple[date, date | None]  # (due, done_on)


@dataclass(frozen=True)
class Share:
    code: str
    label: str
    rules: str
    on_time: int
    total: int
    url_name: str

    @property
    def percent(self) -> int | None:
        return round(100 * self.on_time / self.total) if self.total else None


def _appeal_registration(scope: Scope, period: Period) -> Iterable[Pair]:
    qs = scope.qs(Appeal).filter(
        archived_at__isnull=True,
        received_on__gte=period.start - timedelta(days=LEAD_DAYS),
        received_on__lte=period.end,
    )
    for a in qs.only("received_on", "basis_due", "registered_on"):
        yield a.registration_due, a.registered_on


def _first_visit(scope: Scope, period: Period) -> Iterable[Pair]:
    qs = (
        scope.qs(PatronageCase)
        .filter(archived_at__isnull=True)
        .annotate(
            started=Min("appeals__registered_on"),
            first=Min("visits__visited_on", filter=Q(visits__status=VisitStatus.COMPLETED)),
        )
        .filter(started__gte=period.start - timedelta(days=LEAD_DAYS), started__lte=period.end)
        .values_list("started", "first")
    )
    for started, first in qs:
        yield calendar.term_end(started, FIRST_VISIT_MAX_DAYS), first


def _visit_review(scope: Scope, period: Period) -> Iterable[Pair]:
    qs = scope.qs(Visit).filter(
        status=VisitStatus.COMPLETED,
        completed_at__date__gte=period.start - timedelta(days=LEAD_DAYS),
        completed_at__date__lte=period.end,
    )
    for completed_at, status, reviewed_at in qs.values_list(
        "completed_at", "review_status", "reviewed_at"
    ):
        due = calendar.add_working_days(timezone.localdate(completed_at), VisitReview.working_days)
        done = (
            timezone.localdate(reviewed_at)
            if status != ReviewStatus.PENDING and reviewed_at
            else None
        )
        yield due, done


def _primary_diagnostics(scope: Scope, period: Period) -> Iterable[Pair]:
    recipients = scope.qs(Recipient).filter(
        first_day_of_stay__gte=period.start - timedelta(days=LEAD_DAYS),
        first_day_of_stay__lte=period.end,
    )
    qs = with_primary_results(recipients).values_list(  # type: ignore[misc]
        "first_day_of_stay", "primary_on"
    )
    for first_day, primary_on in qs:
        yield primary_diagnostics_due(first_day), primary_on


def _programme(scope: Scope, period: Period) -> Iterable[Pair]:
    qs = (
        with_primary_results(scope.qs(Recipient).filter(first_day_of_stay__isnull=False))
        .filter(
            Q(primary_on__gte=period.start - timedelta(days=LEAD_DAYS))
            & Q(primary_on__lte=period.end)
        )
        .annotate(
            programme_on=Min(
                "rehab_programmes__drawn_up_on",
                filter=Q(
                    rehab_programmes__archived_at__isnull=True,
                    rehab_programmes__drawn_up_on__gte=F("first_day_of_stay"),
                ),
            )
        )
        .values_list("primary_on", "programme_on")
    )
    for primary_on, programme_on in qs:
        yield rehab_programme_due(primary_on), programme_on


def _quarterly_revision(scope: Scope, period: Period) -> Iterable[Pair]:
    """O19: each approval or «continue» review of a minor's ИПСРН starts a quarter; the next one
    ends it. The last one is open until the next review (or the discharge)."""
    since = period.start - timedelta(days=3 * 31 + LEAD_DAYS)
    events: dict[int, set[date]] = defaultdict(set)
    versions = scope.qs(ProgrammeVersion).filter(
        status=VersionStatus.APPROVED, protocol_date__gte=since
    )
    for rid, d in versions.values_list("programme__recipient", "protocol_date"):
        events[rid].add(d)
    reviews = scope.qs(Decision).filter(
        kind=DecisionKind.CONTINUE, item__meeting__held_on__gte=since
    )
    for rid, d in reviews.values_list("item__recipient", "item__meeting__held_on"):
        events[rid].add(d)
    discharged = dict(
        Recipient.objects.filter(pk__in=list(events), discharged_on__isnull=False).values_list(
            "pk", "discharged_on"
        )
    )
    for rid, dates in events.items():
        ordered = sorted(dates)
        for i, start in enumerate(ordered):
            due = quarter_after(start)
            done = ordered[i + 1] if i + 1 < len(ordered) else None
            left = discharged.get(rid)
            if done is None and left is not None and left >= start and left <= due:
                continue  # the stay ended within the quarter: no revision was due
            yield due, done


RULES: list[tuple[str, str, str, Callable[[Scope, Period], Iterable[Pair]], str]] = [
    ("appeal_registration", "Регистрация обращения", "P2, P3", _appeal_registration,
     "patronage:appeal_list"),
    ("first_visit", "Первичный патронаж (1–4 дня)", "P4", _first_visit, "patronage:case_list"),
    ("visit_review", "Проверка записи о патронаже", "P13", _visit_review, "patronage:review_list"),
    ("primary_diagnostics", "Первичная диагностика (10 рабочих дней)", "O15",
     _primary_diagnostics, "rehab_programs:list"),
    ("programme", "Разработка ИПСРН (10 рабочих дней)", "O16", _programme, "rehab_programs:list"),
    ("revision", "Пересмотр ИПСРН раз в квартал", "O19", _quarterly_revision,
     "rehab_programs:list"),
]  # fmt: skip


def shares(scope: Scope, period: Period, *, today: date | None = None) -> list[Share]:
    today = today or timezone.localdate()
    result = []
    for code, label, rules, pairs, url_name in RULES:
        on_time = total = 0
        for due, done in pairs(scope, period):
            if not (period.start <= due <= period.end):
                continue
            if done is None and due >= today:
                continue  # still within its term
            total += 1
            if done is not None and done <= due:
                on_time += 1
        result.append(Share(code, label, rules, on_time, total, url_name))
    return result
