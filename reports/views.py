from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from organisation.access import AuthenticatedRequest, get_object_for
from reports import names
from reports.jobs import content_type
from reports.models import ExportJob, JobStatus
from reports.names import Case
from reports.pdf import pdf_response

CASE_LABELS = [
    ("Именительный", Case.NOMINATIVE),
    ("Родительный", Case.GENITIVE),
    ("Дательный", Case.DATIVE),
    ("Винительный", Case.ACCUSATIVE),
    ("Творительный", Case.INSTRUMENTAL),
    ("Предложный", Case.PREPOSITIONAL),
]


@require_GET
def demo_document(request: HttpRequest) -> HttpResponse:
    """A demonstration document: the signed-in employee's name in every case, on an A4 form."""
    user = request.user
    context = {
        "person": user,
        "declensions": [
            (label, names.full_name(user, case), names.short_name(user, case))
            for label, case in CASE_LABELS
        ],
        "today": timezone.localdate(),
    }
    return pdf_response("reports/print/demo.html", context, "Образец документа.pdf", request)


@require_GET
def job(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A background export: its progress bar (refreshed by htmx) and, when ready, the file."""
    export = get_object_for(request.user, ExportJob, pk)
    return render(request, "reports/job.html", {"job": export})


@require_GET
def job_progress(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    export = get_object_for(request.user, ExportJob, pk)
    return render(request, "reports/includes/job_progress.html", {"job": export})


@require_GET
def job_download(request: AuthenticatedRequest, pk: int) -> FileResponse:
    export = get_object_for(request.user, ExportJob, pk)
    if export.status != JobStatus.DONE or not export.file:
        raise Http404("Файл ещё не готов.")
    response = FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=export.filename,
        content_type=content_type(export.filename),
    )
    response["Cache-Control"] = "no-store"
    return response
