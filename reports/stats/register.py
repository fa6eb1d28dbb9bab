"""The extract of the register of recipients for the regional register (O26; Federal Law 442-ФЗ,
art. 25): the fields the law lists, for the recipients in service on a date or those whose
records changed in a period. Personal data: only the director (the centre) and a head (own
department) receive it, through the scoping of `organisation.access`; every recipient in an
extract gets a line in the access log («выписка из регистра»).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from orders.models import Order
from organisation.access import client_address
from organisation.forms import DateField
from organisation.models import AccessKind, AccessLog, Department, User
from recipients.models import (
    Application,
    IdentityDocumentKind,
    Recipient,
    RecipientStatus,
    Sex,
    state_case,
)
from reports.stats.periods import Period
from reports.stats.selectors import Scope, served
from services.models import IndividualProgramme

EXTRACT_HEADERS = [
    "Регистрационный номер",
    "Фамилия",
    "Имя",
    "Отчество",
    "Дата рождения",
    "Пол",
    "Адрес места жительства",
    "СНИЛС",
    "Документ, удостоверяющий личность",
    "Реквизиты документа",
    "Дата подачи заявления",
    "Номер ИППСУ",
    "Дата ИППСУ",
    "Поставщик социальных услуг",
    "Форма социального обслуживания",
    "Статус",
]

MODES = [("date", "на дату (получатели на обслуживании)"), ("changes", "изменения за период")]


class ExtractForm(forms.Form):
    mode = forms.ChoiceField(label="Выписка", choices=MODES, initial="date")
    on = DateField(label="На дату", required=False)
    date_from = DateField(label="Изменения с", required=False)
    date_to = DateField(label="по", required=False)
    department = forms.ModelChoiceField(
        label="Отделение",
        queryset=Department.objects.none(),
        required=False,
        empty_label="весь центр",
    )

    def __init__(self, *args: Any, departments: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if departments is None:
            del self.fields["department"]
        else:
            self.fields["department"].queryset = departments  # type: ignore[attr-defined]
            self.fields["department"].widget.attrs["class"] = "form-select"
        self.fields["mode"].widget.attrs["class"] = "form-select"
        if not self.is_bound:
            self.initial.update({"mode": "date", "on": timezone.localdate()})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("mode") == "date":
            if "on" not in self.errors and not data.get("on"):
                self.add_error("on", "Укажите дату.")
        elif data.get("mode") == "changes":
            start, end = data.get("date_from"), data.get("date_to")
            if "date_from" not in self.errors and not start:
                self.add_error("date_from", "Укажите начало периода.")
            if "date_to" not in self.errors and not end:
                self.add_error("date_to", "Укажите конец периода.")
            if start and end and end < start:
                self.add_error("date_to", "Конец периода раньше начала.")
        return data

    def caption(self) -> str:
        d = self.cleaned_data
        if d["mode"] == "date":
            return f"на {d['on']:%d.%m.%Y}"
        return f"(изменения с {d['date_from']:%d.%m.%Y} по {d['date_to']:%d.%m.%Y})"


def extract_queryset(scope: Scope, form: ExtractForm) -> Any:
    d = form.cleaned_data
    if d["mode"] == "date":
        qs = served(scope, Period(d["on"], d["on"]))
    else:
        start, end = d["date_from"], d["date_to"]
        changed_orders = Order.objects.filter(
            status="approved", effective_on__gte=start, effective_on__lte=end
        ).values("recipient")
        service_programmes = IndividualProgramme.objects.filter(
            drawn_up_on__gte=start, drawn_up_on__lte=end
        ).values("recipient")
        qs = scope.qs(Recipient).filter(
            Q(updated_at__date__gte=start, updated_at__date__lte=end)
            | Q(pk__in=changed_orders)
            | Q(pk__in=service_programmes)
        )
    application = (
        Application.objects.filter(recipient=OuterRef("pk"), archived_at__isnull=True)
        .order_by("-submitted_on", "-pk")
        .values("submitted_on")[:1]
    )
    service_programme = IndividualProgramme.objects.filter(
        recipient=OuterRef("pk"), archived_at__isnull=True
    ).order_by("-valid_from", "-pk")
    # The state (applicant, enrolled, discharged) on the extract's date or the period's end.
    state_day = d["on"] if d["mode"] == "date" else d["date_to"]
    return qs.annotate(
        state=state_case(state_day),
        applied_on=Subquery(application),
        ippsu_number=Subquery(service_programme.values("number")[:1]),
        ippsu_date=Subquery(service_programme.values("drawn_up_on")[:1]),
    ).order_by("last_name", "first_name", "patronymic", "pk")


def extract_rows(
    scope: Scope, form: ExtractForm, *, logged_by: User, request: Any = None
) -> list[list[Any]]:
    """The rows of the extract; each recipient in it is written to the access log."""
    sexes = dict(Sex.choices)
    documents = dict(IdentityDocumentKind.choices)
    statuses = dict(RecipientStatus.choices)
    rows = []
    ids = []
    for r in extract_queryset(scope, form).values(
        "pk",
        "last_name",
        "first_name",
        "patronymic",
        "birth_date",
        "sex",
        "address",
        "snils",
        "identity_document_kind",
        "identity_document",
        "applied_on",
        "ippsu_number",
        "ippsu_date",
        "state",
    ):
        ids.append(r["pk"])
        rows.append(
            [
                r["pk"],
                r["last_name"],
                r["first_name"],
                r["patronymic"],
                r["birth_date"],
                sexes.get(r["sex"], r["sex"]),
                r["address"],
                r["snils"],
                documents.get(r["identity_document_kind"], ""),
                r["identity_document"],
                r["applied_on"],
                r["ippsu_number"] or "",
                r["ippsu_date"],
                settings.CENTRE_NAME,
                "полустационарная",
                statuses.get(r["state"], r["state"]),
            ]
        )
    detail = f"выписка для регионального регистра {form.caption()}"[:300]
    departments = dict(Recipient.objects.filter(pk__in=ids).values_list("pk", "department_id"))
    path = request.get_full_path()[:300] if request is not None else ""
    address = client_address(request) if request is not None else None
    AccessLog.objects.bulk_create(
        [
            AccessLog(
                recipient_id=pk,
                department_id=departments.get(pk),
                user=logged_by,
                kind=AccessKind.EXPORT,
                record=f"recipients.recipient:{pk}",
                detail=detail,
                path=path,
                address=address,
            )
            for pk in ids
        ],
        batch_size=500,
    )
    return rows
