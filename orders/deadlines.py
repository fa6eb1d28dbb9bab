"""Deadlines of the director's orders (listed in the registry, `organisation.deadlines.kinds`)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import models
from django.db.models.functions import TruncDate

from orders.models import Order, OrderStatus
from organisation import calendar_sql
from organisation.deadlines import (
    DeadlineItem,
    DeadlineKind,
    deadline,
    people,
    start_of_day,
    user_value,
)


class OrderAwaitingDecision(DeadlineKind):
    """A drafted enrolment or discharge order waits for the director (O12, O24). The regulation
    sets no term; the centre's norm is a decision within two working days of the draft."""

    code = "order_decision"
    label = "Приказ ждёт решения директора"
    rules = "O12, O24"
    working_days = 2
    done_window_days = 30  # decided orders stay listed this long, to show "done late"

    def queryset(self, *, today: date) -> models.QuerySet[Any]:
        qs = (
            Order.objects.select_related("recipient")
            .filter(
                models.Q(status=OrderStatus.DRAFT)
                # decided on or after that local day: its start as a moment, read by index
                | models.Q(
                    decided_at__gte=start_of_day(today - timedelta(days=self.done_window_days))
                )
            )
            .annotate(dl_start=TruncDate("created_at"))
        )
        return deadline(
            qs,
            due=calendar_sql.add_working_days("dl_start", self.working_days),
            done=models.Case(
                models.When(status=OrderStatus.DRAFT, then=models.Value(None)),
                default=TruncDate("decided_at"),
                output_field=models.DateField(),
            ),
            responsible=user_value(people().director_id),
            department="recipient__department_id",
        )

    def item(self, obj: Order) -> DeadlineItem:
        return self.make(
            obj,
            key=f"order:{obj.pk}",
            title=f"Приказ {obj.get_kind_display()}: {obj.recipient.short_name}",
            url=obj.get_absolute_url(),
        )
