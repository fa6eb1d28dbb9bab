"""Deadlines of the SOP «Патронаж» (listed in the registry, `organisation.deadlines.kinds`)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Case, DateField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, TruncDate

from organisation import calendar_sql
from organisation.deadlines import (
    DeadlineItem,
    DeadlineKind,
    deadline,
    head_of,
    none_or_since,
    people,
    start_of_day,
    user_value,
)
from patronage.models import (
    FIRST_VISIT_MAX_DAYS,
    Appeal,
    PatronageCase,
    ReviewStatus,
    Visit,
    VisitStatus,
)

# Closed items stay on the dashboards this long, so a late one shows as "done late".
DONE_WINDOW_DAYS = 30


class AppealRegistration(DeadlineKind):
    """P2, P3: an appeal is registered within 3 days of receipt (received on a non-working day:
    the 3 following working days, or the term of its basis document). The registrar answers."""

    code = "appeal_registration"
    label = "Регистрация обращения"
    rules = "P2, P3"

    def queryset(self, *, today: date) -> QuerySet[Any]:
        since = today - timedelta(days=DONE_WINDOW_DAYS)
        qs = (
            Appeal.objects.filter(archived_at__isnull=True)
            .filter(Q(registered_on__isnull=True) | Q(registered_on__gte=since))
            .with_registration_due()
        )
        return deadline(
            qs,
            due="due",
            done="registered_on",
            responsible=user_value(people().registrar_id),
            department="department_id",
        )

    def item(self, obj: Appeal) -> DeadlineItem:
        return self.make(
            obj,
            key=f"appeal:{obj.pk}",
            title=f"Обращение от {obj.received_on:%d.%m.%Y}: {obj.sender}",
            url=obj.get_absolute_url(),
        )


class FirstVisit(DeadlineKind):
    """P4: the family waits at most 1–4 days from registration to the first visit. The assigned
    specialist answers; while no specialist is assigned (or no case opened), the head.

    Two sources: the cases (from the first registered appeal to the first completed visit) and
    the registered appeals no case has been opened for yet."""

    code = "first_visit"
    label = "Первичный патронаж: срок ожидания"
    rules = "P4"

    def querysets(self, *, today: date) -> list[QuerySet[Any]]:
        since = today - timedelta(days=DONE_WINDOW_DAYS)
        first_registered = (
            Appeal.objects.filter(case=OuterRef("pk"), registered_on__isnull=False)
            .order_by("registered_on")
            .values("registered_on")[:1]
        )
        first_visit = (
            Visit.objects.filter(
                case=OuterRef("pk"), status=VisitStatus.COMPLETED, visited_on__isnull=False
            )
            .order_by("visited_on")
            .values("visited_on")[:1]
        )
        cases = (
            PatronageCase.objects.filter(archived_at__isnull=True)
            .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=since))
            .annotate(
                dl_start=Subquery(first_registered, output_field=DateField()),
                dl_first=Subquery(first_visit, output_field=DateField()),
            )
            .filter(dl_start__isnull=False)
            .filter(none_or_since("dl_first", since))
            .select_related("family")
        )
        waiting = Appeal.objects.filter(
            registered_on__isnull=False, case__isnull=True, archived_at__isnull=True
        )
        return [
            deadline(
                cases,
                due=calendar_sql.term_end("dl_start", FIRST_VISIT_MAX_DAYS),
                done="dl_first",
                responsible=Coalesce("specialist_id", head_of("family__department_id")),
                department="family__department_id",
            ),
            deadline(
                waiting,
                due=calendar_sql.term_end("registered_on", FIRST_VISIT_MAX_DAYS),
                responsible=head_of("department_id"),
                department="department_id",
            ),
        ]

    def item(self, obj: PatronageCase | Appeal) -> DeadlineItem:
        if isinstance(obj, Appeal):
            return self.make(
                obj,
                key=f"appeal:{obj.pk}",
                title=f"Обращение № {obj.registration_number}: открыть патронаж, "
                "закрепить специалиста",
                url=obj.get_absolute_url(),
            )
        return self.make(
            obj,
            key=f"case:{obj.pk}",
            title=f"Первичный патронаж: {obj.family}",
            url=obj.get_absolute_url(),
        )


class VisitReview(DeadlineKind):
    """P13: the head checks the records of completed visits. The SOP sets no term; the centre's
    norm is a review within five working days of the record."""

    code = "visit_review"
    label = "Проверка записи о патронаже"
    rules = "P13"
    working_days = 5

    def queryset(self, *, today: date) -> QuerySet[Any]:
        since = today - timedelta(days=DONE_WINDOW_DAYS)
        qs = (
            Visit.objects.filter(status=VisitStatus.COMPLETED, completed_at__isnull=False)
            .filter(Q(review_status=ReviewStatus.PENDING) | Q(reviewed_at__gte=start_of_day(since)))
            .annotate(dl_start=TruncDate("completed_at"))
            .select_related("case__family", "specialist")
        )
        return deadline(
            qs,
            due=calendar_sql.add_working_days("dl_start", self.working_days),
            done=Case(
                When(review_status=ReviewStatus.PENDING, then=Value(None)),
                default=TruncDate("reviewed_at"),
                output_field=DateField(),
            ),
            responsible=head_of("case__family__department_id"),
            department="case__family__department_id",
        )

    def item(self, obj: Visit) -> DeadlineItem:
        return self.make(
            obj,
            key=f"visit:{obj.pk}",
            title=f"Посещение: {obj.case.family} ({obj.specialist.short_name})",
            url=obj.get_absolute_url(),
        )
