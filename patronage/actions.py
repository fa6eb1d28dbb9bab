"""Workflows of social patronage: called by views, tasks and the demo loader alike.

Each action runs in one transaction, validates what it writes and raises ValidationError with
Russian messages (keyed by form field where one applies) so a view shows them next to the field.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from organisation import policy
from organisation.dates import validate_fields
from organisation.models import DEPARTMENT_ROLES, NotificationEvent, NumberSeries, User
from organisation.notifications import notify_on_commit
from organisation.numbering import next_number
from patronage import selectors
from patronage.models import (
    CASE_POSITIONS,
    PATRONAGE_POSITIONS,
    Appeal,
    PatronageCase,
    Recommendation,
    RecommendationCheck,
    ReviewStatus,
    Visit,
    VisitAct,
    VisitKind,
    VisitStatus,
)
from recipients.actions import create_family
from recipients.models import MAX_AGE, Family, Recipient, Representative
from services.actions import correct_service_record, log_family_service, log_service
from services.models import Service, ServiceRecord


@dataclass(frozen=True)
class NewRecommendation:
    text: str
    due_on: date | None = None


@dataclass(frozen=True)
class CheckResult:
    recommendation: Recommendation
    outcome: str
    comment: str = ""


@transaction.atomic
def register_appeal(*, appeal: Appeal, registered_on: date, registered_by: User) -> Appeal:
    """Give the appeal its registration number «N/ГГГГ» (P2, P3). The appeal's row is locked
    and re-read, so two registrars registering it at once give it one number."""
    policy.require(registered_by, policy.CHANGE, appeal)
    appeal.refresh_from_db(
        from_queryset=Appeal.objects.select_for_update(),
        fields=["registered_on", "year", "number", "received_on"],
    )
    if appeal.registered_on is not None:
        raise ValidationError(f"Обращение уже зарегистрировано под № {appeal.registration_number}.")
    if registered_on < appeal.received_on:
        raise ValidationError(
            {"registered_on": "Дата регистрации не может быть раньше даты поступления."}
        )
    validate_fields(Appeal, registered_on=registered_on)
    appeal.registered_on = registered_on
    appeal.year = registered_on.year
    appeal.number = next_number(NumberSeries.APPEAL, registered_on.year)  # P2: unique per year
    appeal.registered_by = registered_by
    appeal.save(update_fields=["registered_on", "year", "number", "registered_by", "updated_at"])
    return appeal


NO_PATRONAGE_ERROR = (
    "Отделение не ведёт социальный патронаж: его ведут отделение дневного пребывания "
    "и отделение реабилитации детей с ограниченными возможностями."
)


@transaction.atomic
def log_appeal(*, appeal: Appeal, logged_by: User, registered_on: date | None = None) -> Appeal:
    """Log incoming primary information in its journal (P5), registering it at once when a
    registration date is given."""
    policy.require(logged_by, "patronage.add_appeal")
    validate_fields(Appeal, received_on=appeal.received_on)
    if appeal.department_id and not appeal.department.does_patronage:
        raise ValidationError({"department": NO_PATRONAGE_ERROR})
    if (
        logged_by.role in DEPARTMENT_ROLES
        and appeal.department_id
        and appeal.department_id != logged_by.department_id
    ):
        raise ValidationError(
            {"department": "Обращение в другое отделение вносит делопроизводитель."}
        )
    appeal.created_by = logged_by
    appeal.full_clean()
    appeal.save()
    if registered_on is not None:
        register_appeal(appeal=appeal, registered_on=registered_on, registered_by=logged_by)
    return appeal


def _check_specialist(specialist: User | None, family: Family, *, assigned: bool = False) -> None:
    """P6: the specialist assigned to a family is a social work specialist or a district
    social worker; P11: visits are made by them and by a psychologist, nurse, social pedagogue."""
    if specialist is None:
        return
    if assigned and specialist.position not in CASE_POSITIONS:
        raise ValidationError(
            {
                "specialist": "За семьёй закрепляется специалист по социальной работе или "
                "участковый социальный работник."
            }
        )
    if specialist.position not in PATRONAGE_POSITIONS or not specialist.is_active:
        raise ValidationError(
            {
                "specialist": "Посещения семьи проводят специалист по социальной работе, "
                "участковый социальный работник, психолог, медицинская сестра "
                "или социальный педагог."
            }
        )
    if specialist.department_id != family.department_id:
        raise ValidationError({"specialist": "Специалист должен работать в отделении семьи."})


@transaction.atomic
def open_case(
    *,
    appeal: Appeal,
    opened_by: User,
    family: Family | None = None,
    new_family_name: str = "",
    new_family_address: str = "",
    specialist: User | None = None,
    opened_on: date | None = None,
) -> PatronageCase:
    """Open a patronage case on a family from an appeal, or join the family's open case (P6).

    The family is one of the department's (`family`) or a new one made from the names the
    appeal gives (`new_family_name`, `new_family_address`). The appeal's row is locked and
    re-read, so two people opening it at once make one case (and one new family)."""
    policy.require(opened_by, "patronage.open_case", appeal)
    appeal.refresh_from_db(
        from_queryset=Appeal.objects.select_for_update(), fields=["case", "registered_on"]
    )
    if not appeal.is_registered:
        raise ValidationError(
            "Сначала зарегистрируйте обращение: срок ожидания идёт от регистрации."
        )
    if appeal.case_id is not None:
        raise ValidationError("Обращение уже передано в патронаж.")
    if not appeal.department.does_patronage:
        raise ValidationError(NO_PATRONAGE_ERROR)
    if family is None:
        if not new_family_name.strip():
            raise ValidationError({"family": "Выберите семью или укажите название новой семьи."})
        family = create_family(
            department=appeal.department,
            created_by=opened_by,
            name=new_family_name.strip(),
            address=new_family_address.strip(),
        )
    elif family.department_id != appeal.department_id:
        raise ValidationError({"family": "Семья из другого отделения."})
    else:  # two appeals of one family opened at once join one case
        Family.objects.select_for_update().filter(pk=family.pk).first()
    _check_specialist(specialist, family, assigned=True)
    opened_on = opened_on or timezone.localdate()
    case = (
        PatronageCase.objects.select_for_update()
        .filter(family=family, closed_on__isnull=True)
        .first()
    )
    if case is None:
        case = PatronageCase(
            family=family, specialist=specialist, opened_on=opened_on, created_by=opened_by
        )
        case.full_clean()
        case.save()
    elif specialist is not None and case.specialist_id is None:
        case.specialist = specialist
        case.save(update_fields=["specialist", "updated_at"])
    appeal.case = case
    appeal.save(update_fields=["case", "updated_at"])
    if specialist is not None and case.specialist_id == specialist.pk:
        _notify_assigned(case, assigned_by=opened_by)
    return case


def _notify_assigned(case: PatronageCase, *, assigned_by: User) -> None:
    """P6: the specialist learns that the family is now theirs."""
    notify_on_commit(
        users=[case.specialist],
        kind="case",
        item_key=f"case:{case.pk}",
        event=NotificationEvent.ASSIGNED,
        on=timezone.localdate(),
        message=f"Вам передана семья под патронаж: {case.family}.",
        url=case.get_absolute_url(),
        actor=assigned_by,
    )


@transaction.atomic
def assign_specialist(*, case: PatronageCase, specialist: User, assigned_by: User) -> PatronageCase:
    """P6: the head assigns (or replaces) the specialist who works with the family."""
    policy.require(assigned_by, "patronage.open_case", case)
    _check_specialist(specialist, case.family, assigned=True)
    case.specialist = specialist
    case.save(update_fields=["specialist", "updated_at"])
    _notify_assigned(case, assigned_by=assigned_by)
    return case


@transaction.atomic
def close_case(
    *, case: PatronageCase, closed_on: date, reason: str, closed_by: User
) -> PatronageCase:
    policy.require(closed_by, "patronage.open_case", case)
    # Locked and read again: a second closing (a double click, another head) sees the first,
    # and a visit being planned meanwhile is either seen below or waits and finds the case
    # closed (`plan_visit` locks the case too).
    case.refresh_from_db(
        from_queryset=PatronageCase.objects.select_for_update(),
        fields=["closed_on", "closing_reason"],
    )
    if not case.is_open:
        raise ValidationError("Патронаж уже закрыт.")
    if closed_on < case.opened_on:
        raise ValidationError({"closed_on": "Дата закрытия раньше даты открытия патронажа."})
    validate_fields(PatronageCase, closed_on=closed_on)
    if case.visits.filter(status=VisitStatus.PLANNED).exists():
        raise ValidationError("Есть запланированные посещения: проведите или отмените их.")
    case.closed_on = closed_on
    case.closing_reason = reason
    case.save(update_fields=["closed_on", "closing_reason", "updated_at"])
    return case


def validate_visit_date(case: PatronageCase, field: str, value: date | None) -> None:
    """A visit cannot precede the appeal that brought the family (nor the case itself)."""
    if value is None:
        return
    first = selectors.earliest_appeal_date(case)
    if first is not None and value < first:
        raise ValidationError(
            {field: f"Посещение не может быть раньше поступления обращения ({first:%d.%m.%Y})."}
        )


REPEAT_WITHOUT_PRIMARY = (
    "Повторный (плановый) патронаж проводится после первичного: у этой семьи первичного "
    "посещения ещё не было."
)


def _has_primary(case: PatronageCase, *, completed: bool, by: date | None = None) -> bool:
    """P7: a repeat visit presupposes an earlier primary visit of the case (planned or, when
    `completed`, carried out on or before `by`)."""
    visits = case.visits.filter(kind=VisitKind.PRIMARY).exclude(status=VisitStatus.CANCELLED)
    if completed:
        visits = visits.filter(status=VisitStatus.COMPLETED)
        if by is not None:
            visits = visits.filter(visited_on__lte=by)
    return visits.exists()


@transaction.atomic
def plan_visit(*, visit: Visit, planned_by: User) -> Visit:
    """Plan a visit (P7, P10): a planned (repeat) visit states its purpose beforehand."""
    policy.require(planned_by, "patronage.add_visit", visit)
    # The case is locked and read again: a closing at the same moment either waits for this
    # visit (and is refused for it) or is seen here.
    visit.case.refresh_from_db(
        from_queryset=PatronageCase.objects.select_for_update(), fields=["closed_on"]
    )
    if not visit.case.is_open:
        raise ValidationError("Патронаж закрыт: новые посещения не планируются.")
    if visit.kind == VisitKind.PLANNED and not visit.purpose.strip():
        raise ValidationError(
            {"purpose": "Укажите цель посещения: для планового патронажа она обязательна."}
        )
    if visit.planned_on is None:
        raise ValidationError({"planned_on": "Укажите дату посещения."})
    if visit.kind == VisitKind.PLANNED and not _has_primary(visit.case, completed=False):
        raise ValidationError({"kind": REPEAT_WITHOUT_PRIMARY})
    validate_visit_date(visit.case, "planned_on", visit.planned_on)
    _check_specialist(visit.specialist, visit.case.family)
    visit.status = VisitStatus.PLANNED
    visit.created_by = planned_by
    visit.full_clean()
    visit.save()
    return visit


PATRONAGE_SERVICE_CODE = "П.1"


def record_visit_in_services_journal(*, visit: Visit, recorded_by: User) -> list[ServiceRecord]:
    """P14: every completed visit is a record of the journal of services, as the social
    patronage service «П.1» of the catalogue: one record per minor of the family, enrolled or
    not (the SOP serves families at home), or one record of the family itself when it has no
    registered minor. Run again for the same visit (a corrected record), it corrects the
    records it made instead of adding new ones. The only place where a patronage visit reaches
    the journal of services."""
    policy.require(recorded_by, "patronage.record_visit", visit)
    assert visit.visited_on is not None
    service = Service.objects.select_related("category").get(code=PATRONAGE_SERVICE_CODE)
    family = visit.case.family
    source = f"patronage.visit:{visit.pk}"
    notes = f"{visit.get_kind_display()} семьи ({family})"
    existing = {
        r.recipient_id: r
        for r in ServiceRecord.objects.filter(source=source, cancelled_at__isnull=True)
    }
    children = [
        child
        for child in family.children.filter(archived_at__isnull=True).order_by("pk")
        if child.age_on(visit.visited_on) < MAX_AGE  # O33: adults receive no services
    ]
    records = []
    targets: list[Recipient | None] = list(children) or [None]
    for child in targets:
        key = child.pk if child is not None else None
        if key in existing:
            records.append(
                correct_service_record(
                    record=existing[key],
                    corrected_by=recorded_by,
                    date=visit.visited_on,
                    duration_minutes=visit.total_minutes,
                    notes=notes,
                )
            )
        elif child is None:
            records.append(
                log_family_service(
                    family=family,
                    service=service,
                    provider=visit.specialist,
                    date=visit.visited_on,
                    duration_minutes=visit.total_minutes,
                    notes=notes,
                    source=source,
                )
            )
        else:
            records.append(
                log_service(
                    recipient=child,
                    service=service,
                    provider=visit.specialist,
                    date=visit.visited_on,
                    duration_minutes=visit.total_minutes,
                    notes=notes,
                    source=source,
                )
            )
    return records


@transaction.atomic
def complete_visit(
    *,
    visit: Visit,
    completed_by: User,
    act: VisitAct,
    recommendations: Sequence[NewRecommendation] = (),
    checks: Sequence[CheckResult] = (),
    present_representatives: Iterable[Representative] = (),
) -> Visit:
    """Record a visit as carried out: the SOP steps on `visit` (already filled in by the form),
    its one document (P9), the new recommendations, the checks of earlier ones (P10); then the
    record in the journal of services (P14). The visit waits for the head's review (P13)."""
    policy.require(completed_by, "patronage.record_visit", visit)
    # Two submissions of the same form (a double tap on the tablet) must not both complete it.
    stored = Visit.objects.select_for_update().only("status").get(pk=visit.pk)
    if stored.status != visit.status:
        visit.status = stored.status
    if visit.status == VisitStatus.COMPLETED:
        raise ValidationError("Посещение уже проведено и записано.")
    if visit.status == VisitStatus.CANCELLED:
        raise ValidationError("Посещение отменено.")
    errors: dict[str, list[str]] = {}
    if visit.visited_on is None:
        errors.setdefault("visited_on", []).append("Укажите дату посещения.")
    else:
        try:
            validate_fields(Visit, visited_on=visit.visited_on)
        except ValidationError as exc:
            errors.update(exc.message_dict)
        try:
            validate_visit_date(visit.case, "visited_on", visit.visited_on)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if visit.kind == VisitKind.PRIMARY and not visit.methods:
        errors.setdefault("methods", []).append(
            "Отметьте хотя бы один метод, которым определено проблемное поле семьи."
        )
    if visit.kind == VisitKind.PLANNED and not _has_primary(
        visit.case, completed=True, by=visit.visited_on
    ):
        errors.setdefault("__all__", []).append(REPEAT_WITHOUT_PRIMARY)
    if visit.kind == VisitKind.PLANNED:
        if not visit.purpose.strip():
            errors.setdefault("purpose", []).append("Укажите цель посещения.")
        if not visit.effectiveness:
            errors.setdefault("effectiveness", []).append(
                "Оцените эффективность профилактической работы."
            )
    pending = {r.pk for r in selectors.open_recommendations(visit)}
    checked = {c.recommendation.pk for c in checks}
    if pending - checked:
        errors.setdefault("__all__", []).append(
            "Отметьте выполнение каждой ранее выданной рекомендации."
        )
    if errors:
        raise ValidationError(errors)

    visit.status = VisitStatus.COMPLETED
    visit.completed_at = timezone.now()
    visit.review_status = ReviewStatus.PENDING
    visit.full_clean()
    visit.save()

    act.visit = visit
    act.created_by = completed_by
    act.full_clean()
    act.save()
    _set_present(act, visit, present_representatives)

    for item in recommendations:
        if not item.text.strip():
            continue
        rec = Recommendation(
            case=visit.case,
            visit=visit,
            text=item.text.strip(),
            due_on=item.due_on,
            created_by=completed_by,
        )
        rec.full_clean()
        rec.save()

    for check in checks:
        if check.recommendation.case_id != visit.case_id or check.recommendation.pk not in pending:
            raise ValidationError("Рекомендация не относится к этому патронажу.")
        RecommendationCheck.objects.create(
            recommendation=check.recommendation,
            visit=visit,
            outcome=check.outcome,
            comment=check.comment,
            created_by=completed_by,
        )
        check.recommendation.__dict__.pop("_status", None)  # derived from this check now

    # P14: the single call site of the journal of services (see the function's docstring).
    record_visit_in_services_journal(visit=visit, recorded_by=completed_by)
    return visit


@transaction.atomic
def _set_present(act: VisitAct, visit: Visit, people: Iterable[Representative]) -> None:
    """Who of the family's representatives was recorded as present: the act names only them."""
    people = list(people)
    family_id = visit.case.family_id
    strangers = [p for p in people if p.family_id != family_id]
    if strangers:
        raise ValidationError(
            {"present_representatives": ["Можно отметить только представителей этой семьи."]}
        )
    act.present_representatives.set(people)


AMEND_ONLY_REMARKS = "Исправить можно только запись, возвращённую с замечаниями."


def amend_visit(
    *,
    visit: Visit,
    act: VisitAct,
    amended_by: User,
    present_representatives: Iterable[Representative] | None = None,
) -> Visit:
    """The specialist corrects a record the head returned with remarks (P13); the corrected
    record goes back to the head's review. `visit` and `act` carry the corrected fields."""
    policy.require(amended_by, "patronage.record_visit", visit)
    # Locked and read again: a head who accepted the record (or a colleague who amended it)
    # since the form was opened is not written over by this save of the whole record.
    now = Visit.objects.select_for_update().only("status", "review_status").get(pk=visit.pk)
    if not now.is_completed or now.review_status != ReviewStatus.REMARKS:
        raise ValidationError(AMEND_ONLY_REMARKS)
    errors: dict[str, list[str]] = {}
    if visit.visited_on is None or visit.visited_on > timezone.localdate():
        errors["visited_on"] = ["Проведённое посещение не может быть датировано будущим числом."]
    else:
        try:
            validate_visit_date(visit.case, "visited_on", visit.visited_on)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if visit.kind == VisitKind.PLANNED and not visit.effectiveness:
        errors["effectiveness"] = ["Оцените эффективность профилактической работы."]
    if errors:
        raise ValidationError(errors)
    visit.review_status = ReviewStatus.PENDING
    visit.full_clean()
    visit.save()
    act.full_clean()
    act.save()
    if present_representatives is not None:
        _set_present(act, visit, present_representatives)
    record_visit_in_services_journal(visit=visit, recorded_by=amended_by)
    return visit


@transaction.atomic
def cancel_visit(*, visit: Visit, cancelled_by: User) -> Visit:
    policy.require(cancelled_by, "patronage.record_visit", visit)
    # Locked and read again: a visit recorded meanwhile (its act and journal records written)
    # is not turned into a cancelled one; `complete_visit` locks the same row.
    visit.refresh_from_db(from_queryset=Visit.objects.select_for_update(), fields=["status"])
    if visit.status != VisitStatus.PLANNED:
        raise ValidationError("Отменить можно только запланированное посещение.")
    visit.status = VisitStatus.CANCELLED
    visit.save(update_fields=["status", "updated_at"])
    return visit


@transaction.atomic
def review_visit(*, visit: Visit, status: str, remarks: str, reviewed_by: User) -> Visit:
    """P13: the head reviews the record of a completed visit; remarks reach the specialist."""
    policy.require(reviewed_by, "patronage.review_visit", visit)
    if not visit.is_completed:
        raise ValidationError("Проверяются только проведённые посещения.")
    if status not in (ReviewStatus.ACCEPTED, ReviewStatus.REMARKS):
        raise ValidationError({"review_status": "Выберите результат проверки."})
    if status == ReviewStatus.REMARKS and not remarks.strip():
        raise ValidationError({"review_remarks": "Напишите замечания для специалиста."})
    visit.review_status = status
    visit.review_remarks = remarks.strip()
    visit.reviewed_by = reviewed_by
    visit.reviewed_at = timezone.now()
    visit.save(
        update_fields=[
            "review_status",
            "review_remarks",
            "reviewed_by",
            "reviewed_at",
            "updated_at",
        ]
    )
    if status == ReviewStatus.REMARKS:
        when = visit.date or visit.planned_on
        notify_on_commit(
            users=[visit.specialist, visit.case.specialist],
            kind="visit_review",
            item_key=f"visit:{visit.pk}",
            event=NotificationEvent.RETURNED,
            on=timezone.localdate(),
            message=f"Посещение семьи {visit.case.family} ({when:%d.%m.%Y}) возвращено "
            f"с замечаниями: {visit.review_remarks}",
            url=visit.get_absolute_url(),
            actor=reviewed_by,
        )
    return visit
