"""Helpers shared by the views of the recipients app: the scoped lookup of a card, the
departments a user may choose, the printed forms of the personal file."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone

from organisation import policy
from organisation.access import AuthenticatedRequest, get_object_for, log_opening
from organisation.models import Department
from organisation.selectors import current_director
from recipients.models import (
    Recipient,
    Representation,
    Representative,
)
from reports.pdf import pdf_response

PAGE_SIZE = 50


def _recipient(request: AuthenticatedRequest, pk: int, *, write: bool = False) -> Recipient:
    return get_object_for(request, Recipient, pk, write=write)


def _departments(request: AuthenticatedRequest) -> Any:
    if policy.may(request.user, "organisation.view_all_departments"):
        return Department.objects.filter(is_active=True)
    return Department.objects.filter(pk=request.user.department_id or 0)


def _ctx(recipient: Recipient, form: Any, title: str, **extra: Any) -> dict[str, Any]:
    return {"r": recipient, "form": form, "title": title, **extra}


def _print(
    request: AuthenticatedRequest,
    recipient: Recipient,
    template: str,
    filename: str,
    **context: Any,
) -> HttpResponse:
    # the printed form was logged when the view opened the record (organisation/access.py);
    # an extract for a third party is logged as an export once the consent allows it
    kind = context.pop("access_kind", None)
    detail = context.pop("access_detail", "")
    if kind is not None:
        log_opening(request, recipient, kind=kind, detail=detail)
    director = current_director()
    context = {
        "r": recipient,
        "today": timezone.localdate(),
        "director": director,
        "centre_address": settings.CENTRE_ADDRESS,
        **context,
    }
    return pdf_response(f"recipients/print/{template}", context, filename, request)


def _representation(recipient: Recipient, rep: Representative | None) -> Representation | None:
    links = recipient.representations.select_related("representative")
    if rep is not None:
        links = links.filter(representative=rep)
    return links.first()
