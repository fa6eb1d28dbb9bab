"""Thin Celery tasks of the services app."""

from __future__ import annotations

from celery import shared_task

from reports.jobs import run_export
from services import exports


@shared_task(acks_late=True)
def export_journal(job_id: int) -> bool:
    """Write the journal of services of an `ExportJob` to its file."""
    return run_export(job_id=job_id, build=exports.journal_export)


@shared_task(acks_late=True)
def export_journal_pdf(job_id: int) -> bool:
    """Print the journal of services of an `ExportJob` as PDF (more than 1,000 records)."""
    return run_export(job_id=job_id, build=exports.journal_pdf_export)
