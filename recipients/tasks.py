"""Thin Celery tasks of the recipients app."""

from __future__ import annotations

from celery import shared_task

from recipients import exports
from reports.jobs import run_export


@shared_task(acks_late=True)
def export_register(job_id: int) -> bool:
    """Write the register of an `ExportJob` to its file."""
    return run_export(job_id=job_id, build=exports.register_export)
