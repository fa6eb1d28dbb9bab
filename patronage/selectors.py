"""Reads used by the patronage views, with their joins done (a list is a fixed number of
queries whatever its length)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Exists, Min, OuterRef, Prefetch, Q, QuerySet, Subquery

from organisation.models import Role, User
from patronage.models import (
    Appeal,
    AppealQuerySet,
    CaseQuerySet,
    PatronageCase,
    Recommendation,
    RecommendationCheck,
    RecommendationStatus,
    ReviewStatus,
    Visit,
    VisitQuerySet,
    VisitStatus,
)


def appeals_for(user: User) -> AppealQuerySet:
    return Appeal.objects.visible_to(user).active().select_related("department", "registered_by")


def appeal_rows(qs: AppealQuerySet) -> AppealQuerySet:
    """The appeals list's rows: the columns it shows (and the registration term needs) and the
    department's name, not the texts of the appeal."""
    return (
        qs.select_related(None)
        .select_related("department")
        .only(
            "channel",
            "ground",
            "received_on",
            "basis_due",
            "family_name",
            "registered_on",
            "year",
            "number",
            "case_id",
            "department__name",
            "department__short_name",
        )
    )


def filter_appeals(
    qs: AppealQuerySet,
    *,
    channel: str = "",
    q: str = "",
    ground: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    department: int | None = None,
) -> AppealQuerySet:
    if channel:
        qs = qs.filter(channel=channel)
    if ground:
        qs = qs.filter(ground=ground)
    if date_from:
        qs = qs.filter(received_on__gte=date_from)
    if date_to:
        qs = qs.filter(received_on__lte=date_to)
    if department:
        qs = qs.filter(department_id=department)
    if q:
        qs = qs.search(q)
    return qs


def filter_cases(
    qs: CaseQuerySet,
    *,
    active_from: date | None = None,
    active_to: date | None = None,
    department: int | None = None,
) -> CaseQuerySet:
    """Cases under patronage at some time between the two dates."""
    if active_to:
        qs = qs.filter(opened_on__lte=active_to)
    if active_from:
        qs = qs.filter(Q(closed_on__isnull=True) | Q(closed_on__gte=active_from))
    if department:
        qs = qs.filter(family__department_id=department)
    return qs


def journal_appeals(user: User, *, channel: str, date_from: date, date_to: date) -> AppealQuerySet:
    """P5: the reception or phone-call journal for a period, in the order of receipt."""
    return (
        appeals_for(user)
        .filter(channel=channel, received_on__gte=date_from, received_on__lte=date_to)
        .order_by("received_on", "number", "pk")
    )


def _case_prefetches() -> list[Any]:
    return [
        Prefetch(
            "visits",
            queryset=Visit.objects.only(
                "id", "case_id", "status", "visited_on", "planned_on", "kind", "review_status"
            ),
        ),
    ]


def _first_appeal(field: str) -> Subquery:
    """The earliest `field` of the case's appeals: a repeat appeal joins its family's case, so
    a case may hold a hundred of them, and P4 needs the first dates only."""
    return Subquery(
        Appeal.objects.filter(case=OuterRef("pk"))
        .order_by()
        .values("case")
        .annotate(first=Min(field))
        .values("first")
    )


def cases_for(user: User) -> CaseQuerySet:
    qs = PatronageCase.objects.visible_to(user).filter(archived_at__isnull=True)
    return (
        qs.select_related("family", "family__department", "specialist")
        .prefetch_related(*_case_prefetches())
        .annotate(
            first_received_on=_first_appeal("received_on"),
            first_registered_on=_first_appeal("registered_on"),
        )
    )


def case_detail(request: Any, pk: Any) -> PatronageCase:
    """The case page's record, opened (and logged) through organisation.access."""
    from organisation.access import get_object_for

    return get_object_for(request, cases_for(request.user), pk)


def case_visits(case: PatronageCase) -> QuerySet[Visit]:
    return (
        Visit.objects.filter(case=case)
        .select_related("specialist", "act", "reviewed_by")
        .order_by("-visited_on", "-planned_on", "-pk")
    )


def recommendation_history(case: PatronageCase) -> QuerySet[Recommendation]:
    """P10: every recommendation of the case with the checks of its fulfilment."""
    return (
        Recommendation.objects.filter(case=case)
        .select_related("visit")
        .prefetch_related(
            Prefetch("checks", queryset=RecommendationCheck.objects.select_related("visit"))
        )
        .order_by("visit__visited_on", "pk")
    )


def visits_for(user: User) -> VisitQuerySet:
    return Visit.objects.visible_to(user).select_related(
        "case", "case__family", "specialist", "act"
    )


def filter_visits(
    qs: QuerySet[Visit],
    *,
    today: date,
    status: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    kind: str = "",
    act: str = "",
    recommendations: str = "",
    effectiveness: str = "",
    department: int | None = None,
) -> QuerySet[Visit]:
    """The visits the figures of the reports count (`reports.stats.selectors.visits_in` and
    `patronage_figures`): completed ones by the date of the visit, or planned ones (overdue:
    the planned date has passed). Each visit once, however many recommendations it has."""
    qs = qs.filter(archived_at__isnull=True)
    if status in ("planned", "overdue"):
        qs = qs.filter(status=VisitStatus.PLANNED)
        if status == "overdue":
            qs = qs.filter(planned_on__lt=today)
        if date_from:
            qs = qs.filter(planned_on__gte=date_from)
        if date_to:
            qs = qs.filter(planned_on__lte=date_to)
        order = ["planned_on", "pk"]
    else:
        qs = qs.filter(status=VisitStatus.COMPLETED)
        if date_from:
            qs = qs.filter(visited_on__gte=date_from)
        if date_to:
            qs = qs.filter(visited_on__lte=date_to)
        order = ["-visited_on", "-pk"]
    if kind:
        qs = qs.filter(kind=kind)
    if act:
        qs = qs.filter(act__kind=act)
    if recommendations == "given":
        qs = qs.filter(Exists(Recommendation.objects.filter(visit=OuterRef("pk"))))
    elif recommendations:
        checks = RecommendationCheck.objects.filter(visit=OuterRef("pk"), outcome=recommendations)
        qs = qs.filter(Exists(checks))
    if effectiveness:
        qs = qs.filter(effectiveness=effectiveness)
    if department:
        qs = qs.filter(case__family__department_id=department)
    return qs.order_by(*order)


def my_visits(user: User) -> QuerySet[Visit]:
    """A specialist's own visits; a head's and the director's: all they may see."""
    qs = visits_for(user).exclude(status=VisitStatus.CANCELLED)
    if user.role == Role.SPECIALIST:
        qs = qs.filter(specialist=user)
    return qs


def awaiting_review(user: User) -> QuerySet[Visit]:
    """P13: completed visits the head has not reviewed yet."""
    return (
        visits_for(user)
        .filter(status=VisitStatus.COMPLETED, review_status=ReviewStatus.PENDING)
        .order_by("visited_on", "pk")
    )


def with_remarks(user: User) -> QuerySet[Visit]:
    return my_visits(user).filter(review_status=ReviewStatus.REMARKS)


def earliest_appeal_date(case: PatronageCase) -> date | None:
    return case.received_on


def open_recommendations(visit: Visit) -> list[Recommendation]:
    """P10: recommendations of earlier visits of the case still to be checked at this visit."""
    return list(
        Recommendation.objects.filter(case_id=visit.case_id)
        .exclude(visit_id=visit.pk)
        .exclude(status=RecommendationStatus.FULFILLED)
        .select_related("visit")
        .order_by("visit__visited_on", "pk")
    )
