"""One search across the records a user may see: children, families, appeals, orders and
consilium protocols, each fetched through its scoped queryset (`visible_to(user)`), so a
result never shows what the user's role and department do not cover."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse

from consilium.models import Meeting
from orders.models import Order
from organisation.search import folded_search, words
from patronage.models import Appeal
from recipients.models import Family, Recipient

PER_SECTION = 10
NUMBER = re.compile(r"^\s*№?\s*(\d+)\s*(?:[/-]\s*(\d{2}|\d{4}))?\s*$")


@dataclass
class Hit:
    label: str
    url: str
    detail: str = ""


@dataclass
class Section:
    title: str
    hits: list[Hit] = field(default_factory=list)
    more: bool = False


def _number(query: str) -> tuple[int, int | None] | None:
    """«15/2026», «3-26», «№ 7»: a registration or protocol number with an optional year."""
    m = NUMBER.match(query)
    if not m:
        return None
    year = int(m.group(2)) if m.group(2) else None
    if year is not None and year < 100:
        year += 2000
    return int(m.group(1)), year


def _cut(section: Section, rows: list[Any], hit: Any) -> Section:
    section.more = len(rows) > PER_SECTION
    section.hits = [hit(r) for r in rows[:PER_SECTION]]
    return section


def _by_number(qs: Any, number: tuple[int, int | None]) -> Any:
    qs = qs.filter(number=number[0])
    return qs.filter(year=number[1]) if number[1] else qs


def search(user: Any, query: str) -> list[Section]:
    """Up to ten hits per kind of record, in the order a person looks for them."""
    if not words(query):
        return []
    number = _number(query)
    sections: list[Section] = []

    children = Recipient.objects.visible_to(user).select_related("department")
    if number is None:
        for word in words(query):
            children = children.filter(search_text__contains=word)
        sections.append(
            _cut(
                Section("Дети"),
                list(children.order_by("last_name", "first_name", "pk")[: PER_SECTION + 1]),
                lambda r: Hit(
                    r.full_name,
                    r.get_absolute_url(),
                    f"{r.birth_date:%d.%m.%Y}, {r.department}, {r.get_status_display().lower()}",
                ),
            )
        )
        families = folded_search(
            Family.objects.visible_to(user).select_related("department"), ["name", "address"], query
        )
        sections.append(
            _cut(
                Section("Семьи"),
                list(families.order_by("name", "pk")[: PER_SECTION + 1]),
                lambda f: Hit(
                    f.name,
                    f"{reverse('recipients:list')}?{urlencode({'q': f.name})}",
                    f"{f.address} · {f.department}",
                ),
            )
        )

    appeals: QuerySet[Appeal] = Appeal.objects.visible_to(user).select_related("department")
    if number is not None:
        appeals = _by_number(appeals, number)
    else:
        appeals = folded_search(appeals, ["family_name", "sender", "children", "content"], query)
    sections.append(
        _cut(
            Section("Обращения"),
            list(appeals.order_by("-received_on", "-pk")[: PER_SECTION + 1]),
            lambda a: Hit(str(a), a.get_absolute_url(), f"{a.family_name} · {a.department}"),
        )
    )

    orders = Order.objects.visible_to(user).select_related("recipient")
    if number is not None:
        orders = _by_number(orders, number)
    else:
        for word in words(query):
            orders = orders.filter(recipient__search_text__contains=word)
    sections.append(
        _cut(
            Section("Приказы"),
            list(orders.order_by("-created_at", "-pk")[: PER_SECTION + 1]),
            lambda o: Hit(str(o), o.get_absolute_url(), o.recipient.full_name),
        )
    )

    meetings = Meeting.objects.visible_to(user).select_related("department")
    if number is not None:
        meetings = _by_number(meetings, number)
    else:
        for word in words(query):
            meetings = meetings.filter(items__recipient__search_text__contains=word)
        meetings = meetings.distinct()
    sections.append(
        _cut(
            Section("Протоколы консилиума"),
            list(meetings.order_by("-held_on", "-number")[: PER_SECTION + 1]),
            lambda m: Hit(str(m), m.get_absolute_url(), str(m.department)),
        )
    )
    return [s for s in sections if s.hits]
