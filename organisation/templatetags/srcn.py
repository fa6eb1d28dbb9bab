from __future__ import annotations

from datetime import date

from django import template

from organisation.text import plural as _plural

register = template.Library()


@register.filter
def plural(n: int, forms: str) -> str:
    """{{ n|plural:"день,дня,дней" }} -> «5 дней»."""
    one, few, many = (f.strip() for f in forms.split(","))
    return f"{n} {_plural(n, one, few, many)}"


@register.filter
def ru_date(d: date | None) -> str:
    """дд.мм.гггг, or an em dash for no date."""
    return d.strftime("%d.%m.%Y") if d else "—"
