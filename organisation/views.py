from __future__ import annotations

from collections.abc import Callable
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
from organisation.models import CalendarDay, Department, Notification, Role
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


def _int(value: str | None) -> int:
    return int(value) if value and value.isdigit() else 0


def my_deadlines(request: AuthenticatedRequest) -> HttpResponse:
    """«Мои сроки»: what the user is responsible for, soonest first."""
    today = timezone.localdate()
    items = deadlines.items_for_user(request.user, today=today)
    page = Paginator(items, DEADLINES_PAGE).get_page(request.GET.get("page"))
    rows = [(i, i.state(today)) for i in page]
    return render(
        request,
        "organisation/deadlines/mine.html",
        {"rows": rows, "page_obj": page, "today": today},
    )


@policy.allowed("organisation.view_department_deadlines")
def department_deadlines(request: AuthenticatedRequest) -> HttpResponse:
    """The head's board: the department's overdue and due-soon items, by specialist."""
    today = timezone.localdate()
    departments = Department.objects.filter(is_active=True)
    if not policy.may(request.user, "organisation.view_all_departments"):
        department = request.user.department
    else:
        department = (
            departments.filter(pk=parse_id(request.GET.get("department")) or 0).first()
            or departments.first()
        )
    board = deadlines.department_board(department.pk, today=today) if department else {}
    # The page stays small however much is overdue: the soonest of each person, and the count.
    shown = {person: (items[:BOARD_ITEMS], len(items)) for person, items in board.items()}
    return render(
        request,
        "organisation/deadlines/department.html",
        {
            "board": shown,
            "department": department,
            "departments": departments
            if policy.may(request.user, "organisation.view_all_departments")
            else [],
            "today": today,
        },
    )


@policy.allowed("organisation.view_centre_deadlines")
def centre_deadlines(request: AuthenticatedRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "organisation/deadlines/centre.html",
        {
            "summary": [
                {
                    **row,
                    "overdue": row["overdue"][:BOARD_ITEMS],
                    "overdue_count": len(row["overdue"]),
                }
                for row in deadlines.centre_summary(today=today)
            ],
            "states": list(deadlines.State),
            "today": today,
        },
    )


def notifications(request: AuthenticatedRequest) -> HttpResponse:
    page = Paginator(Notification.objects.filter(user=request.user), 30).get_page(
        request.GET.get("page")
    )
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
