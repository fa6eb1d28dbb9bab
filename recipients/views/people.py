"""The register (O26), the card, the family and the legal representatives."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from organisation import policy
from organisation.access import AuthenticatedRequest, get_object_for
from organisation.forms import add_action_errors
from organisation.idempotency import once_per_form
from organisation.links import by_pk
from organisation.models import AccessKind
from organisation.templatetags.srcn import ru_date
from organisation.text import with_plural
from recipients import actions, exports, selectors, tasks
from recipients.forms import (
    BelongingReturnForm,
    CertifyForm,
    CircumstanceReviewForm,
    ExtractForm,
    FamilyForm,
    NewFamilyForm,
    NewRepresentativeForm,
    RecipientForm,
    RegisterFilterForm,
    RepresentativeEditForm,
)
from recipients.models import (
    CircumstanceChange,
    Consent,
    Document,
    Familiarisation,
    Family,
    Hospitalisation,
    ItemIssue,
    Recipient,
    RecipientStatus,
    Representation,
    Representative,
    VisitorEntry,
)
from recipients.selectors import register
from recipients.views.common import (
    PAGE_SIZE,
    _ctx,
    _departments,
    _recipient,
)
from reports.jobs import export_or_queue


@require_GET
@policy.allowed("recipients.view_register", message="Регистр получателей ведут отделения.")
def register_list(request: AuthenticatedRequest) -> HttpResponse:
    form = RegisterFilterForm(request.GET or None, departments=_departments(request))
    qs = register(request.user, **form.filters()).only(*REGISTER_COLUMNS)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    return render(
        request,
        "recipients/register.html",
        {
            "form": form,
            "page_obj": page,
            "rows": _register_rows(page, today),
            "today": today,
            "can_add": policy.may(request.user, "recipients.add_recipient"),
            "query_string": request.GET.urlencode(),
        },
    )


# What a row of the register's page shows (templates/recipients/register.html).
REGISTER_COLUMNS = (
    "last_name",
    "first_name",
    "patronymic",
    "birth_date",
    "snils",
    "first_day_of_stay",
    "discharged_on",
    "family__name",
    "department__name",
    "department__short_name",
)

_STATUS_BADGES = {
    RecipientStatus.ENROLLED: "text-bg-success",
    RecipientStatus.APPLICANT: "text-bg-warning",
}


def _register_rows(recipients: Iterable[Recipient], today: date) -> list[dict[str, Any]]:
    """The page's children as the cells it shows, formatted once here rather than through a
    template filter, a property and a `reverse()` per cell."""
    url = by_pk("recipients:detail")
    return [
        {
            "url": url(r.pk),
            "name": r.full_name,
            "birth_date": ru_date(r.birth_date),
            "age": with_plural(r.age_on(today), "год", "года", "лет"),
            "snils": r.snils,
            "family": r.family.name if r.family is not None else "",
            "department": str(r.department),
            "badge": _STATUS_BADGES.get(r.status_on(today), "text-bg-secondary"),
            "status": r.get_status_display(),
            "first_day": ru_date(r.first_day_of_stay),
        }
        for r in recipients
    ]


@require_GET
def register_export(request: AuthenticatedRequest) -> HttpResponse:
    """The current filter of the register as XLSX: at once when small, as a background job for
    the whole centre."""
    return export_or_queue(request, exports.register_export, tasks.export_register)


@require_http_methods(["GET", "POST"])
@once_per_form
def recipient_create(request: AuthenticatedRequest) -> HttpResponse:
    policy.require(
        request.user,
        "recipients.add_recipient",
        message="Регистрировать получателей могут специалисты отделения.",
    )
    department = request.user.department
    assert department is not None  # writers work in a department (a database constraint)
    families = Family.objects.visible_to(request.user).filter(archived_at__isnull=True)
    form = RecipientForm(request.POST or None, families=families)
    family_form = NewFamilyForm(request.POST or None)
    duplicates: list[Recipient] = []
    if request.method == "POST" and form.is_valid() and family_form.is_valid():
        data = dict(form.cleaned_data)
        new_family_name = family_form.cleaned_data.get("new_family_name", "").strip()
        if not data.get("family") and not new_family_name:
            family_form.add_error("new_family_name", "Выберите семью выше или создайте новую.")
        else:
            new_family: actions.FamilyFields | None = None
            if not data.get("family"):
                new_family = {
                    "name": new_family_name,
                    "address": family_form.cleaned_data.get("new_family_address", ""),
                    "phone": family_form.cleaned_data.get("new_family_phone", ""),
                }
            try:
                # One action, one transaction: a refused child leaves no new family behind.
                recipient = actions.register_recipient(
                    department=department, created_by=request.user, new_family=new_family, **data
                )
            except actions.DuplicateRecipient as exc:
                duplicates = _refuse_duplicate(request, form, exc)
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(request, f"Получатель {recipient.short_name} зарегистрирован.")
                return redirect(recipient)
    return render(
        request,
        "recipients/recipient_form.html",
        {
            "form": form,
            "family_form": family_form,
            "duplicates": [(d, True) for d in duplicates],
            "title": "Новый получатель",
        },
    )


OTHER_DEPARTMENT_DUPLICATE = (
    "Такой ребёнок уже состоит на учёте в другом отделении — обратитесь к заведующему."
)


def _refuse_duplicate(
    request: AuthenticatedRequest, form: Any, exc: actions.DuplicateRecipient
) -> list[Recipient]:
    """The duplicates this user may open, offered with their links; one outside the user's
    scope is refused with one sentence — no name, no date, no link (issue 11, point 4)."""
    visible = list(
        Recipient.objects.visible_to(request.user).filter(pk__in=[d.pk for d in exc.existing])
    )
    form.add_error(None, exc.messages[0] if visible else OTHER_DEPARTMENT_DUPLICATE)
    return visible


@require_http_methods(["GET", "POST"])
def recipient_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    recipient = _recipient(request, pk, write=True)
    families = Family.objects.visible_to(request.user).filter(archived_at__isnull=True)
    form = RecipientForm(request.POST or None, instance=recipient, families=families)
    duplicates: list[Recipient] = []
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in form.changed_data}
        try:
            actions.update_recipient(
                recipient=Recipient.objects.get(pk=recipient.pk), changed_by=request.user, **data
            )
        except actions.DuplicateRecipient as exc:
            duplicates = _refuse_duplicate(request, form, exc)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Изменения сохранены.")
            return redirect("recipients:detail", pk=pk)
    return render(
        request,
        "recipients/recipient_form.html",
        {
            "form": form,
            "recipient": recipient,
            "duplicates": [(d, True) for d in duplicates],
            "title": f"Изменение: {recipient.full_name}",
        },
    )


# the latest rows of a log that grows with the stay, as shown on the card
CARE_LIMIT = 10


def _latest(qs: QuerySet[Any], show_all: bool) -> QuerySet[Any]:
    return qs if show_all else qs[:CARE_LIMIT]


def _count_of(qs: QuerySet[Any]) -> Any:
    """The number of a child's rows of `qs`, as a subquery of the card's one query."""
    counted = (
        qs.filter(recipient=OuterRef("pk"))
        .order_by()
        .values("recipient")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


@require_GET
def recipient_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    # the visitors' log and the items issued grow every week of a stay: the card shows the
    # latest CARE_LIMIT of each and the count; «все записи» (?care=all) shows the rest
    show_all = request.GET.get("care") == "all"
    qs: Any = Recipient.objects.select_related("department", "family").prefetch_related(  # type: ignore[type-var]
        Prefetch(
            "representations",
            queryset=Representation.objects.select_related("representative"),
        ),
        "family__children",
        Prefetch("consents", queryset=Consent.objects.select_related("given_by")),
        Prefetch("documents", queryset=Document.objects.select_related("certified_by")),
        "applications__representative",
        "need_recognitions",
        "contracts__representative",
        "orders__drafted_by",
        "orders__decided_by",
        Prefetch(
            "circumstance_changes",
            queryset=CircumstanceChange.objects.select_related("reported_by", "reviewed_by"),
        ),
        Prefetch(
            "familiarisations",
            queryset=Familiarisation.objects.select_related("representative", "recorded_by"),
        ),
        "belongings",
        Prefetch(
            "hospitalisations",
            queryset=Hospitalisation.objects.select_related("notified", "notified_by"),
        ),
        Prefetch(
            "visitors",
            queryset=_latest(VisitorEntry.objects.all(), show_all),
            to_attr="latest_visitors",
        ),
        Prefetch(
            "item_issues",
            queryset=_latest(ItemIssue.objects.select_related("issued_by"), show_all),
            to_attr="latest_item_issues",
        ),
        "information_requests",
    )
    qs = qs.annotate(
        visitors_count=_count_of(VisitorEntry.objects.all()),
        item_issues_count=_count_of(ItemIssue.objects.all()),
    )
    recipient = get_object_for(request, qs, pk, kind=AccessKind.CARD)
    documents = list(recipient.documents.all())
    today = timezone.localdate()
    orders = list(recipient.orders.all())
    first_day = next((o.effective_on for o in orders if o.is_enrolment and o.is_draft), today)
    return render(
        request,
        "recipients/recipient_detail.html",
        {
            "r": recipient,
            "today": today,
            "can_edit": policy.may(request.user, policy.CHANGE, recipient),
            "checklist": selectors.checklist(recipient, documents),
            "missing_documents": selectors.missing_documents(recipient, documents),
            "enrolment_missing": selectors.enrolment_missing(recipient, first_day),
            "archived_documents": [d for d in documents if d.archived_at],
            "orders": orders,
            "extract_form": ExtractForm(),
            "certify_form": CertifyForm(initial={"certified_on": today}),
            "review_form": CircumstanceReviewForm(),
            "familiarisation": selectors.familiarisation_status(
                recipient, recipient.familiarisations.all()
            ),
            "return_form": BelongingReturnForm(initial={"returned_on": today}),
        },
    )


@require_POST
@policy.allowed("recipients.archive_recipient")
def recipient_archive(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    recipient = _recipient(request, pk, write=True)
    try:
        actions.archive_recipient(recipient=recipient, archived_by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(recipient)
    messages.success(request, f"{recipient.short_name}: запись переведена в архив.")
    return redirect("recipients:list")


def _diffs(history: list[Any]) -> list[dict[str, Any]]:
    rows = []
    for i, record in enumerate(history):
        previous = history[i + 1] if i + 1 < len(history) else None
        changes = []
        if previous is not None:
            delta = record.diff_against(previous)
            for change in delta.changes:
                if change.field in {"updated_at", "search_text"}:
                    continue
                field = record.instance_type._meta.get_field(change.field)
                changes.append({"field": field.verbose_name, "old": change.old, "new": change.new})
        rows.append({"record": record, "changes": changes, "created": previous is None})
    return rows


@require_GET
def recipient_history(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Every change of the card, its family and its representatives (who, when, what)."""
    recipient = _recipient(request, pk)
    sections = [("Получатель", _diffs(list(recipient.history.select_related("history_user"))))]
    if recipient.family_id:
        family_history = Family.history.filter(id=recipient.family_id).select_related(
            "history_user"
        )
        sections.append(("Семья", _diffs(list(family_history))))
        representatives = list(Representative.objects.filter(family_id=recipient.family_id))
        # every representative's history in one query, not one per representative
        histories: dict[int, list[Any]] = defaultdict(list)
        for record in (
            Representative.history.filter(id__in=[rep.pk for rep in representatives])
            .select_related("history_user")
            .order_by("-history_date", "-history_id")
        ):
            histories[record.id].append(record)
        for rep in representatives:
            sections.append((f"Представитель: {rep.full_name}", _diffs(histories[rep.pk])))
    return render(request, "recipients/history.html", {"r": recipient, "sections": sections})


@require_http_methods(["GET", "POST"])
def family_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    recipient = _recipient(request, pk, write=True)
    if recipient.family is None:
        raise Http404("У получателя не указана семья.")
    family = get_object_for(request, Family, recipient.family_id, write=True)
    form = FamilyForm(request.POST or None, instance=family)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_family(
                family=Family.objects.get(pk=family.pk),
                changed_by=request.user,
                **{k: form.cleaned_data[k] for k in form.changed_data},
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Сведения о семье сохранены.")
            return redirect(recipient)
    return render(
        request, "recipients/simple_form.html", _ctx(recipient, form, f"Семья: {family.name}")
    )


@require_http_methods(["GET", "POST"])
@once_per_form
def representative_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    recipient = _recipient(request, pk, write=True)
    form = NewRepresentativeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        relation = data.pop("relation")
        try:
            rep = actions.add_representative(
                recipient=recipient, relation=relation, created_by=request.user, **data
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, f"Законный представитель {rep.short_name} добавлен.")
            return redirect(recipient)
    return render(
        request, "recipients/simple_form.html", _ctx(recipient, form, "Законный представитель")
    )


@require_http_methods(["GET", "POST"])
def representative_edit(request: AuthenticatedRequest, pk: int, rep_pk: int) -> HttpResponse:
    recipient = _recipient(request, pk, write=True)
    rep = get_object_for(
        request,
        Representative.objects.filter(family_id=recipient.family_id or 0),
        rep_pk,
        write=True,
    )
    form = RepresentativeEditForm(request.POST or None, instance=rep)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_representative(
                representative=Representative.objects.get(pk=rep.pk),
                changed_by=request.user,
                **{k: form.cleaned_data[k] for k in form.changed_data},
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Сведения о представителе сохранены.")
            return redirect(recipient)
    return render(
        request, "recipients/simple_form.html", _ctx(recipient, form, f"Представитель: {rep}")
    )
