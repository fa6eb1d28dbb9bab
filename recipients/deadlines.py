"""Deadlines of the recipients' domain (listed in organisation.deadlines.KINDS)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.urls import reverse

from organisation.deadlines import DeadlineItem, DeadlineKind
from organisation.models import Position, User
from recipients.models import Recipient, RecipientStatus


def anniversary(birth_date: date, years: int) -> date:
    """The day a person born on `birth_date` turns `years` (29 February → 1 March)."""
    try:
        return birth_date.replace(year=birth_date.year + years)
    except ValueError:
        return date(birth_date.year + years, 3, 1)


def heads_by_department(department_ids: Iterable[int]) -> dict[int, User]:
    heads = User.objects.filter(
        position=Position.HEAD, is_active=True, department_id__in=set(department_ids)
    ).order_by("pk")
    result: dict[int, User] = {}
    for head in heads:
        result.setdefault(head.department_id, head)  # type: ignore[arg-type]
    return result


class EighteenthBirthday(DeadlineKind):
    """O1: recipients are minors; service ends by the 18th birthday. The head is responsible."""

    code = "recipient_18"
    label = "Достижение 18 лет: прекращение обслуживания"
    rules = "O1"
    horizon_days = 60  # shown from two months before the birthday

    def items(self, *, today: date, department_id: int | None = None) -> list[DeadlineItem]:
        latest_birth = anniversary(today + timedelta(days=self.horizon_days), -18)
        qs = Recipient.objects.filter(
            status=RecipientStatus.ENROLLED, archived_at__isnull=True, birth_date__lte=latest_birth
        )
        if department_id is not None:
            qs = qs.filter(department_id=department_id)
        recipients = list(
            qs.only("pk", "last_name", "first_name", "patronymic", "birth_date", "department_id")
        )
        heads = heads_by_department(r.department_id for r in recipients)
        items = []
        for r in recipients:
            due = anniversary(r.birth_date, 18)
            head = heads.get(r.department_id)
            items.append(
                DeadlineItem(
                    kind=self,
                    key=f"recipient:{r.pk}",
                    title=f"{r.short_name}: 18 лет {due:%d.%m.%Y} — снять с обслуживания",
                    due=due,
                    url=reverse("recipients:detail", args=[r.pk]),
                    responsible_id=head.pk if head else None,
                    responsible_name=head.short_name if head else "",
                    department_id=r.department_id,
                )
            )
        return items
