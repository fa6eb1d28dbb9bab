"""Issue 11, point 1: an account waiting for the director's confirmation has no role — nor
does it hold the post: a «director» or «head» the administrator made (and whose password and
second factor it set itself) receives none of the post's notifications about children and
signs no printed document."""

from __future__ import annotations

from datetime import date

import time_machine
from django.urls import reverse

from orders import actions as order_actions
from orders.deadlines import OrderAwaitingDecision
from orders.models import OrderKind
from organisation.actions import notify_deadlines
from organisation.models import Notification, NotificationEvent, Position, User
from organisation.notifications import notify
from organisation.selectors import current_director, heads_by_department
from patronage.models import PatronageCase
from tests.patronage.factories import registered_appeal
from tests.recipients.factories import child_with_mother, prepare_enrolment


def add_account(client, username: str, position: str, department_id: int | str = "") -> User:
    response = client.post(
        reverse("admin:organisation_user_add"),
        {
            "username": username,
            "password1": "Vr3menny-parol-2026",
            "password2": "Vr3menny-parol-2026",
            "usable_password": "true",
            "last_name": "Подставной",
            "first_name": "Пётр",
            "position": position,
            "department": department_id,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(username=username)
    assert user.awaiting_confirmation
    return user


def test_an_unconfirmed_director_or_head_holds_no_post_O12(
    client, administrator, director, head, dept_a
):
    client.force_login(administrator)
    fake_director = add_account(client, "newdir", Position.DIRECTOR)
    fake_head = add_account(client, "newhead", Position.HEAD, dept_a.pk)
    assert current_director() == director
    assert heads_by_department()[dept_a.pk] == head

    child, mother = child_with_mother(dept_a)
    prepare_enrolment(child, mother, head)
    with time_machine.travel(date(2026, 12, 30)):
        order_actions.draft_order(
            kind=OrderKind.ENROLMENT,
            recipient=child,
            drafted_by=head,
            effective_on=date(2027, 1, 11),
        )
    [item] = OrderAwaitingDecision().items(today=date(2026, 12, 30))
    assert item.responsible_id == director.pk
    notify_deadlines(today=date(2027, 1, 14), force=True)
    assert Notification.objects.filter(user=director).exists()
    held = Notification.objects.filter(user__in=[fake_director, fake_head])
    assert not held.exclude(event=NotificationEvent.ACCOUNT).exists()  # only «временный пароль»


def test_an_unconfirmed_specialist_is_offered_for_no_family_and_told_nothing_P6(
    client, administrator, registrar, head, dept_a
):
    """The administrator's new «specialist» of the department (waiting for the director) is
    no choice for a family's case, and a workflow event naming a family does not reach it."""
    client.force_login(administrator)
    held = add_account(client, "newsocial", Position.SOCIAL_WORK_SPECIALIST, dept_a.pk)
    appeal = registered_appeal(registrar=registrar, department=dept_a, family_name="семья Орловых")
    client.force_login(head)
    url = reverse("patronage:appeal_open_case", args=[appeal.pk])
    page = client.get(reverse("patronage:appeal_detail", args=[appeal.pk])).content.decode()
    assert 'name="specialist"' in page and f'value="{held.pk}"' not in page
    response = client.post(
        url,
        {
            "new_family_name": "семья Орловых",
            "new_family_address": "ул. Лесная, 3",
            "specialist": held.pk,
            "opened_on": "02.03.2026",
        },
    )
    assert response.status_code == 400  # the form again, the choice refused
    assert not PatronageCase.objects.exists()

    sent = notify(
        users=[held],
        kind="case",
        item_key="case:1",
        event=NotificationEvent.ASSIGNED,
        on=date(2026, 3, 2),
        message="Вам передана семья Орловых.",
    )
    assert sent == 0


def test_an_unconfirmed_account_is_no_choice_for_the_consilium_O14(
    client, administrator, head, dept_a
):
    """The consilium's composition (chair, secretary, members) offers staff with a confirmed
    position only: the administrator's new «head» waiting for the director sits on nothing."""
    from consilium.forms import CompositionForm

    client.force_login(administrator)
    held = add_account(client, "newhead", Position.HEAD, dept_a.pk)
    form = CompositionForm()
    for field in ("chair", "secretary", "members"):
        offered = form.fields[field].queryset  # type: ignore[attr-defined]
        assert head in offered and held not in offered, field
