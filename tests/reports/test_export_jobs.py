"""Background exports: a large export becomes a job with a progress page and a download link
that only its owner can open."""

from __future__ import annotations

import io
import os
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from recipients import exports as recipient_exports
from reports import jobs
from reports.models import ExportJob, JobStatus
from tests.conftest import login
from tests.factories import RecipientFactory
from tests.services.factories import ServiceRecordFactory


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def small_limit(monkeypatch):
    monkeypatch.setattr(jobs, "SYNC_ROW_LIMIT", 2)


@pytest.fixture
def records(specialist):
    return [
        ServiceRecordFactory(
            department=specialist.department,
            recipient__department=specialist.department,
            recipient__last_name=f"Ребёнок{i}",
            provider=specialist,
            date=date(2026, 11, 2 + i),
        )
        for i in range(5)
    ]


def _start(client, user, django_capture_on_commit_callbacks, url, params=None):
    login(client, user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(url, params or {})
    assert response.status_code == 302
    return ExportJob.objects.get(owner=user)


def test_a_large_journal_export_runs_as_a_job_and_is_downloaded_by_its_owner(
    client, specialist, records, small_limit, django_capture_on_commit_callbacks
):
    job = _start(
        client,
        specialist,
        django_capture_on_commit_callbacks,
        reverse("services:journal_xlsx"),
        {"date_from": "01.11.2026", "date_to": "30.11.2026"},
    )
    job.refresh_from_db()
    assert (job.status, job.rows_total, job.rows_done, job.percent) == (JobStatus.DONE, 5, 5, 100)
    assert job.parameters == {"date_from": "01.11.2026", "date_to": "30.11.2026"}

    page = client.get(reverse("reports:job", args=[job.pk])).content.decode()
    assert "Готово: 5 строк" in page
    assert reverse("reports:job_download", args=[job.pk]) in page
    assert "hx-trigger" not in page  # a finished job is not polled any more

    response = client.get(reverse("reports:job_download", args=[job.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    names = [ws.cell(r, 3).value for r in range(4, ws.max_row + 1)]
    assert names == [r.recipient.full_name for r in records]


def test_a_small_export_is_answered_at_once(client, specialist, records):
    response = login(client, specialist).get(
        reverse("services:journal_xlsx"), {"date_from": "01.11.2026", "date_to": "30.11.2026"}
    )
    assert response.status_code == 200 and not ExportJob.objects.exists()


def test_the_register_of_all_children_runs_as_a_job_for_the_director(
    client, director, dept_a, dept_b, small_limit, django_capture_on_commit_callbacks
):
    for d in (dept_a, dept_a, dept_b):
        RecipientFactory(department=d)
    job = _start(client, director, django_capture_on_commit_callbacks, reverse("recipients:export"))
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.rows_total == 3
    assert job.filename.startswith("Регистр получателей")


def test_a_job_and_its_file_are_closed_to_everyone_but_its_owner(
    client, specialist, head, director, records, small_limit, django_capture_on_commit_callbacks
):
    job = _start(
        client,
        specialist,
        django_capture_on_commit_callbacks,
        reverse("services:journal_xlsx"),
        {"date_from": "01.11.2026", "date_to": "30.11.2026"},
    )
    for other in (head, director):
        login(client, other)
        for name in ("reports:job", "reports:job_progress", "reports:job_download"):
            assert client.get(reverse(name, args=[job.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("reports:job_download", args=[job.pk])).status_code == 302


def test_job_pages_refuse_post(client, specialist):
    job = ExportJob.objects.create(owner=specialist, kind="x", title="x")
    login(client, specialist)
    for name in ("reports:job", "reports:job_progress", "reports:job_download"):
        assert client.post(reverse(name, args=[job.pk])).status_code == 405


def test_a_job_in_progress_shows_its_bar_and_polls(client, specialist):
    job = ExportJob.objects.create(
        owner=specialist,
        kind="x",
        title="Журнал",
        status=JobStatus.RUNNING,
        rows_total=200,
        rows_done=50,
    )
    page = login(client, specialist).get(reverse("reports:job_progress", args=[job.pk]))
    html = page.content.decode()
    assert 'value="25"' in html and "50 из 200" in html
    assert reverse("reports:job_progress", args=[job.pk]) in html and "every 1s" in html
    assert client.get(reverse("reports:job_download", args=[job.pk])).status_code == 404


def test_running_a_job_twice_builds_it_once(specialist, dept_a):
    RecipientFactory(department=dept_a)
    job = ExportJob.objects.create(owner=specialist, kind="recipients.register", title="x")
    assert jobs.run_export(job_id=job.pk, build=recipient_exports.register_export)
    assert not jobs.run_export(job_id=job.pk, build=recipient_exports.register_export)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.rows_total == 1


def test_a_job_left_running_by_a_dead_worker_is_taken_over(specialist):
    job = ExportJob.objects.create(
        owner=specialist,
        kind="recipients.register",
        title="x",
        status=JobStatus.RUNNING,
        started_at=timezone.now() - timedelta(hours=1),
    )
    assert jobs.run_export(job_id=job.pk, build=recipient_exports.register_export)


def test_a_failed_job_says_so_in_russian(client, specialist):
    def broken(*, user, params):
        raise RuntimeError("boom")

    job = ExportJob.objects.create(owner=specialist, kind="x", title="x")
    assert not jobs.run_export(job_id=job.pk, build=broken)
    page = login(client, specialist).get(reverse("reports:job", args=[job.pk])).content.decode()
    assert "Не удалось сформировать файл" in page


def test_old_jobs_and_their_files_are_purged(specialist, dept_a):
    job = ExportJob.objects.create(owner=specialist, kind="recipients.register", title="x")
    jobs.run_export(job_id=job.pk, build=recipient_exports.register_export)
    job.refresh_from_db()
    path = job.file.path
    ExportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(days=8))
    assert jobs.purge_exports() == 1
    assert not ExportJob.objects.exists()
    assert not os.path.exists(path)


def test_a_long_journal_pdf_runs_as_a_job_with_a_download_link(
    client, specialist, records, monkeypatch, django_capture_on_commit_callbacks
):
    """Issue 13: the journal PDF is answered at once up to 1,000 records; beyond, it is printed
    by a background job (progress page, download link), never a request that times out."""
    from pypdf import PdfReader

    from services import exports as service_exports

    monkeypatch.setattr(service_exports, "PDF_SYNC_ROWS", 2)
    job = _start(
        client,
        specialist,
        django_capture_on_commit_callbacks,
        reverse("services:journal_pdf"),
        {"date_from": "01.11.2026", "date_to": "30.11.2026"},
    )
    job.refresh_from_db()
    assert (job.status, job.rows_total, job.filename) == (
        JobStatus.DONE,
        5,
        "Журнал учета услуг.pdf",
    )
    response = client.get(reverse("reports:job_download", args=[job.pk]))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    text = " ".join("".join(p.extract_text() for p in reader.pages).split())
    assert "ЖУРНАЛ УЧЕТА СОЦИАЛЬНЫХ УСЛУГ" in text
    for r in records:
        assert r.recipient.last_name in text


def test_a_queued_export_keeps_a_nul_typed_into_the_filter_out_of_its_parameters(
    client, specialist, records, small_limit, django_capture_on_commit_callbacks
):
    """PostgreSQL's JSON cannot hold U+0000: a query string with a NUL (a search pasted from a
    binary file) was a server error once the export went to the queue."""
    job = _start(
        client,
        specialist,
        django_capture_on_commit_callbacks,
        reverse("services:journal_xlsx"),
        {"date_from": "01.11.2026", "date_to": "30.11.2026", "from": "нуль\x00внутри"},
    )
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.parameters["from"] == "нульвнутри"


def test_the_same_export_ordered_again_while_it_is_written_is_the_same_job(
    client, specialist, records, small_limit
):
    """A double click on «Выгрузить в XLSX», or the button pressed again while the job waits
    for a worker: one job, one file to wait for. Another filter, or the same one once the
    file is ready, is a new export."""
    url = reverse("services:journal_xlsx")
    november = {"date_from": "01.11.2026", "date_to": "30.11.2026"}
    login(client, specialist)
    first = client.get(url, november)  # the task is queued on commit: the job stays queued
    again = client.get(url, november)
    assert first["Location"] == again["Location"]
    assert ExportJob.objects.filter(owner=specialist).count() == 1
    client.get(url, {**november, "date_from": "02.11.2026"})
    assert ExportJob.objects.filter(owner=specialist).count() == 2
    ExportJob.objects.update(status=JobStatus.DONE)
    client.get(url, november)
    assert ExportJob.objects.filter(owner=specialist).count() == 3
