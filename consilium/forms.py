"""Forms of the consilium. They validate input; the actions decide."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from consilium.models import DecisionKind, DischargeGround
from organisation.forms import DateField, RecordIdField
from organisation.idempotency import OnceForm
from organisation.models import User
from recipients.models import Recipient


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        dept = f", {obj.department}" if obj.department_id else ""
        return f"{obj.full_name} ({obj.get_position_display().lower()}{dept})"


class StaffMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        dept = f", {obj.department}" if obj.department_id else ""
        return f"{obj.full_name} ({obj.get_position_display().lower()}{dept})"


def _staff() -> Any:
    """Who may sit on the consilium: active staff with a confirmed position (an account
    waiting for the director's confirmation holds no post)."""
    return User.objects.filter(is_active=True, awaiting_confirmation=False).select_related(
        "department"
    )


class CompositionForm(OnceForm, forms.Form):
    order_number = forms.CharField(label="Номер приказа директора", max_length=20)
    order_date = DateField(label="Дата приказа")
    chair = StaffChoiceField(label="Председатель", queryset=_staff())
    secretary = StaffChoiceField(label="Секретарь", queryset=_staff())
    members = StaffMultipleChoiceField(
        label="Члены консилиума",
        queryset=_staff(),
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )


class MeetingForm(OnceForm):
    held_on = DateField(label="Дата заседания")
    notes = forms.CharField(
        label="Примечания", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class RecipientChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name}, {obj.birth_date:%d.%m.%Y}"


class AgendaItemForm(OnceForm, forms.Form):
    recipient = RecipientChoiceField(label="Ребёнок", queryset=Recipient.objects.none())
    inputs = forms.CharField(
        label="Представленные материалы",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Результаты диагностики, мнение ребёнка, опрос родителей, выступления "
        "специалистов",
    )

    def __init__(
        self, *args: Any, department_id: int, on: date | None = None, **kwargs: Any
    ) -> None:
        """`on`: the meeting's date; the children in service on it are offered."""
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = Recipient.objects.enrolled(on).filter(  # type: ignore[attr-defined]
            department_id=department_id, archived_at__isnull=True
        )


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(
        label="Решение", choices=DecisionKind.choices, widget=forms.RadioSelect
    )
    changes = forms.CharField(
        label="Перечень изменений и дополнений",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Для решения о внесении изменений; по умолчанию — из предложения специалистов",
    )
    ground = forms.ChoiceField(
        label="Основание прекращения обслуживания (п. 3.5)",
        choices=[("", "—"), *DischargeGround.choices],
        required=False,
    )
    text = forms.CharField(
        label="Формулировка решения", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.user.full_name} — {obj.get_role_display()}"


class AttendanceForm(forms.Form):
    attendees = MemberChoiceField(
        label="Присутствовали на заседании",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = members  # type: ignore[attr-defined]


class MeetingFilterForm(forms.Form):
    """Meetings held in a period, of a department (the links of the reports)."""

    date_from = DateField(label="Заседания с", required=False)
    date_to = DateField(label="по", required=False)
    department = RecordIdField(widget=forms.HiddenInput)
