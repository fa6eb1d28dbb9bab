"""Request gates: a signed-in user where a view needs one, the second factor after the password,
then a temporary password replaced; and the headers every page carries."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout, middleware
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.urls import Resolver404, ResolverMatch, resolve, reverse
from django.utils.cache import add_never_cache_headers

from organisation import access, second_factor

# Pages a signed-in user reaches before the gates are passed.
OPEN_VIEWS = frozenset(
    {
        "login",
        "logout",
        "second_factor_verify",
        "second_factor_setup",
        "public_info",
        "public_info_pdf",
    }
)

PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), "
    "interest-cohort=()"
)


def _match(request: HttpRequest) -> ResolverMatch | None:
    """The request's view, resolved once for the gates below (each asks)."""
    try:
        return request._gates_match  # type: ignore[attr-defined,no-any-return]
    except AttributeError:
        pass
    try:
        match: ResolverMatch | None = resolve(request.path_info)
    except Resolver404:
        match = None
    request._gates_match = match  # type: ignore[attr-defined]
    return match


def _view_name(request: HttpRequest) -> str | None:
    match = _match(request)
    return match.view_name if match else None


def is_public(request: HttpRequest) -> bool:
    """A page open to anyone (@login_not_required): the gates leave its session unloaded, so
    it answers while the database is down."""
    match = _match(request)
    return match is not None and not getattr(match.func, "login_required", True)


LAST_SEEN = "last_seen"
TOUCH_EVERY_SECONDS = 60


def mark_seen(request: HttpRequest) -> None:
    request.session[LAST_SEEN] = int(time.time())


class IdleTimeoutMiddleware:
    """An idle session ends after `SESSION_IDLE_MINUTES`: the time of the last request is kept
    in the session (rewritten at most once a minute, so a page costs no extra write) and a
    request after a longer pause signs the user out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_public(request) and request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_SEEN)
            if last is not None and now - last > settings.SESSION_IDLE_MINUTES * 60:
                logout(request)
            elif last is None or now - last >= TOUCH_EVERY_SECONDS:
                request.session[LAST_SEEN] = now
        return self.get_response(request)


class AccountGateMiddleware:
    """A signed-in user passes the second factor (enrolling it at the first sign-in), then
    replaces a password the administrator set, before any other page answers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user: Any = request.user
        if not is_public(request) and user.is_authenticated:
            name = _view_name(request)
            if name not in OPEN_VIEWS:
                if second_factor.required() and not user.is_verified():
                    target = (
                        "second_factor_verify"
                        if second_factor.is_enrolled(user)
                        else "second_factor_setup"
                    )
                    query = urlencode({"next": request.get_full_path()})
                    return HttpResponseRedirect(f"{reverse(target)}?{query}")
                if user.must_change_password and name != "password_change":
                    return HttpResponseRedirect(reverse("password_change"))
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; `Cache-Control: no-store` on every page served to
    a signed-in user (they carry personal data: nothing of it stays in a browser's or a proxy's
    cache)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        # A request refused before the user was read (a forged Host header) has no user.
        user = getattr(request, "user", None)
        if (
            user is not None
            and not is_public(request)
            and user.is_authenticated
            and "no-store" not in response.get("Cache-Control", "")
        ):
            add_never_cache_headers(response)
        return response


class LoginRequiredMiddleware(middleware.LoginRequiredMiddleware):
    """Django's, asking the view first: a public page (@login_not_required) does not load the
    visitor's session, so it answers while the database is down."""

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponseBase],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponseBase | None:
        if not getattr(view_func, "login_required", True):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class DeferredOpeningsMiddleware:
    """The access log of a change answered with a page (`access.defer_opening`): once the view
    has answered, the records a POST opened are written if the answer showed them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        access.log_deferred_openings(request, response.status_code)
        return response
