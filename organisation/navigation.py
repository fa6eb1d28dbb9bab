"""The main menu, in one place: each item and its menu group.

Who sees an item is asked of the policy (organisation/policy.py): the action its view requires
(`@policy.allowed`), so the menu offers exactly the pages that answer. Only the few views open to
every signed-in user, or guarded outside the policy (the admin), name their roles here."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from django.urls import get_script_prefix, get_urlconf, resolve, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from organisation import policy
from organisation.models import Role

ALL_ROLES = frozenset(Role)


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    icon: str = ""
    group: str = ""  # items of one group form a drop-down menu; "" stands alone
    # For a view the policy does not guard: the roles that see it. None: ask the policy.
    roles: frozenset[Role] | None = None


@cache
def view_action(url_name: str) -> str | None:
    """The policy action the item's view requires (`@policy.allowed`), if any."""
    return getattr(resolve(reverse(url_name)).func, "policy_action", None)


def sees(user: Any, item: NavItem) -> bool:
    if item.roles is not None:
        return user.role in item.roles
    action = view_action(item.url_name)
    if action is None:
        raise LookupError(f"{item.url_name}: its view names no policy action; give its roles")
    return policy.may(user, action)


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
    NavItem("Главная", "home", "house", roles=ALL_ROLES),
    NavItem("Мой день", "agenda:my_day", "sun"),
    NavItem("Календарь", "agenda:month", "calendar3"),
    # Получатели
    NavItem("Регистр получателей", "recipients:list", "people", group="Получатели"),
    NavItem("Приказы", "orders:list", "journal-check", group="Получатели"),
    NavItem("Анкетирование", "recipients:quality_summary", "star", group="Получатели"),
    # Услуги
    NavItem("Журнал услуг", "services:journal", "journal-check", group="Услуги"),
    NavItem("ИППСУ", "services:programmes", "list-check", group="Услуги"),
    NavItem("Выполнение программ", "services:compliance", "graph-up", group="Услуги"),
    NavItem("Справочник услуг", "services:catalogue", "book", group="Услуги", roles=ALL_ROLES),
    # Патронаж
    NavItem("Обращения", "patronage:appeal_list", "envelope-paper", group="Патронаж"),
    NavItem("Семьи под патронажем", "patronage:case_list", "house-heart", group="Патронаж"),
    NavItem("Проверка записей", "patronage:review_list", "clipboard-check", group="Патронаж"),
    # Реабилитация
    NavItem("Программы (ИПСРН)", "rehab_programs:list", "clipboard2-pulse", group="Реабилитация"),
    NavItem("ПМП консилиум", "consilium:list", "people-fill", group="Реабилитация"),
    # Сроки: «Мои сроки» is open to everyone who can be responsible for a term
    NavItem(
        "Мои сроки",
        "my_deadlines",
        "alarm",
        group="Сроки",
        roles=frozenset({Role.SPECIALIST, Role.HEAD, Role.REGISTRAR}),
    ),
    NavItem("Сроки отделения", "department_deadlines", "clipboard-check", group="Сроки"),
    NavItem("Сроки по центру", "centre_deadlines", "bar-chart", group="Сроки"),
    NavItem("Отчёты", "stats:statistics", "bar-chart-line"),
    NavItem("Повышение квалификации", "qualification_list", "mortarboard", group="Сроки"),
    NavItem("Журнал доступа", "access_log", "eye", group="Безопасность"),
    NavItem(
        "Подтверждение должностей", "staff_confirmations", "person-check", group="Безопасность"
    ),
    NavItem("Администрирование", "admin:index", "gear", roles=frozenset({Role.ADMINISTRATOR})),
]


def _entry(item: NavItem) -> dict[str, str]:
    return {
        "label": item.label,
        "url": _address(item.url_name, get_script_prefix(), get_urlconf()),
        "icon": item.icon,
        "url_name": item.url_name,
    }


@lru_cache(maxsize=128)
def _address(url_name: str, prefix: str, urlconf: str | None) -> str:
    """`reverse(url_name)`, once per URL prefix: every page's menu has two dozen entries."""
    return reverse(url_name, urlconf=urlconf)


def visible_items(user: Any) -> list[NavItem]:
    """The entries the user sees, asked of the policy once for the menu and the start page."""
    if not getattr(user, "is_authenticated", False):
        return []
    return [i for i in NAV_ITEMS if sees(user, i)]


def items_for(user: Any) -> list[dict[str, str]]:
    """The flat list of the user's entries (start-page cards use it)."""
    return entries(visible_items(user))


def entries(visible: list[NavItem]) -> list[dict[str, str]]:
    return [_entry(i) for i in visible]


def menu_for(user: Any) -> list[dict[str, Any]]:
    """The menu: single entries and drop-down groups; a group with one entry stands alone."""
    return menu_of(visible_items(user))


def menu_of(visible: list[NavItem]) -> list[dict[str, Any]]:
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
            children = [_entry(i) for i in items]
            menu.append(
                {
                    "label": name,
                    "icon": GROUPS.get(name, ""),
                    "children": children,
                    "url_names": [e["url_name"] for e in children],
                }
            )
    menu += [_entry(i) for i in standalone if i.url_name.startswith("admin")]
    return menu


def menu_html(visible: list[NavItem], active: str) -> SafeString:
    """The menu bar's entries (`<li>`s) with the page's own entry marked active: what
    base.html's loop over `menu_of` wrote, made once per set of entries, active page and URL
    prefix (a template loop over two dozen entries took half of a small page's time)."""
    return _menu_html(
        tuple(i.url_name for i in visible), active, get_script_prefix(), get_urlconf()
    )


_BY_NAME = {i.url_name: i for i in NAV_ITEMS}


@lru_cache(maxsize=1024)
def _menu_html(names: tuple[str, ...], active: str, prefix: str, urlconf: str | None) -> SafeString:
    def link(css: str, entry: dict[str, Any], on: bool) -> SafeString:
        icon = format_html('<i class="bi bi-{}" aria-hidden="true"></i> ', entry["icon"])
        return format_html(
            '<a class="{}{}" href="{}">{}{}</a>',
            css,
            " active" if on else "",
            entry["url"],
            icon if entry["icon"] else "",
            entry["label"],
        )

    parts = []
    for item in menu_of([_BY_NAME[n] for n in names]):
        if item.get("children"):
            icon = format_html('<i class="bi bi-{}" aria-hidden="true"></i> ', item["icon"])
            parts.append(
                format_html(
                    '<li class="nav-item dropdown"><a class="nav-link dropdown-toggle{}" href="#"'
                    ' role="button" data-bs-toggle="dropdown" aria-expanded="false">{}{}</a>'
                    '<ul class="dropdown-menu">{}</ul></li>',
                    " active" if active in item["url_names"] else "",
                    icon if item["icon"] else "",
                    item["label"],
                    format_html_join(
                        "",
                        "<li>{}</li>",
                        (
                            (link("dropdown-item", c, active == c["url_name"]),)
                            for c in item["children"]
                        ),
                    ),
                )
            )
        else:
            home = " d-xl-none d-xxl-block" if item["url_name"] == "home" else ""
            parts.append(
                format_html(
                    '<li class="nav-item{}">{}</li>',
                    home,
                    link("nav-link", item, active == item["url_name"]),
                )
            )
    return SafeString("".join(parts))
