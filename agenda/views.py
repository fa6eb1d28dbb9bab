"""«Календарь»: planned patronage visits and consilium meetings of a month on the working-day
calendar, for one specialist or a department. «Мой день»: the services and the ИПСРН's
activities of a specialist for the day's children, with a one-click mark and its undo."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from agenda import selectors
from organisation import dates, links, policy, statements, text
from organisation.access import AuthenticatedRequest, get_object_for
from organisation.actions import centre_works_on
from organisation.forms import action_errors
from organisation.models import Department
from organisation.selectors import specialists_visible_to
from recipients.models import Recipient
from rehab_programs.models import Activity
from rehab_programs.selectors import activities_in_work
from services import actions as services_actions
from services import selectors as services_selectors
from services.forms import MyDayFilterForm
from services.models import ProgrammeLine, Service, ServiceRecord

# A month as <input type="month"> sends it, in ASCII digits («2026-٣» is not March)
MONTH = re.compile(r"(?P<year>[0-9]{4})-(?P<month>[0-9]{1,2})")


class AgendaFilterForm(forms.Form):
    month = forms.CharField(
        label="Месяц",
        required=False,
        widget=forms.DateInput({"type": "month", "class": "form-control"}),
    )
    specialist: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="Специалист",
        queryset=None,
        required=False,
        empty_label="— все специалисты —",
        widget=forms.Select({"class": "form-select"}),
    )
    department = forms.ModelChoiceField(
        label="Отделение",
        queryset=Department.objects.filter(is_active=True),
        required=False,
        empty_label="— все отделения —",
        widget=forms.Select({"class": "form-select"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["specialist"].queryset = specialists_visible_to(user)  # type: ignore[attr-defined]
        self.fields["specialist"].label_from_instance = (  # type: ignore[attr-defined]
            lambda u: f"{u.short_name} — {u.get_position_display().lower()}"
        )
        if not policy.may(user, "organisation.view_all_departments"):
            del self.fields["department"]

    def clean_month(self) -> date:
        value = self.cleaned_data.get("month") or ""
        if not value:
            return timezone.localdate().replace(day=1)
        found = MONTH.fullmatch(value)
        try:
            if found is None:
                raise ValueError(value)
            first = date(int(found["year"]), int(found["month"]), 1)
        except ValueError as exc:
            raise forms.ValidationError("Укажите месяц в виде ГГГГ-ММ, например 2026-11.") from exc
        dates.PlannedEvent("Месяц")(first)  # the centre's years, not 0001 nor 9999
        return first


def _shift(first: date, months: int) -> str:
    n = first.year * 12 + first.month - 1 + months
    return f"{n // 12:04d}-{n % 12 + 1:02d}"


@require_GET
@policy.allowed("agenda.view_agenda")
def month(request: AuthenticatedRequest) -> HttpResponse:
    params = request.GET.copy()
    if policy.may(request.user, "organisation.own_caseload") and "specialist" not in params:
        params["specialist"] = str(request.user.pk)  # a specialist starts with their own plan
    form = AgendaFilterForm(params, user=request.user)
    data = form.cleaned_data if form.is_valid() else {}
    first = data.get("month") or timezone.localdate().replace(day=1)
    weeks = selectors.month_grid(
        request.user,
        first,
        specialist=data.get("specialist"),
        department=data.get("department"),
    )
    query = params.copy()
    query.pop("month", None)
    return render(
        request,
        "agenda/month.html",
        {
            "form": form,
            "first": first,
            "title": f"{text.MONTHS[first.month - 1].lower()} {first.year}",
            "weeks": weeks,
            "prev": _shift(first, -1),
            "next": _shift(first, 1),
            "query": query.urlencode(),
            "entries": sum(len(d.entries) for w in weeks for d in w if d.in_month),
        },
        status=400 if form.errors else 200,
    )


# ---------------------------------------------------------------------------------------------
# «Мой день»


MY_DAY_PAGE = 20
MAX_MY_DAY_PAGE = 100_000


def _is_htmx(request: AuthenticatedRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _active_recipients(request: AuthenticatedRequest) -> QuerySet[Recipient]:
    return Recipient.objects.visible_to(request.user).filter(archived_at__isnull=True)


def _page_of_children(
    build: Callable[[], QuerySet[Recipient]], shape: tuple[Any, ...], number: str | None
) -> Page[Recipient]:
    """The page of the children (of the queryset `build()` makes) that `Paginator.get_page`
    gives, only the columns the rows show read, the count read with the page in one query (a
    window count) instead of a COUNT of the same filter before it; the SQL built once per
    `shape` (the scope's own SQL, the day, whose day, the search), which determines it
    (`organisation.statements.kept`)."""
    parsed = text.parse_id(number)  # ASCII digits only: int("²") fails
    too_far = parsed is None and number is not None and number.isascii() and number.isdigit()
    if too_far or (parsed or 0) > MAX_MY_DAY_PAGE:  # beyond the OFFSET's range: the last page
        children = build().only(*services_selectors.DAY_CHILD_FIELDS)
        return Paginator(children, MY_DAY_PAGE).get_page(number)
    asked = parsed or 1
    start = (asked - 1) * MY_DAY_PAGE

    def page_sql() -> tuple[str, tuple[Any, ...]]:
        children = build().only(*services_selectors.DAY_CHILD_FIELDS)
        window = children.annotate(of=Window(Count("*")))[start : start + MY_DAY_PAGE]
        return window.query.sql_with_params()

    statement = statements.kept(("my day children", *shape, start), page_sql)
    rows = list(Recipient.objects.raw(*statement))
    if not rows:  # past the last page, or no child at all: the paginator's own way
        children = build().only(*services_selectors.DAY_CHILD_FIELDS)
        return Paginator(children, MY_DAY_PAGE).get_page(number)
    paginator: Paginator[Recipient] = Paginator(rows, MY_DAY_PAGE)
    paginator.count = rows[0].of  # type: ignore[attr-defined,misc]
    page = paginator.page(asked)
    page.object_list = rows
    return page


def _my_day_subject(request: AuthenticatedRequest, form: MyDayFilterForm) -> Any:
    """Whose day the page shows: a specialist's own; the head (or the director) chooses one of
    the specialists they oversee, or sees every child of the scope with every service."""
    if "specialist" not in form.fields:
        return request.user
    return form.cleaned_data.get("specialist") if form.is_valid() else None


# The addresses of a row of «Мой день» that take a pk, by the name the row template uses.
_ROW_PATHS = {
    "recipient": "services:recipient",
    "record": "services:record",
    "programme": "rehab_programs:programme",
    "log_line": "agenda:my_day_log_line",
    "log_activity": "agenda:my_day_log_activity",
    "undo": "agenda:my_day_undo",
}


def _row_urls() -> dict[str, Any]:
    """The addresses of the rows, each reversed once per request: the template writes the head,
    the row's pk and the tail (a `{% url %}` per button and link was a fifth of the page)."""
    urls: dict[str, Any] = {
        "log_group": reverse("services:log_group"),
        "my_day": reverse("agenda:my_day"),
    }
    for key, name in _ROW_PATHS.items():
        head, tail = links.around_key(name)
        urls[key] = {"head": head, "tail": tail}
    return urls


def _undo(context: dict[str, Any]) -> dict[str, Any]:
    """What every row needs besides its child: the undo window and the rows' addresses."""
    return {
        **context,
        "undo_since": services_actions.undo_window_start(),
        "undo_minutes": services_actions.UNDO_MINUTES,
        "urls": _row_urls(),
    }


def _my_day_context(request: AuthenticatedRequest, day: date) -> dict[str, Any]:
    form = MyDayFilterForm(request.GET, staff=specialists_visible_to(request.user))
    if not policy.may(request.user, "services.oversee_specialists"):
        del form.fields["specialist"]
    subject = _my_day_subject(request, form)
    q = form.cleaned_data.get("q", "") if form.is_valid() else ""
    scope = _active_recipients(request)
    who = selectors.day_of(subject)
    scope_sql, scope_params = scope.query.sql_with_params()
    shape = (
        scope_sql,
        tuple(scope_params),
        day,
        getattr(who.subject, "pk", None),
        None if who.service_ids is None else tuple(who.service_ids),
        who.activities,
        q,
    )
    page = _page_of_children(
        lambda: selectors.day_children(scope, day, who, q=q), shape, request.GET.get("page")
    )
    children = selectors.day_rows(list(page.object_list), day, who)
    query = request.GET.copy()
    query.pop("page", None)
    return _undo(
        {
            "day": day,
            "children": children,
            "page_obj": page,
            "filter_form": form,
            "subject": subject,
            "query": query.urlencode(),
            # A day off that the centre has not marked as worked is shown as such.
            "day_off": not centre_works_on(day, request.user.department_id),
        }
    )


@require_GET
@policy.allowed("agenda.view_my_day", message="«Мой день» — страница специалиста и заведующего.")
def my_day(request: AuthenticatedRequest) -> HttpResponse:
    """The specialist's day: the day's children who have a service of this specialist planned
    or an activity of the ИПСРН assigned to them, twenty to a page, with what is planned and
    logged; the head picks a specialist."""
    context = _my_day_context(request, timezone.localdate())
    if _is_htmx(request) and request.GET.get("partial") == "list":
        return render(request, "agenda/includes/my_day_list.html", context)
    return render(request, "agenda/my_day.html", context)


def _my_day_row(
    request: AuthenticatedRequest, recipient: Recipient, day: date, error: str = ""
) -> HttpResponse:
    """One child's row of «Мой день», re-rendered after a mark or an undo (htmx)."""
    subject = request.user if policy.may(request.user, "organisation.own_caseload") else None
    rows = selectors.my_day(_active_recipients(request).filter(pk=recipient.pk), day, subject)
    return render(
        request,
        "agenda/includes/my_day_child.html",
        _undo({"child": rows[0] if rows else None, "error": error, "day": day, "subject": subject}),
    )


def _log_now(
    request: AuthenticatedRequest, recipient: Recipient, service: Service, reason: str = ""
) -> str:
    """Log `service` for the child now with its usual duration; the error text, if refused."""
    try:
        minutes = int(request.POST.get("duration_minutes") or service.default_minutes)
    except ValueError:
        minutes = service.default_minutes
    try:
        services_actions.log_service(
            recipient=recipient,
            service=service,
            provider=request.user,
            date=timezone.localdate(),
            start_time=timezone.localtime().time().replace(second=0, microsecond=0),
            duration_minutes=minutes,
            reason_outside_programme=reason,
        )
    except ValidationError as exc:
        return " ".join(m for msgs in action_errors(exc).values() for m in msgs)
    return ""


def _after_mark(
    request: AuthenticatedRequest, recipient: Recipient, service: Service, error: str
) -> HttpResponse:
    if _is_htmx(request):
        return _my_day_row(request, recipient, timezone.localdate(), error)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"Услуга {service.code} отмечена: {recipient.short_name}.")
    return redirect("agenda:my_day")


@require_POST
@policy.allowed("services.log_service")
def my_day_log_line(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One click in «Мой день»: log a service planned by the ИППСУ now."""
    line = get_object_for(request, ProgrammeLine, pk, write=True)
    recipient = Recipient.objects.get(pk=line.programme.recipient_id)
    service = Service.objects.select_related("category", "parent").get(pk=line.service_id)
    return _after_mark(request, recipient, service, _log_now(request, recipient, service))


@require_POST
@policy.allowed("services.log_service")
def my_day_log_activity(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One click in «Мой день» on an activity of the ИПСРН that is a catalogue service: the
    session is logged in the journal (tied to the ИППСУ's line when there is one, else with
    the activity as its ground). The activity's result is recorded on the ИПСРН's page."""
    activity = get_object_for(request, Activity, pk, write=True)
    recipient = Recipient.objects.get(pk=activity.programme.recipient_id)
    if activity.service_id is None:
        service = None
        error = "Это мероприятие не из справочника услуг: результат вносится в ИПСРН."
    elif not activities_in_work().filter(pk=activity.pk).exists():
        service = None
        error = "Мероприятие уже выполнено или исключено из программы."
    else:
        service = Service.objects.select_related("category", "parent").get(pk=activity.service_id)
        reason = f"Мероприятие ИПСРН до {activity.due_on:%d.%m.%Y}: {activity.title}"[:300]
        error = _log_now(request, recipient, service, reason)
    if service is None:
        if _is_htmx(request):
            return _my_day_row(request, recipient, timezone.localdate(), error)
        messages.error(request, error)
        return redirect("agenda:my_day")
    return _after_mark(request, recipient, service, error)


@require_POST
@policy.allowed("services.log_service")
def my_day_undo(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """«Отменить» right after a mark in «Мой день»: the author's own record, for a few
    minutes; later the record is cancelled in the journal with a reason."""
    record = get_object_for(request, ServiceRecord, pk, write=True)
    error = ""
    try:
        services_actions.undo_service_record(record=record, user=request.user)
    except ValidationError as exc:
        error = " ".join(m for msgs in action_errors(exc).values() for m in msgs)
    if _is_htmx(request) and record.recipient_id is not None:
        recipient = Recipient.objects.get(pk=record.recipient_id)
        return _my_day_row(request, recipient, record.date, error)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"Отметка {record.service.code} отменена.")
    return redirect(links.local_next(request, reverse("agenda:my_day")))
