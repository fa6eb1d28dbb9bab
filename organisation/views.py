from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.db import DatabaseError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from organisation import actions, calendar, deadlines, policy, text
from organisation.access import AuthenticatedRequest
from organisation.models import CalendarDay, Department, Role
from organisation.selectors import notifications_for
from organisation.text import parse_id
from reports.centre import missing_details
from reports.pdf import pdf_response

START_TEMPLATES = {
    Role.SPECIALIST: "organisation/start/specialist.html",
    Role.HEAD: "organisation/start/head.html",
    Role.DIRECTOR: "organisation/start/director.html",
    Role.REGISTRAR: "organisation/start/registrar.html",
    Role.ADMINISTRATOR: "organisation/start/administrator.html",
    Role.NONE: "organisation/start/pending.html",
}


@require_GET
def home(request: AuthenticatedRequest) -> HttpResponse:
    """The start page of the user's role."""
    today = timezone.localdate()
    context = {
        "today": today,
        "today_is_working": calendar.is_working_day(today),
        "next_working_day": calendar.add_working_days(today, 1),
    }
    if policy.may(request.user, "organisation.edit_centre_details"):
        context["missing_centre_details"] = missing_details()
    return render(request, START_TEMPLATES[request.user.role], context)


# Deadline pages stay the same size however many items are open.
DEADLINES_PAGE = 50
BOARD_ITEMS = 10


@require_GET
@policy.allowed("organisation.view_production_calendar")
def production_calendar(request: AuthenticatedRequest, year: int | None = None) -> HttpResponse:
    """The production calendar of a year as a grid: working days, days off, transfers, the
    administrator's corrections with their notes, and the source the year rests on."""
    year = year or timezone.localdate().year
    if not 2000 <= year <= 2100:
        raise Http404("Год вне диапазона календаря.")
    months = calendar.year_grid(year)
    corrections = CalendarDay.objects.filter(date__year=year).order_by("date")
    return render(
        request,
        "organisation/production_calendar.html",
        {
            "year": year,
            "months": [(text.MONTHS[m.month - 1], m) for m in months],
            "working_days": sum(m.working_days for m in months),
            "source": calendar.year_source(year),
            "corrections": corrections,
            "can_edit": policy.may(request.user, "organisation.change_calendarday"),
        },
    )


# The state filter of the deadline pages: a state, or every open one.
OPEN_FILTER = "open"
STATE_FILTERS = {OPEN_FILTER: "все открытые", **{s.value: s.label for s in deadlines.State}}


def _deadline_filter(
    request: AuthenticatedRequest, base: deadlines.Filter, default: str
) -> tuple[deadlines.Filter, dict[str, Any]]:
    """The page's filter from the query string (state, kind, person) within `base`; unknown
    values fall back to the defaults."""
    state = request.GET.get("state") or default
    if state not in STATE_FILTERS:
        state = default
    codes = {k.code for k in deadlines.kinds()}
    kind = request.GET.get("kind") or ""
    kind = kind if kind in codes else ""
    person = parse_id(request.GET.get("person"))
    flt = replace(
        base,
        kind=kind or None,
        responsible_id=base.responsible_id if base.responsible_id is not None else person,
        open_only=base.open_only or state == OPEN_FILTER,
        states=None if state == OPEN_FILTER else frozenset({state}),
    )
    chosen = {"state": state, "kind": kind, "person": person}
    return flt, chosen


def _deadline_page(
    request: AuthenticatedRequest,
    flt: deadlines.Filter,
    today: date,
    register: deadlines.Register | None = None,
) -> Any:
    """One page of the register under `flt`, sorted and cut by the database (`register`: one
    whose count and page the caller already has)."""
    register = register or deadlines.rows(today=today, flt=flt)
    paginator: Paginator[dict[str, Any]] = Paginator(register, DEADLINES_PAGE)  # type: ignore[arg-type]
    page = paginator.get_page(request.GET.get("page"))
    page.rows = [  # type: ignore[attr-defined]
        (item, row["dl_state"])
        for row, item in deadlines.materialise_rows(page.object_list, today=today)
    ]
    return page


def _filter_context(chosen: dict[str, Any]) -> dict[str, Any]:
    return {
        "chosen": chosen,
        "state_filters": STATE_FILTERS,
        "kinds": deadlines.kinds(),
    }


@require_GET
def my_deadlines(request: AuthenticatedRequest) -> HttpResponse:
    """«Мои сроки»: what the user is responsible for, soonest first, filtered by state and kind
    in the database; the count of each state in one aggregate."""
    today = timezone.localdate()
    scope = deadlines.scope_of(request.user)
    flt, chosen = _deadline_filter(request, scope, OPEN_FILTER)
    # the counts of the whole scope and the page asked for in one query (the register is
    # computed once); the pager's total from the same counts
    register = deadlines.rows(today=today, flt=scope)
    number = parse_id(request.GET.get("page")) or 1
    by_kind = register.counts_and_page(
        "dl_kind", flt, (number - 1) * DEADLINES_PAGE, DEADLINES_PAGE
    )
    counts: dict[str, int] = defaultdict(int)
    for by_state in by_kind.values():
        for state, n in by_state.items():
            counts[state] += n
    wanted = deadlines.OPEN_STATES if flt.states is None else flt.states
    register.known_count(
        sum(
            n
            for code, by_state in by_kind.items()
            if flt.kind in (None, code)
            for state, n in by_state.items()
            if state in wanted
        )
    )
    page = _deadline_page(request, flt, today, register=register)
    return render(
        request,
        "organisation/deadlines/mine.html",
        {
            "rows": page.rows,  # type: ignore[attr-defined]
            "page_obj": page,
            "today": today,
            "counts": [(s, counts.get(s.value, 0)) for s in deadlines.State],
            **_filter_context(chosen),
        },
    )


@require_GET
@policy.allowed("organisation.view_department_deadlines")
def department_deadlines(request: AuthenticatedRequest) -> HttpResponse:
    """The head's board: the department's overdue and due-soon items, by specialist (the ten
    soonest of each); with a filter (state, kind, person), one list paged by the database."""
    today = timezone.localdate()
    departments = Department.objects.filter(is_active=True)
    if not policy.may(request.user, "organisation.view_all_departments"):
        department = request.user.department
    else:
        department = (
            departments.filter(pk=parse_id(request.GET.get("department")) or 0).first()
            or departments.first()
        )
    filtered = any(request.GET.get(k) for k in ("state", "kind", "person"))
    board: dict[str, Any] = {}
    page = None
    chosen: dict[str, Any] = {"state": "", "kind": "", "person": None}
    if department and filtered:
        base = deadlines.Filter(department_id=department.pk)
        flt, chosen = _deadline_filter(request, base, OPEN_FILTER)
        page = _deadline_page(request, flt, today)
    elif department:
        board = deadlines.department_board(department.pk, today=today, shown=BOARD_ITEMS)
    return render(
        request,
        "organisation/deadlines/department.html",
        {
            "board": board,
            "page_obj": page,
            "rows": page.rows if page else [],  # type: ignore[attr-defined]
            "filtered": filtered,
            "department": department,
            "departments": departments
            if policy.may(request.user, "organisation.view_all_departments")
            else [],
            "people": _department_people(department),
            "today": today,
            "State": deadlines.State,
            **_filter_context(chosen),
        },
    )


def _department_people(department: Department | None) -> list[Any]:
    from organisation.models import User

    if department is None:
        return []
    return list(
        User.objects.filter(department=department, is_active=True).order_by(
            "last_name", "first_name"
        )
    )


@require_GET
@policy.allowed("organisation.view_centre_deadlines")
def centre_deadlines(request: AuthenticatedRequest) -> HttpResponse:
    """The director's summary (counts of each kind and state in one aggregate, the ten earliest
    overdue of each kind); with a filter (state, kind), one list paged by the database."""
    today = timezone.localdate()
    filtered = any(request.GET.get(k) for k in ("state", "kind", "person"))
    page = None
    chosen: dict[str, Any] = {"state": "", "kind": "", "person": None}
    summary: list[dict[str, Any]] = []
    if filtered:
        flt, chosen = _deadline_filter(request, deadlines.Filter(), OPEN_FILTER)
        page = _deadline_page(request, flt, today)
    else:
        summary = deadlines.centre_summary(today=today, overdue_shown=BOARD_ITEMS)
    return render(
        request,
        "organisation/deadlines/centre.html",
        {
            "summary": summary,
            "page_obj": page,
            "rows": page.rows if page else [],  # type: ignore[attr-defined]
            "filtered": filtered,
            "states": list(deadlines.State),
            "today": today,
            **_filter_context(chosen),
        },
    )


@require_GET
def notifications(request: AuthenticatedRequest) -> HttpResponse:
    page = Paginator(notifications_for(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "organisation/notifications.html", {"page_obj": page})


@require_POST
def notifications_read(request: AuthenticatedRequest) -> HttpResponse:
    ids = [n for n in map(parse_id, request.POST.getlist("id")) if n is not None] or None
    actions.mark_notifications_read(user=request.user, ids=ids)
    return redirect("notifications")


def _centre_info() -> dict[str, object]:
    return {
        "centre_name": settings.CENTRE_NAME,
        "centre_address": settings.CENTRE_ADDRESS,
        "centre_phone": settings.CENTRE_PHONE,
        "centre_hours": settings.CENTRE_HOURS,
        "control_bodies": [
            line.strip() for line in settings.CONTROL_BODIES.splitlines() if line.strip()
        ],
    }


def _works_without_database(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A public page that reads nothing from the database answers while it is down: no
    request transaction, and a visitor whose session cannot be read is shown as anonymous."""

    @login_not_required
    @transaction.non_atomic_requests
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            _ = request.user.is_authenticated
        except DatabaseError:
            request.user = AnonymousUser()
        return view(request, *args, **kwargs)

    return wrapped


@_works_without_database
@require_GET
def public_info(request: HttpRequest) -> HttpResponse:
    """O30: the Order, the complaints book and the controlling bodies, open to anyone."""
    return render(request, "organisation/public_info.html", _centre_info())


@_works_without_database
@require_GET
def public_info_pdf(request: HttpRequest) -> HttpResponse:
    """The same notice as an A4 sheet for the information stand."""
    return pdf_response(
        "organisation/print/public_info.html",
        _centre_info(),
        "Информация для получателей услуг.pdf",
    )
