"""Who opened which card: the log for the head and the director."""

from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from organisation.access import AuthenticatedRequest
from recipients.models import (
    AccessLog,
)
from recipients.views.common import (
    PAGE_SIZE,
    _recipient,
)


@require_GET
@permission_required("organisation.view_access_log", raise_exception=True)
def recipient_access_log(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    recipient = _recipient(request, pk)
    log = AccessLog.objects.visible_to(request.user).filter(recipient=recipient)
    page = Paginator(log.select_related("user"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "recipients/access_log.html", {"r": recipient, "page_obj": page})


@require_GET
@permission_required("organisation.view_access_log", raise_exception=True)
def access_log_all(request: AuthenticatedRequest) -> HttpResponse:
    """Who opened which personal card: the head sees their department, the director all."""
    log = AccessLog.objects.visible_to(request.user).select_related("user", "recipient")
    page = Paginator(log, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "recipients/access_log.html", {"r": None, "page_obj": page})
