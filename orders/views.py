"""Views of the director's orders: each validates a form, calls one action, redirects.

Orders are reached through `visible_to` / `get_object_for`: heads see their department's, the
director every order; a specialist asking for the register gets 403.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from consilium.models import Decision
from orders import actions
from orders.forms import DischargeOrderForm, OrderDraftForm, OrderFilterForm, OrderReturnForm
from orders.models import Order, OrderKind, OrderStatus
from orders.selectors import with_discharge_ground
from organisation import policy
from organisation.access import AuthenticatedRequest, get_object_for
from organisation.forms import add_action_errors, refused_form_page
from organisation.selectors import current_director
from recipients import selectors as recipient_selectors
from recipients.models import Recipient
from rehab_programs import selectors as rehab_selectors
from reports.pdf import pdf_response

PAGE_SIZE = 50

# What the register shows of an order, its recipient and the head who drafted it.
LIST_COLUMNS = (
    "kind",
    "status",
    "effective_on",
    "year",
    "number",
    "signed_on",
    "recipient__last_name",
    "recipient__first_name",
    "recipient__patronymic",
    "recipient__department__name",
    "recipient__department__short_name",
    "drafted_by__last_name",
    "drafted_by__first_name",
    "drafted_by__patronymic",
)


@require_http_methods(["GET", "POST"])
@policy.allowed("orders.draft_order")
def order_draft(request: AuthenticatedRequest, pk: int, kind: str) -> HttpResponse:
    """The head drafts an order on a child of the department (from the card)."""
    if kind not in OrderKind.values:
        raise Http404("Нет такого вида приказа.")
    recipient = get_object_for(
        request, Recipient.objects.select_related("department"), pk, write=True
    )
    form = OrderDraftForm(
        request.POST or None,
        kind=kind,
        initial={
            "effective_on": timezone.localdate(),
            "grounds": actions.default_grounds(kind, recipient),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            order = actions.draft_order(
                kind=kind,
                recipient=recipient,
                drafted_by=request.user,
                effective_on=form.cleaned_data["effective_on"],
                grounds=form.cleaned_data["grounds"],
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Проект приказа передан директору на утверждение.")
            return redirect(order)
    return render(
        request,
        "orders/order_form.html",
        {
            "r": recipient,
            "form": form,
            "title": f"Проект приказа {OrderKind(kind).label}",
            "places_warning": (
                recipient_selectors.places_warning(recipient.department)
                if kind == OrderKind.ENROLMENT
                else ""
            ),
            "stay_end": (
                rehab_selectors.stay_end(recipient) if kind == OrderKind.DISCHARGE else None
            ),
        },
    )


@require_http_methods(["GET", "POST"])
@policy.allowed("orders.draft_order")
def discharge_draft(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """O24: the head drafts the discharge order on the consilium's decision."""
    decision = get_object_for(
        request,
        Decision.objects.select_related("item__meeting", "item__recipient"),  # type: ignore[arg-type]
        pk,
        write=True,
    )
    form = DischargeOrderForm(request.POST or None, initial={"effective_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            order = actions.draft_discharge_order(
                decision=decision,
                drafted_by=request.user,
                effective_on=form.cleaned_data["effective_on"],
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Проект приказа о снятии передан директору на утверждение.")
            return redirect(order)
    return render(
        request,
        "orders/order_form.html",
        {
            "form": form,
            "title": f"Проект приказа о снятии: {decision.item.recipient.full_name}",
            "meeting": decision.item.meeting,
            "stay_end": rehab_selectors.stay_end(decision.item.recipient),
        },
    )


@require_GET
@policy.allowed("orders.view_order", message="Приказы видят заведующие и директор.")
def order_list(request: AuthenticatedRequest) -> HttpResponse:
    orders = (
        Order.objects.visible_to(request.user)
        .select_related("recipient__department", "drafted_by")
        .only(*LIST_COLUMNS)
    )
    # newest number first, drafts and returned ones (no number yet) above them: the order of
    # the index `order_register`
    orders = orders.order_by(
        F("year").desc(nulls_first=True), F("number").desc(nulls_first=True), "-created_at"
    )
    status = request.GET.get("status", "")
    if status in OrderStatus.values:
        orders = orders.filter(status=status)
    form = OrderFilterForm(request.GET)
    if form.is_valid():
        data = form.cleaned_data
        if data["kind"]:
            orders = orders.filter(kind=data["kind"])
        if data["date_from"]:
            orders = orders.filter(effective_on__gte=data["date_from"])
        if data["date_to"]:
            orders = orders.filter(effective_on__lte=data["date_to"])
        if data["department"]:
            orders = orders.filter(recipient__department_id=data["department"])
        if data["ground"]:
            ground = "" if data["ground"] == "none" else data["ground"]
            orders = with_discharge_ground(orders).filter(
                Q(kind=OrderKind.DISCHARGE) & Q(ground=ground)
            )
    page = Paginator(orders, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "orders/order_list.html",
        {"page_obj": page, "status": status, "statuses": OrderStatus.choices, "form": form},
    )


@require_GET
def order_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    order = get_object_for(
        request,
        Order.objects.select_related("recipient", "drafted_by", "decided_by"),
        pk,
    )
    blockers = actions.approval_blockers(order) if order.is_draft else []
    return render(
        request,
        "orders/order_detail.html",
        {
            "order": order,
            "blockers": blockers,
            "places_warning": actions.places_warning(order),
            "stay_end": rehab_selectors.stay_end(order.recipient) if order.is_discharge else None,
            "return_form": OrderReturnForm(),
        },
    )


@require_POST
@policy.allowed("orders.approve_order")
def order_approve(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    order = get_object_for(request, Order, pk)
    try:
        order = actions.approve_order(
            order=order,
            approved_by=request.user,
            beyond_places=request.POST.get("beyond_places") == "1",
        )
    except actions.OverCapacity as exc:
        messages.warning(request, f"Приказ не утверждён. {exc.warning}")
    except actions.OrderRefused as exc:
        messages.error(request, "Приказ не утверждён. Не хватает: " + "; ".join(exc.reasons) + ".")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Приказ № {order.display_number} утверждён.")
    return redirect(order)


@require_POST
@policy.allowed("orders.approve_order")
def order_return(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    order = get_object_for(request, Order, pk)
    form = OrderReturnForm(request.POST)
    if form.is_valid():
        try:
            actions.return_order(
                order=order, returned_by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Проект приказа возвращён на доработку.")
            return redirect(order)
    return refused_form_page(
        request,
        form,
        title=f"{order}: возврат на доработку",
        back=order.get_absolute_url(),
        submit="Вернуть на доработку",
    )


@require_GET
def order_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The printed order; the opening is logged like every printed form of the personal file."""
    order = get_object_for(
        request, Order.objects.select_related("recipient", "drafted_by", "decided_by"), pk
    )
    filename = f"Приказ {order.display_number}.pdf"
    context = {
        "r": order.recipient,
        "order": order,
        "today": timezone.localdate(),
        "director": current_director(),
        "centre_address": settings.CENTRE_ADDRESS,
    }
    return pdf_response("orders/print/order.html", context, filename, request)
