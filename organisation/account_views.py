"""Sign-in and accounts (issue 11): the second factor, one's own password, the director's
confirmation of positions, the access log."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login

from organisation import accounts, policy, second_factor
from organisation.access import AuthenticatedRequest
from organisation.forms import DateField, OwnPasswordChangeForm, RecordIdField
from organisation.models import AccessKind, User
from organisation.selectors import access_log_for
from reports.xlsx import xlsx_response


class OwnPasswordChangeView(auth_views.PasswordChangeView):
    """Every user changes their own password here; a temporary one must be changed first."""

    template_name = "organisation/password_change.html"
    form_class = OwnPasswordChangeForm
    success_url = reverse_lazy("home")

    def form_valid(self, form: OwnPasswordChangeForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_valid(form)
        accounts.password_changed_by_owner(account=form.user)
        messages.success(self.request, "Пароль изменён.")
        return response


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Код",
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        error_messages={"required": "Введите код."},
    )


def _next(request: AuthenticatedRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


@require_http_methods(["GET", "POST"])
def second_factor_setup(request: AuthenticatedRequest) -> HttpResponse:
    """Enrolment at the first sign-in: scan the QR code, type the first code, keep the
    recovery codes."""
    if second_factor.is_enrolled(request.user):
        return redirect("second_factor_verify")
    device = second_factor.pending_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = second_factor.confirm_enrolment(
            user=request.user, device=device, token=form.cleaned_data["code"].replace(" ", "")
        )
        if codes is not None:
            otp_login(request, device)
            return render(
                request,
                "organisation/second_factor_codes.html",
                {"codes": codes, "next": _next(request)},
            )
        form.add_error("code", "Код не подошёл. Проверьте время на телефоне и введите новый код.")
    return render(
        request,
        "organisation/second_factor_setup.html",
        {
            "form": form,
            "qr": second_factor.qr_svg(device),
            "secret": second_factor.secret_base32(device),
            "next": _next(request),
        },
    )


@require_http_methods(["GET", "POST"])
def second_factor_verify(request: AuthenticatedRequest) -> HttpResponse:
    if not second_factor.is_enrolled(request.user):
        return redirect("second_factor_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = second_factor.verify(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next(request))
        form.add_error("code", "Код не подошёл или попыток было слишком много. Подождите минуту.")
    return render(
        request, "organisation/second_factor_verify.html", {"form": form, "next": _next(request)}
    )


@policy.allowed("organisation.confirm_position")
@require_GET
def staff_confirmations(request: AuthenticatedRequest) -> HttpResponse:
    """The director's list of accounts whose position or department waits for confirmation."""
    waiting = User.objects.filter(awaiting_confirmation=True).select_related("department")
    return render(request, "organisation/staff_confirmations.html", {"waiting": waiting})


@policy.allowed("organisation.confirm_position")
@require_POST
def staff_confirm(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(User, pk=pk, awaiting_confirmation=True)
    if request.POST.get("decision") == "reject":
        accounts.reject_position(account=account, rejected_by=request.user)
        messages.info(request, f"Изменение отклонено, учётная запись {account} отключена.")
    else:
        post = request.POST
        seen = (post.get("position", ""), post.get("department", ""), post.get("email", ""))
        try:
            accounts.confirm_position(account=account, confirmed_by=request.user, seen=seen)
        except accounts.ChangedMeanwhile as changed:
            messages.error(request, str(changed))
        else:
            messages.success(request, f"Должность сотрудника {account} подтверждена.")
    return redirect("staff_confirmations")


# --- The access log: the director's (and a head's, own department) reading and export ----------


class AccessLogFilter(forms.Form):
    date_from = DateField(label="с", required=False)
    date_to = DateField(label="по", required=False)
    user = forms.ModelChoiceField(
        label="сотрудник", queryset=User.objects.order_by("last_name"), required=False
    )
    kind = forms.ChoiceField(
        label="что открыто", choices=[("", "всё"), *AccessKind.choices], required=False
    )
    recipient = RecordIdField(label="получатель (номер)")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            select = isinstance(field.widget, forms.Select)
            css = "form-select form-select-sm" if select else "form-control form-control-sm"
            field.widget.attrs["class"] = f"{css} {field.widget.attrs.get('class', '')}".strip()


@policy.allowed("organisation.view_access_log")
@require_GET
def access_log(request: AuthenticatedRequest) -> HttpResponse:
    """Who opened which record, when and from where; «Выгрузить в XLSX» exports the filter."""
    form = AccessLogFilter(request.GET or None)
    qs = access_log_for(request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data["date_from"]:
            qs = qs.filter(created_at__date__gte=data["date_from"])
        if data["date_to"]:
            qs = qs.filter(created_at__date__lte=data["date_to"])
        if data["user"]:
            qs = qs.filter(user=data["user"])
        if data["kind"]:
            qs = qs.filter(kind=data["kind"])
        if data["recipient"]:
            qs = qs.filter(recipient_id=data["recipient"])
    if request.GET.get("format") == "xlsx":
        rows = (
            (
                e.created_at,
                e.user.full_name,
                e.user.get_position_display(),
                str(e.department or ""),
                e.get_kind_display(),
                e.record,
                e.recipient_id or "",
                e.path,
                e.address or "",
            )
            for e in qs.iterator(chunk_size=2000)
        )
        return xlsx_response(
            "Журнал доступа.xlsx",
            [
                "Когда",
                "Сотрудник",
                "Должность",
                "Отделение",
                "Что открыто",
                "Запись",
                "Получатель (номер)",
                "Адрес страницы",
                "IP-адрес",
            ],
            rows,
            title="Журнал доступа",
            caption="Журнал доступа к записям с персональными данными",
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "organisation/access_log.html", {"form": form, "page_obj": page})
