"""Template tags for printed documents: {% load documents %}."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import template
from django.contrib.staticfiles import finders
from django.utils.safestring import mark_safe

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
        if short:  # «Петрова А. С.» never split across lines
            return names.short_name(person, case).replace(" ", "\u00a0")
        return names.full_name(person, case)

    return f


for _case in names.Case:
    register.filter(_case.value, _name_filter(_case))  # {{ person|dative }}
    register.filter(f"{_case.value}_short", _name_filter(_case, short=True))  # |dative_short


@register.filter
def g(person: Any, forms: str) -> str:
    """{{ person|g:"ознакомлен,ознакомлена" }}: the form agreed with the person's sex, or
    «ознакомлен(а)» when the sex is neither recorded nor told by the patronymic. A third form
    may give the placeholder explicitly: "его,её,его (её)"."""
    parts = [p.strip() for p in forms.split(",")]
    return names.agree(person, parts[0], parts[1], parts[2] if len(parts) > 2 else None)


@register.filter
def initials(person: Any, case: str = "nominative") -> str:
    """{{ person|initials }} -> «А. С. Петрова», {{ person|initials:"genitive" }} -> «А. С.
    Петровой»: as a signature is deciphered; non-breaking spaces keep it on one line."""
    if not person:
        return ""
    return names.initials(person, case).replace(" ", "\u00a0")


@register.filter
def strip_end_dot(value: str) -> str:
    """A sentence typed with its own full stop, before the document adds « — срок …»."""
    return (value or "").strip().rstrip(".").rstrip()


@register.filter
def begins_with(text: Any, start: Any) -> bool:
    """A typed wording that already opens with a label («Утвердить ИПСРН, куратор — …» after
    the decision «утвердить ИПСРН»), compared without case: the document prints it once."""
    text, start = str(text or "").strip().lower(), str(start or "").strip().lower()
    return bool(start) and text.startswith(start)


@register.filter
def cut_trailing_comma(value: str) -> str:
    """Grounds typed as a list ending in a comma; the document closes the sentence itself."""
    return (value or "").strip().rstrip(",;").rstrip() + "."


# About a third of a page of text in a narrow column: a longer row may split across pages.
LONG_ROW_CHARS = 1200


@register.filter
def breakable(text: Any) -> str:
    """<tr{{ text|breakable }}>: the class that lets a row of long recorded text split across
    pages (other rows stay whole); join several cells' texts with `add`."""
    return mark_safe(' class="breakable"') if len(str(text or "")) > LONG_ROW_CHARS else ""
