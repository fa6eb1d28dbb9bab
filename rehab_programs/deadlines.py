"""Deadlines of diagnostics and the ИПСРН (listed in the registry, `organisation.deadlines.kinds`).

- O15: primary diagnostics by the 10th working day after the first day of stay; done on the
  date of the last primary diagnostic of the stay.
- O16: the ИПСРН by the 10th working day after the primary diagnostics results (the last
  primary diagnostic); done on the date the programme was drawn up.
- O19: the consilium revises the programme at least once a quarter from its last approval or
  review (`rehab_programs.models.quarter_after`); always open while the minor is in service.

The head of the department answers for O15 and O16 (no programme, hence no curator, exists
yet); the programme's curator for O19.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import F, Max, Min, Q
from django.urls import reverse

from organisation.deadlines import DeadlineItem, DeadlineKind, DepartmentHeads
from recipients.models import Recipient, RecipientStatus
from rehab_programs.models import (
    RehabProgramme,
    VersionStatus,
    primary_diagnostics_due,
    quarter_after,
    rehab_programme_due,
)
from rehab_programs.selectors import with_primary_results

# Items done longer ago than this drop out of the register ("done late" stays visible a while).
DONE_HORIZON_DAYS = 60


def _enrolled(department_id: int | None):
    qs = Recipient.objects.filter(
        status=RecipientStatus.ENROLLED, archived_at__isnull=True, first_day_of_stay__isnull=False
    )
    if department_id is not None:
        qs = qs.filter(department_id=department_id)
    return qs


class PrimaryDiagnostics(DeadlineKind):
    code = "rehab_primary_diagnostics"
    label = "Первичная диагностика (10 рабочих дней)"
    rules = "O15"

    def items(self, *, today: date, department_id: int | None = None) -> list[DeadlineItem]:
        horizon = today - timedelta(days=DONE_HORIZON_DAYS)
        recipients = list(
            with_primary_results(_enrolled(department_id))
            .filter(Q(primary_on__isnull=True) | Q(primary_on__gte=horizon))
            .only(
                "pk", "last_name", "first_name", "patronymic", "department_id", "first_day_of_stay"
            )
        )
        heads = DepartmentHeads(r.department_id for r in recipients)
        items = []
        for r in recipients:
            assert r.first_day_of_stay is not None
            items.append(
                heads.item(
                    self,
                    key=f"recipient:{r.pk}",
                    title=f"{r.short_name}: первичная диагностика",
                    due=primary_diagnostics_due(r.first_day_of_stay),
                    url=reverse("rehab_programs:recipient", args=[r.pk]),
                    department_id=r.department_id,
                    done_on=r.primary_on,  # type: ignore[attr-defined]
                )
            )
        return items


class RehabProgrammeDrawnUp(DeadlineKind):
    code = "rehab_programme"
    label = "Разработка ИПСРН (10 рабочих дней)"
    rules = "O16"

    def items(self, *, today: date, department_id: int | None = None) -> list[DeadlineItem]:
        horizon = today - timedelta(days=DONE_HORIZON_DAYS)
        recipients = list(
            with_primary_results(_enrolled(department_id))
            .annotate(
                programme_on=Min(
                    "rehab_programmes__drawn_up_on",
                    filter=Q(
                        rehab_programmes__archived_at__isnull=True,
                        rehab_programmes__drawn_up_on__gte=F("first_day_of_stay"),
                    ),
                )
            )
            .filter(primary_on__isnull=False)
            .filter(Q(programme_on__isnull=True) | Q(programme_on__gte=horizon))
            .only("pk", "last_name", "first_name", "patronymic", "department_id")
        )
        heads = DepartmentHeads(r.department_id for r in recipients)
        items = []
        for r in recipients:
            items.append(
                heads.item(
                    self,
                    key=f"recipient:{r.pk}",
                    title=f"{r.short_name}: составить ИПСРН",
                    due=rehab_programme_due(r.primary_on),  # type: ignore[attr-defined]
                    url=reverse("rehab_programs:recipient", args=[r.pk]),
                    department_id=r.department_id,
                    done_on=r.programme_on,  # type: ignore[attr-defined]
                )
            )
        return items


class QuarterlyRevision(DeadlineKind):
    code = "rehab_revision"
    label = "Пересмотр ИПСРН консилиумом (раз в квартал)"
    rules = "O19"

    def items(self, *, today: date, department_id: int | None = None) -> list[DeadlineItem]:
        qs = RehabProgramme.objects.filter(
            archived_at__isnull=True,
            recipient__status=RecipientStatus.ENROLLED,
            recipient__archived_at__isnull=True,
            drawn_up_on__gte=F("recipient__first_day_of_stay"),
        ).annotate(
            approved_on=Max(
                "versions__protocol_date", filter=Q(versions__status=VersionStatus.APPROVED)
            )
        )
        if department_id is not None:
            qs = qs.filter(recipient__department_id=department_id)
        items = []
        for p in qs.filter(approved_on__isnull=False).select_related("recipient", "curator"):
            last = max(d for d in (p.approved_on, p.continued_on) if d)  # type: ignore[attr-defined]
            items.append(
                DeadlineItem(
                    kind=self,
                    key=f"programme:{p.pk}",
                    title=f"{p.recipient.short_name}: пересмотр ИПСРН консилиумом",
                    due=quarter_after(last),
                    url=p.get_absolute_url(),
                    responsible_id=p.curator_id,
                    responsible_name=p.curator.short_name,
                    department_id=p.recipient.department_id,
                )
            )
        return items
