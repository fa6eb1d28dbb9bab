"""Consent to the processing of personal data (O6): recorded, withdrawn, and asked before
any disclosure beyond the centre."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from organisation import policy
from organisation.models import User
from recipients.models import (
    Consent,
    ConsentScope,
    Recipient,
    Representative,
)
from recipients.selectors import consent_covering


class DisclosureNotAllowed(PermissionDenied):
    """Raised before anything leaves the centre without a written consent covering it (O6)."""


@transaction.atomic
def record_consent(
    *,
    recipient: Recipient,
    recorded_by: User,
    given_on: date,
    given_by: Representative | None = None,
    covers_processing: bool = True,
    third_parties: str = "",
    covers_media: bool = False,
    covers_website: bool = False,
) -> Consent:
    """A written consent to the processing of the minor's data (O6), given by a representative
    of this child or, from 14, by the minor (`given_by` empty)."""
    policy.require(recorded_by, policy.CHANGE, recipient)
    if given_by is not None and given_by.family_id != recipient.family_id:
        raise ValidationError({"given_by": "Согласие даёт законный представитель этого ребёнка."})
    consent = Consent(
        recipient=recipient,
        given_by=given_by,
        given_on=given_on,
        covers_processing=covers_processing,
        third_parties=third_parties,
        covers_media=covers_media,
        covers_website=covers_website,
        created_by=recorded_by,
    )
    consent.full_clean()
    consent.save()
    return consent


@transaction.atomic
def withdraw_consent(
    *, consent: Consent, withdrawn_on: date, note: str, withdrawn_by: User
) -> Consent:
    # Locked and re-read: a second withdrawal (a double click, two people) is refused.
    policy.require(withdrawn_by, policy.CHANGE, consent)
    consent.refresh_from_db(from_queryset=Consent.objects.select_for_update())
    if consent.withdrawn_on is not None:
        raise ValidationError(
            f"Согласие уже отозвано {consent.withdrawn_on:%d.%m.%Y}: повторный отзыв не нужен."
        )
    consent.withdrawn_on = withdrawn_on
    consent.withdrawal_note = note
    consent.full_clean()
    consent.save(update_fields=["withdrawn_on", "withdrawal_note", "updated_at"])
    return consent


def ensure_disclosure_allowed(
    *,
    recipient: Recipient,
    scope: ConsentScope | str,
    third_party: str | None = None,
    on: date | None = None,
) -> Consent:
    """Call before any disclosure beyond the centre (to a named third party, the media, the
    website): returns the consent that allows it or raises DisclosureNotAllowed (O6).

    Work inside the centre (the register, its XLSX export, the card) is processing, not
    disclosure, and does not call this.
    """
    consent = consent_covering(recipient=recipient, scope=scope, third_party=third_party, on=on)
    if consent is None:
        scope_label = ConsentScope(scope).label
        whom = f" ({third_party})" if third_party else ""
        raise DisclosureNotAllowed(
            f"Нет действующего письменного согласия на {scope_label}{whom} "
            f"по получателю {recipient.short_name}: передача сведений запрещена (п. 2.6.3)."
        )
    return consent
