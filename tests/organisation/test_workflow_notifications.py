"""`notify(...)`: workflow events under the bell and by e-mail, once per user, item, event and
date however often an action is retried, never to the user who took the step."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.db import transaction

from organisation.models import Notification, NotificationEvent
from organisation.notifications import notify, notify_on_commit

pytestmark = pytest.mark.django_db


def _send(users, actor=None):
    return notify(
        users=users,
        kind="order",
        item_key="order:1",
        event=NotificationEvent.APPROVED,
        on=date(2026, 11, 20),
        message="Приказ утверждён.",
        url="/orders/1/",
        actor=actor,
    )


def test_a_workflow_event_reaches_the_bell_and_the_mailbox(specialist):
    specialist.email = "spec@example.org"
    specialist.save()
    assert _send([specialist]) == 1
    note = Notification.objects.get()
    assert (note.user, note.event, note.url) == (specialist, "approved", "/orders/1/")
    assert note.emailed_at is not None
    assert len(mail.outbox) == 1
    assert "Приказ утверждён." in mail.outbox[0].body


def test_a_retried_action_notifies_once(specialist, head):
    _send([specialist, head])
    _send([specialist, head])
    assert Notification.objects.count() == 2


def test_the_actor_is_not_told_of_their_own_step(specialist, head):
    _send([specialist, head, None], actor=head)
    assert list(Notification.objects.values_list("user__username", flat=True)) == ["spec_a"]


def test_nothing_is_sent_when_the_transaction_is_rolled_back(specialist):
    with pytest.raises(RuntimeError), transaction.atomic():
        notify_on_commit(
            users=[specialist],
            kind="order",
            item_key="order:1",
            event=NotificationEvent.APPROVED,
            on=date(2026, 11, 20),
            message="Приказ утверждён.",
        )
        raise RuntimeError
    assert not Notification.objects.exists()
