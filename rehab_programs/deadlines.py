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
from typing import Any

from django.db.models import DateField, Exists, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest

from organisation import calendar_sql
from organisation.deadlines import (
    DeadlineItem,
    DeadlineKind,
    deadline,
    head_of,
    none_or_since,
)
from organisation.links import record_url
from recipients.models import Recipient
from rehab_programs.models import (
    PRIMARY_DIAGNOSTICS_WORKING_DAYS,
    PROGRAMME_WORKING_DAYS,
    REVISION_MONTHS,
    ProgrammeVersion,
    RehabProgramme,
    VersionStatus,
)
from rehab_programs.selectors import primary_results_on

# Items done longer ago than this drop out of the register ("done late" stays visible a while).
DONE_HORIZON_DAYS = 60


def _enrolled() -> QuerySet[Recipient]:
    """Minors in service with a first day of stay, with `primary_on`: the date of the last
    primary diagnostic of the current stay (`rehab_programs.selectors.primary_results_on`)."""
    return (
        Recipient.objects.open_stay()
        .filter(archived_at__isnull=True)
        .only("pk", "last_name", "first_name", "patronymic", "department_id", "first_day_of_stay")
        .annotate(primary_on=primary_results_on())
    )


class PrimaryDiagnostics(DeadlineKind):
    code = "rehab_primary_diagnostics"
    label = "Первичная диагностика (10 рабочих дней)"
    rules = "O15"

    def queryset(self, *, today: date) -> QuerySet[Any]:
        horizon = today - timedelta(days=DONE_HORIZON_DAYS)
        qs = _enrolled().filter(none_or_since("primary_on", horizon))
        return deadline(
            qs,
            due=calendar_sql.add_working_days(
                "first_day_of_stay", PRIMARY_DIAGNOSTICS_WORKING_DAYS
            ),
            done="primary_on",
            responsible=head_of("department_id"),
            department="department_id",
        )

    def item(self, obj: Recipient) -> DeadlineItem:
        return self.make(
            obj,
            key=f"recipient:{obj.pk}",
            title=f"{obj.short_name}: первичная диагностика",
            url=record_url("rehab_programs:recipient", obj.pk),
        )


class RehabProgrammeDrawnUp(DeadlineKind):
    code = "rehab_programme"
    label = "Разработка ИПСРН (10 рабочих дней)"
    rules = "O16"

    def queryset(self, *, today: date) -> QuerySet[Any]:
        horizon = today - timedelta(days=DONE_HORIZON_DAYS)
        first_programme = (
            RehabProgramme.objects.filter(
                recipient=OuterRef("pk"),
                archived_at__isnull=True,
                drawn_up_on__gte=OuterRef("first_day_of_stay"),
            )
            .order_by("drawn_up_on")
            .values("drawn_up_on")[:1]
        )
        qs = (
            _enrolled()
            .annotate(programme_on=Subquery(first_programme, output_field=DateField()))
            .filter(primary_on__isnull=False)
            .filter(none_or_since("programme_on", horizon))
        )
        return deadline(
            qs,
            due=calendar_sql.add_working_days("primary_on", PROGRAMME_WORKING_DAYS),
            done="programme_on",
            responsible=head_of("department_id"),
            department="department_id",
        )

    def item(self, obj: Recipient) -> DeadlineItem:
        return self.make(
            obj,
            key=f"recipient:{obj.pk}",
            title=f"{obj.short_name}: составить ИПСРН",
            url=record_url("rehab_programs:recipient", obj.pk),
        )


class QuarterlyRevision(DeadlineKind):
    code = "rehab_revision"
    label = "Пересмотр ИПСРН консилиумом (раз в квартал)"
    rules = "O19"

    def queryset(self, *, today: date) -> QuerySet[Any]:
        approved = ProgrammeVersion.objects.filter(
            programme=OuterRef("pk"),
            status=VersionStatus.APPROVED,
            protocol_date__isnull=False,
        )
        # the later of the last approval and the last «continue without changes», in one
        # subquery (PostgreSQL would run a subquery named twice in the expression twice)
        last_review = approved.order_by("-protocol_date").values(
            last=Greatest("protocol_date", Coalesce(OuterRef("continued_on"), "protocol_date"))
        )[:1]
        qs = (
            RehabProgramme.objects.filter(
                archived_at__isnull=True,
                recipient__first_day_of_stay__isnull=False,
                recipient__discharged_on__isnull=True,
                recipient__archived_at__isnull=True,
                drawn_up_on__gte=F("recipient__first_day_of_stay"),
            )
            # a condition the planner joins (a semi-join), not a subquery for every programme
            .filter(Exists(approved))
            .annotate(
                dl_last=Subquery(last_review, output_field=DateField()),
                dl_end=calendar_sql.AddMonths("dl_last", REVISION_MONTHS),
            )
            .select_related("recipient")
        )
        return deadline(
            qs,
            due=calendar_sql.next_working_day("dl_end"),
            responsible="curator_id",
            department="recipient__department_id",
        )

    def item(self, obj: RehabProgramme) -> DeadlineItem:
        return self.make(
            obj,
            key=f"programme:{obj.pk}",
            title=f"{obj.recipient.short_name}: пересмотр ИПСРН консилиумом",
            url=obj.get_absolute_url(),
        )
