"""Workflow notifications: one function the actions call after commit, the same bell, the
same idempotency (a unique row per user, item, event and date) and the same e-mail path as the
daily deadline job (`organisation.actions.send_pending_emails`, run by a Celery task)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction

from organisation.models import Notification, User


def notify(
    *,
    users: Iterable[User | None],
    kind: str,
    item_key: str,
    event: str,
    on: date,
    message: str,
    url: str = "",
    actor: User | None = None,
) -> int:
    """A workflow event for the users who must know (a returned record, an approved order, a
    draft waiting, a meeting with one's child, an assigned case): under the bell at once and
    by e-mail through the same path as the deadline job. Called by the actions after their
    transaction commits (`transaction.on_commit`), so a refused action notifies no one.

    Idempotent like the deadline job: one row per user, `kind`, `item_key`, `event` and date
    `on` (the unique constraint), so a retried action adds nothing twice. The user who took the
    step (`actor`) is not told about it."""
    # an account waiting for the director's confirmation has no role: it is told nothing
    ids = {u.pk for u in users if u is not None and u.is_active and not u.awaiting_confirmation}
    if actor is not None:
        ids.discard(actor.pk)
    if not ids:
        return 0
    rows = [
        Notification(
            user_id=pk,
            kind=kind,
            item_key=item_key,
            event=event,
            due=on,
            message=message[:500],
            url=url,
        )
        for pk in sorted(ids)
    ]
    created = Notification.objects.bulk_create(rows, ignore_conflicts=True)
    from organisation import tasks  # imported late: the tasks import the deadline registry

    tasks.send_notification_emails.delay()
    return len(created)


def notify_on_commit(**kwargs: Any) -> None:
    """`notify(...)` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: notify(**kwargs))
