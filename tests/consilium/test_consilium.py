"""The ПМП консилиум: membership by the director's order, protocol numbers, decisions, and the
discharge that only a consilium decision opens (O14, O19, O23, O24)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from consilium import actions
from consilium.models import DecisionKind, DischargeGround, Member, MemberRole
from orders import actions as order_actions
from orders.actions import OrderRefused
from orders.models import OrderKind
from recipients.models import RecipientStatus
from rehab_programs.models import VersionStatus
from tests.rehab_programs.factories import (
    approved_programme,
    close_stay,
    composition,
    decide,
    enrolled_child,
    meeting,
    programme,
)

pytestmark = pytest.mark.django_db


def test_only_the_director_sets_the_membership_O14(director, head, psychologist, specialist):
    with pytest.raises(PermissionDenied):
        composition(head, head, psychologist, specialist)
    c = composition(director, head, psychologist, specialist)
    roles = {m.user_id: m.role for m in Member.objects.filter(composition=c)}
    assert roles == {
        head.pk: MemberRole.CHAIR,
        psychologist.pk: MemberRole.SECRETARY,
        specialist.pk: MemberRole.MEMBER,
    }


def test_chair_and_secretary_are_different_people(director, head, specialist):
    with pytest.raises(ValidationError) as exc:
        composition(director, head, head, specialist)
    assert exc.value.message_dict["secretary"] == ["Председатель и секретарь — разные сотрудники."]


def test_no_meeting_without_the_directors_order_on_the_membership_O14(head):
    with pytest.raises(ValidationError) as exc:
        meeting(head)
    assert "нет приказа о составе консилиума" in exc.value.message_dict["held_on"][0]


def test_protocol_numbers_run_per_year(head, head_b, consilium_members):
    numbers = [
        meeting(head, on=date(2026, 3, 2)).number,
        meeting(head_b, on=date(2026, 3, 2)).number,
        meeting(head, on=date(2026, 6, 1)).number,
    ]
    assert numbers == [1, 2, 3]
    assert meeting(head, on=date(2026, 12, 14)).number == 4


def test_two_heads_scheduling_on_one_day_get_consecutive_protocol_numbers(
    head, head_b, consilium_members
):
    """Both protocols take their number from the yearly counter (the race itself is in
    tests/reliability/test_races.py, on PostgreSQL)."""
    first = meeting(head, on=date(2026, 3, 2))
    second = meeting(head_b, on=date(2026, 3, 2))
    assert (first.number, second.number) == (1, 2)


def test_protocol_numbers_start_again_in_a_new_year(
    director, head, psychologist, consilium_members
):
    composition(director, head, psychologist, on=date(2025, 1, 13))
    first = meeting(head, on=date(2025, 12, 29))
    second = meeting(head, on=date(2026, 1, 12))
    assert (first.year, first.number) == (2025, 1)
    assert (second.year, second.number) == (2026, 1)


def test_only_the_head_prepares_and_decides_O14(
    dept_a, psychologist, head, director, specialist, consilium_members
):
    child = enrolled_child(dept_a)
    programme(child, psychologist)
    with pytest.raises(PermissionDenied):
        meeting(specialist)
    m = meeting(head)
    with pytest.raises(PermissionDenied):
        actions.add_agenda_item(meeting=m, recipient=child, inputs="Материалы", added_by=specialist)
    item = actions.add_agenda_item(meeting=m, recipient=child, inputs="Материалы", added_by=head)
    for user in (specialist, psychologist, director):
        with pytest.raises(PermissionDenied):
            actions.record_decision(item=item, kind=DecisionKind.APPROVE, recorded_by=user)
    actions.record_decision(item=item, kind=DecisionKind.APPROVE, recorded_by=head)


def test_no_decision_before_the_meeting_is_held(dept_a, psychologist, head, consilium_members):
    child = enrolled_child(dept_a)
    programme(child, psychologist)
    with pytest.raises(ValidationError) as exc:
        decide(head, child, DecisionKind.APPROVE, on=date(2026, 12, 20))
    assert "Заседание ещё не состоялось" in exc.value.messages[0]


def test_amending_needs_a_proposed_revision_O19(dept_a, psychologist, head, consilium_members):
    child = enrolled_child(dept_a)
    approved_programme(child, psychologist, head)
    with pytest.raises(ValidationError) as exc:
        decide(head, child, DecisionKind.AMEND, on=date(2026, 12, 1), changes="Что-то")
    assert "нет предложенной редакции" in exc.value.message_dict["kind"][0]


def test_discharge_needs_a_ground_of_O23(dept_a, psychologist, head, consilium_members):
    child = enrolled_child(dept_a)
    with pytest.raises(ValidationError) as exc:
        decide(head, child, DecisionKind.DISCHARGE)
    assert exc.value.message_dict["ground"] == [
        "Укажите основание прекращения обслуживания (п. 3.5)."
    ]


def test_a_discharge_decision_closes_a_pending_proposal(
    dept_a, psychologist, head, consilium_members
):
    child = enrolled_child(dept_a)
    p = programme(child, psychologist)
    with pytest.raises(ValidationError) as exc:  # nothing to continue: not approved yet
        decide(head, child, DecisionKind.CONTINUE, on=date(2026, 9, 14))
    assert exc.value.message_dict["kind"] == ["ИПСРН ещё не утверждена: продолжать нечего."]
    decide(
        head, child, DecisionKind.DISCHARGE, on=date(2026, 9, 16), ground=DischargeGround.REFUSAL
    )
    assert p.versions.get().status == VersionStatus.REJECTED


def test_no_discharge_order_without_a_consilium_decision_O24(
    dept_a, psychologist, head, director, consilium_members
):
    child = enrolled_child(dept_a)
    order = order_actions.draft_order(
        kind=OrderKind.DISCHARGE, recipient=child, drafted_by=head, effective_on=date(2026, 12, 15)
    )
    with pytest.raises(OrderRefused) as exc:
        order_actions.approve_order(order=order, approved_by=director)
    assert "нет решения ПМП консилиума" in exc.value.messages[0]
    child.refresh_from_db()
    assert child.status == RecipientStatus.ENROLLED


def test_a_decision_of_an_earlier_stay_does_not_count_O24(
    dept_a, psychologist, head, director, consilium_members
):
    child = enrolled_child(dept_a)
    decide(head, child, DecisionKind.DISCHARGE, ground=DischargeGround.TERM_END)
    child.first_day_of_stay = date(2026, 10, 1)  # enrolled again after that decision
    child.save()
    order = order_actions.draft_order(
        kind=OrderKind.DISCHARGE, recipient=child, drafted_by=head, effective_on=date(2026, 12, 15)
    )
    with pytest.raises(OrderRefused):
        order_actions.approve_order(order=order, approved_by=director)


def test_the_discharge_path_consilium_order_director_O23_O24(
    dept_a, psychologist, head, director, consilium_members
):
    child = enrolled_child(dept_a)
    approved_programme(child, psychologist, head)
    decision = decide(
        head, child, DecisionKind.DISCHARGE, on=date(2026, 12, 14), ground=DischargeGround.TERM_END
    )
    with pytest.raises(ValidationError):
        order_actions.draft_discharge_order(
            decision=decision, drafted_by=head, effective_on=date(2026, 12, 1)
        )
    with pytest.raises(PermissionDenied):
        order_actions.draft_discharge_order(
            decision=decision, drafted_by=psychologist, effective_on=date(2026, 12, 15)
        )
    order = order_actions.draft_discharge_order(
        decision=decision, drafted_by=head, effective_on=date(2026, 12, 15)
    )
    assert "протокол № 2 от 14.12.2026" in order.grounds
    assert "окончание срока" in order.grounds
    with pytest.raises(PermissionDenied):
        order_actions.approve_order(order=order, approved_by=head)
    close_stay(child, psychologist, on=date(2026, 12, 14))
    order_actions.approve_order(order=order, approved_by=director)
    child.refresh_from_db()
    assert child.discharged_on == date(2026, 12, 15)  # the last day of service
    assert child.status_on(date(2026, 12, 15)) == RecipientStatus.ENROLLED
    assert child.status_on(date(2026, 12, 16)) == RecipientStatus.DISCHARGED
    assert child.rehab_programmes.count() == 1  # all records kept


def test_a_revision_proposed_after_the_agenda_was_set_goes_before_the_consilium_O19(
    dept_a, psychologist, head, consilium_members
):
    from rehab_programs import actions as rehab_actions
    from rehab_programs.models import Stage
    from tests.rehab_programs.factories import diagnostic

    child = enrolled_child(dept_a)
    p = approved_programme(child, psychologist, head)
    m = meeting(head, on=date(2026, 12, 10))
    item = actions.add_agenda_item(meeting=m, recipient=child, inputs="Отчёт", added_by=head)
    assert item.version is None
    intermediate = diagnostic(child, psychologist, stage=Stage.INTERMEDIATE, on=date(2026, 12, 1))
    version = rehab_actions.propose_revision(
        programme=p,
        proposed_by=psychologist,
        proposed_on=date(2026, 12, 2),
        changes="Добавить тренинг общения",
        diagnostics=[intermediate],
        minor_opinion="Согласен",
        parents_survey="Стал спокойнее",
    )
    actions.record_decision(item=item, kind=DecisionKind.AMEND, recorded_by=head)
    version.refresh_from_db()
    assert version.status == VersionStatus.APPROVED
    assert version.protocol_number == str(m.number)
