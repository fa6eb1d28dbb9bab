"""The demo consilium: membership by the director's order, meetings approving the demo
programmes, a revision, and one child taken through the whole discharge path (final
diagnostics, conclusion, decision, order approved by the director, parent's receipt). Built
through the real actions; safe to re-run."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import TextIO

from django.utils import timezone

from consilium import actions
from consilium.models import Composition, DecisionKind, DischargeGround, Meeting
from orders import actions as order_actions
from orders.models import OrderKind
from organisation.models import Position, User
from organisation.text import with_plural
from recipients.models import Recipient
from rehab_programs import actions as rehab_actions
from rehab_programs.models import Area, RehabProgramme, Stage, VersionStatus


def load(out: TextIO) -> None:
    if Composition.objects.exists():
        meetings = with_plural(Meeting.objects.count(), "заседание", "заседания", "заседаний")
        out.write(f"Консилиум: {meetings} (уже загружены)\n")
        return
    programmes = list(
        RehabProgramme.objects.filter(
            versions__status=VersionStatus.PROPOSED,
            recipient__in=Recipient.objects.enrolled(),
        )
        .select_related("recipient", "curator")
        .order_by("drawn_up_on", "pk")
    )
    if not programmes:
        out.write("Консилиум: нет составленных ИПСРН — заседания не созданы\n")
        return
    today = timezone.localdate()
    director = User.objects.get(position=Position.DIRECTOR, username="director")
    heads = {u.department_id: u for u in User.objects.filter(position=Position.HEAD)}
    staff = list(
        User.objects.filter(
            position__in=[Position.PSYCHOLOGIST, Position.SOCIAL_PEDAGOGUE, Position.NURSE],
            is_active=True,
        ).order_by("position", "pk")
    )
    chair = heads[programmes[0].recipient.department_id]
    secretary = next(u for u in staff if u.position == Position.SOCIAL_PEDAGOGUE)
    composition = actions.set_composition(
        order_number="3-од",
        order_date=min(p.drawn_up_on for p in programmes) - timedelta(days=30),
        approved_by=director,
        chair=chair,
        secretary=secretary,
        members=[*heads.values(), *staff],
    )
    # One approval meeting per department and month in which programmes were drawn up.
    by_month: dict[tuple[int, int, int], list[RehabProgramme]] = defaultdict(list)
    for p in programmes:
        by_month[(p.recipient.department_id, p.drawn_up_on.year, p.drawn_up_on.month)].append(p)
    approved = []
    for (department_id, _year, _month), group in sorted(by_month.items()):
        head = heads[department_id]
        meeting = actions.schedule_meeting(
            department=head.department,  # type: ignore[arg-type]
            held_on=max(p.drawn_up_on for p in group),
            prepared_by=head,
        )
        _attend(meeting, head)
        for p in group:
            item = actions.add_agenda_item(
                meeting=meeting,
                recipient=p.recipient,
                inputs="Результаты первичной психологической и педагогической диагностики; "
                "проект ИПСРН, доклад куратора.",
                added_by=head,
            )
            actions.record_decision(
                item=item,
                kind=DecisionKind.APPROVE,
                recorded_by=head,
                text="Утвердить ИПСРН, куратор — " + p.curator.short_name,
            )
            approved.append(p)
    _record_results(approved, today)
    _quarterly_review(approved[1:], heads, today)
    _discharge_one(approved[0], heads, director, today, out)
    out.write(
        f"Консилиум: состав по приказу № {composition.order_number}, "
        f"{with_plural(Meeting.objects.count(), 'заседание', 'заседания', 'заседаний')}\n"
    )


def _record_results(programmes: list[RehabProgramme], today) -> None:
    """Activities whose term has passed were carried out (O18): their results are recorded."""
    for p in programmes:
        for activity in p.activities.select_related("added_in", "removed_in", "programme"):
            if activity.due_on < today and activity.done_on is None:
                rehab_actions.record_activity_result(
                    activity=activity,
                    actual_result="Выполнено в полном объёме; динамика положительная.",
                    done_on=activity.due_on,
                    recorded_by=activity.responsible,
                )


def _quarterly_review(programmes: list[RehabProgramme], heads, today) -> None:
    """A review meeting a week ago (O19): one programme amended on a revision resting on
    intermediate diagnostics, the minor's opinion and a survey of the parents; the others
    older than two months continued without changes."""
    held_on = today - timedelta(days=7)
    due = [p for p in programmes if p.drawn_up_on < held_on - timedelta(days=60)]
    if len(due) > 2:
        due = due[:-1]  # one left unreviewed: its quarterly term shows as overdue
    if not due:
        return
    amended = due[0]
    curator = amended.curator
    intermediate = rehab_actions.record_diagnostic(
        recipient=amended.recipient,
        stage=Stage.INTERMEDIATE,
        area=Area.PSYCHOLOGICAL,
        conducted_on=held_on - timedelta(days=3),
        conducted_by=curator,
        duration_minutes=40,
        methods="Тест тревожности Тэммл, Дорки, Амен (повторно)",
        results="Тревожность снизилась; сохраняются трудности в общении со сверстниками.",
        conclusions="Добавить групповые занятия по развитию коммуникативных навыков.",
    )
    rehab_actions.propose_revision(
        programme=amended,
        proposed_by=curator,
        proposed_on=held_on - timedelta(days=2),
        changes="Добавить групповые занятия по развитию навыков общения",
        diagnostics=[intermediate],
        minor_opinion="Хочет заниматься вместе с другими ребятами.",
        parents_survey="Мама отмечает, что ребёнок стал спокойнее, но мало общается.",
    )
    rehab_actions.add_activity(
        programme=amended,
        added_by=curator,
        responsible=curator,
        due_on=today + timedelta(days=60),
        description="Групповые занятия по развитию навыков общения (тренинг)",
        expected_result="Ребёнок свободно общается со сверстниками",
    )
    by_department: dict[int, list[RehabProgramme]] = defaultdict(list)
    for p in due:
        by_department[p.recipient.department_id].append(p)
    for department_id, group in by_department.items():
        head = heads[department_id]
        meeting = actions.schedule_meeting(
            department=head.department, held_on=held_on, prepared_by=head
        )
        _attend(meeting, head)
        for p in group:
            item = actions.add_agenda_item(
                meeting=meeting,
                recipient=p.recipient,
                inputs="Ежеквартальное рассмотрение ИПСРН: отчёт куратора о выполнении мероприятий"
                + (
                    "; промежуточная диагностика, мнение ребёнка, опрос родителей."
                    if p == amended
                    else "."
                ),
                added_by=head,
            )
            actions.record_decision(
                item=item,
                kind=DecisionKind.AMEND if p == amended else DecisionKind.CONTINUE,
                recorded_by=head,
            )


def _discharge_one(programme: RehabProgramme, heads, director, today, out: TextIO) -> None:
    """Final diagnostics → conclusion → consilium decision → order → director → receipt."""
    child = programme.recipient
    head = heads[child.department_id]
    curator = programme.curator
    final = rehab_actions.record_diagnostic(
        recipient=child,
        stage=Stage.FINAL,
        area=Area.PSYCHOLOGICAL,
        conducted_on=today,
        conducted_by=curator,
        duration_minutes=40,
        methods="Тест тревожности Тэммл, Дорки, Амен (повторно)",
        results="Уровень тревожности снизился до нормы; отношения в семье стабилизировались.",
        conclusions="Цели программы достигнуты.",
        ending_advisable=True,
    )
    conclusion = rehab_actions.draw_up_conclusion(
        recipient=child,
        drawn_up_by=curator,
        drawn_up_on=today,
        diagnostics=[final],
        results="Мероприятия ИПСРН выполнены; тревожность снижена, успеваемость улучшилась.",
        recommendations="Продолжить наблюдение школьным психологом; посещать кружок по "
        "интересам; родителям — придерживаться согласованных требований.",
    )
    meeting = actions.schedule_meeting(department=head.department, held_on=today, prepared_by=head)
    _attend(meeting, head)
    item = actions.add_agenda_item(
        meeting=meeting,
        recipient=child,
        inputs="Итоговая диагностика, заключение о результатах реализации ИПСРН.",
        added_by=head,
    )
    decision = actions.record_decision(
        item=item, kind=DecisionKind.DISCHARGE, recorded_by=head, ground=DischargeGround.TERM_END
    )
    order = order_actions.draft_discharge_order(
        decision=decision, drafted_by=head, effective_on=today
    )
    # O25: the mother receives the conclusion under signature before the director signs.
    mother = child.representations.select_related("representative").first()
    if mother is not None:
        rehab_actions.record_conclusion_receipt(
            conclusion=conclusion,
            received_by=mother.representative,
            received_on=today,
            recorded_by=curator,
        )
        order_actions.approve_order(order=order, approved_by=director, signed_on=today)
    assert order.kind == OrderKind.DISCHARGE
    out.write(f"  {child.short_name}: снят(а) с обслуживания по решению консилиума\n")


def _attend(meeting: Meeting, head: User) -> None:
    """The chair, the secretary and all members but the last one attended (one was absent)."""
    members = list(meeting.composition.members.order_by("pk"))
    ordinary = [m for m in members if m.role == "member"]
    absent = ordinary[-1] if len(ordinary) > 2 else None
    present = [m for m in members if m != absent]
    actions.record_attendance(meeting=meeting, attendees=present, recorded_by=head)
