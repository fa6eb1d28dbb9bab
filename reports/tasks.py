"""Thin Celery tasks of the reports app."""

from __future__ import annotations

from celery import shared_task

from reports import jobs


@shared_task(acks_late=True)
def purge_exports() -> int:
    """Delete export jobs older than a week with their files."""
    return jobs.purge_exports()
