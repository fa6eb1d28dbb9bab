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
from recipients.models import MAX_AGE, Contract, Recipient
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


def contract_in_force(recipient: Recipient, on: date) -> Contract | None:
    """O33: the contract on social services in force on `on` (§2.6.1, §3.1), if any. Reads
    `recipient.contracts.all()`, so a caller checking many children prefetches «contracts»."""
    for contract in recipient.contracts.all():
        if (
            contract.archived_at is None
            and contract.concluded_on <= on
            and (contract.valid_until is None or contract.valid_until >= on)
        ):
            return contract
    return None


def may_receive(recipient: Recipient, service: Service, *, on: date) -> str:
    """O32, O33: the reason `recipient` may not receive `service` on `on`, or "".

    - services stop at the 18th birthday (§1.4, O1);
    - the Order's services rest on a contract in force on that date (§2.6.1, §3.1) and stop at
      its end (§3.5); urgent services (given at once, O11) and patronage of a family at home do
      not wait for one;
    - a row limited to disabled children or to limitations of life activity counts them only
      when recorded on the card with the supporting document, not expired on that date.
    """
    if recipient.age_on(on) >= MAX_AGE:  # services end the day before the 18th birthday
        return (
            f"{on:%d.%m.%Y} получателю уже исполнилось 18 лет: социальные услуги "
            "несовершеннолетним не оказываются (п. 1.4 Порядка)"
        )
    if service.needs_programme and contract_in_force(recipient, on) is None:
        return (
            f"на {on:%d.%m.%Y} нет действующего договора о предоставлении социальных услуг "
            "(срок договора истёк или договор не заключён)"
        )
    return _condition_error(recipient, service, on)


def _condition_error(recipient: Recipient, service: Service, on: date) -> str:
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
