"""The search box of the menu: one query across what the user may see."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from organisation.access import AuthenticatedRequest
from organisation.text import search_query
from search import selectors


@require_GET
def search(request: AuthenticatedRequest) -> HttpResponse:
    query = search_query(request.GET.get("q"))
    sections = selectors.search(request.user, query) if query else []
    return render(
        request,
        "search/results.html",
        {"query": query, "sections": sections, "total": sum(len(s.hits) for s in sections)},
    )
