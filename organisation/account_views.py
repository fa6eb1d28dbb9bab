"""Sign-in and accounts (issue 11): the second factor, one's own password, the director's
confirmation of positions."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login

from organisation import accounts, second_factor
from organisation.access import AuthenticatedRequest
from organisation.forms import OwnPasswordChangeForm
from organisation.models import Role, User
from organisation.roles import role_required


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


@role_required(Role.DIRECTOR)
@require_GET
def staff_confirmations(request: AuthenticatedRequest) -> HttpResponse:
    """The director's list of accounts whose position or department waits for confirmation."""
    waiting = User.objects.filter(awaiting_confirmation=True).select_related("department")
    return render(request, "organisation/staff_confirmations.html", {"waiting": waiting})


@role_required(Role.DIRECTOR)
@require_POST
def staff_confirm(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(User, pk=pk, awaiting_confirmation=True)
    if request.POST.get("decision") == "reject":
        accounts.reject_position(account=account, rejected_by=request.user)
        messages.info(request, f"Изменение отклонено, учётная запись {account} отключена.")
    else:
        accounts.confirm_position(account=account, confirmed_by=request.user)
        messages.success(request, f"Должность сотрудника {account} подтверждена.")
    return redirect("staff_confirmations")
