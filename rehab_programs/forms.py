"""Forms of diagnostics, the ИПСРН and the conclusion. They validate input; the actions decide."""

from __future__ import annotations

from typing import Any

from django import forms

from organisation.forms import DateField, ModelForm, RecordIdField
from organisation.idempotency import OnceForm
from organisation.models import DEPARTMENT_POSITIONS, User
from organisation.versioning import VersionedForm
from recipients.models import Recipient, Representative
from rehab_programs.models import Area, Diagnostic, RehabProgramme, SessionForm, Stage
from services.models import Service


def _staff_of(department_id: int) -> Any:
    return User.objects.filter(
        is_active=True,
        awaiting_confirmation=False,  # no role until the director confirms the position
        department_id=department_id,
        position__in=DEPARTMENT_POSITIONS,
    )


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.get_position_display().lower()})"


class ProgrammeListFilterForm(forms.Form):
    """«Программы (ИПСРН)» for a period: the minors whose ИПСРН was drawn up in it (the figure
    «Составлено ИПСРН» of the statistical report links here), enrolled or not."""

    date_from = DateField(label="ИПСРН составлена с", required=False)
    date_to = DateField(label="по", required=False)
    department = RecordIdField(widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "Конец периода раньше его начала.")
        return data

    @property
    def has_period(self) -> bool:
        return self.is_valid() and bool(
            self.cleaned_data.get("date_from") or self.cleaned_data.get("date_to")
        )


class DiagnosticForm(OnceForm, forms.Form):
    stage = forms.ChoiceField(label="Вид диагностики", choices=Stage.choices)
    area = forms.ChoiceField(label="Направление", choices=Area.choices)
    form = forms.ChoiceField(label="Форма", choices=SessionForm.choices)
    participants = forms.ModelMultipleChoiceField(
        label="Другие дети группы",
        queryset=Recipient.objects.none(),
        required=False,
        help_text="Только для групповой диагностики",
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    conducted_on = DateField(label="Дата проведения")
    duration_minutes = forms.IntegerField(
        label="Продолжительность, мин",
        min_value=1,
        max_value=600,
        initial=45,
        error_messages={"invalid": "Введите число минут."},
    )
    methods = forms.CharField(label="Методики", widget=forms.Textarea(attrs={"rows": 2}))
    results = forms.CharField(label="Результаты", widget=forms.Textarea(attrs={"rows": 4}))
    conclusions = forms.CharField(
        label="Выводы и рекомендации", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    ending_advisable = forms.TypedChoiceField(
        label="Решение итоговой диагностики",
        choices=[
            ("", "—"),
            ("yes", "прекращение социального обслуживания целесообразно"),
            ("no", "прекращение социального обслуживания нецелесообразно"),
        ],
        coerce=lambda v: v == "yes",
        empty_value=None,
        required=False,
        help_text="Только для итоговой диагностики",
    )

    def __init__(self, *args: Any, recipient: Recipient, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = (  # type: ignore[attr-defined]
            Recipient.objects.enrolled()
            .filter(department_id=recipient.department_id, archived_at__isnull=True)
            .exclude(pk=recipient.pk)
        )


class ProgrammeForm(OnceForm, forms.Form):
    drawn_up_on = DateField(label="Дата составления")
    curator = StaffChoiceField(
        label="Ответственный специалист (куратор)", queryset=User.objects.none()
    )
    goal = forms.CharField(
        label="Цель реабилитации", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, recipient: Recipient, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["curator"].queryset = _staff_of(recipient.department_id)  # type: ignore[attr-defined]


class ProgrammeEditForm(VersionedForm, ModelForm):
    """The ИПСРН's own fields (date, curator, goal), edited with the version it was read at."""

    curator = StaffChoiceField(
        label="Ответственный специалист (куратор)", queryset=User.objects.none()
    )

    class Meta:
        model = RehabProgramme
        fields = ["drawn_up_on", "curator", "goal"]
        widgets = {"goal": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        department_id = self.instance.recipient.department_id
        self.fields["curator"].queryset = _staff_of(department_id)  # type: ignore[attr-defined]


class ActivityForm(OnceForm, forms.Form):
    service = forms.ModelChoiceField(
        label="Услуга по справочнику",
        queryset=Service.objects.plannable().select_related("parent"),
        required=False,
    )
    description = forms.CharField(
        label="Мероприятие (если не из справочника или уточнение)",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    responsible = StaffChoiceField(label="Ответственный специалист", queryset=User.objects.none())
    due_on = DateField(label="Срок выполнения")
    expected_result = forms.CharField(
        label="Ожидаемый результат", widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, department_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = _staff_of(department_id)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("service") and not (data.get("description") or "").strip():
            self.add_error("description", "Выберите услугу из справочника или опишите мероприятие.")
        return data


class ActivityResultForm(forms.Form):
    actual_result = forms.CharField(
        label="Фактический результат", widget=forms.Textarea(attrs={"rows": 3})
    )
    done_on = DateField(label="Дата выполнения")


class RepresentativeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.full_name


def _representatives(recipient: Recipient) -> Any:
    return Representative.objects.filter(representations__recipient=recipient).distinct()


class FamiliarisationForm(VersionedForm, ModelForm):
    """O17 on the ИПСРН, edited with the version it was read at: a colleague's record made
    meanwhile (the parent's familiarisation, the explanation to the minor) is not written over
    unseen by a form that still shows the earlier state."""

    minor_explained_on = DateField(label="Дата разъяснения ребёнку", required=False)
    minor_explanation = forms.CharField(
        label="Разъяснительная работа с ребёнком",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Что и как разъяснено, как ребёнок отнёсся к программе (п. 3.4.2)",
    )
    parent_info_withheld = forms.BooleanField(
        label="Информирование родителя противоречит интересам ребёнка", required=False
    )
    withheld_reason = forms.CharField(
        label="Причина", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    parent_familiarised = RepresentativeChoiceField(
        label="Ознакомлен законный представитель",
        queryset=Representative.objects.none(),
        required=False,
    )
    parent_familiarised_on = DateField(label="Дата ознакомления", required=False)

    class Meta:
        model = RehabProgramme
        fields = [
            "minor_explained_on",
            "minor_explanation",
            "parent_info_withheld",
            "withheld_reason",
            "parent_familiarised",
            "parent_familiarised_on",
        ]

    def __init__(self, *args: Any, recipient: Recipient, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent_familiarised"].queryset = _representatives(recipient)  # type: ignore[attr-defined]


class DiagnosticChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class RevisionForm(forms.Form):
    proposed_on = DateField(label="Дата предложения")
    diagnostics = DiagnosticChoiceField(
        label="Результаты промежуточной диагностики",
        queryset=Diagnostic.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    minor_opinion = forms.CharField(
        label="Мнение и пожелания ребёнка", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    parents_survey = forms.CharField(
        label="Результаты опроса родителей (законных представителей)",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Об изменениях в состоянии и поведении ребёнка",
    )
    changes = forms.CharField(
        label="Предлагаемые изменения и дополнения",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="По одному в строке; новые мероприятия добавьте в редакцию после сохранения",
    )

    def __init__(self, *args: Any, recipient: Recipient, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["diagnostics"].queryset = Diagnostic.objects.active().filter(  # type: ignore[attr-defined]
            recipient=recipient, stage=Stage.INTERMEDIATE
        )


class ConclusionForm(OnceForm, forms.Form):
    drawn_up_on = DateField(label="Дата заключения")
    diagnostics = DiagnosticChoiceField(
        label="Итоговая диагностика",
        queryset=Diagnostic.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    results = forms.CharField(
        label="Результаты реализации ИПСРН", widget=forms.Textarea(attrs={"rows": 4})
    )
    recommendations = forms.CharField(
        label="Рекомендации по дальнейшей работе с ребёнком",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, recipient: Recipient, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["diagnostics"].queryset = Diagnostic.objects.active().filter(  # type: ignore[attr-defined]
            recipient=recipient, stage=Stage.FINAL
        )


class ReceiptForm(forms.Form):
    received_by = RepresentativeChoiceField(
        label="Получил под роспись", queryset=Representative.objects.none()
    )
    received_on = DateField(label="Дата получения")

    def __init__(self, *args: Any, recipient: Recipient, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["received_by"].queryset = _representatives(recipient)  # type: ignore[attr-defined]


class ChangeProposalForm(OnceForm, forms.Form):
    """O37 (§3.4.5): a specialist carrying out the ИПСРН proposes a change."""

    proposed_on = DateField(label="Дата предложения")
    what = forms.CharField(label="Что изменить", widget=forms.Textarea(attrs={"rows": 3}))
    why = forms.CharField(label="Обоснование", widget=forms.Textarea(attrs={"rows": 3}))
