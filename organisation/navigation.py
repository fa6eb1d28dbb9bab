"""The main menu, in one place: each item names the roles that see it."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from organisation.models import Role

ALL_ROLES = frozenset(Role)
CASE_ROLES = frozenset({Role.SPECIALIST, Role.HEAD, Role.DIRECTOR})


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[Role]
    icon: str = ""


# Each domain app adds its entries here, in the order they appear in the menu.
NAV_ITEMS: list[NavItem] = [
    NavItem("Главная", "home", ALL_ROLES, "house"),
    NavItem("Получатели", "recipients:list", CASE_ROLES, "people"),
    NavItem("Приказы", "recipients:orders", frozenset({Role.HEAD, Role.DIRECTOR}), "journal-check"),
    NavItem("Программы (ИПСРН)", "rehab_programs:list", CASE_ROLES, "clipboard2-pulse"),
    NavItem("Консилиум", "consilium:list", CASE_ROLES, "people-fill"),
    NavItem(
        "Мои сроки",
        "my_deadlines",
        frozenset({Role.SPECIALIST, Role.HEAD, Role.REGISTRAR}),
        "alarm",
    ),
    NavItem("Сроки отделения", "department_deadlines", frozenset({Role.HEAD}), "clipboard-check"),
    NavItem("Сроки по центру", "centre_deadlines", frozenset({Role.DIRECTOR}), "bar-chart"),
    NavItem("Администрирование", "admin:index", frozenset({Role.ADMINISTRATOR}), "gear"),
    # services (issue 4)
    NavItem("Мой день", "services:my_day", frozenset({Role.SPECIALIST, Role.HEAD}), "sun"),
    NavItem("Журнал услуг", "services:journal", CASE_ROLES, "journal-check"),
    NavItem("ИППСУ", "services:programmes", CASE_ROLES, "list-check"),
    NavItem("Выполнение программ", "services:compliance", CASE_ROLES, "graph-up"),
    NavItem("Справочник услуг", "services:catalogue", ALL_ROLES, "book"),
]


def items_for(user) -> list[dict[str, str]]:
    if not getattr(user, "is_authenticated", False):
        return []
    role = user.role
    return [
        {"label": i.label, "url": reverse(i.url_name), "icon": i.icon, "url_name": i.url_name}
        for i in NAV_ITEMS
        if role in i.roles
    ]
