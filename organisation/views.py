from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from organisation import calendar
from organisation.access import AuthenticatedRequest
from organisation.models import Role

START_TEMPLATES = {
    Role.SPECIALIST: "organisation/start/specialist.html",
    Role.HEAD: "organisation/start/head.html",
    Role.DIRECTOR: "organisation/start/director.html",
    Role.REGISTRAR: "organisation/start/registrar.html",
    Role.ADMINISTRATOR: "organisation/start/administrator.html",
}


def home(request: AuthenticatedRequest) -> HttpResponse:
    """The start page of the user's role."""
    today = timezone.localdate()
    context = {
        "today": today,
        "today_is_working": calendar.is_working_day(today),
        "next_working_day": calendar.add_working_days(today, 1),
    }
    return render(request, START_TEMPLATES[request.user.role], context)
