from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from organisation.navigation import entries, menu_html, visible_items
from organisation.selectors import notifications_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    # The error page of a request refused before the user was read (a forged Host) has none.
    user = getattr(request, "user", None) or AnonymousUser()
    unread = (
        notifications_for(user).filter(read_at__isnull=True).count() if user.is_authenticated else 0
    )
    visible = visible_items(user)
    match = getattr(request, "resolver_match", None)
    return {
        # the start page's cards: made only where a template reads them
        "nav_items": SimpleLazyObject(lambda: entries(visible)),
        # the menu bar's entries, the page's own marked active
        "menu_html": menu_html(visible, match.view_name if match else ""),
        "centre_name": settings.CENTRE_NAME,
        "unread_notifications": unread,
    }
