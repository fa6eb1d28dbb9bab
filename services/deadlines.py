"""Deadlines of the services' domain (listed in the registry, `organisation.deadlines.kinds`)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import models

from organisation.deadlines import DeadlineItem, DeadlineKind, DepartmentHeads
from recipients.models import RecipientStatus
from services.models import IndividualProgramme


class IndividualProgrammeTermEnding(DeadlineKind):
    """A temporary individual programme (ИППСУ) ends (O4): draw up the next one or prepare the
    discharge on the end of the term (O23). The head answers; shown 30 days ahead."""

    code = "programme_end"
    label = "Окончание срока ИППСУ"
    rules = "O4, O23"
    horizon_days = 30

    def items(self, *, today: date, department_id: int | None = None) -> list[DeadlineItem]:
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
                recipient__status=RecipientStatus.ENROLLED,
            )
            .exclude(models.Exists(later))
            .select_related("recipient")
        )
        if department_id is not None:
            qs = qs.filter(recipient__department_id=department_id)
        programmes = list(qs)
        heads = DepartmentHeads(p.recipient.department_id for p in programmes)
        items = []
        for p in programmes:
            assert p.valid_until is not None
            items.append(
                heads.item(
                    self,
                    key=f"programme:{p.pk}",
                    title=f"{p.recipient.short_name}: ИППСУ действует до {p.valid_until:%d.%m.%Y}"
                    " — составить новую или снять с обслуживания",
                    due=p.valid_until,
                    url=p.get_absolute_url(),
                    department_id=p.recipient.department_id,
                )
            )
        return items
