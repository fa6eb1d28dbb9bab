"""Exports that may take more than a few seconds run as background jobs.

A domain describes an export once, as a function `build(*, user, params) -> XlsxExport` that
reads through the user's scope. A view calls `export_or_queue`: a small export is answered at
once; a large one becomes an `ExportJob` that the domain's thin Celery task hands to
`run_export`, and the user watches «Выгрузка» fill its progress bar and downloads the file from
there (only its owner can). Tasks run in-process in tests and in `make run`.
"""

from __future__ import annotations

import io
import logging
import mimetypes
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import IO, Any, Protocol

from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import content_disposition_header

from organisation.access import log_export
from organisation.models import User
from reports.models import ExportJob, JobStatus
from reports.xlsx import XLSX_TYPE, Progress, write_xlsx

logger = logging.getLogger(__name__)

# Up to this many rows an export is written during the request (about a second or two).
SYNC_ROW_LIMIT = 5_000
# A job still "running" this long after it started belongs to a worker that died: take it over.
STALE_AFTER = timedelta(minutes=15)


class Export(Protocol):
    """Any document a job can write: XLSX below; a long PDF or a report implements the same."""

    kind: str
    title: str  # shown on the progress page
    filename: str  # of the download; its extension gives the content type
    total: int  # rows (or items) to write, counted in the database

    def write(self, target: IO[bytes], progress: Progress | None = None) -> int:
        """Write the document, calling `progress(items_done)` now and then; return the count."""
        ...


@dataclass
class XlsxExport:
    """A table as XLSX: its rows are read lazily, `total` is counted in the database."""

    kind: str
    title: str
    filename: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Any]]
    total: int
    sheet: str = "Лист1"
    caption: str = ""

    def write(self, target: IO[bytes], progress: Progress | None = None) -> int:
        return write_xlsx(
            target,
            self.headers,
            self.rows,
            title=self.sheet,
            caption=self.caption,
            progress=progress,
        )


class Builder(Protocol):
    def __call__(self, *, user: Any, params: Mapping[str, str]) -> Export: ...


def content_type(filename: str) -> str:
    known = {".xlsx": XLSX_TYPE, ".pdf": "application/pdf"}
    suffix = Path(filename).suffix.lower()
    return known.get(suffix) or mimetypes.guess_type(filename)[0] or "application/octet-stream"


def download(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type(filename))
    response["Content-Disposition"] = content_disposition_header(True, filename) or ""
    response["Cache-Control"] = "no-store"
    return response


class Task(Protocol):
    def delay(self, job_id: int) -> Any: ...


def export_or_queue(
    request: HttpRequest, build: Builder, task: Task, *, sync_limit: int | None = None
) -> HttpResponse:
    """Answer a small export now; queue a large one and show its progress page. `sync_limit`
    is the most rows written during the request (a PDF is slower per row than XLSX)."""
    # kept as JSON by the job: PostgreSQL's JSON cannot hold a NUL character
    params = {k.replace("\x00", ""): v.replace("\x00", "") for k, v in request.GET.dict().items()}
    export = build(user=request.user, params=params)
    log_export(request, what=export.kind, detail=f"{export.title}: {export.total} строк")
    if export.total <= (SYNC_ROW_LIMIT if sync_limit is None else sync_limit):
        buffer = io.BytesIO()
        export.write(buffer)
        return download(buffer.getvalue(), export.filename)
    job = start_export(
        owner=request.user, kind=export.kind, title=export.title, params=params, task=task
    )
    ExportJob.objects.filter(pk=job.pk, rows_total__isnull=True).update(rows_total=export.total)
    return redirect("reports:job", pk=job.pk)


@transaction.atomic
def start_export(
    *, owner: Any, kind: str, title: str, params: Mapping[str, str], task: Task
) -> ExportJob:
    """Record the job and queue its task once the job is committed. The same export ordered
    again while it is still queued or being written (a double click, «Выгрузить» pressed
    again while waiting) is that job, not a second one: the owner's row is locked for the
    check, so two requests at once find each other."""
    list(User.objects.select_for_update().filter(pk=owner.pk).values_list("pk"))
    in_progress = ExportJob.objects.filter(
        owner=owner,
        kind=kind,
        status__in=(JobStatus.QUEUED, JobStatus.RUNNING),
        created_at__gte=timezone.now() - STALE_AFTER,
    ).order_by("-pk")
    same = next((j for j in in_progress if j.parameters == dict(params)), None)
    if same is not None:
        return same
    job = ExportJob.objects.create(
        owner=owner, created_by=owner, kind=kind, title=title, parameters=dict(params)
    )
    transaction.on_commit(lambda: task.delay(job.pk))
    return job


def _claim(job_id: int) -> bool:
    now = timezone.now()
    stale = Q(status=JobStatus.RUNNING, started_at__lt=now - STALE_AFTER)
    return bool(
        ExportJob.objects.filter(Q(status=JobStatus.QUEUED) | stale, pk=job_id).update(
            status=JobStatus.RUNNING, started_at=now, rows_done=0
        )
    )


def run_export(*, job_id: int, build: Builder) -> bool:
    """Build the job's file. Idempotent: a job already taken by a live worker or finished is
    left alone (returns False)."""
    if not _claim(job_id):
        return False
    job = ExportJob.objects.select_related("owner").get(pk=job_id)
    jobs = ExportJob.objects.filter(pk=job_id)

    def progress(rows_done: int) -> None:
        jobs.update(rows_done=rows_done)

    try:
        export = build(user=job.owner, params=job.parameters)
        jobs.update(rows_total=export.total)
        with tempfile.TemporaryFile() as tmp:
            done = export.write(tmp, progress)
            tmp.seek(0)
            suffix = Path(export.filename).suffix
            job.file.save(f"{job.owner_id}/{job.pk}{suffix}", File(tmp), save=False)
    except Exception:
        logger.exception("export job %s failed", job_id)
        jobs.update(
            status=JobStatus.FAILED,
            error="Не удалось сформировать файл. Попробуйте ещё раз или сузьте период.",
            finished_at=timezone.now(),
        )
        return False
    jobs.update(
        status=JobStatus.DONE,
        file=job.file.name,
        filename=export.filename,
        rows_total=done,
        rows_done=done,
        finished_at=timezone.now(),
    )
    return True


def purge_exports(*, older_than: timedelta = timedelta(days=7)) -> int:
    """Delete finished jobs and their files after a week."""
    old = ExportJob.objects.filter(created_at__lt=timezone.now() - older_than)
    count = 0
    for job in old.iterator():
        if job.file:
            job.file.delete(save=False)
        job.delete()
        count += 1
    return count
