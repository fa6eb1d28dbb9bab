from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from organisation.access import AuthenticatedRequest, get_object_for
from recipients.models import Recipient


def recipient_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    recipient = get_object_for(request.user, Recipient, pk)
    return render(request, "recipients/detail.html", {"recipient": recipient})
