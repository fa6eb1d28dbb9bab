from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from organisation.navigation import items_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    return {"nav_items": items_for(request.user), "centre_name": settings.CENTRE_NAME}
