"""Forms of the recipients app: every bad input answered in Russian next to its field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from organisation.forms import DateField, ModelForm
from organisation.idempotency import OnceForm
from organisation.models import Department
from organisation.versioning import VersionedForm
from recipients.models import (
    MAX_AGE,
    MIN_AGE,
    OPINION_AGE,
    Circumstance,
    Consent,
    ContractTerm,
    DocumentKind,
    FamiliarisationKind,
    Family,
    QualitySurvey,
    Recipient,
    RecipientStatus,
    Relation,
    Representative,
    Sex,
    age_on,
)
from recipients.selectors import AGE_BANDS, SORTS
from recipients.validators import normalise_snils, validate_scan


def _no_future(value: Any, what: str = "Дата") -> None:
    if value and value > timezone.localdate():
        raise forms.ValidationError(f"{what} не может быть в будущем.")


class RecipientForm(VersionedForm, ModelForm):
    circumstances = forms.MultipleChoiceField(
        label="Обстоятельства нуждаемости (п. 1.4 Порядка)",
        choices=Circumstance.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Recipient
        fields = [
            "last_name",
            "first_name",
            "patronymic",
            "sex",
            "birth_date",
            "identity_document_kind",
            "identity_document",
            "snils",
            "oms_policy",
            "address",
            "school",
            "circumstances",
            "has_disability",
            "ipra",
            "has_life_limitations",
            "health_document",
            "health_status_until",
            "family",
        ]

    def __init__(self, *args: Any, families: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if families is not None:
            self.fields["family"].queryset = families  # type: ignore[attr-defined]
        self.fields["family"].required = False
        self.fields["family"].help_text = "Можно оставить пустым и создать семью ниже"
        self.fields["snils"].help_text = "11 цифр: ХХХ-ХХХ-ХХХ ХХ; проверяется контрольное число"

    def clean_snils(self) -> str:
        return normalise_snils(self.cleaned_data.get("snils", ""))

    def clean_birth_date(self) -> Any:
        born = self.cleaned_data.get("birth_date")
        if born is None:
            return born
        today = timezone.localdate()
        if born > today:
            raise forms.ValidationError("Дата рождения не может быть в будущем.")
        age = age_on(born, today)
        if age < MIN_AGE - 1 or age >= MAX_AGE:
            raise forms.ValidationError(
                f"Возраст {age}: центр принимает детей от {MIN_AGE} до {MAX_AGE} лет (п. 1.4)."
            )
        return born

    def clean_circumstances(self) -> list[str]:
        return list(self.cleaned_data.get("circumstances") or [])

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("ipra") and not data.get("has_disability"):
            self.add_error("has_disability", "ИПРА оформляется ребёнку-инвалиду: отметьте это.")
        marked = data.get("has_disability") or data.get("has_life_limitations")
        if marked and not (data.get("health_document") or "").strip():
            self.add_error(
                "health_document",
                "Укажите документ, подтверждающий инвалидность или ограничения жизнедеятельности.",
            )
        if not marked and (data.get("health_document") or "").strip():
            self.add_error(
                "has_life_limitations",
                "Документ указан, но не отмечено ни инвалидность, ни ограничения.",
            )
        return data

    def _get_validation_exclusions(self) -> set[str]:
        # Duplicates are the action's business: it offers the existing record instead of
        # the constraint's bare message.
        return {*super()._get_validation_exclusions(), "snils"}  # type: ignore[misc]


class NewFamilyForm(OnceForm, forms.Form):
    """A family created together with the child, when it is not registered yet. Shown only
    on the registration page, it carries that page's one-time token: a registration posted
    twice makes one child and one family."""

    new_family_name = forms.CharField(
        label="Новая семья", max_length=200, required=False, help_text="Например: семья Ивановых"
    )
    new_family_address = forms.CharField(label="Адрес семьи", max_length=500, required=False)
    new_family_phone = forms.CharField(label="Телефон семьи", max_length=60, required=False)


class FamilyForm(VersionedForm, ModelForm):
    class Meta:
        model = Family
        fields = ["name", "address", "phone", "composition", "notes"]


class RepresentativeForm(ModelForm):
    relation = forms.ChoiceField(label="Кем приходится ребёнку", choices=Relation.choices)

    class Meta:
        model = Representative
        fields = [
            "last_name",
            "first_name",
            "patronymic",
            "sex",
            "birth_date",
            "id_document",
            "phone",
            "address",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["id_document"].required = True

    def clean_birth_date(self) -> Any:
        born = self.cleaned_data.get("birth_date")
        _no_future(born, "Дата рождения")
        return born


class NewRepresentativeForm(OnceForm, RepresentativeForm):
    """A representative added to the card: posted twice, one representative."""


class RepresentativeEditForm(VersionedForm, RepresentativeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["relation"]


class ConsentForm(OnceForm, ModelForm):
    class Meta:
        model = Consent
        fields = [
            "given_by",
            "given_on",
            "covers_processing",
            "third_parties",
            "covers_media",
            "covers_website",
        ]
        widgets = {"third_parties": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, representatives: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if representatives is not None:
            self.fields["given_by"].queryset = representatives  # type: ignore[attr-defined]

    def clean_given_on(self) -> Any:
        d = self.cleaned_data.get("given_on")
        _no_future(d, "Дата согласия")
        return d

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not any(
            data.get(k)
            for k in ("covers_processing", "third_parties", "covers_media", "covers_website")
        ):
            raise forms.ValidationError("Отметьте, на что дано согласие.")
        return data


class ConsentWithdrawForm(forms.Form):
    withdrawn_on = DateField(label="Дата отзыва")
    note = forms.CharField(label="Основание отзыва", max_length=300)

    def clean_withdrawn_on(self) -> Any:
        d = self.cleaned_data.get("withdrawn_on")
        _no_future(d, "Дата отзыва")
        return d


class DocumentForm(OnceForm, forms.Form):
    kind = forms.ChoiceField(label="Вид документа", choices=DocumentKind.choices)
    title = forms.CharField(label="Наименование", max_length=300, required=False)
    received_on = DateField(label="Дата поступления")
    scan = forms.FileField(
        label="Скан (PDF, JPEG или PNG, до 10 МБ)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    certify = forms.BooleanField(
        label="Копия сверена с оригиналом: заверить «копия верна» от моего имени",
        required=False,
    )

    def clean_received_on(self) -> Any:
        d = self.cleaned_data.get("received_on")
        _no_future(d, "Дата поступления")
        return d

    def clean_scan(self) -> Any:
        scan = self.cleaned_data.get("scan")
        if scan:
            validate_scan(scan)
        return scan


class CertifyForm(forms.Form):
    certified_on = DateField(label="Дата заверения")

    def clean_certified_on(self) -> Any:
        d = self.cleaned_data.get("certified_on")
        _no_future(d, "Дата заверения")
        return d


class ApplicationForm(OnceForm, forms.Form):
    representative = forms.ModelChoiceField(label="Заявитель", queryset=Representative.objects)
    submitted_on = DateField(label="Дата заявления")
    minor_opinion = forms.CharField(
        label="Мнение несовершеннолетнего",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=f"Обязательно, если ребёнку {OPINION_AGE} лет и больше",
    )
    opinion_not_asked_reason = forms.CharField(
        label="Почему мнение не учитывалось",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Только если учёт мнения противоречит интересам ребёнка",
    )

    def __init__(self, *args: Any, recipient: Recipient, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.recipient = recipient
        self.fields["representative"].queryset = _representatives_of(recipient)  # type: ignore[attr-defined]

    def clean_submitted_on(self) -> Any:
        d = self.cleaned_data.get("submitted_on")
        _no_future(d, "Дата заявления")
        return d

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        d = data.get("submitted_on")
        if (
            d
            and self.recipient.age_on(d) >= OPINION_AGE
            and not (
                data.get("minor_opinion", "").strip()
                or data.get("opinion_not_asked_reason", "").strip()
            )
        ):
            self.add_error(
                "minor_opinion",
                "Ребёнку исполнилось 10 лет: запишите его мнение или укажите ниже, почему его "
                "учёт противоречит интересам ребёнка (п. 5.1).",
            )
        return data


def _representatives_of(recipient: Recipient) -> Any:
    if recipient.family_id is None:
        return Representative.objects.none()
    return Representative.objects.filter(family_id=recipient.family_id, archived_at__isnull=True)


class NeedRecognitionForm(OnceForm, forms.Form):
    number = forms.CharField(label="Номер протокола", max_length=40)
    decided_on = DateField(label="Дата протокола")
    issued_by = forms.CharField(label="Орган, признавший нуждающимся", max_length=300)
    circumstances = forms.MultipleChoiceField(
        label="Обстоятельства (п. 1.4 Порядка)",
        choices=Circumstance.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Отметьте хотя бы одно обстоятельство из п. 1.4 Порядка."},
    )

    def clean_decided_on(self) -> Any:
        d = self.cleaned_data.get("decided_on")
        _no_future(d, "Дата протокола")
        return d


class ContractForm(OnceForm):
    representative = forms.ModelChoiceField(
        label="Законный представитель", queryset=Representative.objects
    )
    concluded_on = DateField(label="Дата договора")
    number = forms.CharField(
        label="Номер бумажного договора",
        max_length=40,
        required=False,
        help_text="Оставьте пустым: номер присвоится по журналу договоров. Укажите только для "
        "договора, заключённого на бумаге до начала работы в системе.",
    )
    term = forms.ChoiceField(label="Срок", choices=ContractTerm.choices)
    valid_until = DateField(label="Действует до", required=False)

    def __init__(self, *args: Any, recipient: Recipient, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["representative"].queryset = _representatives_of(recipient)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("term") == ContractTerm.TEMPORARY:
            until, start = data.get("valid_until"), data.get("concluded_on")
            if not until:
                self.add_error("valid_until", "Для временного договора укажите срок действия.")
            elif start and until <= start:
                self.add_error("valid_until", "Срок действия должен быть позже даты договора.")
        return data


class ExtractForm(forms.Form):
    """A register extract handed to a third party: allowed only under a consent (O6)."""

    third_party = forms.CharField(
        label="Кому выдаётся выписка",
        max_length=300,
        help_text="Так, как организация названа в согласии на передачу сведений",
        error_messages={"required": "Укажите, кому выдаётся выписка из регистра."},
    )


class RegisterFilterForm(forms.Form):
    q = forms.CharField(label="Поиск", required=False, max_length=100)
    department = forms.ModelChoiceField(
        label="Отделение",
        queryset=Department.objects.none(),
        required=False,
        empty_label="все отделения",
    )
    status = forms.ChoiceField(
        label="Статус", choices=[("", "все"), *RecipientStatus.choices], required=False
    )
    age = forms.ChoiceField(
        label="Возраст",
        choices=[("", "любой"), *((k, v[0]) for k, v in AGE_BANDS.items())],
        required=False,
    )
    sort = forms.ChoiceField(
        label="Сортировка",
        choices=[
            ("name", "по ФИО"),
            ("-name", "по ФИО (Я–А)"),
            ("birth", "по дате рождения"),
            ("-birth", "сначала младшие"),
            ("stay", "по первому дню пребывания"),
            ("status", "по статусу"),
            ("department", "по отделению"),
        ],
        required=False,
    )
    archived = forms.BooleanField(label="Архив", required=False)
    sex = forms.ChoiceField(label="Пол", choices=[("", "любой"), *Sex.choices], required=False)
    circumstance = forms.ChoiceField(
        label="Обстоятельство (п. 1.4)",
        choices=[("", "любое"), *Circumstance.choices],
        required=False,
    )
    served_from = DateField(label="На обслуживании с", required=False)
    served_to = DateField(label="по", required=False)

    def __init__(self, *args: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        department = self.fields["department"]
        department.queryset = departments  # type: ignore[attr-defined]
        # The few departments read once for the select (its iterator queries on every draw).
        department.choices = [  # type: ignore[attr-defined]
            ("", department.empty_label),  # type: ignore[attr-defined]
            *((d.pk, str(d)) for d in departments),
        ]
        for name in ("department", "status", "age", "sort", "sex", "circumstance"):
            self.fields[name].widget.attrs["class"] = "form-select"
        self.fields["archived"].widget.attrs["class"] = "form-check-input"
        assert set(dict(self.fields["sort"].choices)) <= set(SORTS)  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        d = self.cleaned_data
        return {
            "query": d.get("q") or "",
            "department": d["department"].pk if d.get("department") else None,
            "status": d.get("status") or "",
            "age_band": d.get("age") or "",
            "sort": d.get("sort") or "name",
            "archived": bool(d.get("archived")),
            "sex": d.get("sex") or "",
            "circumstance": d.get("circumstance") or "",
            "served_from": d.get("served_from"),
            "served_to": d.get("served_to"),
        }


class CircumstanceChangeForm(OnceForm, forms.Form):
    """O8: a representative reports a change of the circumstances of need."""

    reported_on = DateField(label="Дата сообщения")
    reported_by = forms.ModelChoiceField(
        label="Сообщил представитель", queryset=Representative.objects.none(), required=False
    )
    reported_by_name = forms.CharField(
        label="Или кто сообщил",
        max_length=300,
        required=False,
        help_text="Если сообщил не представитель из карточки",
    )
    what_changed = forms.CharField(label="Что изменилось", widget=forms.Textarea(attrs={"rows": 4}))
    revise_circumstances = forms.BooleanField(
        label="Нужно пересмотреть обстоятельства нуждаемости (п. 1.4)", required=False
    )

    def __init__(self, *args: Any, recipient: Recipient, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reported_by"].queryset = _representatives_of(recipient)  # type: ignore[attr-defined]
        if not self.is_bound:
            self.fields["reported_on"].initial = timezone.localdate()

    def clean_reported_on(self) -> Any:
        d = self.cleaned_data.get("reported_on")
        _no_future(d, "Дата сообщения")
        return d

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not data.get("reported_by") and not (data.get("reported_by_name") or "").strip():
            self.add_error(
                "reported_by", "Выберите представителя или укажите, кто сообщил об изменении."
            )
        return data


class CircumstanceReviewForm(forms.Form):
    decision = forms.CharField(
        label="Решение", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class FamiliarisationForm(OnceForm, forms.Form):
    """Familiarisation with the provider's documents (O9, O12)."""

    kinds = forms.MultipleChoiceField(
        label="С какими документами ознакомлены",
        choices=FamiliarisationKind.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Отметьте хотя бы один документ."},
    )
    on = DateField(label="Дата ознакомления")
    representative = forms.ModelChoiceField(
        label="Законный представитель",
        queryset=Representative.objects.none(),
        required=False,
        empty_label="— только ребёнок —",
    )
    note = forms.CharField(label="Примечание", max_length=300, required=False)

    def __init__(self, *args: Any, representatives: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if representatives is not None:
            self.fields["representative"].queryset = representatives  # type: ignore[attr-defined]

    def clean_on(self) -> Any:
        d = self.cleaned_data.get("on")
        _no_future(d, "Дата ознакомления")
        return d


class BelongingForm(OnceForm, forms.Form):
    description = forms.CharField(label="Вещь, ценность", max_length=300)
    handed_over_on = DateField(label="Принято на хранение")
    note = forms.CharField(label="Примечание", max_length=300, required=False)

    def clean_handed_over_on(self) -> Any:
        d = self.cleaned_data.get("handed_over_on")
        _no_future(d, "Дата приёма")
        return d


class BelongingReturnForm(forms.Form):
    returned_on = DateField(label="Дата возврата")

    def clean_returned_on(self) -> Any:
        d = self.cleaned_data.get("returned_on")
        _no_future(d, "Дата возврата")
        return d


class QualitySurveyForm(OnceForm, ModelForm):
    """A questionnaire on the quality of services (O5, §2.5.4)."""

    class Meta:
        model = QualitySurvey
        fields = [
            "respondent",
            "answered_on",
            "completeness",
            "timeliness",
            "politeness",
            "conditions",
            "comment",
        ]
        widgets = {"comment": forms.Textarea(attrs={"rows": 3})}

    def clean_answered_on(self) -> Any:
        d = self.cleaned_data.get("answered_on")
        _no_future(d, "Дата анкетирования")
        return d


class QualitySummaryForm(forms.Form):
    date_from = DateField(label="С", required=False)
    date_to = DateField(label="По", required=False)
    department = forms.ModelChoiceField(
        label="Отделение", queryset=Department.objects.none(), required=False, empty_label="Все"
    )

    def __init__(self, *args: Any, departments: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if departments is None:
            del self.fields["department"]
        else:
            self.fields["department"].queryset = departments  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        super().clean()
        a, b = self.cleaned_data.get("date_from"), self.cleaned_data.get("date_to")
        if a and b and a > b:
            self.add_error("date_to", "Конец периода раньше начала.")
        return self.cleaned_data
