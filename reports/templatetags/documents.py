"""Template tags for printed documents: {% load documents %}."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import template
from django.contrib.staticfiles import finders

from reports import names

register = template.Library()


@register.simple_tag
def print_static(path: str) -> str:
    """A file:// URL of a static file, for WeasyPrint (fonts, the emblem)."""
    found = finders.find(path)
    if not found:
        raise template.TemplateSyntaxError(f"Static file not found: {path}")
    return Path(found).resolve().as_uri()


def _name_filter(case: names.Case, short: bool = False):  # type: ignore[no-untyped-def]
    def f(person: Any) -> str:
        if not person:
            return ""
        return names.short_name(person, case) if short else names.full_name(person, case)

    return f


for _case in names.Case:
    register.filter(_case.value, _name_filter(_case))  # {{ person|dative }}
    register.filter(f"{_case.value}_short", _name_filter(_case, short=True))  # |dative_short
