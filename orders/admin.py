from typing import Any

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from orders.models import Order


@admin.register(Order)
class OrderAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "recipient", "status", "effective_on"]
    list_filter = ["kind", "status", "year"]

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False  # records are archived, never deleted
