"""Reads of the ПМП консилиум used by other apps."""

from __future__ import annotations

from datetime import date

from consilium.models import Composition, Decision, DecisionKind
from recipients.models import Recipient


def discharge_decision(recipient: Recipient) -> Decision | None:
    """The consilium's decision to discharge the minor during the current stay, if any (O24)."""
    qs = Decision.objects.filter(item__recipient=recipient, kind=DecisionKind.DISCHARGE)
    if recipient.first_day_of_stay:
        qs = qs.filter(item__meeting__held_on__gte=recipient.first_day_of_stay)
    return qs.select_related("item__meeting").order_by("-item__meeting__held_on", "-pk").first()


def composition_on(d: date) -> Composition | None:
    return Composition.objects.filter(order_date__lte=d).order_by("-order_date", "-pk").first()
