"""Thin Celery tasks: load, call the action, retry."""

from __future__ import annotations

from celery import shared_task

from organisation import actions


@shared_task(bind=True, max_retries=3, default_retry_delay=300, acks_late=True)
def notify_deadlines(self) -> dict[str, int | bool | list[int]]:  # type: ignore[no-untyped-def]
    try:
        result = actions.notify_deadlines()
    except Exception as exc:
        raise self.retry(exc=exc) from exc
    return {
        "created": result.created,
        "emailed": result.emailed,
        "skipped": result.skipped_non_working_day,
        "years_needing_decree": result.years_needing_decree,
    }


@shared_task(bind=True, max_retries=3, default_retry_delay=60, acks_late=True)
def send_notification_emails(self) -> int:  # type: ignore[no-untyped-def]
    """E-mail what the bell holds and no letter has carried yet (workflow events)."""
    try:
        return actions.send_pending_emails()
    except Exception as exc:
        raise self.retry(exc=exc) from exc
