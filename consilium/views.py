"""Views of the ПМП консилиум: each validates a form, calls one action, redirects."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Prefetch, Subquery, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from consilium import actions, selectors
from consilium.forms import (
    AgendaItemForm,
    AttendanceForm,
    CompositionForm,
    DecisionForm,
    MeetingFilterForm,
    MeetingForm,
)
from consilium.models import (
    AgendaItem,
    Composition,
    Decision,
    DecisionKind,
    Meeting,
    Member,
    MemberRole,
)
from organisation import access, policy
from organisation.access import AuthenticatedRequest, get_object_for
from organisation.forms import add_action_errors
from organisation.idempotency import once_per_form
from reports.pdf import pdf_response

PAGE_SIZE = 50


# The order of members in lists and under the protocol: the chair, the members, the secretary.
ROLE_ORDER = {MemberRole.CHAIR: 0, MemberRole.MEMBER: 1, MemberRole.SECRETARY: 2}


def _ordered(members: Any) -> list[Member]:
    return sorted(members, key=lambda m: (ROLE_ORDER[m.role], m.user.last_name, m.user.first_name))


def _composition_members(composition: Composition | None) -> list[Member]:
    if composition is None:
        return []
    return _ordered(composition.members.select_related("user"))


# What the list shows of a meeting, its department and who prepared it.
LIST_COLUMNS = (
    "held_on",
    "number",
    "department__name",
    "department__short_name",
    "prepared_by__last_name",
    "prepared_by__first_name",
    "prepared_by__patronymic",
)


def _count(rows: Any, key: str) -> Coalesce:
    """How many of `rows` (a queryset over `OuterRef`s) there are, as a subquery; `key`: the
    column it is filtered by, counted instead of the primary key so that the index of the key
    alone answers."""
    counted = rows.order_by().values(key).annotate(n=Count(key)).values("n")
    return Coalesce(Subquery(counted), 0)


@require_GET
@policy.allowed("consilium.view_meeting")
def meeting_list(request: AuthenticatedRequest) -> HttpResponse:
    # the page's meetings counted one by one (by index), not every agenda item of the scope
    # joined and grouped before the page is cut
    meetings = (
        Meeting.objects.visible_to(request.user)
        .select_related("department", "prepared_by")
        .only(*LIST_COLUMNS)
        .annotate(
            cases=_count(AgendaItem.objects.filter(meeting=OuterRef("pk")), "meeting"),
            decided=_count(Decision.objects.filter(item__meeting=OuterRef("pk")), "item__meeting"),
        )
        .order_by("-held_on", "-number")
    )
    period = MeetingFilterForm(request.GET)
    if period.is_valid():
        data = period.cleaned_data
        if data["date_from"]:
            meetings = meetings.filter(held_on__gte=data["date_from"])
        if data["date_to"]:
            meetings = meetings.filter(held_on__lte=data["date_to"])
        if data["department"]:
            meetings = meetings.filter(department_id=data["department"])
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    composition = selectors.composition_on(timezone.localdate())
    return render(
        request,
        "consilium/meeting_list.html",
        {
            "meetings": page.object_list,
            "page_obj": page,
            "composition": composition,
            "members": _composition_members(composition),
            "period": period,
        },
    )


@require_http_methods(["GET", "POST"])
@policy.allowed("consilium.set_composition")
@once_per_form
def composition_set(request: AuthenticatedRequest) -> HttpResponse:
    form = CompositionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_composition(approved_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Состав консилиума утверждён.")
            return redirect("consilium:list")
    return render(
        request,
        "consilium/form.html",
        {
            "form": form,
            "title": "Состав ПМП консилиума (приказ директора)",
            "back": "consilium:list",
        },
    )


@require_http_methods(["GET", "POST"])
@policy.allowed("consilium.prepare_meeting")
@once_per_form
def meeting_create(request: AuthenticatedRequest) -> HttpResponse:
    form = MeetingForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        department = request.user.department
        try:
            if department is None:
                raise ValidationError("У вас не указано отделение.")
            meeting = actions.schedule_meeting(
                department=department, prepared_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, f"Заседание назначено, протокол № {meeting.number}.")
            return redirect(meeting)
    return render(
        request,
        "consilium/form.html",
        {"form": form, "title": "Новое заседание консилиума", "back": "consilium:list"},
    )


def _meeting_qs() -> Any:
    """A meeting with everything its page and protocol show, in a fixed number of queries."""
    return Meeting.objects.select_related(
        "department", "prepared_by", "composition"
    ).prefetch_related(
        Prefetch(
            "items",
            queryset=AgendaItem.objects.select_related(
                "recipient", "version", "decision__recorded_by"
            )
            .prefetch_related("proposals__proposed_by")
            .order_by("position"),
        ),
        Prefetch("composition__members", queryset=Member.objects.select_related("user")),
        Prefetch("attendees", queryset=Member.objects.select_related("user")),
    )


@require_GET
def meeting_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = get_object_for(request, _meeting_qs(), pk)
    items = list(meeting.items.all())
    _log_children(request, items)
    decisions = [_decision(i) for i in items]
    # The latest discharge order of each child the consilium decided to discharge, read through
    # the recipient: `orders/` sits above this app (one query for the page).
    discharged = [
        i.recipient
        for i, d in zip(items, decisions, strict=True)
        if d and d.kind == DecisionKind.DISCHARGE
    ]
    prefetch_related_objects(discharged, "orders")
    latest = {}
    for recipient in discharged:
        for order in sorted(recipient.orders.all(), key=lambda o: (o.created_at, o.pk)):
            if order.is_discharge:
                latest[recipient.pk] = order
    for item in items:
        item.discharge_order = latest.get(item.recipient_id)  # type: ignore[attr-defined]
    return render(
        request,
        "consilium/meeting_detail.html",
        {
            "meeting": meeting,
            "items": items,
            "members": _ordered(meeting.composition.members.all()),
            "attendees": _ordered(meeting.attendees.all()),
            "can_prepare": policy.may(request.user, "consilium.prepare_meeting", meeting),
            "can_decide": policy.may(request.user, "consilium.record_decision", meeting),
            "held": meeting.held_on <= timezone.localdate(),
        },
    )


def _log_children(request: AuthenticatedRequest, items: list[AgendaItem]) -> None:
    """The meeting's page and its protocol name every child on the agenda: besides the
    meeting's own row, one access-log row per agenda item, so that each child's log shows who
    read or printed it."""
    if access.is_reading(request):
        access.log_opening(request, items, kind=access.kind_of(request))


def _decision(item: AgendaItem) -> Decision | None:
    try:
        return item.decision
    except Decision.DoesNotExist:
        return None


@require_GET
def protocol_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = get_object_for(request, _meeting_qs(), pk)
    items = list(meeting.items.all())
    _log_children(request, items)
    for item in items:
        item.the_decision = _decision(item)  # type: ignore[attr-defined]
    members = _ordered(meeting.composition.members.all())
    attendees = _ordered(meeting.attendees.all())
    present = {m.pk for m in attendees}
    return pdf_response(
        "consilium/print/protocol.html",
        {
            "meeting": meeting,
            "items": items,
            "members": members,
            "attendees": attendees,
            "absent": [m for m in members if m.pk not in present] if attendees else [],
        },
        f"Протокол консилиума № {meeting.number} от {meeting.held_on:%d.%m.%Y}.pdf",
        request,
    )


@require_http_methods(["GET", "POST"])
@policy.allowed("consilium.record_decision")
def attendance_record(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """After the meeting the head ticks who of the membership attended (the protocol's
    «Присутствовали»)."""
    meeting = get_object_for(request, Meeting, pk, write=True)
    members = meeting.composition.members.select_related("user").order_by("role", "pk")
    form = AttendanceForm(
        request.POST or None,
        members=members,
        initial={"attendees": list(meeting.attendees.all())},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_attendance(
                meeting=meeting,
                attendees=form.cleaned_data["attendees"],
                recorded_by=request.user,
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Присутствие на заседании записано.")
            return redirect(meeting)
    return render(
        request,
        "consilium/form.html",
        {
            "form": form,
            "title": f"Присутствовали на заседании: протокол № {meeting.number}",
            "meeting": meeting,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@policy.allowed("consilium.prepare_meeting")
@once_per_form
def item_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = get_object_for(request, Meeting, pk, write=True)
    form = AgendaItemForm(
        request.POST or None, department_id=meeting.department_id, on=meeting.held_on
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_agenda_item(meeting=meeting, added_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Вопрос включён в повестку.")
            return redirect(meeting)
    return render(
        request,
        "consilium/form.html",
        {"form": form, "title": f"Повестка: протокол № {meeting.number}", "meeting": meeting},
    )


def _item(request: AuthenticatedRequest, pk: int) -> AgendaItem:
    qs = AgendaItem.objects.select_related("meeting", "recipient", "version")
    return get_object_for(request, qs, pk, write=True)  # type: ignore[arg-type]


@require_http_methods(["GET", "POST"])
@policy.allowed("consilium.record_decision")
def decision_record(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    initial = {"changes": item.version.changes if item.version and item.version.is_revision else ""}
    form = DecisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_decision(item=item, recorded_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Решение записано в протокол.")
            return redirect(item.meeting)
    return render(
        request,
        "consilium/decision_form.html",
        {"form": form, "item": item, "meeting": item.meeting},
    )
