"""Deadlines of the director's orders (listed in the registry, `organisation.deadlines.kinds`)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import models
from django.utils import timezone

from orders.models import Order, OrderStatus
from organisation import calendar
from organisation.deadlines import DeadlineItem, DeadlineKind
from organisation.selectors import current_director


class OrderAwaitingDecision(DeadlineKind):
    """A drafted enrolment or discharge order waits for the director (O12, O24). The regulation
    sets no term; the centre's norm is a decision within two working days of the draft."""

    code = "order_decision"
    label = "Приказ ждёт решения директора"
    rules = "O12, O24"
    working_days = 2
    done_window_days = 30  # decided orders stay listed this long, to show "done late"

    def items(self, *, today: date, department_id: int | None = None) -> list[DeadlineItem]:
        qs = Order.objects.select_related("recipient").filter(
            models.Q(status=OrderStatus.DRAFT)
            | models.Q(decided_at__date__gte=today - timedelta(days=self.done_window_days))
        )
        if department_id is not None:
            qs = qs.filter(recipient__department_id=department_id)
        director = current_director()
        items = []
        for order in qs:
            drafted = timezone.localdate(order.created_at)
            decided = timezone.localdate(order.decided_at) if order.decided_at else None
            items.append(
                DeadlineItem(
                    kind=self,
                    key=f"order:{order.pk}",
                    title=f"Приказ {order.get_kind_display()}: {order.recipient.short_name}",
                    due=calendar.add_working_days(drafted, self.working_days),
                    done_on=decided if order.status != OrderStatus.DRAFT else None,
                    url=order.get_absolute_url(),
                    responsible_id=director.pk if director else None,
                    responsible_name=director.short_name if director else "",
                    department_id=order.recipient.department_id,
                )
            )
        return items
