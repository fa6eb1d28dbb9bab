"""Qualification upgrades of staff (O40, §4.3): the head sees whose upgrade is due and records
completed courses; the director and the administrator see everyone."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from organisation import actions, policy, selectors
from organisation.access import AuthenticatedRequest
from organisation.forms import DateField, add_action_errors
from organisation.idempotency import OnceForm, once_per_form
from organisation.models import User


class EmployeeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.get_position_display().lower()})"


class QualificationUpgradeForm(OnceForm, forms.Form):
    employee = EmployeeChoiceField(label="Сотрудник", queryset=User.objects.none())
    course = forms.CharField(label="Программа повышения квалификации", max_length=300)
    provider = forms.CharField(label="Организация", max_length=300, required=False)
    hours = forms.IntegerField(
        label="Объём, часов",
        min_value=1,
        max_value=2000,
        error_messages={"invalid": "Введите число часов.", "min_value": "Не меньше часа."},
    )
    started_on = DateField(label="Начало обучения", required=False)
    completed_on = DateField(label="Окончание обучения")
    document = forms.CharField(
        label="Документ", max_length=300, help_text="Например: удостоверение № 312400012345"
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = selectors.staff_for_qualification(user)  # type: ignore[attr-defined]


@policy.allowed("organisation.view_qualificationupgrade")
@require_GET
def qualification_list(request: AuthenticatedRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = selectors.qualification_status(request.user, today=today)
    return render(
        request,
        "organisation/qualification.html",
        {
            "rows": rows,
            "due_rows": [r for r in rows if r.is_due(today)],
            "today": today,
            "years": settings.QUALIFICATION_UPGRADE_YEARS,
            "can_record": policy.may(request.user, "organisation.add_qualificationupgrade"),
        },
    )


@policy.allowed("organisation.add_qualificationupgrade")
@require_http_methods(["GET", "POST"])
@once_per_form
def qualification_add(request: AuthenticatedRequest) -> HttpResponse:
    form = QualificationUpgradeForm(
        request.POST or None,
        user=request.user,
        initial={"employee": request.GET.get("employee")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_qualification_upgrade(recorded_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Повышение квалификации записано.")
            return redirect("qualification_list")
    return render(request, "organisation/qualification_form.html", {"form": form})
