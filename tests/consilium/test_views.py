"""Pages of the consilium: who may do what, bad input, the protocol PDF, query counts."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from consilium import actions
from consilium.models import Composition, Decision, DecisionKind, Meeting
from orders.models import Order, OrderKind
from rehab_programs.models import ProgrammeVersion, VersionStatus
from tests.rehab_programs.factories import (
    close_stay,
    decide,
    enrolled_child,
    meeting,
    programme,
)
from tests.reports.test_pdf import pdf_text

pytestmark = pytest.mark.django_db


def test_the_list_needs_a_login_and_a_case_role(client, registrar, administrator):
    url = reverse("consilium:list")
    assert client.get(url).status_code == 302
    for user in (registrar, administrator):
        client.force_login(user)
        assert client.get(url).status_code == 403


def test_only_the_director_sets_the_membership_through_the_page_O14(
    client, director, head, psychologist, specialist
):
    url = reverse("consilium:composition_set")
    client.force_login(head)
    assert client.get(url).status_code == 403
    client.force_login(director)
    response = client.post(
        url,
        {
            "order_number": "15-од",
            "order_date": "12.01.2026",
            "chair": head.pk,
            "secretary": head.pk,
            "members": [specialist.pk],
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["secretary"] == [
        "Председатель и секретарь — разные сотрудники."
    ]
    response = client.post(
        url,
        {
            "order_number": "15-од",
            "order_date": "12.01.2026",
            "chair": head.pk,
            "secretary": psychologist.pk,
            "members": [specialist.pk],
        },
    )
    assert response.status_code == 302
    assert Composition.objects.get().members.count() == 3


def test_the_head_schedules_a_meeting_specialists_and_the_director_cannot(
    client, head, specialist, director, consilium_members
):
    url = reverse("consilium:meeting_create")
    for user in (specialist, director):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(head)
    response = client.post(url, {"held_on": "14.12.2026"})
    meeting_ = Meeting.objects.get()
    assert response["Location"] == meeting_.get_absolute_url()
    assert meeting_.number == 1


def test_a_bad_meeting_date_is_answered_in_russian(client, head, consilium_members):
    client.force_login(head)
    response = client.post(reverse("consilium:meeting_create"), {"held_on": "2026-12-14x"})
    assert response.context["form"].errors["held_on"] == [
        "Введите дату в виде дд.мм.гггг, например 01.09.2026."
    ]


def test_the_outsider_head_gets_404(client, head, head_b, consilium_members):
    m = meeting(head)
    client.force_login(head_b)
    for url in (
        reverse("consilium:meeting", args=[m.pk]),
        reverse("consilium:protocol_pdf", args=[m.pk]),
        reverse("consilium:item_add", args=[m.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_recording_a_decision_through_the_page(
    client, dept_a, psychologist, head, specialist, consilium_members
):
    child = enrolled_child(dept_a)
    programme(child, psychologist)
    m = meeting(head)
    item = actions.add_agenda_item(meeting=m, recipient=child, inputs="Материалы", added_by=head)
    url = reverse("consilium:decision", args=[item.pk])
    client.force_login(specialist)
    assert client.get(url).status_code == 403
    client.force_login(head)
    response = client.post(url, {"kind": "discharge", "ground": ""})
    assert response.context["form"].errors["ground"] == [
        "Укажите основание прекращения обслуживания (п. 3.5)."
    ]
    response = client.post(url, {"kind": "approve"})
    assert response.status_code == 302
    assert ProgrammeVersion.objects.get().status == VersionStatus.APPROVED


def test_the_discharge_order_is_drafted_from_the_decision_page_O24(
    client, dept_a, psychologist, head, director, consilium_members
):
    child = enrolled_child(dept_a)
    decision = decide(head, child, DecisionKind.DISCHARGE, on=date(2026, 12, 14), ground="refusal")
    url = reverse("orders:discharge_draft", args=[decision.pk])
    client.force_login(psychologist)
    assert client.get(url).status_code == 403
    client.force_login(head)
    response = client.post(url, {"effective_on": "15.12.2026"})
    order = Order.objects.get(kind=OrderKind.DISCHARGE)
    assert response["Location"] == order.get_absolute_url()
    close_stay(child, psychologist, on=date(2026, 12, 14))
    client.force_login(director)
    response = client.post(reverse("orders:approve", args=[order.pk]))
    order.refresh_from_db()
    assert order.status == "approved"
    page = client.get(reverse("rehab_programs:recipient", args=[child.pk]))
    assert page.status_code == 200
    assert "снят(а) с обслуживания 15.12.2026" in page.content.decode()


def test_the_protocol_pdf_has_the_decisions_and_members_signature_lines(
    client, dept_a, psychologist, head, consilium_members
):
    child = enrolled_child(dept_a, last_name="Орлов", first_name="Артём", patronymic="Игоревич")
    programme(child, psychologist)
    decision = decide(head, child, DecisionKind.APPROVE, on=date(2026, 12, 14))
    meeting_ = decision.item.meeting
    actions.record_attendance(
        meeting=meeting_, attendees=meeting_.composition.members.all(), recorded_by=head
    )
    client.force_login(head)
    response = client.get(reverse("consilium:protocol_pdf", args=[decision.item.meeting_id]))
    text = " ".join(pdf_text(response.content).split())
    assert "ПРОТОКОЛ № 1" in text
    assert "от 14.12.2026" in text
    assert "Орлов Артём Игоревич" in text
    assert "Утвердить ИПСРН" in text
    for name in ("Кузнецова И. В.", "Соколов Д. А."):
        assert name in text
    assert text.count("подпись") >= 3


@pytest.mark.parametrize("n", [3, 12])  # the same counts: a query per case would add nine
def test_the_protocol_page_keeps_its_queries_as_cases_grow(
    client, dept_a, psychologist, head, consilium_members, django_assert_num_queries, n
):
    m = meeting(head, on=date(2026, 12, 14))
    for i in range(n):
        child = enrolled_child(dept_a)
        programme(child, psychologist)
        item = actions.add_agenda_item(
            meeting=m, recipient=child, inputs="Материалы", added_by=head
        )
        kind = DecisionKind.DISCHARGE if i % 2 else DecisionKind.APPROVE
        actions.record_decision(item=item, kind=kind, recorded_by=head, ground="term_end")
    client.force_login(head)
    # the attendance (+1); role-table permissions (-2) and the access log (+1); the
    # specialists' proposals of the items (+1, O37); the children's access log (+1, one insert)
    with django_assert_num_queries(14):
        response = client.get(reverse("consilium:meeting", args=[m.pk]))
    assert len(response.context["items"]) == n
    assert Decision.objects.count() == n
    with django_assert_num_queries(12):  # the attendance, the access logs, the proposals
        response = client.get(reverse("consilium:protocol_pdf", args=[m.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("n", [2, 12])
def test_the_meetings_list_keeps_its_queries(
    client, head, director, consilium_members, django_assert_num_queries, n
):
    for _ in range(n):
        meeting(head, on=date(2026, 12, 14))
    client.force_login(director)
    with django_assert_num_queries(9):  # no permission queries (issue 11)
        response = client.get(reverse("consilium:list"))
    assert len(response.context["meetings"]) == n
    assert "Кузнецова Ирина Владимировна — председатель" in response.content.decode()


def test_the_meetings_list_counts_each_meeting_s_cases_and_decisions(
    client, dept_a, psychologist, head, consilium_members
):
    """«Вопросов» and «Решений» of each meeting: its agenda items and the decisions recorded on
    them, whatever the other meetings hold."""
    full = meeting(head, on=date(2026, 12, 14))
    for i in range(3):
        child = enrolled_child(dept_a)
        programme(child, psychologist)
        item = actions.add_agenda_item(
            meeting=full, recipient=child, inputs="Материалы", added_by=head
        )
        if i:
            actions.record_decision(item=item, kind=DecisionKind.APPROVE, recorded_by=head)
    empty = meeting(head, on=date(2026, 12, 15))
    client.force_login(head)
    response = client.get(reverse("consilium:list"))
    counts = {m.pk: (m.cases, m.decided) for m in response.context["meetings"]}
    assert counts == {full.pk: (3, 2), empty.pk: (0, 0)}
    assert [m.pk for m in response.context["meetings"]] == [empty.pk, full.pk]


def test_an_id_too_big_for_the_database_ticked_as_attendee_is_refused_not_a_500(
    client, head, consilium_members
):
    """Issue 12 (the form fuzzer): `99999999999999999999999` among the ticked attendees was an
    OverflowError on SQLite; it is an unknown choice like any other."""
    m = meeting(head, on=date(2026, 12, 14))
    member = m.composition.members.first()
    client.force_login(head)
    response = client.post(
        reverse("consilium:attendance", args=[m.pk]),
        {"attendees": [member.pk, "99999999999999999999999"]},
    )
    assert response.status_code == 400
    assert "99999999999999999999999" in response.context["form"].errors["attendees"][0]
    assert not m.attendees.exists()


def test_the_meeting_and_its_protocol_are_in_the_access_log_of_each_child_on_the_agenda(
    client, dept_a, psychologist, head, consilium_members
):
    """The protocol names every child on its agenda: reading the meeting's page or printing
    its protocol is written to each child's access log too, not only to the meeting's."""
    from organisation.models import AccessKind, AccessLog

    child = enrolled_child(dept_a, last_name="Орлов", first_name="Артём", patronymic="Игоревич")
    programme(child, psychologist)
    decision = decide(head, child, DecisionKind.APPROVE, on=date(2026, 12, 14))
    client.force_login(head)
    client.get(reverse("consilium:meeting", args=[decision.item.meeting_id]))
    client.get(reverse("consilium:protocol_pdf", args=[decision.item.meeting_id]))
    rows = AccessLog.objects.filter(recipient_id=child.pk, record__startswith="consilium.")
    assert sorted(rows.values_list("kind", flat=True)) == [AccessKind.PAGE, AccessKind.PRINT]
    assert {r.record for r in rows} == {f"consilium.agendaitem:{decision.item_id}"}
    assert all(r.user == head for r in rows)


def test_the_meeting_page_agrees_attendance_with_each_member_and_scrolls_its_agenda_in_a_box(
    client, dept_a, psychologist, head, consilium_members
):
    """«Кузнецова Ирина Владимировна — председатель · присутствовала», not «присутствовал(а)»
    for everyone; and the agenda's table scrolls in its own box on a tablet (its order link
    pushed the page 274 px sideways at 800 px)."""
    from reports import names
    from tests.html import tables_in_boxes

    child = enrolled_child(dept_a)
    programme(child, psychologist)
    decision = decide(head, child, DecisionKind.APPROVE, on=date(2026, 12, 14))
    meeting_ = decision.item.meeting
    members = list(meeting_.composition.members.select_related("user").order_by("pk"))
    actions.record_attendance(meeting=meeting_, attendees=members[:-1], recorded_by=head)
    client.force_login(head)
    page = client.get(reverse("consilium:meeting", args=[meeting_.pk])).content.decode()
    assert "присутствовал(а)" not in page and "отсутствовал(а)" not in page
    assert "подготовил(а)" not in page  # the head who prepared it has a recorded patronymic
    for m in members[:-1]:
        word = names.agree(m.user, "присутствовал", "присутствовала")
        assert (
            f'{m.user.full_name} — {m.get_role_display()} · <span class="text-success">{word}<'
            in page
        )
    assert tables_in_boxes(page)
