"""Sign-in helpers for django-axes (issue 11, point 5)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

USERNAME_MAX_LENGTH = 150  # organisation.User.username


def axes_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """The username a failure counts against, cut to the field's length: a longer one is an
    ordinary failed login (of the account it starts with), never a database error."""
    source: Any = credentials or (getattr(request, "POST", None) or {})
    return str(source.get("username") or "")[:USERNAME_MAX_LENGTH]
