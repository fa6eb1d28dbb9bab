"""Who opened a child's records: the card's view of the one access log (organisation/)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from organisation import policy
from organisation.access import AuthenticatedRequest, get_object_for
from organisation.selectors import access_log_for
from recipients.models import Recipient
from recipients.views.common import PAGE_SIZE


@require_GET
@policy.allowed("organisation.view_access_log")
def recipient_access_log(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    # the log of a child is not the child's record: reading it is not itself logged
    recipient = get_object_for(request.user, Recipient, pk)
    log = access_log_for(request.user).filter(recipient_id=recipient.pk)
    page = Paginator(log, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "recipients/access_log.html", {"r": recipient, "page_obj": page})


@require_GET
@policy.allowed("organisation.view_access_log")
def access_log_all(request: AuthenticatedRequest) -> HttpResponse:
    """Who opened the children's records: the head sees their department, the director all
    (with filters and the export: «Безопасность → Журнал доступа»)."""
    log = access_log_for(request.user).filter(recipient_id__isnull=False)
    page = Paginator(log, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "recipients/access_log.html", {"r": None, "page_obj": page})
