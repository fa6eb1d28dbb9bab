"""Forms of social patronage: every bad input answered in Russian next to its field."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from organisation.dates import field_rule
from organisation.forms import DateField, ModelForm, RecordIdField
from organisation.idempotency import OnceForm
from organisation.models import DEPARTMENT_ROLES, Department, User
from organisation.text import parse_id
from patronage.models import (
    CASE_POSITIONS,
    CHECK_OUTCOMES,
    PATRONAGE_POSITIONS,
    ActKind,
    Amenity,
    Appeal,
    AppealGround,
    Channel,
    Effectiveness,
    Method,
    PatronageCase,
    Problem,
    Recommendation,
    ReviewStatus,
    Visit,
    VisitAct,
    VisitKind,
)
from recipients.models import Family


def patronage_staff(department_id: int, positions: tuple[str, ...] = PATRONAGE_POSITIONS) -> Any:
    """Staff of the department who make visits (P11), or with `CASE_POSITIONS` who may be
    assigned to a family (P6). An account whose position waits for the director's
    confirmation has no role yet and is not offered."""
    return User.objects.filter(
        department_id=department_id,
        position__in=positions,
        is_active=True,
        awaiting_confirmation=False,
    )


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} — {obj.get_position_display()}"


class ActionValidatedForm(ModelForm):
    """A model form that fills its instance but leaves the model's validation to the action,
    which raises it in Russian keyed by field (the view puts it back on the form)."""

    def _post_clean(self) -> None:
        opts = self._meta
        self.instance = forms.models.construct_instance(
            self, self.instance, opts.fields, opts.exclude
        )


class AppealForm(OnceForm, ModelForm):
    registered_on = DateField(
        label="Дата регистрации",
        required=False,
        validators=[field_rule(Appeal, "registered_on")],
        help_text="Номер присваивается при регистрации. "
        "Оставьте пустым, чтобы зарегистрировать позже.",
    )

    class Meta:
        model = Appeal
        fields = [
            "channel",
            "ground",
            "department",
            "received_on",
            "sender",
            "sender_contact",
            "outgoing_number",
            "outgoing_date",
            "basis_due",
            "family_name",
            "family_address",
            "children",
            "content",
        ]
        widgets = {
            "channel": forms.RadioSelect,
            "children": forms.Textarea(attrs={"rows": 3}),
            "content": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments = Department.objects.filter(is_active=True, does_patronage=True)
        if user is not None and user.role in DEPARTMENT_ROLES:
            departments = departments.filter(pk=user.department_id)  # a head: own department
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]
        self.fields["channel"].choices = Channel.choices  # type: ignore[attr-defined]
        if not self.is_bound:
            self.fields["registered_on"].initial = timezone.localdate()

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        received = data.get("received_on")
        if data.get("ground") == AppealGround.PREVENTION_BODY:
            for field in ("outgoing_number", "outgoing_date"):
                if not data.get(field):
                    self.add_error(
                        field, "Для ходатайства органа профилактики укажите исходящий номер и дату."
                    )
        if received:
            if data.get("outgoing_date") and data["outgoing_date"] > received:
                self.add_error("outgoing_date", "Исходящая дата позже даты поступления.")
            if data.get("basis_due") and data["basis_due"] < received:
                self.add_error("basis_due", "Срок по документу-основанию раньше даты поступления.")
            if data.get("registered_on") and data["registered_on"] < received:
                self.add_error(
                    "registered_on", "Дата регистрации не может быть раньше даты поступления."
                )
        return data


class RegisterForm(forms.Form):
    registered_on = DateField(
        label="Дата регистрации", validators=[field_rule(Appeal, "registered_on")]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["registered_on"].initial = timezone.localdate()


class OpenCaseForm(forms.Form):
    family = forms.ModelChoiceField(
        label="Семья отделения",
        queryset=Family.objects.none(),
        required=False,
        help_text="Если семья уже известна отделению. Иначе — новая семья ниже.",
    )
    new_family_name = forms.CharField(label="Новая семья", max_length=200, required=False)
    new_family_address = forms.CharField(label="Адрес новой семьи", max_length=500, required=False)
    specialist = StaffChoiceField(
        label="Закрепить специалиста", queryset=User.objects.none(), required=False
    )
    opened_on = DateField(
        label="Дата открытия патронажа", validators=[field_rule(PatronageCase, "opened_on")]
    )

    def __init__(self, *args: Any, appeal: Appeal, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["family"].queryset = (  # type: ignore[attr-defined]
            Family.objects.visible_to(user)
            .filter(department_id=appeal.department_id, archived_at__isnull=True)
            .order_by("name")
        )
        self.fields["specialist"].queryset = patronage_staff(appeal.department_id, CASE_POSITIONS)  # type: ignore[attr-defined]
        if not self.is_bound:
            self.fields["new_family_name"].initial = appeal.family_name
            self.fields["new_family_address"].initial = appeal.family_address
            self.fields["opened_on"].initial = timezone.localdate()
        self.appeal = appeal

    def clean_opened_on(self) -> date | None:
        value = self.cleaned_data.get("opened_on")
        if value and value < self.appeal.received_on:
            raise forms.ValidationError("Патронаж не может открыться раньше поступления обращения.")
        return value

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if not data.get("family") and not (data.get("new_family_name") or "").strip():
            self.add_error("family", "Выберите семью или укажите название новой семьи.")
        return data


class AssignForm(forms.Form):
    specialist = StaffChoiceField(label="Специалист", queryset=User.objects.none())

    def __init__(self, *args: Any, case: PatronageCase, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["specialist"].queryset = patronage_staff(  # type: ignore[attr-defined]
            case.family.department_id, CASE_POSITIONS
        )
        if not self.is_bound and case.specialist_id:
            self.fields["specialist"].initial = case.specialist_id


class CloseCaseForm(forms.Form):
    closed_on = DateField(
        label="Дата закрытия", validators=[field_rule(PatronageCase, "closed_on")]
    )
    reason = forms.CharField(label="Основание закрытия", max_length=300)


def _earliest_received(case: PatronageCase) -> date | None:
    dates = [a.received_on for a in case.appeals.all()]
    return min(dates) if dates else None


class VisitPlanForm(OnceForm, ActionValidatedForm):
    specialist = StaffChoiceField(label="Специалист", queryset=User.objects.none())

    class Meta:
        model = Visit
        fields = ["kind", "planned_on", "purpose", "specialist"]
        widgets = {"kind": forms.RadioSelect, "purpose": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, case: PatronageCase, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.instance.case = case
        self.fields["planned_on"].required = True
        self.fields["kind"].choices = VisitKind.choices  # type: ignore[attr-defined]
        self.fields["specialist"].queryset = patronage_staff(case.family.department_id)  # type: ignore[attr-defined]
        if not self.is_bound:
            has_visits = case.visits.exists()
            self.fields["kind"].initial = VisitKind.PLANNED if has_visits else VisitKind.PRIMARY
            self.fields["specialist"].initial = case.specialist_id

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if data.get("kind") == VisitKind.PLANNED and not (data.get("purpose") or "").strip():
            self.add_error(
                "purpose", "Укажите цель посещения: для планового патронажа она обязательна."
            )
        first = _earliest_received(self.case)
        planned = data.get("planned_on")
        if planned and first and planned < first:
            self.add_error(
                "planned_on",
                f"Посещение не может быть раньше поступления обращения ({first:%d.%m.%Y}).",
            )
        return data


class MinutesField(forms.IntegerField):
    default_error_messages = {
        "invalid": "Введите целое число минут.",
        "min_value": "Время не может быть отрицательным.",
        "max_value": "Слишком большое значение: не больше %(limit_value)s минут.",
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=0, max_value=1440, required=False, **kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "min": 0, "step": 1})


class VisitRecordForm(ActionValidatedForm):
    """The SOP steps of a visit (P7, P10) and the minutes spent (P8)."""

    methods = forms.MultipleChoiceField(
        label="Методы",
        choices=Method.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    problems = forms.MultipleChoiceField(
        label="Выявленные проблемы",
        choices=Problem.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    minutes_preparation = MinutesField(label="Подготовка и путь до адреса, мин (норма до 60)")
    minutes_work = MinutesField(label="Работа с клиентом, мин (норма до 40)")
    minutes_completion = MinutesField(label="Завершение, мин (норма до 10)")

    class Meta:
        model = Visit
        fields = [
            "visited_on",
            "purpose",
            "documents_prepared",
            "contact_established",
            "methods",
            "problems",
            "explanation",
            "consultations",
            "effectiveness",
            "effectiveness_comment",
            "minutes_preparation",
            "minutes_work",
            "minutes_completion",
        ]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 2}),
            "explanation": forms.Textarea(attrs={"rows": 3}),
            "consultations": forms.Textarea(attrs={"rows": 3}),
            "effectiveness": forms.RadioSelect,
            "effectiveness_comment": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["visited_on"].required = True
        # P10: a repeat visit must assess effectiveness; a primary one may leave it out.
        blank = [] if self.instance.kind == VisitKind.PLANNED else [("", "не оценивается")]
        self.fields["effectiveness"].choices = [  # type: ignore[attr-defined]
            *blank,
            *Effectiveness.choices,
        ]
        if not self.is_bound and not self.instance.visited_on:
            planned = self.instance.planned_on
            today = timezone.localdate()
            self.initial["visited_on"] = planned if planned and planned <= today else today

    def clean_visited_on(self) -> date | None:
        value = self.cleaned_data.get("visited_on")  # the field's own rule: not in the future
        first = _earliest_received(self.instance.case)
        if value and first and value < first:
            raise forms.ValidationError(
                f"Посещение не может быть раньше поступления обращения ({first:%d.%m.%Y})."
            )
        return value

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if self.instance.kind == VisitKind.PLANNED:
            if not (data.get("purpose") or "").strip():
                self.add_error("purpose", "Укажите цель посещения.")
            if not data.get("effectiveness"):
                self.add_error("effectiveness", "Оцените эффективность профилактической работы.")
        return data


class ActForm(ActionValidatedForm):
    """The document of the visit (P9)."""

    amenities = forms.MultipleChoiceField(
        label="Благоустройство",
        choices=Amenity.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    HOUSING_REQUIRED = ("dwelling_type", "sanitary_state", "sleeping_place", "study_place")

    class Meta:
        model = VisitAct
        fields = [
            "kind",
            "present_representatives",
            "present",
            "dwelling_type",
            "ownership",
            "area",
            "rooms",
            "amenities",
            "sanitary_state",
            "sanitary_notes",
            "sleeping_place",
            "study_place",
            "clothing",
            "food",
            "relations",
            "summary",
            "conclusion",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "present_representatives": forms.CheckboxSelectMultiple,
            **{
                f: forms.Textarea(attrs={"rows": 2})
                for f in (
                    "sanitary_notes",
                    "sleeping_place",
                    "study_place",
                    "clothing",
                    "food",
                    "relations",
                )
            },
            "summary": forms.Textarea(attrs={"rows": 4}),
            "conclusion": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, family: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ActKind.choices  # type: ignore[attr-defined]
        present = self.fields["present_representatives"]
        present.label = "Законные представители, присутствовавшие при посещении"
        present.queryset = (  # type: ignore[attr-defined]
            family.representatives.filter(archived_at__isnull=True)
            if family is not None
            else present.queryset.none()  # type: ignore[attr-defined]
        )
        self.fields["present"].label = "Кто ещё присутствовал (члены семьи)"
        self.fields["area"].error_messages["min_value"] = "Площадь не может быть отрицательной."
        self.fields["rooms"].error_messages["min_value"] = (
            "Число комнат не может быть отрицательным."
        )

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        kind = data.get("kind")
        if kind == ActKind.HOUSING:
            for field in self.HOUSING_REQUIRED:
                if not data.get(field):
                    self.add_error(
                        field, "Обязательно для акта обследования жилищно-бытовых условий."
                    )
        elif kind and not (data.get("summary") or "").strip():
            self.add_error("summary", "Опишите ход посещения и выявленную ситуацию.")
        return data


class NewRecommendationForm(forms.Form):
    text = forms.CharField(
        label="Рекомендация", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    due_on = DateField(label="Срок выполнения", required=False)


MAX_NEW_RECOMMENDATIONS = 20


class NewRecommendationsBase(forms.BaseFormSet):
    """The new recommendations of a visit. A management form lost or altered (a page saved and
    sent again, a tampered count) is not a dead end: the recommendations typed are shown again
    from the data, with a count that sends them next time, and the visit is refused once with
    the reason in Russian."""

    default_error_messages = {
        "missing_management_form": (
            "Список рекомендаций пришёл неполным (страница могла устареть): проверьте "
            "рекомендации ниже и отправьте форму ещё раз."
        ),
        "too_many_forms": "Не больше %(num)d рекомендаций за одно посещение.",
    }

    def __init__(self, data: Any = None, *args: Any, **kw: Any) -> None:
        self.refused_count: str | None = None
        if data is not None:
            prefix = kw.get("prefix") or self.get_default_prefix()
            data, self.refused_count = self._repaired(data, prefix)
        super().__init__(data, *args, **kw)

    def _repaired(self, data: Any, prefix: str) -> tuple[Any, str | None]:
        total = parse_id(data.get(f"{prefix}-TOTAL_FORMS"))
        initial = data.get(f"{prefix}-INITIAL_FORMS")
        if total is not None and total <= self.max_num and initial == "0":
            return data, None
        typed = [
            int(m.group(1))
            for key in data
            if (m := re.fullmatch(rf"{re.escape(prefix)}-([0-9]{{1,6}})-\w+", key))
        ]
        data = data.copy()
        data[f"{prefix}-TOTAL_FORMS"] = str(min(max(typed, default=-1) + 1, self.max_num))
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        data[f"{prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{prefix}-MAX_NUM_FORMS"] = str(self.max_num)
        reason = "too_many_forms" if total is not None and total > self.max_num else None
        return data, reason or "missing_management_form"

    def clean(self) -> None:
        if self.refused_count:
            raise forms.ValidationError(
                self.default_error_messages[self.refused_count] % {"num": self.max_num},
                code=self.refused_count,
            )


NewRecommendationFormSet = forms.formset_factory(
    NewRecommendationForm,
    formset=NewRecommendationsBase,
    extra=3,
    max_num=MAX_NEW_RECOMMENDATIONS,
    absolute_max=MAX_NEW_RECOMMENDATIONS,
)


class CheckForm(forms.Form):
    """P10: whether an earlier recommendation was fulfilled."""

    outcome = forms.ChoiceField(
        label="Выполнение",
        choices=CHECK_OUTCOMES,
        widget=forms.RadioSelect,
        error_messages={"required": "Отметьте, выполнена ли рекомендация."},
    )
    comment = forms.CharField(
        label="Комментарий", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, recommendation: Recommendation, **kwargs: Any) -> None:
        kwargs["prefix"] = f"check-{recommendation.pk}"
        super().__init__(*args, **kwargs)
        self.recommendation = recommendation


class ReviewForm(forms.Form):
    review_status = forms.ChoiceField(
        label="Результат проверки",
        choices=[
            (ReviewStatus.ACCEPTED.value, "Принять запись"),
            (ReviewStatus.REMARKS.value, "Вернуть с замечаниями"),
        ],
        widget=forms.RadioSelect,
    )
    review_remarks = forms.CharField(
        label="Замечания", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if (
            data.get("review_status") == ReviewStatus.REMARKS
            and not (data.get("review_remarks") or "").strip()
        ):
            self.add_error("review_remarks", "Напишите замечания для специалиста.")
        return data


class JournalForm(forms.Form):
    channel = forms.ChoiceField(label="Журнал", choices=Channel.choices)
    date_from = DateField(label="С")
    date_to = DateField(label="По")

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "Конец периода раньше его начала.")
        return data


class AppealFilterForm(forms.Form):
    STATUS_CHOICES = [
        ("", "все"),
        ("unregistered", "не зарегистрированы"),
        ("overdue", "просрочена регистрация"),
        ("late", "зарегистрированы с опозданием"),
        ("no_case", "не переданы в патронаж"),
    ]
    channel = forms.ChoiceField(
        label="Журнал", choices=[("", "все"), *Channel.choices], required=False
    )
    status = forms.ChoiceField(label="Состояние", choices=STATUS_CHOICES, required=False)
    q = forms.CharField(label="Поиск", required=False)
    ground = forms.ChoiceField(
        label="Основание", choices=[("", "все"), *AppealGround.choices], required=False
    )
    date_from = DateField(label="Поступили с", required=False)
    date_to = DateField(label="по", required=False)
    department = RecordIdField(widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "Конец периода раньше его начала.")
        return data


class VisitFilterForm(forms.Form):
    """«Посещения»: the visits behind the report's and the dashboard's figures — done in a period
    (by the date of the visit), of a kind, ending with an act of a kind, with recommendations
    given or checked, by the assessment of effectiveness; or planned and planned but overdue."""

    STATUS_CHOICES = [
        ("completed", "проведённые"),
        ("planned", "запланированные"),
        ("overdue", "запланированные, дата прошла"),
    ]
    RECOMMENDATION_CHOICES = [("", "все"), ("given", "даны рекомендации"), *CHECK_OUTCOMES]

    status = forms.ChoiceField(label="Посещения", choices=STATUS_CHOICES, required=False)
    date_from = DateField(label="Дата с", required=False)
    date_to = DateField(label="по", required=False)
    kind = forms.ChoiceField(label="Вид", choices=[("", "все"), *VisitKind.choices], required=False)
    act = forms.ChoiceField(
        label="Документ", choices=[("", "все"), *ActKind.choices], required=False
    )
    recommendations = forms.ChoiceField(
        label="Рекомендации", choices=RECOMMENDATION_CHOICES, required=False
    )
    effectiveness = forms.ChoiceField(
        label="Эффективность", choices=[("", "все"), *Effectiveness.choices], required=False
    )
    department = RecordIdField(widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "Конец периода раньше его начала.")
        return data


class CasePeriodForm(forms.Form):
    """Cases under patronage at some time in a period (the links of the reports)."""

    date_from = DateField(label="Под патронажем с", required=False)
    date_to = DateField(label="по", required=False)
    department = RecordIdField()
