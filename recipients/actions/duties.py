"""The provider's duties: changes of circumstances (O8), familiarisation and belongings (O9),
quality surveys (O5)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from organisation import policy
from organisation.models import User
from recipients.models import (
    Belonging,
    CircumstanceChange,
    Familiarisation,
    QualitySurvey,
    Recipient,
    Representative,
)


@transaction.atomic
def record_circumstance_change(
    *,
    recipient: Recipient,
    recorded_by: User,
    reported_on: date,
    what_changed: str,
    reported_by: Representative | None = None,
    reported_by_name: str = "",
    revise_circumstances: bool = False,
) -> CircumstanceChange:
    """A representative reports a change of the circumstances of need (O8, Order §2.6.6); the
    head of the department reviews it (`review_circumstance_change`)."""
    policy.require(recorded_by, policy.CHANGE, recipient)
    if reported_on > timezone.localdate():
        raise ValidationError({"reported_on": "Дата сообщения не может быть в будущем."})
    if reported_by is not None and reported_by.family_id != recipient.family_id:
        raise ValidationError({"reported_by": "Сообщивший должен быть представителем ребёнка."})
    if reported_by is None and not reported_by_name.strip():
        raise ValidationError(
            {"reported_by": "Выберите представителя или укажите, кто сообщил об изменении."}
        )
    if not what_changed.strip():
        raise ValidationError({"what_changed": "Опишите, что изменилось."})
    change = CircumstanceChange(
        recipient=recipient,
        reported_on=reported_on,
        reported_by=reported_by,
        reported_by_name="" if reported_by else reported_by_name.strip(),
        what_changed=what_changed.strip(),
        revise_circumstances=revise_circumstances,
        created_by=recorded_by,
    )
    change.full_clean()
    change.save()
    return change


@transaction.atomic
def review_circumstance_change(
    *, change: CircumstanceChange, reviewed_by: User, decision: str, reviewed_on: date | None = None
) -> CircumstanceChange:
    """The head reviews a reported change (O8) and notes the decision."""
    policy.require(reviewed_by, "recipients.review_circumstance_change", change)
    change = CircumstanceChange.objects.select_for_update().get(pk=change.pk)
    if change.is_reviewed:
        raise ValidationError("Сообщение уже рассмотрено.")
    reviewed_on = reviewed_on or timezone.localdate()
    if reviewed_on > timezone.localdate():
        raise ValidationError({"reviewed_on": "Дата рассмотрения не может быть в будущем."})
    if reviewed_on < change.reported_on:
        raise ValidationError(
            {"reviewed_on": "Дата рассмотрения не может быть раньше даты сообщения."}
        )
    if not decision.strip():
        raise ValidationError({"decision": "Запишите решение."})
    change.reviewed_by = reviewed_by
    change.reviewed_on = reviewed_on
    change.decision = decision.strip()
    change.save(update_fields=["reviewed_by", "reviewed_on", "decision", "updated_at"])
    return change


@transaction.atomic
def record_familiarisation(
    *,
    recipient: Recipient,
    recorded_by: User,
    kinds: Iterable[str],
    on: date,
    representative: Representative | None = None,
    note: str = "",
) -> list[Familiarisation]:
    """One row per document the minor (and the representative) were familiarised with (O9)."""
    policy.require(recorded_by, policy.CHANGE, recipient)
    kinds = list(dict.fromkeys(kinds))
    if not kinds:
        raise ValidationError({"kinds": "Отметьте хотя бы один документ."})
    if on > timezone.localdate():
        raise ValidationError({"on": "Дата ознакомления не может быть в будущем."})
    if representative is not None and representative.family_id != recipient.family_id:
        raise ValidationError(
            {"representative": "Ознакомить можно законного представителя этого ребёнка."}
        )
    rows = []
    for kind in kinds:
        row = Familiarisation(
            recipient=recipient,
            representative=representative,
            kind=kind,
            on=on,
            recorded_by=recorded_by,
            note=note,
            created_by=recorded_by,
        )
        row.full_clean()
        row.save()
        rows.append(row)
    return rows


@transaction.atomic
def hand_over_belonging(
    *, recipient: Recipient, accepted_by: User, description: str, on: date, note: str = ""
) -> Belonging:
    """A thing or valuable accepted for safekeeping (O9)."""
    policy.require(accepted_by, policy.CHANGE, recipient)
    if on > timezone.localdate():
        raise ValidationError({"handed_over_on": "Дата не может быть в будущем."})
    item = Belonging(
        recipient=recipient,
        description=description,
        handed_over_on=on,
        note=note,
        created_by=accepted_by,
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def return_belonging(*, belonging: Belonging, returned_by: User, on: date) -> Belonging:
    policy.require(returned_by, policy.CHANGE, belonging)
    belonging.refresh_from_db(
        from_queryset=Belonging.objects.select_for_update(), fields=["returned_on"]
    )
    if belonging.returned_on is not None:
        raise ValidationError("Вещь уже возвращена.")
    if on > timezone.localdate():
        raise ValidationError({"returned_on": "Дата не может быть в будущем."})
    belonging.returned_on = on
    belonging.full_clean()
    belonging.save(update_fields=["returned_on", "updated_at"])
    return belonging


@transaction.atomic
def record_quality_survey(
    *,
    recipient: Recipient,
    recorded_by: User,
    respondent: str,
    answered_on: date,
    completeness: int,
    timeliness: int,
    politeness: int,
    conditions: int,
    comment: str = "",
) -> QualitySurvey:
    """One questionnaire on the quality of services (O5), scores 1–5."""
    policy.require(recorded_by, policy.CHANGE, recipient)
    if answered_on and answered_on > timezone.localdate():
        raise ValidationError({"answered_on": "Дата анкетирования не может быть в будущем."})
    survey = QualitySurvey(
        recipient=recipient,
        respondent=respondent,
        answered_on=answered_on,
        completeness=completeness,
        timeliness=timeliness,
        politeness=politeness,
        conditions=conditions,
        comment=comment,
        created_by=recorded_by,
    )
    survey.full_clean()
    survey.save()
    return survey
