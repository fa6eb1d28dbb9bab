"""Helpers shared by the views of the recipients app: the scoped lookup of a card, the
departments a user may choose, the printed forms of the personal file."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone

from organisation.access import AuthenticatedRequest, get_object_for
from organisation.models import Department, Role
from organisation.selectors import current_director
from recipients import actions
from recipients.models import (
    AccessKind,
    Recipient,
    Representation,
    Representative,
)
from reports.pdf import pdf_response

PAGE_SIZE = 50


def _recipient(request: AuthenticatedRequest, pk: int, *, write: bool = False) -> Recipient:
    return get_object_for(request.user, Recipient, pk, write=write)


def _departments(request: AuthenticatedRequest) -> Any:
    if request.user.role == Role.DIRECTOR:
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
    actions.log_access(
        recipient=recipient,
        user=request.user,
        kind=context.pop("access_kind", AccessKind.PRINT),
        detail=context.pop("access_detail", filename),
    )
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
