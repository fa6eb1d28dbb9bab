"""«Календарь»: planned patronage visits and consilium meetings of a month on the working-day
calendar, for one specialist or a department."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from agenda import selectors
from organisation import policy, text
from organisation.access import AuthenticatedRequest
from organisation.models import Department
from organisation.selectors import specialists_visible_to


class AgendaFilterForm(forms.Form):
    month = forms.CharField(
        label="Месяц",
        required=False,
        widget=forms.DateInput({"type": "month", "class": "form-control"}),
    )
    specialist: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="Специалист",
        queryset=None,
        required=False,
        empty_label="— все специалисты —",
        widget=forms.Select({"class": "form-select"}),
    )
    department = forms.ModelChoiceField(
        label="Отделение",
        queryset=Department.objects.filter(is_active=True),
        required=False,
        empty_label="— все отделения —",
        widget=forms.Select({"class": "form-select"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["specialist"].queryset = specialists_visible_to(user)  # type: ignore[attr-defined]
        self.fields["specialist"].label_from_instance = (  # type: ignore[attr-defined]
            lambda u: f"{u.short_name} — {u.get_position_display().lower()}"
        )
        if not policy.may(user, "organisation.view_all_departments"):
            del self.fields["department"]

    def clean_month(self) -> date:
        value = self.cleaned_data.get("month") or ""
        if not value:
            return timezone.localdate().replace(day=1)
        try:
            year, month = (int(p) for p in value.split("-"))
            return date(year, month, 1)
        except ValueError as exc:
            raise forms.ValidationError("Укажите месяц в виде ГГГГ-ММ, например 2026-11.") from exc


def _shift(first: date, months: int) -> str:
    n = first.year * 12 + first.month - 1 + months
    return f"{n // 12:04d}-{n % 12 + 1:02d}"


@require_GET
@policy.allowed("agenda.view_agenda")
def month(request: AuthenticatedRequest) -> HttpResponse:
    params = request.GET.copy()
    if policy.may(request.user, "organisation.own_caseload") and "specialist" not in params:
        params["specialist"] = str(request.user.pk)  # a specialist starts with their own plan
    form = AgendaFilterForm(params, user=request.user)
    data = form.cleaned_data if form.is_valid() else {}
    first = data.get("month") or timezone.localdate().replace(day=1)
    weeks = selectors.month_grid(
        request.user,
        first,
        specialist=data.get("specialist"),
        department=data.get("department"),
    )
    query = params.copy()
    query.pop("month", None)
    return render(
        request,
        "agenda/month.html",
        {
            "form": form,
            "first": first,
            "title": f"{text.MONTHS[first.month - 1].lower()} {first.year}",
            "weeks": weeks,
            "prev": _shift(first, -1),
            "next": _shift(first, 1),
            "query": query.urlencode(),
            "entries": sum(len(d.entries) for w in weeks for d in w if d.in_month),
        },
        status=400 if form.errors else 200,
    )
