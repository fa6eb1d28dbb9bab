"""Forms of the services app. They only parse input: the rules live in services/actions.py,
whose ValidationError messages the views attach to the fields here."""

from __future__ import annotations

import copy
import functools
from datetime import date, timedelta
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from organisation import text
from organisation.dates import PlannedEvent
from organisation.forms import DateField, ModelForm, RecordIdField, TimeInput
from organisation.idempotency import OnceForm
from organisation.versioning import VersionedForm
from recipients.models import Recipient, Representative
from services.models import (
    CategoryKind,
    IndividualProgramme,
    Per,
    ProgrammeLine,
    RecordStatus,
    Service,
    ServiceForm,
    ServiceRecord,
    UrgentServiceAct,
    readable_service_name,
)


class ServiceSelect(forms.Select):
    """Each option carries the catalogue's usual duration, which the page's script puts into
    the duration field when a service is chosen (static/js/app.js)."""

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        instance = getattr(option["value"], "instance", None)
        if instance is not None:
            option["attrs"]["data-minutes"] = instance.default_minutes
        return option


class ServiceChoiceField(forms.ModelChoiceField):
    widget = ServiceSelect

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.display_name}"[:120]


def _child_label(obj: Any) -> str:
    """«Орлов Иван Петрович, 9 лет, ОДП»: the age and the department tell namesakes apart."""
    age = text.with_plural(obj.age, "год", "года", "лет")
    return f"{obj.full_name}, {age}, {obj.department}"


class RecipientChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{_child_label(obj)} ({obj.birth_date:%d.%m.%Y})"


class RecipientsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Any) -> str:
        return _child_label(obj)


def _services() -> QuerySet[Service]:
    return Service.objects.leaves().select_related("parent", "category")


def _service_options() -> list[tuple[str, str]]:
    """The leaf services as a filter's options, from four columns instead of three whole rows
    per service; the labels are `ServiceChoiceField`'s."""
    rows = Service.objects.leaves().values_list("pk", "code", "name", "parent__name")
    return [
        ("", "---------"),  # ModelChoiceField's empty label
        *(
            (str(pk), f"{code} {readable_service_name(name, parent)}"[:120])
            for pk, code, name, parent in rows
        ),
    ]


class _LogBase(forms.Form):
    service = ServiceChoiceField(label="Услуга", queryset=Service.objects.none())
    date = DateField(label="Дата")
    start_time = forms.TimeField(label="Время начала", required=False, widget=TimeInput)
    duration_minutes = forms.IntegerField(
        label="Продолжительность, мин",
        min_value=1,
        max_value=600,
        error_messages={"min_value": "Продолжительность должна быть больше нуля."},
    )
    notes = forms.CharField(label="Примечание", required=False, widget=forms.Textarea({"rows": 2}))
    reason_outside_programme = forms.CharField(
        label="Основание, если услуги нет в программе",
        required=False,
        max_length=300,
        help_text="Например: по запросу законного представителя.",
    )

    excluded_form = ""

    def __init__(
        self, *args: Any, services: QuerySet[Service] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # The list offers the services of the user's position in this form; any service of the
        # catalogue is still accepted, so the journal's rules answer with their reason (O31:
        # who gives it; the individual or group form) instead of «not a valid choice».
        field = self.fields["service"]
        field.queryset = _services()  # type: ignore[attr-defined]
        offered = copy.copy(field)
        offered.queryset = (  # type: ignore[attr-defined]
            (
                _services() if services is None else services.select_related("parent", "category")
            ).exclude(form=self.excluded_form)
        )
        field.widget.choices = offered.choices  # type: ignore[attr-defined]
        self._offered = offered.queryset  # type: ignore[attr-defined]
        self.fields["date"].initial = timezone.localdate()
        self.fields["service"].widget.attrs["data-duration-target"] = "id_duration_minutes"
        service = self._initial_service()
        if service is not None and not self.initial.get("duration_minutes"):
            self.initial["duration_minutes"] = service.default_minutes

    def _initial_service(self) -> Service | None:
        """The service the form opens with (a «Группа» link of «Мой день» passes it)."""
        pk = self.initial.get("service")
        if not pk or self.is_bound:
            return None
        try:
            return self._offered.filter(pk=pk).first()  # type: ignore[no-any-return]
        except (ValueError, TypeError):
            return None


class LogServiceForm(OnceForm, _LogBase):
    """One service for one child: individual services (a group one is logged on a group)."""

    excluded_form = ServiceForm.GROUP
    recipient = RecipientChoiceField(label="Получатель", queryset=Recipient.objects.none())
    field_order = ["recipient", "service", "date", "start_time", "duration_minutes"]

    def __init__(self, *args: Any, recipients: QuerySet[Recipient], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = recipients.select_related("department")  # type: ignore[attr-defined]


class LogGroupForm(OnceForm, _LogBase):
    """One group session: several children, one submit; group services (and those given
    either way), never an individual-only one."""

    excluded_form = ServiceForm.INDIVIDUAL
    recipients = RecipientsField(
        label="Дети",
        queryset=Recipient.objects.none(),
        error_messages={"required": "Выберите детей, которым оказана услуга."},
    )
    is_outing = forms.BooleanField(
        label="Выездное мероприятие",
        required=False,
        help_text="Экскурсия, театр, посещение организации — вне центра.",
    )
    escorts = forms.IntegerField(
        label="Сопровождающих",
        min_value=1,
        max_value=100,
        initial=1,
        help_text="На выездах: не более 10 несовершеннолетних на одного сопровождающего.",
    )
    field_order = [
        "service",
        "recipients",
        "date",
        "start_time",
        "duration_minutes",
        "is_outing",
        "escorts",
    ]

    def __init__(self, *args: Any, recipients: QuerySet[Recipient], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipients"].queryset = recipients  # type: ignore[attr-defined]


class _StaffChoices(forms.models.ModelChoiceIterator):
    """The options of the staff: the columns of their labels, read by one plain query (not
    through `iterator()`, which on PostgreSQL is a server-side cursor: DECLARE, FETCH and
    CLOSE for a department's dozen people, with every column of a user and their
    department)."""

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        staff = self.queryset.select_related(None).only(
            "last_name", "first_name", "patronymic", "position"
        )
        for obj in staff:
            yield self.choice(obj)


class StaffChoiceField(forms.ModelChoiceField):
    iterator = _StaffChoices

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.short_name} — {obj.get_position_display().lower()}"


class MyDayFilterForm(forms.Form):
    """«Мой день»: a search over the day's children; the head also picks whose day to see."""

    q = forms.CharField(label="Поиск ребёнка", required=False, max_length=100)
    specialist = StaffChoiceField(
        label="Специалист",
        queryset=None,
        required=False,
        widget=forms.Select({"class": "form-select", "data-autosubmit": "true"}),
        empty_label="— все дети отделения, все услуги —",
    )

    def __init__(self, *args: Any, staff: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["specialist"].queryset = staff  # type: ignore[attr-defined]


class CorrectRecordForm(VersionedForm, ModelForm):
    class Meta:
        model = ServiceRecord
        fields = ["date", "start_time", "duration_minutes", "notes", "reason_outside_programme"]
        widgets = {"notes": forms.Textarea({"rows": 2})}


class CancelRecordForm(forms.Form):
    reason = forms.CharField(
        label="Причина отмены",
        max_length=300,
        error_messages={"required": "Укажите причину отмены."},
    )


class JournalFilterForm(forms.Form):
    date_from = DateField(label="С", required=False)
    date_to = DateField(label="По", required=False)
    service = ServiceChoiceField(label="Услуга", queryset=Service.objects.none(), required=False)
    q = forms.CharField(label="Получатель", required=False, max_length=100)
    kind = forms.ChoiceField(
        label="Вид услуг", choices=[("", "все"), *CategoryKind.choices], required=False
    )
    status = forms.ChoiceField(
        label="Статус", choices=[("", "все"), *RecordStatus.choices], required=False
    )
    # A link from a report («нагрузка специалистов») narrows the journal to one provider.
    provider = RecordIdField(widget=forms.HiddenInput)
    mine = forms.BooleanField(label="Только мои", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        service = self.fields["service"]
        service.queryset = Service.objects.leaves()  # type: ignore[attr-defined]
        # Read once when the page draws the filter, not when an export only validates it.
        service.choices = functools.cache(_service_options)  # type: ignore[attr-defined]
        for name in ("kind", "status"):
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"
        service.widget.attrs["class"] = "form-select form-select-sm mw-22rem"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", "Конец периода раньше начала.")
        return data


class PeriodForm(forms.Form):
    # The centre's years only: a period at the end of the calendar (31.12.9999) has no week
    # after it for the norms to count.
    date_from = DateField(label="С", validators=[PlannedEvent("Начало периода")])
    date_to = DateField(label="По", validators=[PlannedEvent("Конец периода")])

    @classmethod
    def this_month(cls) -> dict[str, date]:
        today = timezone.localdate()
        return {"date_from": today.replace(day=1), "date_to": today}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "Конец периода раньше начала.")
        elif start and end and end - start > timedelta(days=366):
            self.add_error("date_to", "Период не длиннее года.")
        return data


def _check_term(form: forms.BaseForm, data: dict[str, Any]) -> dict[str, Any]:
    start, end = data.get("valid_from"), data.get("valid_until")
    if start and end and end < start:
        form.add_error("valid_until", "Дата окончания раньше даты начала.")
    return data


class ProgrammeForm(ModelForm):
    class Meta:
        model = IndividualProgramme
        fields = ["number", "drawn_up_on", "valid_from", "valid_until", "notes"]
        widgets = {"notes": forms.Textarea({"rows": 2})}

    def clean(self) -> dict[str, Any]:
        return _check_term(self, super().clean() or {})


class NewProgrammeForm(OnceForm, ProgrammeForm):
    """A new ИППСУ: posted twice, one programme."""


class ProgrammeEditForm(VersionedForm, ProgrammeForm):
    """The ИППСУ's own fields, edited with the version it was read at (no lost update)."""


class ProgrammeLineForm(OnceForm, ModelForm):
    service = ServiceChoiceField(label="Услуга", queryset=Service.objects.none())

    class Meta:
        model = ProgrammeLine
        fields = ["service", "count", "per", "valid_from", "valid_until", "notes"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.plannable().select_related(  # type: ignore[attr-defined]
            "parent", "category"
        )
        self.fields["per"].initial = Per.WEEK

    def validate_unique(self) -> None:  # the action answers duplicates next to the field
        pass

    def clean(self) -> dict[str, Any]:
        return _check_term(self, super().clean() or {})


class RefusalForm(OnceForm, forms.Form):
    signed_on = DateField(label="Дата подписанного отказа")
    signed_by = forms.ModelChoiceField(
        label="Подписал законный представитель",
        queryset=Representative.objects.none(),
        required=False,
        empty_label="— сам получатель —",
    )
    reason = forms.CharField(label="Причина", required=False, widget=forms.Textarea({"rows": 2}))

    def __init__(self, *args: Any, representatives: QuerySet[Representative], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["signed_by"].queryset = representatives  # type: ignore[attr-defined]


class UrgentActForm(OnceForm, ModelForm):
    recipient = RecipientChoiceField(label="Получатель", queryset=Recipient.objects.none())
    services = forms.ModelMultipleChoiceField(
        label="Срочные услуги",
        queryset=Service.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Отметьте оказанные срочные услуги."},
    )

    class Meta:
        model = UrgentServiceAct
        fields = ["recipient", "number", "date", "services", "conditions"]
        widgets = {"conditions": forms.Textarea({"rows": 3})}

    def __init__(self, *args: Any, recipients: QuerySet[Recipient], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = recipients  # type: ignore[attr-defined]
        self.fields["services"].queryset = Service.objects.urgent()  # type: ignore[attr-defined]
        self.fields["services"].label_from_instance = lambda s: f"{s.code} {s.name}"  # type: ignore[attr-defined]
        self.fields["date"].initial = timezone.localdate()


class SignedForm(forms.Form):
    signed_on = DateField(label="Дата подписи")
    signed_by = forms.ModelChoiceField(
        label="Подписал законный представитель",
        queryset=Representative.objects.none(),
        required=False,
        empty_label="— сам получатель —",
    )

    def __init__(self, *args: Any, representatives: QuerySet[Representative], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["signed_by"].queryset = representatives  # type: ignore[attr-defined]
