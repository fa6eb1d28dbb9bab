"""Middleware of the project."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth import middleware
from django.http import HttpRequest, HttpResponseBase


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
