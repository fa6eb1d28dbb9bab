"""Forms of the care records (O35, O38, O39): they validate input; the actions decide."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone

from organisation.forms import DateField, TimeInput
from organisation.idempotency import OnceForm
from recipients.models import ItemKind, NoticeMethod, Representative, VisitorKind


def moment(cleaned: dict[str, Any], day: str, time: str) -> datetime | None:
    """The aware datetime of a date field and a time field, None while either is missing."""
    d, t = cleaned.get(day), cleaned.get(time)
    if d is None or t is None:
        return None
    return timezone.make_aware(datetime.combine(d, t))


class _NoticeFields(forms.Form):
    notified = forms.ModelChoiceField(
        label="Кого известили", queryset=Representative.objects.none(), required=False
    )
    notified_on = DateField(label="Когда известили: дата", required=False)
    notified_time = forms.TimeField(label="время", widget=TimeInput, required=False)
    notice_method = forms.ChoiceField(
        label="Как известили", choices=[("", "—"), *NoticeMethod.choices], required=False
    )

    def __init__(self, *args: Any, representatives: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if representatives is not None:
            self.fields["notified"].queryset = representatives  # type: ignore[attr-defined]
        self.fields["notified"].label_from_instance = lambda r: r.full_name  # type: ignore[attr-defined]

    def notice(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "notified": data.get("notified"),
            "notified_at": moment(data, "notified_on", "notified_time"),
            "notice_method": data.get("notice_method") or "",
        }


class HospitalisationForm(OnceForm, _NoticeFields):
    hospitalised_on = DateField(label="Дата госпитализации")
    hospitalised_time = forms.TimeField(label="Время", widget=TimeInput)
    hospital = forms.CharField(label="Медицинская организация", max_length=300)
    reason = forms.CharField(label="Причина (со слов врача)", max_length=300, required=False)

    field_order = [
        "hospitalised_on",
        "hospitalised_time",
        "hospital",
        "reason",
        "notified",
        "notified_on",
        "notified_time",
        "notice_method",
    ]


class HospitalisationNoticeForm(_NoticeFields):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("notified", "notified_on", "notified_time", "notice_method"):
            self.fields[name].required = True


class InformationRequestForm(OnceForm, forms.Form):
    requested_on = DateField(label="Дата запроса")
    requested_by = forms.CharField(label="Кто запросил", max_length=200)
    question = forms.CharField(
        label="О чём запрос",
        max_length=500,
        initial="О включении поставщика в реестр (перечень) рекомендуемых поставщиков",
    )


class InformationAnswerForm(forms.Form):
    answered_on = DateField(label="Дата ответа")
    answer = forms.CharField(label="Ответ", widget=forms.Textarea(attrs={"rows": 3}))


class VisitorForm(OnceForm, forms.Form):
    visitor = forms.CharField(label="Посетитель (фамилия, имя, отчество)", max_length=200)
    kind = forms.ChoiceField(label="Кто посетил", choices=VisitorKind.choices)
    visited_on = DateField(label="Дата посещения")
    visited_time = forms.TimeField(label="Время", widget=TimeInput)
    note = forms.CharField(label="Примечание", max_length=300, required=False)


class ItemIssueForm(OnceForm, forms.Form):
    kind = forms.ChoiceField(label="Вид", choices=ItemKind.choices)
    item = forms.CharField(label="Предмет", max_length=200)
    quantity = forms.IntegerField(
        label="Количество",
        min_value=1,
        max_value=1000,
        initial=1,
        error_messages={"invalid": "Введите число.", "min_value": "Не меньше одного."},
    )
    issued_on = DateField(label="Дата выдачи")
