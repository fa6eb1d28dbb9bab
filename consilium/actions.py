"""Workflows of the ПМП консилиум: its membership (the director's order), meetings and their
agenda (the head prepares), decisions (the head records, as chair or secretary) and what they
set in motion: a version of the ИПСРН takes effect (O19, O20); a decision to discharge is what
the director's discharge order rests on (O24, `orders/`).

Who may do what is checked here as well as in the views, so a task or a shell gets the same
answer: specialists propose (rehab_programs), the head prepares and records, the director
approves the membership and the orders only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from consilium import selectors
from consilium.models import (
    AgendaItem,
    Composition,
    Decision,
    DecisionKind,
    Meeting,
    Member,
    MemberRole,
)
from organisation import policy
from organisation.models import Department, NotificationEvent, NumberSeries, User
from organisation.notifications import notify_on_commit
from organisation.numbering import next_number
from recipients.models import Recipient
from rehab_programs import actions as rehab_actions
from rehab_programs import selectors as rehab_selectors
from rehab_programs.models import VersionStatus


def _today() -> date:
    return timezone.localdate()


# --- Membership --------------------------------------------------------------------------------


@transaction.atomic
def set_composition(
    *,
    order_number: str,
    order_date: date,
    approved_by: User,
    chair: User,
    secretary: User,
    members: Sequence[User] = (),
) -> Composition:
    """The director's order on the membership of the consilium; it replaces the previous one."""
    policy.require(
        approved_by, "consilium.set_composition", message="Состав консилиума утверждает директор."
    )
    errors: dict[str, list[str]] = {}
    if not order_number.strip():
        errors["order_number"] = ["Укажите номер приказа."]
    if order_date > _today():
        errors["order_date"] = ["Дата приказа не может быть в будущем."]
    if chair.pk == secretary.pk:
        errors["secretary"] = ["Председатель и секретарь — разные сотрудники."]
    if errors:
        raise ValidationError(errors)
    composition = Composition.objects.create(
        order_number=order_number.strip(),
        order_date=order_date,
        approved_by=approved_by,
        created_by=approved_by,
    )
    Member.objects.create(composition=composition, user=chair, role=MemberRole.CHAIR)
    Member.objects.create(composition=composition, user=secretary, role=MemberRole.SECRETARY)
    for user in members:
        if user.pk in (chair.pk, secretary.pk):
            continue
        Member.objects.create(composition=composition, user=user, role=MemberRole.MEMBER)
    return composition


# --- Meetings and the agenda -------------------------------------------------------------------


@transaction.atomic
def schedule_meeting(
    *, department: Department, held_on: date, prepared_by: User, notes: str = ""
) -> Meeting:
    """A meeting of the consilium prepared by the head; its protocol gets the next number of
    the year (taken under the counter's row lock: two heads scheduling at once get two numbers)."""
    policy.require(
        prepared_by,
        "consilium.prepare_meeting",
        message="Заседание готовит заведующий отделением.",
    )
    policy.require(
        prepared_by,
        "consilium.prepare_meeting",
        department=department,
        message="Заседание готовит заведующий этого отделения.",
    )
    composition = selectors.composition_on(held_on)
    if composition is None:
        raise ValidationError(
            {"held_on": ["На эту дату нет приказа о составе консилиума: его утверждает директор."]}
        )
    meeting = Meeting(
        department=department,
        held_on=held_on,
        year=held_on.year,
        composition=composition,
        prepared_by=prepared_by,
        notes=notes,
        created_by=prepared_by,
    )
    meeting.number = next_number(NumberSeries.PROTOCOL, meeting.year)
    meeting.save()
    return meeting


@transaction.atomic
def record_attendance(
    *, meeting: Meeting, attendees: Iterable[Member], recorded_by: User
) -> Meeting:
    """Who of the consilium's membership attended the meeting, recorded after it by the head:
    the protocol lists them as present and gives only them a signature line."""
    policy.require(
        recorded_by,
        "consilium.record_decision",
        meeting,
        message="Присутствие отмечает заведующий.",
    )
    people = list(attendees)
    errors: dict[str, list[str]] = {}
    if meeting.held_on > _today():
        errors["__all__"] = ["Заседание ещё не состоялось: присутствие отмечается после него."]
    if not people:
        errors["attendees"] = ["Отметьте хотя бы одного присутствовавшего члена консилиума."]
    if any(m.composition_id != meeting.composition_id for m in people):
        errors["attendees"] = ["Можно отметить только членов консилиума по приказу о составе."]
    if errors:
        raise ValidationError(errors)
    meeting.attendees.set(people)
    return meeting


@transaction.atomic
def add_agenda_item(
    *, meeting: Meeting, recipient: Recipient, inputs: str, added_by: User
) -> AgendaItem:
    """A case on the agenda; the version of the ИПСРН waiting for a decision and the
    specialists' proposals to change it not yet considered (O37) go with it."""
    policy.require(
        added_by,
        "consilium.prepare_meeting",
        meeting,
        message="Повестку готовит заведующий отделением.",
    )
    # Items added at once (two tabs, two heads): the meeting is locked, so the second sees the
    # first — its child and its position — instead of failing at the unique constraints.
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    errors: dict[str, list[str]] = {}
    if recipient.department_id != meeting.department_id:
        errors.setdefault("recipient", []).append("Ребёнок из другого отделения.")
    if not recipient.is_enrolled_on(meeting.held_on):
        errors.setdefault("recipient", []).append(
            f"Ребёнок не зачислен на обслуживание на дату заседания {meeting.held_on:%d.%m.%Y}."
        )
    if meeting.items.filter(recipient=recipient).exists():
        errors.setdefault("recipient", []).append("Этот ребёнок уже есть в повестке заседания.")
    if not inputs.strip():
        errors["inputs"] = ["Перечислите материалы, представленные консилиуму."]
    if errors:
        raise ValidationError(errors)
    rehab_programme = rehab_selectors.rehab_programme_for_stay(recipient)
    version = (
        rehab_programme.versions.filter(status=VersionStatus.PROPOSED).first()
        if rehab_programme
        else None
    )
    position = (meeting.items.aggregate(n=Max("position"))["n"] or 0) + 1
    item = AgendaItem(
        meeting=meeting,
        position=position,
        recipient=recipient,
        version=version,
        inputs=inputs.strip(),
        created_by=added_by,
    )
    item.full_clean()
    item.save()
    if rehab_programme is not None:
        # O37: the specialists' proposals not yet before the consilium go with the case.
        item.proposals.set(rehab_programme.change_proposals.filter(agenda_items__isnull=True))
    _notify_child_specialists(item, rehab_programme, added_by)
    return item


def _notify_child_specialists(item: AgendaItem, rehab_programme: Any, added_by: User) -> None:
    """The child's curator and the specialists responsible for activities of the ИПСРН learn
    that the consilium will discuss the child (O14, O19)."""
    users: list[User] = []
    if rehab_programme is not None:
        users.append(rehab_programme.curator)
        users += [a.responsible for a in rehab_programme.activities.select_related("responsible")]
    meeting = item.meeting
    notify_on_commit(
        users=users,
        kind="meeting",
        item_key=f"meeting:{meeting.pk}:recipient:{item.recipient_id}",
        event=NotificationEvent.SCHEDULED,
        on=meeting.held_on,
        message=f"ПМП консилиум {meeting.held_on:%d.%m.%Y} рассмотрит ребёнка "
        f"{item.recipient.short_name}: подготовьте материалы.",
        url=meeting.get_absolute_url(),
        actor=added_by,
    )


# --- Decisions ---------------------------------------------------------------------------------


@transaction.atomic
def record_decision(
    *,
    item: AgendaItem,
    kind: DecisionKind | str,
    recorded_by: User,
    changes: str = "",
    ground: str = "",
    text: str = "",
) -> Decision:
    """The decision on a case, recorded in the protocol. Approving or amending puts the version
    of the ИПСРН into force with the protocol's number and date (O19, O20); continuing counts as
    the quarterly review; recommending discharge on a ground of O23 allows the discharge order
    (O24)."""
    policy.require(
        recorded_by,
        "consilium.record_decision",
        item,
        message="Решения консилиума записывает заведующий.",
    )
    item = (
        AgendaItem.objects.select_for_update(of=("self",))
        .select_related("meeting", "version")
        .get(pk=item.pk)
    )
    meeting = item.meeting
    errors: dict[str, list[str]] = {}
    if Decision.objects.filter(item=item).exists():
        errors["__all__"] = ["Решение по этому вопросу уже записано."]
    if meeting.held_on > _today():
        errors["__all__"] = ["Заседание ещё не состоялось: решение записывается после него."]
    rehab_programme = rehab_selectors.rehab_programme_for_stay(item.recipient)
    version = item.version
    if version is None and rehab_programme is not None:
        # A revision proposed after the case was put on the agenda goes before the consilium too.
        version = rehab_programme.versions.filter(status=VersionStatus.PROPOSED).first()
        if version is not None:
            item.version = version
            item.save(update_fields=["version", "updated_at"])
    in_force = (
        rehab_programme is not None
        and rehab_programme.versions.filter(status=VersionStatus.APPROVED).exists()
    )
    if kind == DecisionKind.APPROVE:
        if version is None or version.number != 1 or version.status != VersionStatus.PROPOSED:
            errors.setdefault("kind", []).append(
                "Утвердить можно только составленную и ещё не утверждённую ИПСРН."
            )
    elif kind == DecisionKind.AMEND:
        if version is None or version.number == 1 or version.status != VersionStatus.PROPOSED:
            errors.setdefault("kind", []).append(
                "Изменения вносятся по предложению специалистов (п. 3.4.5): в повестке нет "
                "предложенной редакции ИПСРН."
            )
        changes = changes.strip() or (version.changes if version else "")
        if not changes:
            errors.setdefault("changes", []).append("Перечислите изменения и дополнения.")
    elif kind == DecisionKind.CONTINUE:
        if not in_force:
            errors.setdefault("kind", []).append("ИПСРН ещё не утверждена: продолжать нечего.")
    elif kind == DecisionKind.DISCHARGE:
        if not ground:
            errors.setdefault("ground", []).append(
                "Укажите основание прекращения обслуживания (п. 3.5)."
            )
    else:
        errors.setdefault("kind", []).append("Выберите решение.")
    if errors:
        raise ValidationError(errors)

    protocol_number = str(meeting.number)
    if kind in (DecisionKind.APPROVE, DecisionKind.AMEND):
        assert version is not None
        rehab_actions.approve_version(
            version=version,
            protocol_number=protocol_number,
            protocol_date=meeting.held_on,
            changes=changes if kind == DecisionKind.AMEND else "",
        )
    elif version is not None and version.status == VersionStatus.PROPOSED:
        # The consilium continued the programme (ИПСРН) or recommended discharge instead of the
        # proposed revision: the proposal is closed, not silently left open.
        rehab_actions.reject_version(
            version=version, protocol_number=protocol_number, protocol_date=meeting.held_on
        )
    if kind == DecisionKind.CONTINUE and rehab_programme is not None:
        rehab_actions.record_review_without_changes(
            programme=rehab_programme,
            protocol_text=f"протокол {meeting.protocol_text}",
            reviewed_on=meeting.held_on,
        )
    decision = Decision(
        item=item,
        kind=kind,
        changes=changes.strip() if kind == DecisionKind.AMEND else "",
        ground=ground if kind == DecisionKind.DISCHARGE else "",
        text=text.strip(),
        recorded_by=recorded_by,
        created_by=recorded_by,
    )
    decision.full_clean()
    decision.save()
    return decision
