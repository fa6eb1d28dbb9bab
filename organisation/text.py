"""Russian text helpers used across the interface and documents."""

from __future__ import annotations


def plural(n: int, one: str, few: str, many: str) -> str:
    """The noun form for n: plural(1, "день", "дня", "дней") -> "день"; 3 -> "дня"; 11 -> "дней"."""
    n = abs(int(n))
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def with_plural(n: int, one: str, few: str, many: str) -> str:
    """«5 дней», «21 день», «3 ребёнка»."""
    return f"{n} {plural(n, one, few, many)}"
