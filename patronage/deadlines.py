"""Deadlines of the SOP «Патронаж» (listed in the registry, `organisation.deadlines.kinds`)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Prefetch, Q
from django.utils import timezone

from organisation import calendar
from organisation.deadlines import DeadlineItem, DeadlineKind, DepartmentHeads
from organisation.selectors import current_registrar
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

    def items(self, *, today: date, department_id: int | None = None) -> list[DeadlineItem]:
        since = today - timedelta(days=DONE_WINDOW_DAYS)
        qs = Appeal.objects.filter(archived_at__isnull=True).filter(
            Q(registered_on__isnull=True) | Q(registered_on__gte=since)
        )
        if department_id is not None:
            qs = qs.filter(department_id=department_id)
        registrar = current_registrar()
        return [
            DeadlineItem(
                kind=self,
                key=f"appeal:{a.pk}",
                title=f"Обращение от {a.received_on:%d.%m.%Y}: {a.sender}",
                due=a.registration_due,
                done_on=a.registered_on,
                url=a.get_absolute_url(),
                responsible_id=registrar.pk if registrar else None,
                responsible_name=registrar.short_name if registrar else "",
                department_id=a.department_id,
            )
            for a in qs
        ]


class FirstVisit(DeadlineKind):
    """P4: the family waits at most 1–4 days from registration to the first visit. The assigned
    specialist answers; while no specialist is assigned (or no case opened), the head."""

    code = "first_visit"
    label = "Первичный патронаж: срок ожидания"
    rules = "P4"

    def items(self, *, today: date, department_id: int | None = None) -> list[DeadlineItem]:
        since = today - timedelta(days=DONE_WINDOW_DAYS)
        completed = Visit.objects.filter(status=VisitStatus.COMPLETED).only(
            "case_id", "status", "visited_on"
        )
        cases = (
            PatronageCase.objects.filter(archived_at__isnull=True)
            .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=since))
            .select_related("family", "specialist")
            .prefetch_related(Prefetch("visits", queryset=completed), "appeals")
        )
        waiting = Appeal.objects.filter(
            registered_on__isnull=False, case__isnull=True, archived_at__isnull=True
        )
        if department_id is not None:
            cases = cases.filter(family__department_id=department_id)
            waiting = waiting.filter(department_id=department_id)
        cases_list, waiting_list = list(cases), list(waiting)
        heads = DepartmentHeads(
            [c.family.department_id for c in cases_list] + [a.department_id for a in waiting_list]
        )
        items = []
        for case in cases_list:
            due = case.first_visit_due
            first = case.first_visit_on
            if due is None or (first is not None and first < since):
                continue
            who = case.specialist or heads.head(case.family.department_id)
            items.append(
                DeadlineItem(
                    kind=self,
                    key=f"case:{case.pk}",
                    title=f"Первичный патронаж: {case.family}",
                    due=due,
                    done_on=first,
                    url=case.get_absolute_url(),
                    responsible_id=who.pk if who else None,
                    responsible_name=who.short_name if who else "",
                    department_id=case.family.department_id,
                )
            )
        for appeal in waiting_list:
            assert appeal.registered_on is not None
            items.append(
                heads.item(
                    self,
                    key=f"appeal:{appeal.pk}",
                    title=f"Обращение № {appeal.registration_number}: открыть патронаж, "
                    "закрепить специалиста",
                    due=calendar.term_end(appeal.registered_on, FIRST_VISIT_MAX_DAYS),
                    url=appeal.get_absolute_url(),
                    department_id=appeal.department_id,
                )
            )
        return items


class VisitReview(DeadlineKind):
    """P13: the head checks the records of completed visits. The SOP sets no term; the centre's
    norm is a review within five working days of the record."""

    code = "visit_review"
    label = "Проверка записи о патронаже"
    rules = "P13"
    working_days = 5

    def items(self, *, today: date, department_id: int | None = None) -> list[DeadlineItem]:
        since = today - timedelta(days=DONE_WINDOW_DAYS)
        qs = (
            Visit.objects.filter(status=VisitStatus.COMPLETED, completed_at__isnull=False)
            .filter(Q(review_status=ReviewStatus.PENDING) | Q(reviewed_at__date__gte=since))
            .select_related("case__family", "specialist")
        )
        if department_id is not None:
            qs = qs.filter(case__family__department_id=department_id)
        visits = list(qs)
        heads = DepartmentHeads(v.case.family.department_id for v in visits)
        items = []
        for v in visits:
            assert v.completed_at is not None
            reviewed = timezone.localdate(v.reviewed_at) if v.reviewed_at else None
            items.append(
                heads.item(
                    self,
                    key=f"visit:{v.pk}",
                    title=f"Посещение: {v.case.family} ({v.specialist.short_name})",
                    due=calendar.add_working_days(
                        timezone.localdate(v.completed_at), self.working_days
                    ),
                    done_on=reviewed if v.review_status != ReviewStatus.PENDING else None,
                    url=v.get_absolute_url(),
                    department_id=v.case.family.department_id,
                )
            )
        return items
