"""Workflows of the services app: logging services in the journal, correcting and cancelling
records, programmes, refusals and urgent-service acts.

Every function is keyword-only, runs in a transaction, validates against the catalogue and
raises `django.core.exceptions.ValidationError` with a dict of Russian messages keyed by the
form field they belong to (`recipient`, `recipients`, `service`, `date`, `duration_minutes`,
`escorts`, `reason_outside_programme`, …), so a form shows each one next to its field.

Other apps log services through `log_service` / `log_group_service`, e.g. the patronage app
logs a completed visit as «П.1» with `source="patronage.visit:<pk>"`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from organisation import policy
from organisation.dates import validate_fields
from organisation.integrity import refused_as
from organisation.models import User
from recipients.models import Family, Recipient, Representative
from services.eligibility import may_provide, may_receive
from services.models import (
    GroupSession,
    IndividualProgramme,
    Per,
    ProgrammeLine,
    RecordStatus,
    Refusal,
    Service,
    ServiceForm,
    ServiceRecord,
    UrgentServiceAct,
)

MAX_GROUP = 60


# ---------------------------------------------------------------------------------------------
# Validation against the catalogue (P14, O3, O29)


def _add(errors: dict[str, list[str]], field: str, message: str) -> None:
    if message and message not in errors[field]:
        errors[field].append(message)


def _check_service_and_time(
    errors: dict[str, list[str]], *, service: Service, day: date, duration_minutes: int
) -> None:
    if not service.is_leaf or not service.is_active:
        _add(errors, "service", "Выберите услугу, а не группу услуг.")
    try:
        validate_fields(ServiceRecord, date=day)
    except ValidationError as exc:
        _add(errors, "date", exc.messages[0])
    _add(errors, "duration_minutes", service.duration_error(duration_minutes))


def _check_provider(errors: dict[str, list[str]], *, provider: User, service: Service) -> None:
    """O31: the provider's position and, where the row asks, education."""
    _add(errors, "service", may_provide(provider, service))


def _recipient_errors(
    recipient: Recipient,
    *,
    service: Service,
    day: date,
    planned: bool,
    refused: bool,
    reason_outside_programme: str,
) -> list[tuple[str, str]]:
    """What is wrong with giving `service` to `recipient` on `day`, as (field, message)."""
    problems: list[tuple[str, str]] = []
    if service.needs_enrolment and not recipient.is_enrolled_on(day):
        problems.append(("recipient", f"не зачислен(а) на обслуживание на {day:%d.%m.%Y}"))
    age_error = service.age_error(recipient.age_on(day))
    if age_error:
        problems.append(("recipient", age_error[0].lower() + age_error[1:].rstrip(".")))
    limit = may_receive(recipient, service, on=day)
    if limit:
        problems.append(("recipient", limit))
    if refused:
        problems.append(
            ("recipient", f"оформлен отказ от услуги {service.code}: услуга не оказывается")
        )
    elif service.needs_programme and not planned and not reason_outside_programme.strip():
        problems.append(
            (
                "reason_outside_programme",
                f"услуги {service.code} нет в индивидуальной программе на {day:%d.%m.%Y}: "
                "укажите основание",
            )
        )
    return problems


def _plans(
    recipients: Sequence[Recipient], service: Service, day: date
) -> tuple[dict[int, ProgrammeLine], set[int]]:
    """The programme line planning `service` on `day` per recipient, and who refused it."""
    ids = [r.pk for r in recipients]
    lines = {
        line.programme.recipient_id: line
        for line in ProgrammeLine.objects.in_force_on(day)
        .filter(programme__recipient_id__in=ids, service=service)
        .select_related("programme")
    }
    refused = set(
        Refusal.objects.filter(
            recipient_id__in=ids, service=service, signed_on__lte=day
        ).values_list("recipient_id", flat=True)
    )
    return lines, refused


def _without_act(recipients: Sequence[Recipient], service: Service, day: date) -> set[int]:
    """O22: who has no act of urgent services on `day` that lists `service`."""
    if not service.is_urgent:
        return set()
    with_act = set(
        UrgentServiceAct.objects.filter(
            recipient_id__in=[r.pk for r in recipients], date=day, services=service
        ).values_list("recipient_id", flat=True)
    )
    return {r.pk for r in recipients} - with_act


def _no_act_message(service: Service, day: date) -> str:
    return (
        f"срочная услуга {service.code} подтверждается актом о предоставлении срочных "
        f"социальных услуг: составьте акт за {day:%d.%m.%Y} с этой услугой"
    )


def _logged_per_day(
    recipients: Sequence[Recipient], service: Service, day: date, *, exclude: int | None = None
) -> set[int]:
    """O33: who already has the per-day service («1 человеко-день») on `day`. The children's
    rows are locked first (in the order of their ids, as every caller's transaction takes
    them): two specialists marking one child at the same moment are answered one after the
    other, and the second sees the first's record."""
    if not service.is_per_day:
        return set()
    ids = sorted(r.pk for r in recipients)
    list(Recipient.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))
    records = ServiceRecord.objects.delivered().filter(
        recipient_id__in=[r.pk for r in recipients], service=service, date=day
    )
    if exclude is not None:
        records = records.exclude(pk=exclude)
    return set(records.values_list("recipient_id", flat=True))


def _per_day_message(service: Service, day: date) -> str:
    return (
        f"услуга {service.code} считается в человеко-днях и уже отмечена за {day:%d.%m.%Y}: "
        "один раз в день"
    )


def _raise(errors: dict[str, list[str]]) -> None:
    if any(errors.values()):
        raise ValidationError({k: v for k, v in errors.items() if v})


# ---------------------------------------------------------------------------------------------
# Logging services


def _new_record(
    recipient: Recipient,
    *,
    service: Service,
    provider: User,
    day: date,
    start_time: time | None,
    duration_minutes: int,
    notes: str,
    lines: dict[int, ProgrammeLine],
    reason_outside_programme: str,
    source: str | None,
    group: GroupSession | None = None,
) -> ServiceRecord:
    """The one place a record of the journal is built (individual or in a group session): the
    line of the child's ИППСУ it fulfils, or the reason it is given outside the programme."""
    return ServiceRecord(
        recipient=recipient,
        department_id=recipient.department_id,
        service=service,
        provider=provider,
        date=day,
        start_time=start_time,
        duration_minutes=duration_minutes,
        notes=notes,
        group=group,
        programme_line=lines.get(recipient.pk),
        reason_outside_programme="" if recipient.pk in lines else reason_outside_programme,
        source=source or "",
        created_by=provider,
    )


@transaction.atomic
def log_service(
    *,
    recipient: Recipient,
    service: Service,
    provider: User,
    date: date,
    duration_minutes: int,
    start_time: time | None = None,
    notes: str = "",
    reason_outside_programme: str = "",
    source: str | None = "",
) -> ServiceRecord:
    """Log one delivered individual service in the journal (P14), checked against the
    catalogue: duration and age bounds (O3, O29), who may give it (O31) and receive it (O32),
    a contract in force and no 18th birthday yet, a per-day unit once a day (O33), enrolment
    on the date, individual form, the child's programme or an explicit reason, no signed
    refusal (O7)."""
    policy.require(provider, "services.log_service", recipient)
    errors: dict[str, list[str]] = defaultdict(list)
    _check_service_and_time(errors, service=service, day=date, duration_minutes=duration_minutes)
    _check_provider(errors, provider=provider, service=service)
    if service.form == ServiceForm.GROUP:
        _add(
            errors,
            "service",
            f"Услуга {service.code} групповая: отметьте её на группу детей.",
        )
    lines, refused = _plans([recipient], service, date)
    for field, message in _recipient_errors(
        recipient,
        service=service,
        day=date,
        planned=recipient.pk in lines,
        refused=recipient.pk in refused,
        reason_outside_programme=reason_outside_programme,
    ):
        _add(errors, field, message[0].upper() + message[1:] + ".")
    if _logged_per_day([recipient], service, date):
        message = _per_day_message(service, date)
        _add(errors, "date", message[0].upper() + message[1:] + ".")
    if _without_act([recipient], service, date):
        message = _no_act_message(service, date)
        _add(errors, "service", message[0].upper() + message[1:] + ".")
    _raise(errors)
    record = _new_record(
        recipient,
        service=service,
        provider=provider,
        day=date,
        start_time=start_time,
        duration_minutes=duration_minutes,
        notes=notes,
        lines=lines,
        reason_outside_programme=reason_outside_programme,
        source=source,
    )
    record.save()
    return record


@transaction.atomic
def log_group_service(
    *,
    recipients: Iterable[Recipient],
    service: Service,
    provider: User,
    date: date,
    duration_minutes: int,
    start_time: time | None = None,
    escorts: int = 1,
    is_outing: bool = False,
    notes: str = "",
    reason_outside_programme: str = "",
    source: str | None = "",
) -> GroupSession:
    """Log one group session: one journal record per child, all sharing the session, written
    with one bulk insert (and one for their history). Checks every child as `log_service`
    does, the group form and, on an outing (`is_outing`), at most `escort_limit` minors per
    escort (O34: «при проведении выездных мероприятий»; classes at the centre are not bound)."""
    children = list(recipients)
    policy.require(provider, "services.log_service")
    for child in children:
        policy.require(provider, "services.log_service", child)
    errors: dict[str, list[str]] = defaultdict(list)
    _check_service_and_time(errors, service=service, day=date, duration_minutes=duration_minutes)
    _check_provider(errors, provider=provider, service=service)
    if not children:
        _add(errors, "recipients", "Выберите детей, которым оказана услуга.")
    elif len(children) > MAX_GROUP:
        _add(errors, "recipients", f"В одной группе не больше {MAX_GROUP} детей.")
    if service.form == ServiceForm.INDIVIDUAL:
        _add(
            errors,
            "service",
            f"Услуга {service.code} индивидуальная: внесите её каждому ребёнку отдельно.",
        )
    if escorts < 1:
        _add(errors, "escorts", "Нужен хотя бы один сопровождающий.")
    elif is_outing and service.escort_limit and len(children) > service.escort_limit * escorts:
        _add(
            errors,
            "escorts",
            f"На выезде на одного сопровождающего не более {service.escort_limit} "
            f"несовершеннолетних: для {len(children)} детей нужно сопровождающих не меньше "
            f"{-(-len(children) // service.escort_limit)}.",
        )
    departments = {c.department_id for c in children}
    if len(departments) > 1:
        _add(errors, "recipients", "Дети группы должны быть из одного отделения.")
    lines, refused = _plans(children, service, date)
    prefetch_related_objects(children, "contracts")
    already = _logged_per_day(children, service, date)
    no_act = _without_act(children, service, date)
    for child in children:
        for field, message in _recipient_errors(
            child,
            service=service,
            day=date,
            planned=child.pk in lines,
            refused=child.pk in refused,
            reason_outside_programme=reason_outside_programme,
        ):
            target = "recipients" if field == "recipient" else field
            _add(errors, target, f"{child.short_name}: {message}.")
        if child.pk in already:
            _add(errors, "recipients", f"{child.short_name}: {_per_day_message(service, date)}.")
        if child.pk in no_act:
            _add(errors, "recipients", f"{child.short_name}: {_no_act_message(service, date)}.")
    _raise(errors)
    session = GroupSession(
        department_id=children[0].department_id,
        service=service,
        provider=provider,
        date=date,
        start_time=start_time,
        duration_minutes=duration_minutes,
        escorts=escorts,
        is_outing=is_outing,
        notes=notes,
        created_by=provider,
    )
    session.save()
    records = [
        _new_record(
            child,
            service=service,
            provider=provider,
            day=date,
            start_time=start_time,
            duration_minutes=duration_minutes,
            notes=notes,
            lines=lines,
            reason_outside_programme=reason_outside_programme,
            source=source,
            group=session,
        )
        for child in children
    ]
    bulk_create_with_history(records, ServiceRecord, default_user=provider)
    return session


@transaction.atomic
def log_family_service(
    *,
    family: Family,
    service: Service,
    provider: User,
    date: date,
    duration_minutes: int,
    notes: str = "",
    source: str = "",
) -> ServiceRecord:
    """P14: a patronage visit to a family with no registered child still reaches the journal
    of services, as one record of the family. Only the patronage service is given this way."""
    policy.require(provider, "services.log_service", family)
    errors: dict[str, list[str]] = defaultdict(list)
    _check_service_and_time(errors, service=service, day=date, duration_minutes=duration_minutes)
    _check_provider(errors, provider=provider, service=service)
    if not service.is_patronage:
        _add(errors, "service", "Семье без зарегистрированного ребёнка вносится только патронаж.")
    _raise(errors)
    record = ServiceRecord(
        family=family,
        department_id=family.department_id,
        service=service,
        provider=provider,
        date=date,
        duration_minutes=duration_minutes,
        notes=notes,
        source=source,
        created_by=provider,
    )
    record.save()
    return record


@transaction.atomic
def correct_service_record(
    *,
    record: ServiceRecord,
    corrected_by: User,
    date: date,
    duration_minutes: int,
    start_time: time | None = None,
    notes: str = "",
    reason_outside_programme: str = "",
) -> ServiceRecord:
    """Correct date, time, duration or notes of a record; history keeps the previous values."""
    policy.require(
        corrected_by,
        "services.change_servicerecord",
        record,
        message="Исправить запись может специалист, который её внёс, или заведующий.",
    )
    if record.is_cancelled:
        raise ValidationError({"__all__": ["Отменённую запись исправить нельзя."]})
    errors: dict[str, list[str]] = defaultdict(list)
    service, recipient = record.service, record.recipient
    _check_service_and_time(errors, service=service, day=date, duration_minutes=duration_minutes)
    lines: dict[int, ProgrammeLine] = {}
    if recipient is not None:  # a family's patronage record (P14) has no child to check
        lines, refused = _plans([recipient], service, date)
        for field, message in _recipient_errors(
            recipient,
            service=service,
            day=date,
            planned=recipient.pk in lines,
            refused=recipient.pk in refused and date != record.date,
            reason_outside_programme=reason_outside_programme,
        ):
            _add(
                errors,
                "date" if field == "recipient" else field,
                message[0].upper() + message[1:] + ".",
            )
        if _logged_per_day([recipient], service, date, exclude=record.pk):
            message = _per_day_message(service, date)
            _add(errors, "date", message[0].upper() + message[1:] + ".")
    _raise(errors)
    planned = recipient is not None and recipient.pk in lines
    record.date = date
    record.start_time = start_time
    record.duration_minutes = duration_minutes
    record.notes = notes
    record.programme_line = lines.get(recipient.pk) if recipient is not None else None
    record.reason_outside_programme = "" if planned else reason_outside_programme
    record._change_reason = "исправление"  # type: ignore[attr-defined]
    record.save(
        update_fields=[
            "date",
            "start_time",
            "duration_minutes",
            "notes",
            "programme_line",
            "reason_outside_programme",
            "updated_at",
        ]
    )
    return record


@transaction.atomic
def cancel_service_record(
    *, record: ServiceRecord, cancelled_by: User, reason: str
) -> ServiceRecord:
    """Cancel a record instead of deleting it: it stays in the journal, marked and explained."""
    policy.require(
        cancelled_by,
        "services.change_servicerecord",
        record,
        message="Отменить запись может специалист, который её внёс, или заведующий.",
    )
    # Locked and read again: a second cancellation (a double click, another tab, the undo of
    # «Мой день») finds the first instead of writing its own reason over it.
    record.refresh_from_db(
        from_queryset=ServiceRecord.objects.select_for_update(),
        fields=["status", "cancelled_at", "cancelled_by", "cancellation_reason"],
    )
    if record.is_cancelled:
        raise ValidationError({"reason": ["Запись уже отменена."]})
    if not reason.strip():
        raise ValidationError({"reason": ["Укажите причину отмены."]})
    record.status = RecordStatus.CANCELLED
    record.cancelled_at = timezone.now()
    record.cancelled_by = cancelled_by
    record.cancellation_reason = reason.strip()
    record.save(
        update_fields=[
            "status",
            "cancelled_at",
            "cancelled_by",
            "cancellation_reason",
            "updated_at",
        ]
    )
    return record


UNDO_MINUTES = 5
UNDO_REASON = "Отметка отменена сразу после внесения."


def undo_window_start() -> datetime:
    """Records created after this moment may still be undone by their author."""
    return timezone.now() - timedelta(minutes=UNDO_MINUTES)


def undo_service_record(*, record: ServiceRecord, user: User) -> ServiceRecord:
    """«Отменить» a few minutes after a mark: the author cancels a record just made by hand
    (not one written by a visit or a diagnostic), with a standard reason."""
    policy.require(user, "services.undo_servicerecord", record)
    if record.created_at < undo_window_start():
        raise ValidationError(
            {
                "reason": [
                    f"Прошло больше {UNDO_MINUTES} минут: отмените запись в журнале с причиной."
                ]
            }
        )
    return cancel_service_record(record=record, cancelled_by=user, reason=UNDO_REASON)


# ---------------------------------------------------------------------------------------------
# Individual programme (O2, O4) and refusals (O7)


@transaction.atomic
def draw_up_individual_programme(
    *,
    recipient: Recipient,
    drawn_up_by: User,
    drawn_up_on: date,
    valid_from: date,
    valid_until: date | None = None,
    number: str = "",
    notes: str = "",
) -> IndividualProgramme:
    """A new ИППСУ. A programme still in force on `valid_from` ends the day before it."""
    policy.require(drawn_up_by, "services.draw_up_programme", recipient)
    # Two programmes drawn up at once: the minor's row is locked, so the second sees the first
    # (the same first day is refused below; an earlier one is ended the day before).
    Recipient.objects.select_for_update().filter(pk=recipient.pk).first()
    if valid_until is not None and valid_until < valid_from:
        raise ValidationError({"valid_until": ["Дата окончания раньше даты начала."]})
    from datetime import timedelta

    previous = list(
        IndividualProgramme.objects.filter(recipient=recipient, archived_at__isnull=True)
        .in_force_on(valid_from)
        .exclude(valid_from=valid_from)
    )
    for old in previous:
        old.valid_until = valid_from - timedelta(days=1)
        old.save(update_fields=["valid_until", "updated_at"])
    if IndividualProgramme.objects.filter(
        recipient=recipient, archived_at__isnull=True, valid_from=valid_from
    ).exists():
        raise ValidationError(
            {"valid_from": ["С этой даты у получателя уже действует другая программа."]}
        )
    return IndividualProgramme.objects.create(
        recipient=recipient,
        drawn_up_on=drawn_up_on,
        valid_from=valid_from,
        valid_until=valid_until,
        number=number,
        notes=notes,
        created_by=drawn_up_by,
    )


@transaction.atomic
def edit_individual_programme(
    *,
    programme: IndividualProgramme,
    edited_by: User,
    **changes: object,
) -> IndividualProgramme:
    """Correct the ИППСУ's own fields (number, dates, notes) under a row lock; its term stays
    ordered and no other programme of the recipient starts the same day."""
    allowed = {"number", "drawn_up_on", "valid_from", "valid_until", "notes"}
    programme = IndividualProgramme.objects.select_for_update().get(pk=programme.pk)
    for name, value in changes.items():
        if name not in allowed:
            raise ValueError(f"not an editable field of the programme: {name}")
        setattr(programme, name, value)
    if programme.valid_until is not None and programme.valid_until < programme.valid_from:
        raise ValidationError({"valid_until": ["Дата окончания раньше даты начала."]})
    if (
        IndividualProgramme.objects.filter(
            recipient_id=programme.recipient_id,
            archived_at__isnull=True,
            valid_from=programme.valid_from,
        )
        .exclude(pk=programme.pk)
        .exists()
    ):
        raise ValidationError(
            {"valid_from": ["С этой даты у получателя уже действует другая программа."]}
        )
    programme.full_clean()
    programme._change_reason = f"изменил(а) {edited_by}"  # type: ignore[attr-defined]
    programme.save()
    return programme


def _norm_per_day(count: int, per: str) -> float | None:
    """A frequency as services per working day, to compare norms across spans."""
    return {Per.DAY: count, Per.WEEK: count / 5, Per.MONTH: count / 21}.get(per)  # type: ignore[call-overload]


@transaction.atomic
def plan_service(
    *,
    programme: IndividualProgramme,
    service: Service,
    count: int,
    per: str,
    planned_by: User,
    valid_from: date | None = None,
    valid_until: date | None = None,
    notes: str = "",
) -> ProgrammeLine:
    """Add a service to a programme; its frequency may not fall below the catalogue's norm."""
    policy.require(planned_by, "services.draw_up_programme", programme)
    errors: dict[str, list[str]] = defaultdict(list)
    if not service.is_leaf or service.is_urgent:
        _add(errors, "service", "В программу включаются услуги (не группы и не срочные услуги).")
    if count < 1:
        _add(errors, "count", "Число раз должно быть не меньше 1.")
    if service.frequency_count and service.frequency_per and count >= 1:
        norm, norm_per = service.frequency_count, service.frequency_per
        message = f"По Порядку услуга {service.code} оказывается {service.frequency_text}."
        if per == norm_per:
            if count < norm:
                _add(errors, "count", message)
        elif per == Per.PERIOD:
            _add(errors, "per", message)
        elif norm_per != Per.PERIOD:
            mine, theirs = _norm_per_day(count, per), _norm_per_day(norm, norm_per)
            if mine is not None and theirs is not None and mine + 1e-9 < theirs:
                _add(errors, "count", message)
    if valid_from and valid_from < programme.valid_from:
        _add(errors, "valid_from", "Раньше начала срока программы.")
    if valid_until and programme.valid_until and valid_until > programme.valid_until:
        _add(errors, "valid_until", "Позже окончания срока программы.")
    if valid_from and valid_until and valid_until < valid_from:
        _add(errors, "valid_until", "Дата окончания раньше даты начала.")
    if ProgrammeLine.objects.filter(programme=programme, service=service).exists():
        _add(errors, "service", "Эта услуга уже есть в программе.")
    starts = max(valid_from or programme.valid_from, timezone.localdate())
    limit = may_receive(programme.recipient, service, on=starts)
    if limit:
        _add(errors, "service", limit[0].upper() + limit[1:] + ".")
    _raise(errors)
    # Two users adding the service at the same moment both pass the check above: the second
    # meets the unique constraint, and is answered as the check would answer.
    with refused_as({"service": ["Эта услуга уже есть в программе."]}):
        return ProgrammeLine.objects.create(
            programme=programme,
            service=service,
            count=count,
            per=per,
            valid_from=valid_from,
            valid_until=valid_until,
            notes=notes,
            created_by=planned_by,
        )


# O7: below this age a minor's refusal is signed by the legal representative (art. 26, 28 of
# the Civil Code: from 14 a minor acts with the representative's consent).
SELF_SIGN_AGE = 14


def _years(n: int) -> str:
    from organisation.text import plural

    return plural(n, "год", "года", "лет")


@transaction.atomic
def record_refusal(
    *,
    line: ProgrammeLine,
    signed_on: date,
    recorded_by: User,
    signed_by: Representative | None = None,
    reason: str = "",
) -> Refusal:
    """O7: the recipient refuses a service of the programme, under signature. From the signed
    date the service is no longer planned, and logging it is refused."""
    policy.require(recorded_by, policy.CHANGE, line)
    recipient = line.programme.recipient
    validate_fields(Refusal, signed_on=signed_on)
    # Locked and read again: two refusals of one line at once make one.
    line.refresh_from_db(
        from_queryset=ProgrammeLine.objects.select_for_update(), fields=["refused_on"]
    )
    if line.refused_on is not None:
        raise ValidationError({"__all__": ["Отказ от этой услуги уже оформлен."]})
    if signed_by is not None and not signed_by.representations.filter(recipient=recipient).exists():
        raise ValidationError(
            {"signed_by": ["Этот человек не указан законным представителем получателя."]}
        )
    age = recipient.age_on(signed_on)
    if signed_by is None and age < SELF_SIGN_AGE:
        raise ValidationError(
            {
                "signed_by": [
                    f"Получателю {age} {_years(age)}: до {SELF_SIGN_AGE} лет отказ подписывает "
                    "законный представитель (ст. 28 ГК РФ). Выберите, кто подписал."
                ]
            }
        )
    refusal = Refusal.objects.create(
        recipient=recipient,
        line=line,
        service=line.service,
        signed_on=signed_on,
        signed_by=signed_by,
        reason=reason,
        created_by=recorded_by,
    )
    line.refused_on = signed_on
    line.save(update_fields=["refused_on", "updated_at"])
    return refusal


# ---------------------------------------------------------------------------------------------
# Urgent services (O11, O22)


@transaction.atomic
def draw_up_urgent_act(
    *,
    recipient: Recipient,
    provider: User,
    date: date,
    services: Sequence[Service],
    conditions: str,
    number: str = "",
) -> UrgentServiceAct:
    """O11: the provider decides which urgent services are needed; O22: they are confirmed by
    an act (recipient, provider, services, date, conditions) that the recipient signs."""
    policy.require(provider, "services.draw_up_urgent_act", recipient)
    errors: dict[str, list[str]] = defaultdict(list)
    if not services:
        _add(errors, "services", "Отметьте оказанные срочные услуги.")
    if any(not s.is_urgent for s in services):
        _add(errors, "services", "В акт включаются только срочные социальные услуги.")
    for s in services:
        _add(errors, "services", may_provide(provider, s))
    try:
        validate_fields(UrgentServiceAct, date=date)
    except ValidationError as exc:
        _add(errors, "date", exc.messages[0])
    if not conditions.strip():
        _add(errors, "conditions", "Опишите условия оказания услуг.")
    _raise(errors)
    act = UrgentServiceAct.objects.create(
        recipient=recipient,
        provider=provider,
        date=date,
        conditions=conditions,
        number=number,
        created_by=provider,
    )
    act.services.set(services)
    return act


@transaction.atomic
def record_urgent_act_signed(
    *,
    act: UrgentServiceAct,
    signed_on: date,
    recorded_by: User,
    signed_by: Representative | None = None,
) -> UrgentServiceAct:
    """O22: the recipient (or their representative) signed the act."""
    policy.require(recorded_by, "services.draw_up_urgent_act", act)
    act.refresh_from_db(
        from_queryset=UrgentServiceAct.objects.select_for_update(),
        fields=["signed_on", "signed_by"],
    )
    if act.is_signed:
        raise ValidationError({"__all__": ["Подпись под актом уже отмечена."]})
    if signed_on < act.date:
        raise ValidationError({"signed_on": ["Акт не может быть подписан раньше оказания услуг."]})
    validate_fields(UrgentServiceAct, signed_on=signed_on)
    act.signed_on = signed_on
    act.signed_by = signed_by
    act.save(update_fields=["signed_on", "signed_by", "updated_at"])
    return act
