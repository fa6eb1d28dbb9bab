"""The admin site of the centre: only the administrator (or a command-line superuser) enters,
and nothing in it answers differently for a record that exists and one that does not."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path

from organisation.models import Role


class SrcnAdminSite(admin.AdminSite):
    site_header = "СРЦН: администрирование"
    site_title = "СРЦН"
    index_title = "Справочники и пользователи"

    def has_permission(self, request: HttpRequest) -> bool:
        user: Any = request.user
        if not (user.is_active and user.is_authenticated):
            return False
        return bool(user.is_superuser or (user.is_staff and user.role == Role.ADMINISTRATOR))

    def get_urls(self) -> list[URLResolver | URLPattern]:
        urls = super().get_urls()
        checked = path(
            "r/<int:content_type_id>/<path:object_id>/",
            self.admin_view(self.view_on_site),
            name="view_on_site",
        )
        return [checked if getattr(u, "name", None) == "view_on_site" else u for u in urls]

    def view_on_site(
        self, request: HttpRequest, content_type_id: int, object_id: str
    ) -> HttpResponse:
        """Django's «view on site» redirect, only for models this site shows to this user:
        for any other model the answer is the same 404 whether the record exists or not."""
        ct = ContentType.objects.filter(pk=content_type_id).first()
        model = ct.model_class() if ct else None
        model_admin = self._registry.get(model) if model else None  # type: ignore[arg-type]
        if model_admin is None or not model_admin.has_view_or_change_permission(request):
            raise Http404("Страница не найдена.")
        return shortcut(request, content_type_id, object_id)
