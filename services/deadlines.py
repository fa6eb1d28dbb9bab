"""Deadlines of the services' domain (listed in the registry, `organisation.deadlines.kinds`)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import models

from organisation.deadlines import DeadlineItem, DeadlineKind, deadline, head_of
from services.models import IndividualProgramme


class IndividualProgrammeTermEnding(DeadlineKind):
    """A temporary individual programme (ИППСУ) ends (O4): draw up the next one or prepare the
    discharge on the end of the term (O23). The head answers; shown 30 days ahead."""

    code = "programme_end"
    label = "Окончание срока ИППСУ"
    rules = "O4, O23"
    horizon_days = 30

    def queryset(self, *, today: date) -> models.QuerySet[Any]:
        later = IndividualProgramme.objects.filter(
            recipient_id=models.OuterRef("recipient_id"),
            valid_from__gt=models.OuterRef("valid_from"),
            archived_at__isnull=True,
        )
        qs = (
            IndividualProgramme.objects.filter(
                archived_at__isnull=True,
                valid_until__isnull=False,
                valid_until__lte=today + timedelta(days=self.horizon_days),
                recipient__first_day_of_stay__isnull=False,
                recipient__discharged_on__isnull=True,
            )
            .exclude(models.Exists(later))
            .select_related("recipient")
        )
        return deadline(
            qs,
            due="valid_until",
            responsible=head_of("recipient__department_id"),
            department="recipient__department_id",
        )

    def item(self, obj: IndividualProgramme) -> DeadlineItem:
        assert obj.valid_until is not None
        return self.make(
            obj,
            key=f"programme:{obj.pk}",
            title=f"{obj.recipient.short_name}: ИППСУ действует до {obj.valid_until:%d.%m.%Y}"
            " — составить новую или снять с обслуживания",
            url=obj.get_absolute_url(),
        )
