"""Workflows of diagnostics, the ИПСРН and the final conclusion. Keyword-only, one transaction
each; a refusal is a `ValidationError` keyed by the form field it belongs to, in Russian.

The consilium app is the only caller of `approve_version`, `reject_version` and
`record_review_without_changes`: a version of the programme takes effect only through a
consilium decision recorded in a protocol (O19, O20).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from organisation import policy
from organisation.forms import action_errors
from organisation.models import User
from recipients.models import Recipient, Representative
from rehab_programs import selectors
from rehab_programs.models import (
    DIAGNOSTIC_SERVICES,
    Activity,
    Area,
    ChangeProposal,
    Conclusion,
    Diagnostic,
    ProgrammeVersion,
    RehabProgramme,
    SessionForm,
    Stage,
    VersionStatus,
)
from services import actions as service_actions
from services.models import Service

# What the journal of services is told about a diagnostic session logged outside the ИППСУ.
DIAGNOSTIC_REASON = "диагностика и обследование личности (п. 3.4 Порядка)"

# Fields of the services' logging errors → fields of the diagnostic form.
_SERVICE_ERROR_FIELDS = {
    "date": "conducted_on",
    "recipient": "conducted_on",  # not enrolled on that date, or the age bounds
    "duration_minutes": "duration_minutes",
    "service": "form",
    "recipients": "participants",
}


def _today() -> date:
    return timezone.localdate()


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _add(errors: dict[str, list[str]], field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


# --- Diagnostics (O15) -------------------------------------------------------------------------


@transaction.atomic
def record_diagnostic(
    *,
    recipient: Recipient,
    stage: Stage | str,
    area: Area | str,
    conducted_on: date,
    conducted_by: User,
    methods: str,
    results: str,
    conclusions: str,
    duration_minutes: int = 45,
    form: SessionForm | str = SessionForm.INDIVIDUAL,
    participants: Sequence[Recipient] = (),
    ending_advisable: bool | None = None,
) -> Diagnostic:
    """A diagnostic session (O15), logged in the same transaction in the journal of services
    as its catalogue service (`DIAGNOSTIC_SERVICES`). A group session records the same session
    for every participant (one journal record each, one group session); returns the record of
    `recipient`. Final diagnostics records its decision: whether ending the service is
    advisable (O37)."""
    policy.require(conducted_by, policy.CHANGE, recipient)
    errors: dict[str, list[str]] = {}
    if conducted_on > _today():
        _add(errors, "conducted_on", "Дата диагностики не может быть в будущем.")
    for field, value in (("methods", methods), ("results", results)):
        if not value.strip():
            _add(errors, field, "Обязательное поле.")
    if stage == Stage.FINAL and ending_advisable is None:
        _add(
            errors,
            "ending_advisable",
            "Итоговая диагностика решает, целесообразно ли прекращать обслуживание: укажите.",
        )
    if stage != Stage.FINAL:
        ending_advisable = None
    others = [p for p in participants if p.pk != recipient.pk]
    if form == SessionForm.INDIVIDUAL and others:
        _add(errors, "participants", "Индивидуальная диагностика проводится с одним ребёнком.")
    if form == SessionForm.GROUP and not others:
        _add(errors, "participants", "Для групповой диагностики отметьте других детей группы.")
    if any(p.department_id != recipient.department_id for p in others):
        _add(errors, "participants", "Дети группы должны быть из одного отделения.")
    _raise(errors)

    service = Service.objects.select_related("category", "parent").get(
        code=DIAGNOSTIC_SERVICES[(area, form)]
    )
    children = [recipient, *others]
    try:
        if form == SessionForm.GROUP:
            session = service_actions.log_group_service(
                recipients=children,
                service=service,
                provider=conducted_by,
                date=conducted_on,
                duration_minutes=duration_minutes,
                reason_outside_programme=DIAGNOSTIC_REASON,
                source="rehab_programs.diagnostic",
            )
            records = {r.recipient_id: r for r in session.records.all()}
        else:
            record = service_actions.log_service(
                recipient=recipient,
                service=service,
                provider=conducted_by,
                date=conducted_on,
                duration_minutes=duration_minutes,
                reason_outside_programme=DIAGNOSTIC_REASON,
                source="rehab_programs.diagnostic",
            )
            records = {recipient.pk: record}
    except ValidationError as exc:
        mapped: dict[str, list[str]] = {}
        for field, messages in action_errors(exc).items():
            target = _SERVICE_ERROR_FIELDS.get(field, "__all__")
            for m in messages:
                _add(mapped, target, str(m))
        raise ValidationError(mapped) from exc

    created = []
    for child in children:
        diagnostic = Diagnostic(
            recipient=child,
            stage=stage,
            area=area,
            form=form,
            conducted_on=conducted_on,
            conducted_by=conducted_by,
            duration_minutes=duration_minutes,
            methods=methods,
            results=results,
            conclusions=conclusions,
            ending_advisable=ending_advisable,
            service_record=records[child.pk],
            created_by=conducted_by,
        )
        diagnostic.full_clean()
        diagnostic.save()
        record = records[child.pk]
        record.source = f"rehab_programs.diagnostic:{diagnostic.pk}"
        record.save(update_fields=["source", "updated_at"])
        created.append(diagnostic)
    return created[0]


# --- The ИПСРН (O16–O20) -----------------------------------------------------------------------


@transaction.atomic
def draw_up_rehab_programme(
    *,
    recipient: Recipient,
    drawn_up_by: User,
    drawn_up_on: date,
    curator: User,
    goal: str = "",
) -> RehabProgramme:
    """The ИПСРН drawn up on the results of the primary diagnostics (O16). Its first version
    waits for the consilium's approval; activities are added to it meanwhile."""
    policy.require(drawn_up_by, policy.CHANGE, recipient)
    # Two specialists drawing it up at once: the minor's row is locked, so the second sees the
    # first programme of the stay and is refused below.
    Recipient.objects.select_for_update().filter(pk=recipient.pk).first()
    errors: dict[str, list[str]] = {}
    if not recipient.is_enrolled_on(drawn_up_on):
        _add(errors, "__all__", "Ребёнок не зачислен на обслуживание на дату составления.")
    primary = list(
        Diagnostic.objects.active().filter(
            recipient=recipient,
            stage=Stage.PRIMARY,
            conducted_on__gte=recipient.first_day_of_stay or date.min,
        )
    )
    if not primary:
        _add(
            errors,
            "__all__",
            "ИПСРН разрабатывается на основании результатов первичной диагностики (п. 3.4.1): "
            "сначала внесите первичную диагностику.",
        )
    elif drawn_up_on < min(d.conducted_on for d in primary):
        _add(errors, "drawn_up_on", "ИПСРН не может быть составлена раньше первичной диагностики.")
    if drawn_up_on > _today():
        _add(errors, "drawn_up_on", "Дата составления не может быть в будущем.")
    if curator.department_id != recipient.department_id:
        _add(errors, "curator", "Куратор должен быть специалистом отделения ребёнка.")
    if not errors and selectors.rehab_programme_for_stay(recipient) is not None:
        _add(errors, "__all__", "ИПСРН на этот период обслуживания уже составлена.")
    _raise(errors)
    programme = RehabProgramme(
        recipient=recipient,
        drawn_up_on=drawn_up_on,
        curator=curator,
        goal=goal,
        created_by=drawn_up_by,
    )
    programme.full_clean()
    programme.save()
    version = ProgrammeVersion.objects.create(
        programme=programme,
        number=1,
        proposed_on=drawn_up_on,
        proposed_by=drawn_up_by,
        changes="ИПСРН составлена по результатам первичной диагностики",
        created_by=drawn_up_by,
    )
    version.diagnostics.set(primary)
    return programme


@transaction.atomic
def edit_rehab_programme(
    *, programme: RehabProgramme, edited_by: User, **changes: object
) -> RehabProgramme:
    """Correct the ИПСРН's date, curator or goal under a row lock (its activities change only
    through versions, O19–O20)."""
    allowed = {"drawn_up_on", "curator", "goal"}
    programme = RehabProgramme.objects.select_for_update().get(pk=programme.pk)
    for name, value in changes.items():
        if name not in allowed:
            raise ValueError(f"not an editable field of the programme: {name}")
        setattr(programme, name, value)
    errors: dict[str, list[str]] = {}
    recipient = programme.recipient
    if programme.curator.department_id != recipient.department_id:
        _add(errors, "curator", "Куратор должен быть специалистом отделения ребёнка.")
    first_primary = (
        Diagnostic.objects.active()
        .filter(recipient=recipient, stage=Stage.PRIMARY)
        .filter(conducted_on__gte=recipient.first_day_of_stay or date.min)
        .order_by("conducted_on")
        .values_list("conducted_on", flat=True)
        .first()
    )
    if first_primary is not None and programme.drawn_up_on < first_primary:
        _add(errors, "drawn_up_on", "ИПСРН не может быть составлена раньше первичной диагностики.")
    _raise(errors)
    programme.full_clean()
    programme.save()
    return programme


def _open_version(programme: RehabProgramme) -> ProgrammeVersion | None:
    return (
        ProgrammeVersion.objects.select_for_update()
        .filter(programme=programme, status=VersionStatus.PROPOSED)
        .first()
    )


def _check_activity_fields(
    errors: dict[str, list[str]],
    *,
    programme: RehabProgramme,
    service: Service | None,
    description: str,
    responsible: User,
    due_on: date,
    expected_result: str,
) -> None:
    if service is None and not description.strip():
        _add(errors, "description", "Выберите услугу из справочника или опишите мероприятие.")
    if service is not None and (not service.is_leaf or service.is_urgent):
        _add(errors, "service", "Выберите услугу (не группу услуг и не срочную услугу).")
    if responsible.department_id != programme.recipient.department_id:
        _add(errors, "responsible", "Ответственный должен быть специалистом отделения ребёнка.")
    if due_on < programme.drawn_up_on:
        _add(errors, "due_on", "Срок не может быть раньше даты составления ИПСРН.")
    if not expected_result.strip():
        _add(errors, "expected_result", "Укажите ожидаемый результат.")


@transaction.atomic
def add_activity(
    *,
    programme: RehabProgramme,
    added_by: User,
    responsible: User,
    due_on: date,
    expected_result: str,
    service: Service | None = None,
    description: str = "",
) -> Activity:
    """An activity added to the version waiting for the consilium (the first version or a
    proposed revision): it takes effect when the consilium approves that version."""
    policy.require(added_by, policy.CHANGE, programme)
    version = _open_version(programme)
    errors: dict[str, list[str]] = {}
    if version is None:
        _add(
            errors,
            "__all__",
            "ИПСРН меняется только через решение консилиума: сначала предложите изменения "
            "(новую редакцию) — мероприятия добавляются в неё.",
        )
    _check_activity_fields(
        errors,
        programme=programme,
        service=service,
        description=description,
        responsible=responsible,
        due_on=due_on,
        expected_result=expected_result,
    )
    _raise(errors)
    assert version is not None
    activity = Activity(
        programme=programme,
        added_in=version,
        service=service,
        description=description.strip(),
        responsible=responsible,
        due_on=due_on,
        expected_result=expected_result.strip(),
        created_by=added_by,
    )
    activity.full_clean()
    activity.save()
    return activity


@transaction.atomic
def withdraw_activity(*, activity: Activity, withdrawn_by: User) -> Activity:
    """Marks an activity to be excluded by the proposed revision (or drops one proposed in it);
    nothing changes in the programme in force until the consilium approves the revision."""
    policy.require(withdrawn_by, policy.CHANGE, activity)
    version = _open_version(activity.programme)
    if version is None:
        raise ValidationError(
            "Исключить мероприятие можно только через предложение изменений (новую редакцию)."
        )
    if activity.removed_in_id is not None:
        raise ValidationError("Мероприятие уже исключено или предложено к исключению.")
    if activity.added_in_id != version.pk and not activity.is_in_force:
        raise ValidationError("Мероприятие не действует в программе.")
    activity.removed_in = version
    activity.save(update_fields=["removed_in", "updated_at"])
    return activity


@transaction.atomic
def record_activity_result(
    *, activity: Activity, actual_result: str, done_on: date, recorded_by: User
) -> Activity:
    """O18, O20: the actual result of an activity and its date."""
    policy.require(recorded_by, policy.CHANGE, activity)
    errors: dict[str, list[str]] = {}
    if not activity.is_in_force:
        _add(errors, "__all__", "Мероприятие ещё не утверждено консилиумом или исключено.")
    if not actual_result.strip():
        _add(errors, "actual_result", "Опишите фактический результат.")
    if done_on > _today():
        _add(errors, "done_on", "Дата выполнения не может быть в будущем.")
    elif done_on < activity.programme.drawn_up_on:
        _add(errors, "done_on", "Дата выполнения раньше даты составления ИПСРН.")
    _raise(errors)
    activity.actual_result = actual_result.strip()
    activity.done_on = done_on
    activity.full_clean()
    activity.save(update_fields=["actual_result", "done_on", "updated_at"])
    return activity


@transaction.atomic
def record_familiarisation(
    *,
    programme: RehabProgramme,
    recorded_by: User,
    minor_explained_on: date | None,
    minor_explanation: str,
    parent_info_withheld: bool,
    parent_familiarised_on: date | None = None,
    parent_familiarised: Representative | None = None,
    withheld_reason: str = "",
) -> RehabProgramme:
    """O17: the explanation to the minor, and the parent's familiarisation — or the reason why
    informing the parent would harm the minor (then the parent's copy is withheld)."""
    policy.require(recorded_by, policy.CHANGE, programme)
    errors: dict[str, list[str]] = {}
    today = _today()
    if minor_explained_on and minor_explained_on > today:
        _add(errors, "minor_explained_on", "Дата не может быть в будущем.")
    if minor_explained_on and not minor_explanation.strip():
        _add(errors, "minor_explanation", "Опишите разъяснительную работу с ребёнком.")
    if parent_info_withheld:
        if not withheld_reason.strip():
            _add(
                errors,
                "withheld_reason",
                "Укажите, почему информирование родителя противоречит интересам ребёнка.",
            )
        if parent_familiarised_on or parent_familiarised:
            _add(
                errors,
                "parent_familiarised_on",
                "Родитель не знакомится с ИПСРН, если это противоречит интересам ребёнка.",
            )
    else:
        withheld_reason = ""
        if bool(parent_familiarised_on) != bool(parent_familiarised):
            _add(
                errors,
                "parent_familiarised",
                "Укажите и кто из родителей ознакомлен, и дату ознакомления.",
            )
        if parent_familiarised_on and parent_familiarised_on > today:
            _add(errors, "parent_familiarised_on", "Дата не может быть в будущем.")
        if (
            parent_familiarised is not None
            and not parent_familiarised.representations.filter(
                recipient_id=programme.recipient_id
            ).exists()
        ):
            _add(errors, "parent_familiarised", "Это не законный представитель ребёнка.")
    _raise(errors)
    programme.minor_explained_on = minor_explained_on
    programme.minor_explanation = minor_explanation.strip()
    programme.parent_info_withheld = parent_info_withheld
    programme.withheld_reason = withheld_reason.strip()
    programme.parent_familiarised_on = parent_familiarised_on
    programme.parent_familiarised = parent_familiarised
    programme.full_clean()
    programme.save(update_fields=[*FAMILIARISATION_FIELDS, "updated_at"])
    return programme


# What `record_familiarisation` writes: only these, not the rest of a row read earlier.
FAMILIARISATION_FIELDS = (
    "minor_explained_on",
    "minor_explanation",
    "parent_info_withheld",
    "withheld_reason",
    "parent_familiarised_on",
    "parent_familiarised",
)


@transaction.atomic
def propose_revision(
    *,
    programme: RehabProgramme,
    proposed_by: User,
    proposed_on: date,
    changes: str,
    diagnostics: Iterable[Diagnostic],
    minor_opinion: str,
    parents_survey: str,
) -> ProgrammeVersion:
    """O19: specialists propose changes resting on intermediate diagnostics, the minor's opinion
    and wishes, and a survey of the parents; the revision waits for the consilium."""
    policy.require(proposed_by, policy.CHANGE, programme)
    diagnostics = list(diagnostics)
    errors: dict[str, list[str]] = {}
    programme = RehabProgramme.objects.select_for_update().get(pk=programme.pk)
    current = (
        ProgrammeVersion.objects.filter(programme=programme, status=VersionStatus.APPROVED)
        .order_by("-number")
        .first()
    )
    if current is None:
        _add(errors, "__all__", "ИПСРН ещё не утверждена консилиумом: изменять пока нечего.")
    if ProgrammeVersion.objects.filter(programme=programme, status=VersionStatus.PROPOSED).exists():
        _add(errors, "__all__", "Предложенная редакция уже ждёт решения консилиума.")
    if not diagnostics:
        _add(
            errors,
            "diagnostics",
            "Предложение основывается на результатах промежуточной диагностики (п. 3.4.5): "
            "выберите их.",
        )
    for d in diagnostics:
        if d.recipient_id != programme.recipient_id or d.stage != Stage.INTERMEDIATE:
            _add(errors, "diagnostics", "Выберите промежуточную диагностику этого ребёнка.")
            break
    if not minor_opinion.strip():
        _add(errors, "minor_opinion", "Запишите мнение и пожелания ребёнка (п. 3.4.5).")
    if not parents_survey.strip():
        _add(
            errors,
            "parents_survey",
            "Запишите результаты опроса родителей (законных представителей) (п. 3.4.5).",
        )
    if not changes.strip():
        _add(errors, "changes", "Перечислите предлагаемые изменения и дополнения.")
    if proposed_on > _today():
        _add(errors, "proposed_on", "Дата не может быть в будущем.")
    _raise(errors)
    assert current is not None
    version = ProgrammeVersion.objects.create(
        programme=programme,
        number=current.number + 1,
        proposed_on=proposed_on,
        proposed_by=proposed_by,
        changes=changes.strip(),
        minor_opinion=minor_opinion.strip(),
        parents_survey=parents_survey.strip(),
        created_by=proposed_by,
    )
    version.diagnostics.set(diagnostics)
    return version


@transaction.atomic
def approve_version(
    *, version: ProgrammeVersion, protocol_number: str, protocol_date: date, changes: str = ""
) -> ProgrammeVersion:
    """The consilium approved the version: it takes effect with the protocol's number and date
    and the list of changes (O20). Called only by consilium.actions.record_decision."""
    version = ProgrammeVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.PROPOSED:
        raise ValidationError("Эта редакция ИПСРН уже рассмотрена консилиумом.")
    if not protocol_number or protocol_date is None:
        raise ValidationError("Редакция ИПСРН утверждается только протоколом консилиума.")
    version.status = VersionStatus.APPROVED
    version.protocol_number = protocol_number
    version.protocol_date = protocol_date
    if changes.strip():
        version.changes = changes.strip()
    version.full_clean()
    version.save()
    return version


@transaction.atomic
def reject_version(
    *, version: ProgrammeVersion, protocol_number: str, protocol_date: date
) -> ProgrammeVersion:
    """The consilium did not accept the proposed revision; the programme in force stays."""
    version = ProgrammeVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.PROPOSED:
        raise ValidationError("Эта редакция ИПСРН уже рассмотрена консилиумом.")
    version.status = VersionStatus.REJECTED
    version.protocol_number = protocol_number
    version.protocol_date = protocol_date
    version.save(update_fields=["status", "protocol_number", "protocol_date", "updated_at"])
    return version


@transaction.atomic
def record_review_without_changes(
    *, programme: RehabProgramme, protocol_text: str, reviewed_on: date
) -> RehabProgramme:
    """O19: the consilium reviewed the programme and continued it unchanged."""
    programme.continued_on = reviewed_on
    programme.continued_protocol = protocol_text[:60]
    programme.save(update_fields=["continued_on", "continued_protocol", "updated_at"])
    return programme


@transaction.atomic
def propose_change(
    *, programme: RehabProgramme, proposed_by: User, proposed_on: date, what: str, why: str
) -> ChangeProposal:
    """O37 (§3.4.5): a specialist who carries out the programme — its curator or one responsible
    for an activity in force — proposes a change: what and why. The proposal waits for the
    consilium: `consilium.actions.add_agenda_item` puts it on the child's agenda item."""
    policy.require(proposed_by, policy.CHANGE, programme)
    programme = RehabProgramme.objects.select_for_update().get(pk=programme.pk)
    errors: dict[str, list[str]] = {}
    carries_out = programme.curator_id == proposed_by.pk or any(
        a.is_in_force
        for a in programme.activities.filter(responsible=proposed_by).select_related(
            "added_in", "removed_in"
        )
    )
    if not carries_out:
        _add(
            errors,
            "__all__",
            "Предлагать изменения могут специалисты, реализующие ИПСРН: куратор и ответственные "
            "за мероприятия.",
        )
    if programme.archived_at is not None:
        _add(errors, "__all__", "ИПСРН в архиве.")
    if proposed_on > _today():
        _add(errors, "proposed_on", "Дата не может быть в будущем.")
    elif proposed_on < programme.drawn_up_on:
        _add(errors, "proposed_on", "Дата раньше составления ИПСРН.")
    if not what.strip():
        _add(errors, "what", "Опишите, что предлагается изменить.")
    if not why.strip():
        _add(errors, "why", "Обоснуйте предложение.")
    _raise(errors)
    proposal = ChangeProposal(
        programme=programme,
        proposed_by=proposed_by,
        proposed_on=proposed_on,
        what=what.strip(),
        why=why.strip(),
        created_by=proposed_by,
    )
    proposal.full_clean()
    proposal.save()
    return proposal


# --- The final conclusion (O21, O25) -----------------------------------------------------------


@transaction.atomic
def draw_up_conclusion(
    *,
    recipient: Recipient,
    drawn_up_by: User,
    drawn_up_on: date,
    diagnostics: Iterable[Diagnostic],
    results: str,
    recommendations: str,
) -> Conclusion:
    """O21: the conclusion on the results of the ИПСРН and recommendations, drawn up on the
    final diagnostics."""
    policy.require(drawn_up_by, policy.CHANGE, recipient)
    diagnostics = list(diagnostics)
    errors: dict[str, list[str]] = {}
    if not diagnostics:
        _add(
            errors,
            "diagnostics",
            "Заключение оформляется на основании итоговой диагностики (п. 3.4.7): выберите её.",
        )
    elif any(d.recipient_id != recipient.pk or d.stage != Stage.FINAL for d in diagnostics):
        _add(errors, "diagnostics", "Выберите итоговую диагностику этого ребёнка.")
    elif drawn_up_on < max(d.conducted_on for d in diagnostics):
        _add(errors, "drawn_up_on", "Заключение не может быть раньше итоговой диагностики.")
    if drawn_up_on > _today():
        _add(errors, "drawn_up_on", "Дата не может быть в будущем.")
    if not results.strip():
        _add(errors, "results", "Опишите результаты реализации ИПСРН.")
    if not recommendations.strip():
        _add(errors, "recommendations", "Дайте рекомендации по дальнейшей работе с ребёнком.")
    _raise(errors)
    conclusion = Conclusion(
        recipient=recipient,
        programme=selectors.rehab_programme_for_stay(recipient),
        drawn_up_on=drawn_up_on,
        drawn_up_by=drawn_up_by,
        results=results.strip(),
        recommendations=recommendations.strip(),
        created_by=drawn_up_by,
    )
    conclusion.full_clean()
    conclusion.save()
    conclusion.diagnostics.set(diagnostics)
    return conclusion


@transaction.atomic
def record_conclusion_receipt(
    *,
    conclusion: Conclusion,
    received_by: Representative,
    received_on: date,
    recorded_by: User,
) -> Conclusion:
    """O25: the parent received the conclusion and recommendations under signature."""
    policy.require(recorded_by, policy.CHANGE, conclusion)
    conclusion.refresh_from_db(
        from_queryset=Conclusion.objects.select_for_update(),
        fields=["received_by", "received_on"],
    )
    errors: dict[str, list[str]] = {}
    if conclusion.is_received:
        _add(errors, "__all__", "Получение заключения уже отмечено.")
    if not received_by.representations.filter(recipient_id=conclusion.recipient_id).exists():
        _add(errors, "received_by", "Это не законный представитель ребёнка.")
    if received_on > _today():
        _add(errors, "received_on", "Дата не может быть в будущем.")
    elif received_on < conclusion.drawn_up_on:
        _add(errors, "received_on", "Дата получения раньше даты заключения.")
    _raise(errors)
    conclusion.received_by = received_by
    conclusion.received_on = received_on
    conclusion.save(update_fields=["received_by", "received_on", "updated_at"])
    return conclusion
