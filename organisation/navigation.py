"""The main menu, in one place: each item names the roles that see it and its menu group."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from organisation.models import Role

ALL_ROLES = frozenset(Role)
CASE_ROLES = frozenset({Role.SPECIALIST, Role.HEAD, Role.DIRECTOR})
HEAD_ONLY = frozenset({Role.HEAD})
HEAD_AND_DIRECTOR = frozenset({Role.HEAD, Role.DIRECTOR})


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[Role]
    icon: str = ""
    group: str = ""  # items of one group form a drop-down menu; "" stands alone


# Groups in menu order, with their icons.
GROUPS: dict[str, str] = {
    "Получатели": "people",
    "Услуги": "journal-check",
    "Патронаж": "house-heart",
    "Реабилитация": "clipboard2-pulse",
    "Сроки": "alarm",
    "Безопасность": "shield-lock",
}

# Each domain app adds its entries here, in the order they appear in the menu.
NAV_ITEMS: list[NavItem] = [
    NavItem("Главная", "home", ALL_ROLES, "house"),
    NavItem("Мой день", "agenda:my_day", frozenset({Role.SPECIALIST, Role.HEAD}), "sun"),
    NavItem("Календарь", "agenda:month", CASE_ROLES, "calendar3"),
    # Получатели
    NavItem("Регистр получателей", "recipients:list", CASE_ROLES, "people", group="Получатели"),
    NavItem("Приказы", "orders:list", HEAD_AND_DIRECTOR, "journal-check", group="Получатели"),
    NavItem(
        "Анкетирование", "recipients:quality_summary", HEAD_AND_DIRECTOR, "star", group="Получатели"
    ),
    # Услуги
    NavItem("Журнал услуг", "services:journal", CASE_ROLES, "journal-check", group="Услуги"),
    NavItem("ИППСУ", "services:programmes", CASE_ROLES, "list-check", group="Услуги"),
    NavItem("Выполнение программ", "services:compliance", CASE_ROLES, "graph-up", group="Услуги"),
    NavItem("Справочник услуг", "services:catalogue", ALL_ROLES, "book", group="Услуги"),
    # Патронаж
    NavItem(
        "Обращения",
        "patronage:appeal_list",
        CASE_ROLES | {Role.REGISTRAR},
        "envelope-paper",
        group="Патронаж",
    ),
    NavItem(
        "Семьи под патронажем", "patronage:case_list", CASE_ROLES, "house-heart", group="Патронаж"
    ),
    NavItem(
        "Проверка записей", "patronage:review_list", HEAD_ONLY, "clipboard-check", group="Патронаж"
    ),
    # Реабилитация
    NavItem(
        "Программы (ИПСРН)",
        "rehab_programs:list",
        CASE_ROLES,
        "clipboard2-pulse",
        group="Реабилитация",
    ),
    NavItem("ПМП консилиум", "consilium:list", CASE_ROLES, "people-fill", group="Реабилитация"),
    # Сроки
    NavItem(
        "Мои сроки",
        "my_deadlines",
        frozenset({Role.SPECIALIST, Role.HEAD, Role.REGISTRAR}),
        "alarm",
        group="Сроки",
    ),
    NavItem("Сроки отделения", "department_deadlines", HEAD_ONLY, "clipboard-check", group="Сроки"),
    NavItem(
        "Сроки по центру",
        "centre_deadlines",
        frozenset({Role.DIRECTOR}),
        "bar-chart",
        group="Сроки",
    ),
    NavItem("Отчёты", "stats:statistics", HEAD_AND_DIRECTOR, "bar-chart-line"),
    NavItem(
        "Повышение квалификации",
        "qualification_list",
        frozenset({Role.HEAD, Role.DIRECTOR, Role.ADMINISTRATOR}),
        "mortarboard",
        group="Сроки",
    ),
    NavItem("Журнал доступа", "access_log", HEAD_AND_DIRECTOR, "eye", group="Безопасность"),
    NavItem(
        "Подтверждение должностей",
        "staff_confirmations",
        frozenset({Role.DIRECTOR}),
        "person-check",
        group="Безопасность",
    ),
    NavItem("Администрирование", "admin:index", frozenset({Role.ADMINISTRATOR}), "gear"),
]


def _entry(item: NavItem) -> dict[str, str]:
    return {
        "label": item.label,
        "url": reverse(item.url_name),
        "icon": item.icon,
        "url_name": item.url_name,
    }


def items_for(user: Any) -> list[dict[str, str]]:
    """The flat list of the user's entries (start-page cards use it)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return [_entry(i) for i in NAV_ITEMS if user.role in i.roles]


def menu_for(user: Any) -> list[dict[str, Any]]:
    """The menu: single entries and drop-down groups; a group with one entry stands alone."""
    if not getattr(user, "is_authenticated", False):
        return []
    visible = [i for i in NAV_ITEMS if user.role in i.roles]
    grouped: dict[str, list[NavItem]] = {}
    for item in visible:
        grouped.setdefault(item.group, []).append(item)
    standalone = grouped.pop("", [])
    menu: list[dict[str, Any]] = [
        _entry(i) for i in standalone if not i.url_name.startswith("admin")
    ]
    for name in [*GROUPS, *sorted(set(grouped) - set(GROUPS))]:
        items = grouped.get(name, [])
        if len(items) == 1:
            menu.append(_entry(items[0]))
        elif items:
            entries = [_entry(i) for i in items]
            menu.append(
                {
                    "label": name,
                    "icon": GROUPS.get(name, ""),
                    "children": entries,
                    "url_names": [e["url_name"] for e in entries],
                }
            )
    menu += [_entry(i) for i in standalone if i.url_name.startswith("admin")]
    return menu
