"""Helpers for the rehabilitation and consilium tests: data made through the real actions."""

from __future__ import annotations

from datetime import date, timedelta

from consilium import actions as consilium_actions
from consilium.models import Composition, Decision, DecisionKind, Meeting
from recipients.models import (
    Contract,
    ContractTerm,
    Recipient,
    Relation,
    Representation,
    Representative,
)
from rehab_programs import actions
from rehab_programs.models import Area, Diagnostic, RehabProgramme, Stage
from tests.factories import FamilyFactory, RecipientFactory, RepresentativeFactory

FIRST_DAY = date(2026, 9, 1)


def enrolled_child(department, *, first_day=FIRST_DAY, **fields):  # -> Recipient
    """A child in service since `first_day` (set as an approved enrolment order would), with a
    mother as legal representative."""
    family = FamilyFactory(department=department, name="Семья Смирновых")
    child = RecipientFactory(
        department=department,
        family=family,
        first_day_of_stay=first_day,
        **fields,
    )
    mother = RepresentativeFactory(family=family)
    Representation.objects.create(recipient=child, representative=mother, relation=Relation.MOTHER)
    Contract.objects.create(  # O33: services rest on a contract in force
        recipient=child,
        representative=mother,
        number=f"{child.pk}-Д",
        concluded_on=first_day - timedelta(days=30),
        term=ContractTerm.PERMANENT,
    )
    return child


def mother_of(child: Recipient) -> Representative:
    return Representative.objects.filter(representations__recipient=child).get()


def diagnostic(
    child: Recipient,
    by,
    *,
    stage: str = Stage.PRIMARY,
    area: str = Area.PSYCHOLOGICAL,
    on: date = date(2026, 9, 3),
    **extra,
) -> Diagnostic:
    if stage == Stage.FINAL:
        extra.setdefault("ending_advisable", True)  # O37: the final diagnostics decides
    return actions.record_diagnostic(
        recipient=child,
        stage=stage,
        area=area,
        conducted_on=on,
        conducted_by=by,
        methods="Методика «Несуществующее животное», тест Люшера",
        results="Повышенная тревожность, заниженная самооценка.",
        conclusions="Рекомендованы коррекционные занятия.",
        **extra,
    )


def programme(child: Recipient, by, *, on: date = date(2026, 9, 10), activities: int = 1):
    """A primary diagnostic and a drawn-up programme with `activities` activities (proposed)."""
    if not Diagnostic.objects.filter(recipient=child, stage=Stage.PRIMARY).exists():
        diagnostic(child, by)
    p = actions.draw_up_rehab_programme(recipient=child, drawn_up_by=by, drawn_up_on=on, curator=by)
    for n in range(activities):
        actions.add_activity(
            programme=p,
            added_by=by,
            responsible=by,
            due_on=on + timedelta(days=60),
            description=f"Коррекционное занятие № {n + 1}",
            expected_result="Снижение тревожности",
        )
    return p


def composition(director, chair, secretary, *members, on: date = date(2026, 1, 12)) -> Composition:
    return consilium_actions.set_composition(
        order_number="12-од",
        order_date=on,
        approved_by=director,
        chair=chair,
        secretary=secretary,
        members=list(members),
    )


def meeting(head, *, on: date = date(2026, 9, 15)) -> Meeting:
    assert head.department is not None
    return consilium_actions.schedule_meeting(
        department=head.department, held_on=on, prepared_by=head
    )


def decide(
    head,
    child: Recipient,
    kind: str,
    *,
    on: date = date(2026, 9, 15),
    m: Meeting | None = None,
    **kw,
) -> Decision:
    m = m or meeting(head, on=on)
    item = consilium_actions.add_agenda_item(
        meeting=m, recipient=child, inputs="Результаты первичной диагностики", added_by=head
    )
    return consilium_actions.record_decision(item=item, kind=kind, recorded_by=head, **kw)


def approved_programme(
    child: Recipient, specialist, head, *, activities: int = 1
) -> RehabProgramme:
    p = programme(child, specialist, activities=activities)
    decide(head, child, DecisionKind.APPROVE)
    return RehabProgramme.objects.get(pk=p.pk)


def close_stay(child: Recipient, by, *, on: date = date(2026, 12, 8), received: bool = True):
    """What a discharge rests on (O21, O25, O37): the final diagnostics deciding that ending the
    service is advisable, the conclusion drawn up on it and, unless `received` is False, its
    receipt by the child's first representative. Returns the conclusion."""
    final = diagnostic(child, by, stage=Stage.FINAL, on=on)
    conclusion = actions.draw_up_conclusion(
        recipient=child,
        drawn_up_by=by,
        drawn_up_on=on,
        diagnostics=[final],
        results="Мероприятия выполнены, тревожность снижена.",
        recommendations="Наблюдение школьного психолога.",
    )
    if received:
        link = child.representations.select_related("representative").first()
        assert link is not None, "the child needs a representative to receive the conclusion"
        actions.record_conclusion_receipt(
            conclusion=conclusion,
            received_by=link.representative,
            received_on=on,
            recorded_by=by,
        )
    return conclusion
