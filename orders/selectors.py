"""Reads of the director's orders shared by their list and the reports."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from consilium.models import Decision, DecisionKind
from orders.models import Order

QS = TypeVar("QS", bound=QuerySet[Order])


def with_discharge_ground(qs: QS) -> QS:
    """Annotates `ground`: the ground (O23) of the consilium's latest decision to discharge the
    minor held on or before the order's date of effect (O24); "" where there is none."""
    ground = (
        Decision.objects.filter(
            kind=DecisionKind.DISCHARGE,
            item__recipient=OuterRef("recipient"),
            item__meeting__held_on__lte=OuterRef("effective_on"),
        )
        .order_by("-item__meeting__held_on", "-pk")
        .values("ground")[:1]
    )
    return qs.annotate(ground=Coalesce(Subquery(ground), Value("")))  # type: ignore[return-value]
