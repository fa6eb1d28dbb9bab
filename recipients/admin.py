"""The recipients' records in the admin: read through history, never deleted.

Case content is not part of the administrator's role (organisation/roles.py grants no
recipients permissions), so only a superuser sees these pages.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from recipients.models import (
    AccessLog,
    Application,
    CircumstanceChange,
    Consent,
    Contract,
    Document,
    Family,
    NeedRecognition,
    Recipient,
    Representation,
    Representative,
)


class NoDeleteAdmin(SimpleHistoryAdmin):
    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False  # records are archived, never deleted


@admin.register(Recipient)
class RecipientAdmin(NoDeleteAdmin):
    list_display = ["full_name", "birth_date", "department", "status", "first_day_of_stay"]
    list_filter = ["department", "status"]
    search_fields = ["search_text", "snils"]


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "recipient", "kind"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


for model in (
    Family,
    Representative,
    Representation,
    Consent,
    Document,
    Application,
    NeedRecognition,
    Contract,
    CircumstanceChange,
):
    admin.site.register(model, NoDeleteAdmin)
