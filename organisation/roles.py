"""Django's permission system fed from the policy's role table (organisation/policy.py).

`RoleBackend` gives every active user the actions of their role as permissions, so templates
check `perms.orders.approve_order` like any Django permission. Rights come from that table
alone: permissions granted to a user or a group (Django's `user_permissions`, `groups`) are
ignored, and the admin's user form does not offer them. Views and actions do not ask Django:
they ask the policy (`policy.may`, `policy.require`, `policy.allowed`).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from organisation.policy import role_actions


class RoleBackend(ModelBackend):
    """Authenticates like ModelBackend; permissions are those of the user's role, nothing else.

    Per-user and group grants are not read: rights cannot be widened by editing an account.
    (A superuser, made only by `manage.py createsuperuser`, passes Django's own permission
    checks — the admin — but the policy gives it only the actions of its position's role.)"""

    def get_user_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def get_group_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def get_role_permissions(self, user_obj: Any) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous:
            return set()
        return set(role_actions(user_obj.role))

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        return self.get_role_permissions(user_obj)
