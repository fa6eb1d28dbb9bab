"""Approval gates of the director's orders: enrolment needs the familiarisation of O12; a
discharge needs the final diagnostics with its decision (O37), the conclusion (O21) and its
receipt by the parents (O25); an enrolment beyond the department's beds warns (O36)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from consilium.models import DecisionKind, DischargeGround
from orders import actions as order_actions
from orders.models import OrderKind, OrderStatus
from recipients import actions as recipient_actions
from recipients.models import FamiliarisationKind, RecipientStatus
from recipients.selectors import enrolled_count, free_places
from tests.factories import RecipientFactory
from tests.recipients.factories import child_with_mother, prepare_enrolment
from tests.rehab_programs.factories import close_stay, composition, decide

FIRST_DAY = date(2026, 1, 13)
O12_MISSING = [
    "ребёнок и законный представитель не ознакомлены: "
    "Порядок и условия предоставления социального обслуживания",
    "ребёнок и законный представитель не ознакомлены: Правила внутреннего распорядка воспитанников",
]


@pytest.fixture
def family(dept_a):
    return child_with_mother(dept_a, last_name="Орлов", birth_date=date(2015, 5, 20))


def _draft(child, head, kind=OrderKind.ENROLMENT, on=FIRST_DAY):
    return order_actions.draft_order(kind=kind, recipient=child, drafted_by=head, effective_on=on)


def test_enrolment_is_refused_without_the_familiarisation_O12(family, specialist, head, director):
    child, mother = family
    prepare_enrolment(child, mother, specialist, skip=("familiarisation",))
    order = _draft(child, head)
    with pytest.raises(order_actions.OrderRefused) as exc:
        order_actions.approve_order(order=order, approved_by=director)
    assert exc.value.reasons == O12_MISSING


def test_familiarisation_of_the_minor_alone_or_before_the_last_discharge_does_not_count_O12(
    family, specialist, head, director
):
    """§3.3.1 names the minor and the parent; a readmitted minor is familiarised again."""
    child, mother = family
    prepare_enrolment(child, mother, specialist, skip=("familiarisation",))
    recipient_actions.record_familiarisation(
        recipient=child,
        recorded_by=specialist,
        kinds=[FamiliarisationKind.SERVICE_ORDER, FamiliarisationKind.INTERNAL_RULES],
        on=date(2026, 1, 12),
    )  # no representative named
    order = _draft(child, head)
    with pytest.raises(order_actions.OrderRefused) as exc:
        order_actions.approve_order(order=order, approved_by=director)
    assert exc.value.reasons == O12_MISSING
    recipient_actions.record_familiarisation(
        recipient=child,
        recorded_by=specialist,
        kinds=[FamiliarisationKind.SERVICE_ORDER, FamiliarisationKind.INTERNAL_RULES],
        on=date(2026, 1, 12),
        representative=mother,
    )
    child.discharged_on = date(2026, 1, 12)  # discharged that day: the records are older
    child.save()
    with pytest.raises(order_actions.OrderRefused) as exc:
        order_actions.approve_order(order=order, approved_by=director)
    assert exc.value.reasons == O12_MISSING
    child.discharged_on = None
    child.save()
    order_actions.approve_order(order=order, approved_by=director)


def test_the_card_lists_the_missing_familiarisation_O12(client, family, specialist, head):
    child, mother = family
    prepare_enrolment(child, mother, specialist, skip=("familiarisation",))
    client.force_login(head)
    page = client.get(reverse("recipients:detail", args=[child.pk])).content.decode()
    assert "не ознакомлены: Правила внутреннего распорядка воспитанников" in page


@pytest.fixture
def enrolled(family, specialist, head, director, psychologist):
    child, mother = family
    prepare_enrolment(child, mother, specialist)
    order_actions.approve_order(order=_draft(child, head), approved_by=director)
    child.refresh_from_db()
    composition(director, head, psychologist, specialist)
    decide(
        head, child, DecisionKind.DISCHARGE, on=date(2026, 5, 28), ground=DischargeGround.TERM_END
    )
    child.refresh_from_db()
    return child


def test_discharge_is_refused_without_final_diagnostics_and_conclusion_O21(
    enrolled, head, director
):
    order = _draft(enrolled, head, OrderKind.DISCHARGE, date(2026, 5, 29))
    with pytest.raises(order_actions.OrderRefused) as exc:
        order_actions.approve_order(order=order, approved_by=director)
    assert exc.value.reasons == [
        "не проведена итоговая диагностика (п. 3.4.7)",
        "нет заключения о результатах реализации ИПСРН и рекомендаций",
    ]


def test_discharge_is_refused_until_the_parents_receive_the_conclusion_O25(
    enrolled, head, director, psychologist
):
    conclusion = close_stay(enrolled, psychologist, on=date(2026, 5, 27), received=False)
    order = _draft(enrolled, head, OrderKind.DISCHARGE, date(2026, 5, 29))
    with pytest.raises(order_actions.OrderRefused) as exc:
        order_actions.approve_order(order=order, approved_by=director)
    assert exc.value.reasons == [
        "не отмечено получение заключения родителем (законным представителем)"
    ]
    from rehab_programs import actions as rehab_actions

    rehab_actions.record_conclusion_receipt(
        conclusion=conclusion,
        received_by=enrolled.representations.get().representative,
        received_on=date(2026, 5, 28),
        recorded_by=psychologist,
    )
    order_actions.approve_order(order=order, approved_by=director)
    enrolled.refresh_from_db()
    assert enrolled.status == RecipientStatus.DISCHARGED


def test_a_conclusion_of_an_earlier_stay_does_not_count_O21(enrolled, head, director, psychologist):
    close_stay(enrolled, psychologist, on=date(2026, 5, 27))
    enrolled.first_day_of_stay = date(2026, 5, 28)  # a new stay began after that conclusion
    enrolled.save()
    order = _draft(enrolled, head, OrderKind.DISCHARGE, date(2026, 5, 29))
    with pytest.raises(order_actions.OrderRefused) as exc:
        order_actions.approve_order(order=order, approved_by=director)
    assert "не проведена итоговая диагностика (п. 3.4.7)" in exc.value.reasons


def test_the_discharge_pages_show_the_final_decision_O37(client, enrolled, head, psychologist):
    close_stay(enrolled, psychologist, on=date(2026, 5, 27))
    client.force_login(head)
    page = client.get(reverse("orders:draft", args=[enrolled.pk, "discharge"])).content.decode()
    assert "прекращение социального обслуживания целесообразно" in page
    order = _draft(enrolled, head, OrderKind.DISCHARGE, date(2026, 5, 29))
    page = client.get(reverse("orders:detail", args=[order.pk])).content.decode()
    assert 'data-testid="final-decision"' in page
    assert "Документы в порядке" in page


# --- Beds for daytime sleep (O36) ------------------------------------------------------------


@time_machine.travel(date(2026, 3, 2))
def test_free_places_is_beds_less_the_minors_enrolled_now_O36(dept_a):
    assert free_places(dept_a) is None  # no beds recorded: not counted
    dept_a.beds = 5
    dept_a.save()
    RecipientFactory(department=dept_a, first_day_of_stay=FIRST_DAY)  # enrolled
    RecipientFactory(department=dept_a)  # an applicant
    RecipientFactory(  # last day of service yesterday
        department=dept_a, first_day_of_stay=FIRST_DAY, discharged_on=date(2026, 3, 1)
    )
    RecipientFactory(  # last day of service today: still holds the place
        department=dept_a, first_day_of_stay=FIRST_DAY, discharged_on=date(2026, 3, 2)
    )
    RecipientFactory(department=dept_a, first_day_of_stay=date(2026, 3, 10))  # approved, later
    assert enrolled_count(dept_a) == 2
    assert free_places(dept_a) == 2  # the enrolment from 10 March holds its place already
    # from 3 March on (the day an enrolment is planned to begin), the one leaving today is gone
    assert free_places(dept_a, on=date(2026, 3, 3)) == 3
    assert enrolled_count(dept_a, on=date(2026, 3, 10)) == 2


def test_enrolment_beyond_the_beds_warns_and_the_director_may_confirm_O36(
    family, specialist, head, director, dept_a
):
    dept_a.beds = 1
    dept_a.save()
    RecipientFactory(department=dept_a, first_day_of_stay=FIRST_DAY)
    child, mother = family
    prepare_enrolment(child, mother, specialist)
    order = _draft(child, head)
    with pytest.raises(order_actions.OverCapacity) as exc:
        order_actions.approve_order(order=order, approved_by=director)
    assert "нет свободных мест для дневного сна: занято 1 из 1 места" in exc.value.warning
    order.refresh_from_db()
    assert order.status == OrderStatus.DRAFT
    order_actions.approve_order(order=order, approved_by=director, beyond_places=True)
    order.refresh_from_db()
    assert order.status == OrderStatus.APPROVED
    assert free_places(dept_a) == -1


@time_machine.travel(date(2026, 1, 12))
def test_the_director_sees_the_warning_and_confirms_on_the_order_page_O36(
    client, family, specialist, head, director, dept_a
):
    dept_a.beds = 0
    dept_a.save()
    child, mother = family
    prepare_enrolment(child, mother, specialist, on=date(2026, 1, 5))
    client.force_login(head)
    draft_page = client.get(reverse("orders:draft", args=[child.pk, "enrolment"])).content.decode()
    assert 'data-testid="places-warning"' in draft_page
    order = _draft(child, head)
    client.force_login(director)
    page = client.get(reverse("orders:detail", args=[order.pk])).content.decode()
    assert 'data-testid="approve-beyond-places"' in page
    approve = reverse("orders:approve", args=[order.pk])
    response = client.post(approve, follow=True)
    assert "Приказ не утверждён. В отделении" in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.DRAFT
    client.post(approve, {"beyond_places": "1"})
    order.refresh_from_db()
    assert order.status == OrderStatus.APPROVED
