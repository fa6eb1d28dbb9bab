"""The administrator keeps the catalogue (O3): categories and services, with their history.

Case content (programmes, the journal, acts) is not in the admin: it is scoped to departments
and reached only through the app's views.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from services.models import Service, ServiceCategory


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "kind", "position")
    ordering = ("position",)


@admin.register(Service)
class ServiceAdmin(SimpleHistoryAdmin):
    list_display = (
        "code",
        "name",
        "is_leaf",
        "min_minutes",
        "max_minutes",
        "frequency_text",
        "min_age",
        "max_age",
        "form",
        "escort_limit",
        "is_active",
    )
    list_filter = ("category", "is_leaf", "form", "is_active")
    search_fields = ("code", "name")
    list_select_related = ("category",)
    autocomplete_fields = ("parent",)
    fieldsets = (
        (
            None,
            {"fields": ("category", "parent", "code", "position", "name", "is_leaf", "is_active")},
        ),
        ("Объём", {"fields": ("unit", "min_minutes", "max_minutes")}),
        (
            "Периодичность",
            {"fields": ("frequency_count", "frequency_per", "frequency_text", "as_needed")},
        ),
        ("Ограничения", {"fields": ("min_age", "max_age", "form", "escort_limit")}),
        ("Описание", {"fields": ("description",)}),
    )

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return (
            False  # services are switched off («действует»), never deleted: records refer to them
        )
