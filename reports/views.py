from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from reports import names
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
