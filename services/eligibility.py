"""Who may give a service and who may receive it: the rows of the Order's table (O31, O32).

The catalogue (`services/data/catalogue.json`) says per service which positions give it and,
where the row asks, which education (`provider_positions`, `provider_education`), and whether
the row limits its recipients (`recipient_condition`). These two functions read that data; every
path that logs a service asks them (the journal, group sessions, «Мой день», diagnostics,
patronage visits, urgent-service acts). Each returns a Russian reason or "" when allowed.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from organisation.models import Position
from services.models import WITH_EDUCATION, RecipientCondition, Service


class _Staff(Protocol):
    position: str
    education: str


def may_provide(user: _Staff, service: Service) -> str:
    """O31: the reason `user` may not give `service`, or "" when their position and, where the
    row asks, their education allow it."""
    if user.position not in (service.provider_positions or []):
        position = dict(Position.choices).get(user.position, user.position).lower()
        return (
            f"Услугу {service.code} оказывает {service.providers_text}; "
            f"ваша должность — {position}."
        )
    if service.provider_education and user.education != service.provider_education:
        needed = WITH_EDUCATION[service.provider_education]
        return (
            f"Услугу {service.code} оказывают только сотрудники с {needed} образованием; "
            "в вашей карточке сотрудника оно не указано."
        )
    return ""


class _Minor(Protocol):
    has_disability: bool
    has_life_limitations: bool
    health_document: str
    health_status_until: date | None


def may_receive(recipient: _Minor, service: Service, *, on: date) -> str:
    """O32: the reason `recipient` may not receive `service` on `on` because of the row's
    limit on recipients, or "". Disability and limitations of life activity count only when
    recorded on the card with their supporting document and not expired on that date."""
    condition = service.recipient_condition
    if not condition:
        return ""
    recorded = bool(recipient.health_document.strip()) and (
        recipient.health_status_until is None or recipient.health_status_until >= on
    )
    if condition == RecipientCondition.DISABILITY:
        if not (recipient.has_disability and recorded):
            return (
                f"услуга {service.code} оказывается детям-инвалидам: в карточке нет инвалидности "
                f"с подтверждающим документом, действующим на {on:%d.%m.%Y}"
            )
        return ""
    if not ((recipient.has_disability or recipient.has_life_limitations) and recorded):
        return (
            f"услуга {service.code} оказывается детям с ограничениями жизнедеятельности: в "
            "карточке нет ограничений или инвалидности с подтверждающим документом, "
            f"действующим на {on:%d.%m.%Y}"
        )
    return ""
