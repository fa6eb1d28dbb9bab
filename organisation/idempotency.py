"""Idempotent submits: a form posted twice creates one record.

A form that creates a record carries a one-time token (`OnceForm`, a hidden field made when the
form is shown). The view, wrapped in `@once_per_form`, stores the token before it runs; the
token is unique, so the same form sent again — a double click, back and resend, a retried
request, even at the same moment (the second insert waits for the first transaction) — finds
it taken and is answered with the first result: a redirect to where the first one went, with
a message, and nothing created twice. A form that was refused (shown again with errors) gives
its token back, so correcting and resending works.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from organisation.models import FormSubmission

TOKEN_FIELD = "submit_token"
TOKEN_SHAPE = re.compile(r"[0-9a-f]{32}")  # uuid4().hex, as OnceForm makes it
ALREADY_SENT = "Эта форма уже была отправлена: запись сохранена один раз, повтор не записан."
KEEP_DAYS = 7


class OnceForm(forms.Form):
    """Mixin for a form that creates a record: adds the one-time token."""

    submit_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[TOKEN_FIELD].initial = uuid.uuid4().hex

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        data.pop(TOKEN_FIELD, None)  # the view's business, not the action's
        return data


def once_per_form(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Run a POST once per form token (see the module's docstring)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        token = request.POST.get(TOKEN_FIELD, "") if request.method == "POST" else ""
        # only a token the form made (a NUL in a forged one was a DataError on PostgreSQL)
        if not TOKEN_SHAPE.fullmatch(token) or not request.user.is_authenticated:
            return view(request, *args, **kwargs)
        try:
            with transaction.atomic():
                FormSubmission.objects.create(token=token, user=request.user)
        except IntegrityError:
            earlier = FormSubmission.objects.filter(token=token, user=request.user).first()
            messages.info(request, ALREADY_SENT)
            target = earlier.result_url if earlier and earlier.result_url else request.path
            return redirect(target)
        response = view(request, *args, **kwargs)
        location = response.get("Location", "") if response.status_code in (301, 302, 303) else ""
        if location:
            FormSubmission.objects.filter(token=token).update(result_url=location[:300])
        else:  # refused or shown again: the same form may be corrected and sent
            FormSubmission.objects.filter(token=token).delete()
        return response

    return wrapped


def forget_old_submissions(now: Any = None) -> int:
    cutoff = (now or timezone.now()) - timedelta(days=KEEP_DAYS)
    deleted, _ = FormSubmission.objects.filter(created_at__lt=cutoff).delete()
    return deleted
