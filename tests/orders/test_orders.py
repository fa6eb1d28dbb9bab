"""The director's orders (O12, O24): drafted by the head, approved or returned by the director,
with approval refused while anything is missing (enrolment: O1, O27; discharge: O24)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from consilium.models import DecisionKind, DischargeGround
from orders import actions as order_actions
from orders.models import Order, OrderKind, OrderStatus
from recipients.models import (
    RecipientStatus,
)
from tests.recipients.factories import child_with_mother, prepare_enrolment
from tests.rehab_programs.factories import close_stay, composition, decide

FIRST_DAY = date(2026, 1, 13)


@pytest.fixture
def family(dept_a):
    return child_with_mother(dept_a, last_name="Орлов", birth_date=date(2015, 5, 20))


@pytest.fixture
def ready(family, specialist):
    child, mother = family
    prepare_enrolment(child, mother, specialist)
    return child


def _draft(child, head, first_day=FIRST_DAY):
    return order_actions.draft_order(
        kind=OrderKind.ENROLMENT, recipient=child, drafted_by=head, effective_on=first_day
    )


# --- The order workflow ---


def test_only_the_head_drafts_an_order_O12(ready, specialist, director, head):
    for user in (specialist, director):
        with pytest.raises(PermissionDenied):
            _draft(ready, user)
    order = _draft(ready, head)
    assert order.status == OrderStatus.DRAFT and order.number is None
    with pytest.raises(ValidationError):
        _draft(ready, head)  # one draft at a time


def test_only_the_director_approves_O12(ready, head, specialist, director):
    order = _draft(ready, head)
    for user in (head, specialist):
        with pytest.raises(PermissionDenied):
            order_actions.approve_order(order=order, approved_by=user)
    order_actions.approve_order(order=order, approved_by=director, signed_on=date(2026, 1, 12))
    order.refresh_from_db()
    assert order.status == OrderStatus.APPROVED
    assert order.decided_by == director


def test_approval_sets_the_first_day_of_stay_and_enrols_O12(ready, head, director):
    order = _draft(ready, head)
    order_actions.approve_order(order=order, approved_by=director, signed_on=date(2026, 1, 12))
    ready.refresh_from_db()
    assert ready.status == RecipientStatus.ENROLLED
    assert ready.first_day_of_stay == FIRST_DAY
    assert ready.is_enrolled_on(FIRST_DAY) and not ready.is_enrolled_on(date(2026, 1, 12))


def test_approval_is_refused_with_the_list_of_missing_documents_O12_O27(
    family, specialist, head, director
):
    child, mother = family
    prepare_enrolment(child, mother, specialist, skip=("contract", "snils", "housing_act"))
    order = _draft(child, head)
    with pytest.raises(order_actions.OrderRefused) as exc:
        order_actions.approve_order(order=order, approved_by=director)
    assert exc.value.reasons == [
        "нет договора о предоставлении социальных услуг",
        "нет документа: СНИЛС",
        "нет документа: Акт обследования жилищно-бытовых условий семьи",
    ]
    order.refresh_from_db()
    child.refresh_from_db()
    assert order.status == OrderStatus.DRAFT and order.number is None
    assert child.status == RecipientStatus.APPLICANT and child.first_day_of_stay is None


def test_approval_is_refused_without_application_and_protocol_O1_O27(
    family, specialist, head, director
):
    child, mother = family
    prepare_enrolment(child, mother, specialist, skip=("application", "need_recognition"))
    with pytest.raises(order_actions.OrderRefused) as exc:
        order_actions.approve_order(order=_draft(child, head), approved_by=director)
    assert exc.value.reasons == [
        "нет заявления законного представителя",
        "нет протокола о признании нуждающимся (п. 1.4)",
        "нет документа: Заявление родителя (законного представителя)",
        "нет документа: Протокол о признании нуждающимся",
    ]


@pytest.mark.parametrize(
    ("birth_date", "refused"),
    [
        (date(2023, 1, 14), True),  # 2 years on 13.01.2026
        (date(2023, 1, 13), False),  # 3 years that very day
        (date(2008, 1, 14), False),  # 17, eighteen tomorrow
        (date(2008, 1, 13), True),  # 18 on the first day of stay
    ],
)
def test_approval_is_refused_outside_ages_3_to_18_on_the_first_day_O1(
    dept_a, specialist, head, director, birth_date, refused
):
    child, mother = child_with_mother(dept_a, birth_date=birth_date)
    prepare_enrolment(child, mother, specialist, on=date(2026, 1, 10))
    order = _draft(child, head)
    if refused:
        with pytest.raises(order_actions.OrderRefused) as exc:
            order_actions.approve_order(order=order, approved_by=director)
        assert "от 3 до 18 лет" in exc.value.reasons[0]
    else:
        order_actions.approve_order(order=order, approved_by=director)
        child.refresh_from_db()
        assert child.status == RecipientStatus.ENROLLED


def test_order_numbers_are_unique_per_year_and_restart_each_year_O12(
    dept_a, specialist, head, director
):
    numbers = []
    for i, signed in enumerate([date(2025, 12, 30), date(2026, 1, 12), date(2026, 1, 13)]):
        child, mother = child_with_mother(dept_a, last_name=f"Ребёнок{i}")
        prepare_enrolment(child, mother, specialist, on=date(2025, 12, 1))
        order = _draft(child, head, first_day=signed)
        order = order_actions.approve_order(order=order, approved_by=director, signed_on=signed)
        numbers.append((order.year, order.number, order.display_number))
    assert numbers == [(2025, 1, "1-25"), (2026, 1, "1-26"), (2026, 2, "2-26")]
    with pytest.raises(IntegrityError), transaction.atomic():
        Order.objects.filter(year=2026, number=2).update(number=1)


def test_director_returns_a_draft_with_a_reason(ready, head, director):
    order = _draft(ready, head)
    with pytest.raises(PermissionDenied):
        order_actions.return_order(order=order, returned_by=head, reason="…")
    with pytest.raises(ValidationError):
        order_actions.return_order(order=order, returned_by=director, reason="  ")
    order_actions.return_order(order=order, returned_by=director, reason="Исправьте дату")
    order.refresh_from_db()
    assert order.status == OrderStatus.RETURNED and order.return_reason == "Исправьте дату"
    with pytest.raises(ValidationError):
        order_actions.approve_order(order=order, approved_by=director)
    _draft(ready, head)  # the head may prepare a new draft


def test_discharge_needs_the_consilium_decision_then_sets_the_last_day_and_the_status_O24(
    ready, head, director, psychologist, specialist
):
    """Approval of a discharge reads the consilium's decision directly (O24): refused without
    it; with it, the last day of service is the order's date of effect."""
    order_actions.approve_order(order=_draft(ready, head), approved_by=director)
    order = order_actions.draft_order(
        kind=OrderKind.DISCHARGE, recipient=ready, drafted_by=head, effective_on=date(2026, 5, 29)
    )
    with pytest.raises(order_actions.OrderRefused) as exc:
        order_actions.approve_order(order=order, approved_by=director)
    assert exc.value.reasons == [
        "нет решения ПМП консилиума о снятии с социального обслуживания (п. 3.5.1)",
        "не проведена итоговая диагностика (п. 3.4.7)",
        "нет заключения о результатах реализации ИПСРН и рекомендаций",
    ]
    ready.refresh_from_db()
    composition(director, head, psychologist, specialist)
    decide(
        head, ready, DecisionKind.DISCHARGE, on=date(2026, 5, 28), ground=DischargeGround.TERM_END
    )
    close_stay(ready, psychologist, on=date(2026, 5, 27))
    order_actions.approve_order(order=order, approved_by=director)
    ready.refresh_from_db()
    assert ready.status == RecipientStatus.DISCHARGED
    assert ready.discharged_on == date(2026, 5, 29)
    assert not ready.is_enrolled_on(date(2026, 5, 30))


def test_discharge_of_a_minor_not_enrolled_is_refused(ready, head, director):
    order = order_actions.draft_order(
        kind=OrderKind.DISCHARGE, recipient=ready, drafted_by=head, effective_on=date(2026, 5, 29)
    )
    with pytest.raises(order_actions.OrderRefused) as exc:
        order_actions.approve_order(order=order, approved_by=director)
    assert exc.value.reasons == [
        "получатель не зачислен на обслуживание",
        "нет решения ПМП консилиума о снятии с социального обслуживания (п. 3.5.1)",
        "не проведена итоговая диагностика (п. 3.4.7)",
        "нет заключения о результатах реализации ИПСРН и рекомендаций",
    ]


# --- Through the browser's requests ---


@time_machine.travel(date(2026, 1, 12))
def test_order_workflow_through_the_views_O12(client, ready, head, director, specialist):
    draft_url = reverse("orders:draft", args=[ready.pk, "enrolment"])
    client.force_login(specialist)
    assert client.get(draft_url).status_code == 403
    client.force_login(head)
    response = client.post(draft_url, {"effective_on": "13.01.2026", "grounds": "заявление"})
    order = Order.objects.get()
    assert response["Location"] == order.get_absolute_url()
    approve = reverse("orders:approve", args=[order.pk])
    assert client.post(approve).status_code == 403  # the head may not approve
    client.force_login(director)
    assert client.get(approve).status_code == 405
    assert client.post(approve).status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.APPROVED and order.signed_on == date(2026, 1, 12)
    assert order.display_number == "1-26"


@time_machine.travel(date(2026, 1, 12))
def test_refused_approval_lists_what_is_missing_on_the_page(
    client, family, specialist, head, director
):
    child, mother = family
    prepare_enrolment(child, mother, specialist, skip=("medical",))
    order = _draft(child, head)
    client.force_login(director)
    page = client.get(reverse("orders:detail", args=[order.pk])).content.decode()
    assert "Справки медицинского учреждения о состоянии здоровья" in page
    response = client.post(reverse("orders:approve", args=[order.pk]), follow=True)
    assert "Приказ не утверждён. Не хватает: нет документа: Справки медицинского" in (
        response.content.decode()
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.DRAFT


def test_order_return_through_the_view_needs_a_reason(client, ready, head, director):
    order = _draft(ready, head)
    client.force_login(director)
    url = reverse("orders:return", args=[order.pk])
    client.post(url, {"reason": ""})
    order.refresh_from_db()
    assert order.status == OrderStatus.DRAFT
    client.post(url, {"reason": "Нет подписи"})
    order.refresh_from_db()
    assert order.status == OrderStatus.RETURNED


def test_orders_of_another_department_are_404(client, ready, head, head_b, director):
    order = _draft(ready, head)
    client.force_login(head_b)
    assert client.get(reverse("orders:detail", args=[order.pk])).status_code == 404
    assert client.get(reverse("orders:pdf", args=[order.pk])).status_code == 404
    assert list(client.get(reverse("orders:list")).context["page_obj"]) == []
    client.force_login(director)
    assert list(client.get(reverse("orders:list")).context["page_obj"]) == [order]


def test_order_list_is_for_heads_and_the_director(client, specialist, head):
    client.force_login(specialist)
    assert client.get(reverse("orders:list")).status_code == 403
    client.force_login(head)
    assert client.get(reverse("orders:list")).status_code == 200
    assert client.post(reverse("orders:list")).status_code == 405


def test_a_specialist_reading_an_order_is_not_led_to_the_list_of_orders(
    client, ready, head, specialist
):
    """The order page's breadcrumb «Приказы» led a specialist, who may read the order of a
    child of the department, to the list of orders that answers them 403."""
    order = _draft(ready, head)
    list_link = f'href="{reverse("orders:list")}"'
    client.force_login(specialist)
    page = client.get(reverse("orders:detail", args=[order.pk]))
    assert page.status_code == 200
    assert list_link not in page.content.decode()
    client.force_login(head)
    assert list_link in client.get(reverse("orders:detail", args=[order.pk])).content.decode()


def test_order_list_keeps_a_constant_number_of_queries(
    client, dept_a, head, specialist, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import RecipientFactory

    def make(n):
        for _ in range(n):
            Order.objects.create(
                kind=OrderKind.ENROLMENT,
                recipient=RecipientFactory(department=dept_a),
                effective_on=FIRST_DAY,
                drafted_by=head,
                status=OrderStatus.RETURNED,
            )

    client.force_login(head)
    make(5)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("orders:list"))
    make(45)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(reverse("orders:list"))


def test_order_list_shows_the_unnumbered_first_then_the_newest_number(
    client, dept_a, head, director
):
    """The register: drafts and returned orders (no number yet) on top, newest first; then
    the numbered ones by year and number, newest first; each with its recipient, department
    and the head who drafted it."""
    from tests.factories import RecipientFactory

    def order(year=None, number=None, status=OrderStatus.DRAFT):
        return Order.objects.create(
            kind=OrderKind.ENROLMENT,
            recipient=RecipientFactory(department=dept_a),
            effective_on=FIRST_DAY,
            drafted_by=head,
            status=status,
            year=year,
            number=number,
            signed_on=FIRST_DAY if number else None,
        )

    old_2025 = order(2025, 7, OrderStatus.APPROVED)
    first_2026 = order(2026, 1, OrderStatus.APPROVED)
    second_2026 = order(2026, 2, OrderStatus.APPROVED)
    returned = order(status=OrderStatus.RETURNED)
    draft = order()
    client.force_login(director)
    response = client.get(reverse("orders:list"))
    assert list(response.context["page_obj"]) == [
        draft,
        returned,
        second_2026,
        first_2026,
        old_2025,
    ]
    drafts = client.get(reverse("orders:list"), {"status": OrderStatus.DRAFT})
    assert list(drafts.context["page_obj"]) == [draft]
    html = response.content.decode()
    assert draft.recipient.full_name in html and "2-26" in html
    assert head.short_name in html and str(dept_a) in html


def test_the_earlier_addresses_of_orders_redirect_to_the_orders_section(client, ready, head):
    """Bookmarks and printed links of «Приказы» under «Получатели» keep working."""
    order = _draft(ready, head)
    client.force_login(head)
    for old, new in [
        ("/recipients/orders/?status=draft", reverse("orders:list") + "?status=draft"),
        (f"/recipients/orders/{order.pk}/", reverse("orders:detail", args=[order.pk])),
        (f"/recipients/orders/{order.pk}/print.pdf", reverse("orders:pdf", args=[order.pk])),
        (
            f"/recipients/{ready.pk}/orders/new/enrolment/",
            reverse("orders:draft", args=[ready.pk, "enrolment"]),
        ),
        ("/consilium/decisions/7/discharge-order/", reverse("orders:discharge_draft", args=[7])),
    ]:
        response = client.get(old)
        assert response.status_code == 302, old
        assert response["Location"] == new


def test_a_refused_return_keeps_the_form_and_the_typed_text(client, ready, head, director):
    """Bad input to a POST-only action: the form again with the message, nothing lost."""
    order = _draft(ready, head)
    client.force_login(director)
    url = reverse("orders:return", args=[order.pk])
    response = client.post(url, {"reason": "x" * 2001})
    assert response.status_code == 400
    assert "2000" in response.context["form"].errors["reason"][0]
    assert "x" * 2001 in response.content.decode()
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert response.context["form"].errors["reason"]
    order.refresh_from_db()
    assert order.status == OrderStatus.DRAFT
