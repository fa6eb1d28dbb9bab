"""Forms of the director's orders: every bad input answered in Russian next to its field."""

from __future__ import annotations

from typing import Any

from django import forms

from consilium.models import DischargeGround
from orders.models import OrderKind
from organisation.forms import DateField, RecordIdField


class OrderDraftForm(forms.Form):
    effective_on = DateField(
        label="Первый день пребывания", help_text="С этого дня считаются сроки диагностики"
    )
    grounds = forms.CharField(
        label="Основание", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, kind: str = OrderKind.ENROLMENT, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kind == OrderKind.DISCHARGE:
            self.fields["effective_on"].label = "Дата снятия с обслуживания"
            self.fields["effective_on"].help_text = ""


class DischargeOrderForm(forms.Form):
    effective_on = DateField(label="Дата снятия с обслуживания")


class OrderReturnForm(forms.Form):
    reason = forms.CharField(
        label="Что нужно исправить", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class OrderFilterForm(forms.Form):
    """The list's filters the reports link to: kind, date of effect, ground, department."""

    kind = forms.ChoiceField(label="Вид", choices=[("", "все"), *OrderKind.choices], required=False)
    date_from = DateField(label="Дата действия с", required=False)
    date_to = DateField(label="по", required=False)
    ground = forms.ChoiceField(
        label="Основание снятия",
        choices=[("", "любое"), *DischargeGround.choices, ("none", "не указано консилиумом")],
        required=False,
    )
    department = RecordIdField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("kind", "ground"):
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"
